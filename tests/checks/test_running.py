"""R1-R4, R6, R10, R12-R14: the running rules."""

from __future__ import annotations

import pytest

from solver.checks.running import (
    check_r1,
    check_r2,
    check_r3,
    check_r4,
    check_r6,
    check_r10,
    check_r12,
    check_r13,
    check_r14,
)
from solver.schemas import PlanRequest

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
    outcome,
    race,
    request_data,
    run,
    standard_week,
    standard_weeks,
    strength,
)

# --- R1 -------------------------------------------------------------------------------


def test_r1_one_long_run_a_week_passes(base_request: PlanRequest) -> None:
    result = outcome(check_r1, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_r1_week_without_long_run_is_a_violation(base_request: PlanRequest) -> None:
    specs = [s for s in standard_weeks(2) if s.day != 7 + SUN]
    result = outcome(check_r1, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("R1", [day(7)])]


def test_r1_two_long_runs_are_a_violation() -> None:
    specs = [*standard_week(0), run(MON, "long", 60)]
    result = outcome(check_r1, make_request(1), specs)
    assert [v.dates for v in result.violations] == [[day(MON), day(SUN)]]


def test_r1_long_run_below_the_floor_is_a_violation() -> None:
    # Floor = min(30, 1.1 x 60) = 30 min.
    request = make_request(1)
    specs = [run(TUE, "easy", 20), run(SUN, "long", 29)]
    result = outcome(check_r1, request, specs)
    assert [v.dates for v in result.violations] == [[day(SUN)]]
    assert "at least 30 min" in result.violations[0].message


def test_r1_floor_follows_a_short_recent_long_run() -> None:
    # longest_recent 20 -> the floor is 22 min, so a 22-min long run is enough.
    request = make_request(1, athlete={"longest_recent_run_minutes": 20})
    assert outcome(check_r1, request, [run(SUN, "long", 22)]).violations == []
    result = outcome(check_r1, request, [run(SUN, "long", 21)])
    assert [v.dates for v in result.violations] == [[day(SUN)]]


def test_r1_long_run_must_be_125_percent_of_other_runs() -> None:
    # 4 x 50 = 200 >= 5 x 40 passes; 4 x 49 = 196 < 200 does not.
    request = make_request(1)
    specs = [run(TUE, "easy", 40), run(SUN, "long", 50)]
    assert outcome(check_r1, request, specs).violations == []
    specs = [run(TUE, "easy", 40), run(THU, "easy", 30), run(SUN, "long", 49)]
    result = outcome(check_r1, request, specs)
    assert [v.dates for v in result.violations] == [[day(TUE), day(SUN)]]


def test_r1_races_are_aside_from_the_ratio() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "half", "priority": "C"}]
    )
    assert outcome(check_r1, request, [race(SAT, 115), run(SUN, "long", 40)]).violations == []


def test_r1_no_long_run_in_race_and_transition_weeks() -> None:
    request = make_request(
        2, races=[{"date": day(SUN).isoformat(), "distance": "10k", "priority": "A"}]
    )
    assert outcome(check_r1, request, [race(SUN, 52), run(7 + WED, "easy", 30)]).violations == []
    result = outcome(check_r1, request, [run(WED, "long", 60), race(SUN, 52)])
    assert [v.dates for v in result.violations] == [[day(WED)]]
    result = outcome(check_r1, request, [race(SUN, 52), run(7 + SUN, "long", 60)])
    assert [v.dates for v in result.violations] == [[day(7 + SUN)]]


def test_r1_no_long_run_when_no_slot_can_hold_one() -> None:
    data = request_data(1)
    data["availability"]["weekly"] = {name: {"am": {"minutes": 25}} for name in ("tue", "sun")}
    request = PlanRequest.model_validate(data)
    assert outcome(check_r1, request, [run(TUE, "easy", 25)]).violations == []
    result = outcome(check_r1, request, [run(SUN, "long", 25)])
    assert [v.dates for v in result.violations] == [[day(SUN)]]


def test_r1_no_long_run_in_a_break_week() -> None:
    request = make_request(
        2,
        availability={
            "exceptions": [{"date": day(7 + i).isoformat(), "slot": "all"} for i in range(7)]
        },
    )
    assert outcome(check_r1, request, standard_week(0)).violations == []


def test_r1_long_run_day_wish_counts_weeks_off_the_day() -> None:
    on_sunday = make_request(2, athlete={"long_run_day": "sun"})
    assert outcome(check_r1, on_sunday, standard_weeks(2)).penalty == 0
    on_saturday = make_request(2, athlete={"long_run_day": "sat"})
    result = outcome(check_r1, on_saturday, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 2)
    assert len(result.details) == 2


# --- R2 -------------------------------------------------------------------------------


def test_r2_key_runs_apart_pass(base_request: PlanRequest) -> None:
    assert outcome(check_r2, base_request, standard_weeks(2)).violations == []


def test_r2_key_runs_on_consecutive_days_are_a_violation(base_request: PlanRequest) -> None:
    specs = [run(SAT, "tempo", 40), run(SUN, "long", 60), run(7 + MON, "hills", 40)]
    result = outcome(check_r2, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("R2", [day(SAT), day(SUN)]),
        ("R2", [day(SUN), day(7 + MON)]),
    ]


def test_r2_two_key_runs_on_one_day_are_a_violation() -> None:
    request = make_request(1, athlete={"level": "advanced"}, preferences={"allow_doubles": True})
    specs = [run(TUE, "tempo", 40), run(TUE, "intervals", 40, slot="pm")]
    result = outcome(check_r2, request, specs)
    assert [v.dates for v in result.violations] == [[day(TUE)]]


# --- R3 -------------------------------------------------------------------------------


def test_r3_two_hard_runs_pass(base_request: PlanRequest) -> None:
    specs = [run(TUE, "tempo", 40), run(THU, "intervals", 40), run(SUN, "long", 60)]
    assert outcome(check_r3, base_request, specs).violations == []


def test_r3_three_hard_runs_are_a_violation(base_request: PlanRequest) -> None:
    specs = [run(MON, "hills", 40), run(WED, "tempo", 40), run(FRI, "intervals", 40)]
    result = outcome(check_r3, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("R3", [day(MON), day(WED), day(FRI)])
    ]
    assert "at most 2" in result.violations[0].message


def test_r3_recovery_week_allows_one_hard_run() -> None:
    request = make_request(5)
    specs = [run(21 + TUE, "tempo", 40), run(21 + THU, "hills", 40)]
    assert outcome(check_r3, request, specs).violations == []
    result = outcome(check_r3, request, specs, recovery=[3])
    assert [v.dates for v in result.violations] == [[day(21 + TUE), day(21 + THU)]]


def test_r3_beginner_gets_one_hard_run_and_no_intervals() -> None:
    request = make_request(1, athlete={"level": "beginner"})
    assert outcome(check_r3, request, [run(TUE, "hills", 35)]).violations == []
    result = outcome(check_r3, request, [run(TUE, "intervals", 35)])
    assert [v.dates for v in result.violations] == [[day(TUE)]]
    assert "beginner" in result.violations[0].message
    result = outcome(check_r3, request, [run(TUE, "tempo", 35), run(THU, "hills", 35)])
    assert [v.dates for v in result.violations] == [[day(TUE), day(THU)]]


def test_r3_a_week_may_always_hold_its_races() -> None:
    request = make_request(
        1,
        athlete={"level": "beginner"},
        races=[
            {"date": day(WED).isoformat(), "distance": "5k", "priority": "C"},
            {"date": day(SUN).isoformat(), "distance": "10k", "priority": "B"},
        ],
    )
    assert outcome(check_r3, request, [race(WED, 30), race(SUN, 60)]).violations == []
    result = outcome(check_r3, request, [race(WED, 30), race(SUN, 60), run(FRI, "tempo", 30)])
    assert [v.dates for v in result.violations] == [[day(WED), day(FRI), day(SUN)]]


# --- R4 -------------------------------------------------------------------------------


def test_r4_recovery_run_after_the_long_run_passes(base_request: PlanRequest) -> None:
    specs = [*standard_week(0), run(7 + MON, "recovery", 30)]
    assert outcome(check_r4, base_request, specs).violations == []


def test_r4_easy_run_or_strength_after_the_long_run_is_a_violation(
    base_request: PlanRequest,
) -> None:
    specs = [*standard_week(0), run(7 + MON, "easy", 30), strength(7 + MON)]
    result = outcome(check_r4, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("R4", [day(SUN), day(7 + MON)]),
        ("R4", [day(SUN), day(7 + MON)]),
    ]


def test_r4_day_after_a_race_is_recovery_only() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "5k", "priority": "C"}]
    )
    assert outcome(check_r4, request, [race(SAT, 25), run(SUN, "recovery", 30)]).violations == []
    result = outcome(check_r4, request, [race(SAT, 25), run(SUN, "long", 60)])
    assert [v.dates for v in result.violations] == [[day(SAT), day(SUN)]]


# --- R6 -------------------------------------------------------------------------------


def test_r6_long_run_share_within_the_cap_passes(base_request: PlanRequest) -> None:
    # 4 runs: the long run may be 40 % of 190 = 76 min.
    specs = [
        run(TUE, "tempo", 40),
        run(THU, "easy", 44),
        run(SAT, "easy", 30),
        run(SUN, "long", 76),
    ]
    assert outcome(check_r6, base_request, specs).violations == []


def test_r6_long_run_share_above_the_cap_is_a_violation(base_request: PlanRequest) -> None:
    specs = [
        run(TUE, "tempo", 40),
        run(THU, "easy", 43),
        run(SAT, "easy", 30),
        run(SUN, "long", 77),
    ]
    result = outcome(check_r6, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("R6", [day(SUN)])]
    assert "40 %" in result.violations[0].message


@pytest.mark.parametrize(("others", "share"), [(1, 60), (2, 50), (5, 35)])
def test_r6_share_follows_the_run_count(base_request: PlanRequest, others: int, share: int) -> None:
    easy = [run(i, "easy", 30) for i in range(others)]
    # long = share % of total exactly: long = share * 30n / (100 - share)
    long = share * 30 * others // (100 - share)
    assert 100 * long <= share * (long + 30 * others)
    assert outcome(check_r6, base_request, [*easy, run(SUN, "long", long)]).violations == []
    result = outcome(check_r6, base_request, [*easy, run(SUN, "long", long + 1)])
    assert [v.dates for v in result.violations] == [[day(SUN)]]


def test_r6_long_run_cap_of_180_min() -> None:
    request = make_request(1, availability={"weekly": {"sun": {"am": {"minutes": 240}}}})
    assert outcome(check_r6, request, [run(SUN, "long", 180)]).violations == []
    result = outcome(check_r6, request, [run(SUN, "long", 185)])
    assert [v.dates for v in result.violations] == [[day(SUN)]]
    assert "180 min" in result.violations[0].message


# --- R10 ------------------------------------------------------------------------------


def test_r10_runs_within_the_range_pass(base_request: PlanRequest) -> None:
    result = outcome(check_r10, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_r10_more_runs_than_the_max_is_a_violation(base_request: PlanRequest) -> None:
    specs = [*standard_week(0), run(MON, "easy", 30)]
    result = outcome(check_r10, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("R10", [day(i) for i in (MON, TUE, WED, THU, SAT, SUN)])
    ]


def test_r10_wish_counts_missing_runs(base_request: PlanRequest) -> None:
    # Week 1: 3 runs of a wished 4; week 2: none.
    specs = [run(TUE, "tempo", 40), run(THU, "easy", 40), run(SUN, "long", 60)]
    result = outcome(check_r10, base_request, specs)
    assert (result.violations, result.penalty) == ([], 1 + 4)


def test_r10_wish_is_pro_rata_in_a_partial_week() -> None:
    # 10 days: the second week has 3 days, so the wish is 4 x 3 // 7 = 1 run.
    request = make_request(1, end_date=day(9).isoformat())
    week = [run(TUE, "tempo", 40), run(THU, "easy", 40), run(SAT, "easy", 30), run(SUN, "long", 60)]
    assert outcome(check_r10, request, [*week, run(8, "easy", 30)]).penalty == 0
    assert outcome(check_r10, request, week).penalty == 1


def test_r10_no_wish_in_a_break_week() -> None:
    request = make_request(
        2,
        availability={
            "exceptions": [{"date": day(7 + i).isoformat(), "slot": "all"} for i in range(7)]
        },
    )
    assert outcome(check_r10, request, standard_week(0)).penalty == 0


# --- R12 ------------------------------------------------------------------------------


def test_r12_hard_run_in_size_passes(base_request: PlanRequest) -> None:
    # 205 min in the week: a tempo's quality part may be 20 min (10 %).
    specs = [*standard_week(0)]
    result = outcome(check_r12, base_request, specs)
    assert result.violations == []


@pytest.mark.parametrize("minutes", [29, 76])
def test_r12_hard_run_duration_outside_30_75_is_a_violation(
    base_request: PlanRequest, minutes: int
) -> None:
    specs = [run(TUE, "hills", minutes, quality=5), run(SUN, "long", 90)]
    result = outcome(check_r12, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("R12", [day(TUE)])]


def test_r12_quality_part_within_daniels_caps(base_request: PlanRequest) -> None:
    # Week of 45 + 35 + 40 + 30 + 60 = 210 min: tempo <= 21, intervals <= 16.8 min.
    week = [s for s in standard_week(0) if s.run_type != "tempo"]
    ok = [run(TUE, "tempo", 45, quality=21), *week]
    assert outcome(check_r12, base_request, ok).violations == []
    ok = [run(TUE, "intervals", 45, quality=16), *week]
    assert outcome(check_r12, base_request, ok).violations == []
    for bad in (run(TUE, "tempo", 45, quality=22), run(TUE, "intervals", 45, quality=17)):
        result = outcome(check_r12, base_request, [bad, *week])
        assert [v.dates for v in result.violations] == [[day(TUE)]]
        assert "more than" in result.violations[0].message


def test_r12_quality_part_leaves_room_to_warm_up(base_request: PlanRequest) -> None:
    specs = [run(TUE, "tempo", 35, quality=16), run(SUN, "long", 200)]
    result = outcome(check_r12, base_request, specs)
    assert [v.dates for v in result.violations] == [[day(TUE)]]
    assert "warm-up" in result.violations[0].message


def test_r12_quality_part_must_be_reported(base_request: PlanRequest) -> None:
    specs = [*standard_week(0)]
    plan_specs = [s if s.run_type != "tempo" else run(TUE, "tempo", 40, quality=-1) for s in specs]
    result = outcome(check_r12, base_request, plan_specs)
    assert [v.dates for v in result.violations] == [[day(TUE)]]


def test_r12_missing_quality_is_a_violation(base_request: PlanRequest) -> None:
    from solver.timeline import Timeline

    from .builders import build_plan, check_plan

    tl = Timeline(base_request)
    plan = build_plan(tl, standard_week(0))
    sessions = [
        s.model_copy(update={"quality_minutes": None}) if s.run_type == "tempo" else s
        for s in plan.sessions
    ]
    result = check_plan(check_r12, base_request, plan.model_copy(update={"sessions": sessions}))
    assert [v.dates for v in result.violations] == [[day(TUE)]]
    assert "quality" in result.violations[0].message


def test_r12_races_are_exempt() -> None:
    request = make_request(
        1, races=[{"date": day(SUN).isoformat(), "distance": "half", "priority": "B"}]
    )
    assert outcome(check_r12, request, [race(SUN, 115)]).violations == []


# --- R13 ------------------------------------------------------------------------------

RETURNING = {"injuries": [{"kind": "achilles_tendinopathy", "status": "returning"}]}


def test_r13_easy_running_while_returning_passes() -> None:
    request = make_request(2, athlete=RETURNING)
    specs = [run(TUE, "easy", 30), run(THU, "easy", 30), run(SUN, "long", 60)]
    assert outcome(check_r13, request, specs).violations == []


def test_r13_hard_or_longer_runs_while_returning_are_violations() -> None:
    request = make_request(2, athlete=RETURNING)
    specs = [run(TUE, "tempo", 40), run(SUN, "long", 60), run(7 + SUN, "long", 61)]
    result = outcome(check_r13, request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [
        ("R13", [day(TUE)]),
        ("R13", [day(7 + SUN)]),
    ]


def test_r13_applies_only_in_return_weeks() -> None:
    request = make_request(3, athlete=RETURNING, preferences={"return_weeks": 2})
    specs = [run(14 + TUE, "tempo", 40), run(14 + SUN, "long", 66)]
    assert outcome(check_r13, request, specs).violations == []


# --- R14 ------------------------------------------------------------------------------


def test_r14_one_run_a_day_passes(base_request: PlanRequest) -> None:
    assert outcome(check_r14, base_request, standard_weeks(2)).violations == []


def test_r14_two_runs_a_day_are_a_violation(base_request: PlanRequest) -> None:
    specs = [run(THU, "easy", 40), run(THU, "easy", 30, slot="pm")]
    result = outcome(check_r14, base_request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("R14", [day(THU)])]


def test_r14_and_r10_a_day_and_week_may_hold_their_races() -> None:
    request = make_request(
        1,
        athlete={"run_days": {"min": 1, "max": 1}},
        races=[
            {"date": day(SUN).isoformat(), "distance": "5k", "priority": "C", "slot": "am"},
            {"date": day(SUN).isoformat(), "distance": "5k", "priority": "C", "slot": "pm"},
        ],
    )
    specs = [race(SUN, 25), race(SUN, 25, slot="pm")]
    assert outcome(check_r14, request, specs).violations == []
    assert outcome(check_r10, request, specs).violations == []
    result = outcome(check_r10, request, [*specs, run(TUE, "easy", 30)])
    assert [v.dates for v in result.violations] == [[day(TUE), day(SUN)]]


def test_r14_doubles_allowed_for_advanced_athletes() -> None:
    request = make_request(1, athlete={"level": "advanced"}, preferences={"allow_doubles": True})
    specs = [run(THU, "easy", 40), run(THU, "easy", 30, slot="pm")]
    assert outcome(check_r14, request, specs).violations == []
