"""S1-S5, S11: strength frequency, spacing, placement and duration."""

from __future__ import annotations

from solver.checks.strength import (
    check_s1,
    check_s2,
    check_s3,
    check_s4,
    check_s5,
    check_s11,
)
from solver.schemas import PlanRequest
from solver.timeline import Timeline

from .builders import (
    FRI,
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    day,
    make_request,
    mini,
    outcome,
    race,
    run,
    standard_week,
    standard_weeks,
    strength,
)

# --- S1 -------------------------------------------------------------------------------


def test_s1_sessions_within_the_bounds_pass(base_request: PlanRequest) -> None:
    result = outcome(check_s1, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_s1_more_sessions_than_the_cap_is_a_violation() -> None:
    # Base weeks allow 2-3; four is one too many.
    specs = [strength(MON), strength(WED), strength(FRI), strength(SUN)]
    result = outcome(check_s1, make_request(1), specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("S1", [day(MON), day(WED), day(FRI), day(SUN)])
    ]
    assert "at most 3" in result.violations[0].message


def test_s1_athletes_max_tightens_the_cap() -> None:
    request = make_request(1, athlete={"strength_sessions": {"min": 1, "max": 2}})
    result = outcome(check_s1, request, [strength(MON), strength(WED), strength(FRI)])
    assert [v.dates for v in result.violations] == [[day(MON), day(WED), day(FRI)]]


def test_s1_recovery_week_allows_two() -> None:
    request = make_request(4)
    week3 = [strength(21 + MON, 35), strength(21 + WED, 35), strength(21 + FRI, 35)]
    result = outcome(check_s1, request, [*standard_weeks(3), *week3], recovery=[3])
    assert [v.dates for v in result.violations] == [[day(21), day(23), day(25)]]
    result = outcome(check_s1, request, [*standard_weeks(3), *week3[:2]], recovery=[3])
    assert (result.violations, result.penalty) == ([], 0)
    # The athlete's minimum of 2 raises the recovery week's wish from 1 to 2.
    result = outcome(check_s1, request, [*standard_weeks(3), *week3[:1]], recovery=[3])
    assert (result.violations, result.penalty) == ([], 1)


def test_s1_wish_counts_missing_sessions(base_request: PlanRequest) -> None:
    # Week 1: one of a wished two; week 2: none.
    result = outcome(check_s1, base_request, [strength(WED)])
    assert (result.violations, result.penalty) == ([], 1 + 2)
    assert len(result.details) == 2


def test_s1_mini_circuits_are_not_strength_sessions() -> None:
    specs = [run(THU, "easy", 40), mini(THU), strength(WED), strength(FRI)]
    result = outcome(check_s1, make_request(1), specs)
    assert (result.violations, result.penalty) == ([], 0)


def race_and_transition(*, break_week: bool = False) -> PlanRequest:
    """A 10k A race in week 2 (its `race` week), then a `transition` week; with an
    athlete minimum of 0 both weeks wish for no strength."""
    exceptions = (
        [{"date": day(14 + i).isoformat(), "slot": "all"} for i in range(7)] if break_week else []
    )
    request = make_request(
        3,
        athlete={"strength_sessions": {"min": 0, "max": 3}},
        races=[{"date": day(7 + SUN).isoformat(), "distance": "10k", "priority": "A"}],
        availability={"exceptions": exceptions},
    )
    tl = Timeline(request)
    assert [w.phase for w in tl.weeks] == ["peak", "race", "transition"]
    assert [tl.strength_bounds(w, False)[0] for w in range(3)] == [1, 0, 0]
    return request


def test_s1_wish_no_two_weeks_in_a_row_without_strength() -> None:
    request = race_and_transition()
    week0 = [strength(WED, 40)]
    assert outcome(check_s1, request, [*week0, strength(7 + TUE, 20)]).penalty == 0
    result = outcome(check_s1, request, [*week0, race(7 + SUN, 52)])
    assert (result.violations, result.penalty) == ([], 1)


def test_s1_break_week_is_aside_from_the_two_week_wish() -> None:
    request = race_and_transition(break_week=True)
    assert outcome(check_s1, request, [strength(WED, 40)]).penalty == 0


# --- S2 -------------------------------------------------------------------------------


def test_s2_sessions_48_h_apart_pass(base_request: PlanRequest) -> None:
    # Wednesday 18:00 -> Friday 18:00 -> (next) Wednesday 18:00.
    assert outcome(check_s2, base_request, standard_weeks(2)).violations == []


def test_s2_sessions_37_h_apart_are_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_s2, base_request, [strength(MON), strength(WED, slot="am")])
    assert [(v.rule, v.dates) for v in result.violations] == [("S2", [day(MON), day(WED)])]
    assert "37 h" in result.violations[0].message


def test_s2_older_athletes_need_60_h() -> None:
    request = make_request(1, athlete={"age": 52})
    result = outcome(check_s2, request, [strength(WED), strength(FRI)])
    assert [v.dates for v in result.violations] == [[day(WED), day(FRI)]]
    # Monday 18:00 -> Thursday 07:00 is 61 h -> Sunday 07:00 is 72 h.
    ok = [strength(MON), strength(THU, slot="am"), strength(SUN, slot="am")]
    assert outcome(check_s2, request, ok).violations == []


def test_s2_gap_is_measured_from_slot_clock_times() -> None:
    # The Friday morning slot starts at 10:00: Wednesday 07:00 -> Friday 10:00 is 51 h.
    request = make_request(
        1,
        availability={"weekly": {"fri": {"am": {"minutes": 60, "time": "10:00"}}}},
        preferences={"min_strength_gap_hours": 50},
    )
    specs = [strength(WED, slot="am"), strength(FRI, slot="am")]
    assert outcome(check_s2, request, specs).violations == []
    specs = [strength(WED, slot="pm"), strength(FRI, slot="am")]
    assert [v.dates for v in outcome(check_s2, request, specs).violations] == [[day(2), day(4)]]


def test_s2_mini_circuits_do_not_count(base_request: PlanRequest) -> None:
    specs = [strength(WED), run(THU, "easy", 40), mini(THU), strength(FRI)]
    assert outcome(check_s2, base_request, specs).violations == []


# --- S3 -------------------------------------------------------------------------------


def test_s3_strength_away_from_hard_runs_passes(base_request: PlanRequest) -> None:
    assert outcome(check_s3, base_request, standard_weeks(2)).violations == []


def test_s3_strength_on_a_hard_run_day_is_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_s3, base_request, [run(TUE, "tempo", 40), strength(TUE)])
    assert [(v.rule, v.dates) for v in result.violations] == [("S3", [day(TUE)])]


def test_s3_strength_on_a_race_day_is_a_violation() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "5k", "priority": "C"}]
    )
    result = outcome(check_s3, request, [race(SAT, 25), strength(SAT)])
    assert [v.dates for v in result.violations] == [[day(SAT)]]


def test_s3_after_run_allows_strength_later_that_day() -> None:
    request = make_request(1, preferences={"strength_on_hard_days": "after_run"})
    assert outcome(check_s3, request, [run(TUE, "tempo", 40), strength(TUE)]).violations == []
    result = outcome(
        check_s3, request, [run(TUE, "tempo", 40, slot="pm"), strength(TUE, slot="am")]
    )
    assert [v.dates for v in result.violations] == [[day(TUE)]]
    assert "after the hard run" in result.violations[0].message


# --- S4 -------------------------------------------------------------------------------


def lunch_pm() -> PlanRequest:
    """Thursday's second slot starts at 12:00, five hours after the 07:00 slot."""
    return make_request(1, availability={"weekly": {"thu": {"pm": {"time": "12:00"}}}})


def test_s4_run_before_strength_passes() -> None:
    specs = [run(THU, "easy", 40), strength(THU)]
    assert outcome(check_s4, lunch_pm(), specs).violations == []


def test_s4_strength_before_a_run_less_than_6_h_later_is_a_violation() -> None:
    specs = [strength(THU, slot="am"), run(THU, "easy", 40, slot="pm")]
    result = outcome(check_s4, lunch_pm(), specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("S4", [day(THU)])]


def test_s4_morning_strength_and_evening_run_far_apart_pass(base_request: PlanRequest) -> None:
    specs = [strength(THU, slot="am"), run(THU, "easy", 40, slot="pm")]  # 07:00 and 18:00
    assert outcome(check_s4, base_request, specs).violations == []


# --- S5 -------------------------------------------------------------------------------


def test_s5_strength_away_from_key_eves_costs_nothing(base_request: PlanRequest) -> None:
    result = outcome(check_s5, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_s5_strength_the_day_before_a_key_run_is_penalised(base_request: PlanRequest) -> None:
    week = [s for s in standard_week(0) if s.kind != "strength"]
    specs = [*week, strength(MON), strength(SAT)]  # before the tempo and the long run
    result = outcome(check_s5, base_request, specs)
    assert (result.violations, result.penalty) == ([], 2)
    assert len(result.details) == 2


# --- S11 ------------------------------------------------------------------------------


def test_s11_session_length_within_the_phase_passes(base_request: PlanRequest) -> None:
    assert outcome(check_s11, base_request, standard_weeks(2)).violations == []


def test_s11_session_outside_the_phase_minutes_is_a_violation(
    base_request: PlanRequest,
) -> None:
    # Base sessions last 45-60 min.
    result = outcome(check_s11, base_request, [strength(WED, 40), strength(FRI, 60)])
    assert [(v.rule, v.dates) for v in result.violations] == [("S11", [day(WED)])]
    assert "45-60" in result.violations[0].message


def test_s11_recovery_week_uses_its_own_minutes() -> None:
    request = make_request(4)
    specs = [*standard_weeks(3), strength(21 + WED, 35), strength(21 + FRI, 45)]
    result = outcome(check_s11, request, specs, recovery=[3])
    assert [v.dates for v in result.violations] == [[day(21 + FRI)]]
    assert "30-40" in result.violations[0].message


def test_s11_session_must_fit_the_slot() -> None:
    request = make_request(1, availability={"weekly": {"wed": {"pm": {"minutes": 50}}}})
    result = outcome(check_s11, request, [strength(WED, 55)])
    assert [v.dates for v in result.violations] == [[day(WED)]]


def test_s11_mini_circuit_lasts_at_most_20_min(base_request: PlanRequest) -> None:
    assert outcome(check_s11, base_request, [mini(THU, 20)]).violations == []
    result = outcome(check_s11, base_request, [mini(THU, 25)])
    assert [v.dates for v in result.violations] == [[day(THU)]]
