"""T1-T3: horizon, slots and one thing per slot."""

from __future__ import annotations

from solver.checks.time import check_t1, check_t2, check_t3
from solver.schemas import PlanRequest
from solver.timeline import Timeline

from .builders import (
    SUN,
    THU,
    TUE,
    WED,
    build_plan,
    check_plan,
    day,
    make_request,
    mini,
    outcome,
    race,
    run,
    standard_weeks,
    strength,
)


def test_t1_plan_inside_the_horizon_passes(base_request: PlanRequest) -> None:
    assert outcome(check_t1, base_request, standard_weeks(2)).violations == []


def test_t1_session_after_the_last_day_is_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_t1, base_request, [*standard_weeks(2), run(14, "easy", 30)])
    assert [(v.rule, v.dates) for v in result.violations] == [("T1", [day(14)])]
    assert result.penalty == 0


def test_t1_plan_dates_must_be_the_requests(
    base_request: PlanRequest, base_timeline: Timeline
) -> None:
    plan = build_plan(base_timeline, standard_weeks(2))
    short = plan.model_copy(update={"end_date": day(12)})
    result = check_plan(check_t1, base_request, short)
    assert [(v.rule, v.dates) for v in result.violations] == [("T1", [day(0), day(12)])]


def test_t2_sessions_in_their_slots_pass(base_request: PlanRequest) -> None:
    assert outcome(check_t2, base_request, standard_weeks(2)).violations == []


def test_t2_unavailable_slot_is_a_violation() -> None:
    request = make_request(1, availability={"weekly": {"thu": {"pm": None}}})
    result = outcome(check_t2, request, [strength(THU)])
    assert [(v.rule, v.dates) for v in result.violations] == [("T2", [day(THU)])]
    assert "not available" in result.violations[0].message


def test_t2_blocked_date_removes_the_slot() -> None:
    request = make_request(
        1, availability={"exceptions": [{"date": day(WED).isoformat(), "slot": "all"}]}
    )
    result = outcome(check_t2, request, [run(WED, "easy", 40), run(THU, "easy", 40)])
    assert [v.dates for v in result.violations] == [[day(WED)]]


def test_t2_session_longer_than_the_slot_is_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_t2, base_request, [run(TUE, "easy", 91), run(THU, "easy", 90)])
    assert [v.dates for v in result.violations] == [[day(TUE)]]
    assert "90 min" in result.violations[0].message


def test_t2_race_may_exceed_the_slot() -> None:
    request = make_request(
        1,
        availability={"weekly": {"sun": {"am": {"minutes": 45}}}},
        races=[{"date": day(SUN).isoformat(), "distance": "10k", "priority": "B"}],
    )
    assert outcome(check_t2, request, [race(SUN, 52)]).violations == []


def test_t2_wrong_location_and_start_are_violations(
    base_request: PlanRequest, base_timeline: Timeline
) -> None:
    plan = build_plan(base_timeline, [strength(WED), strength(SUN + 7)])
    moved = plan.sessions[0].model_copy(update={"location": "home"})
    late = plan.sessions[1].model_copy(update={"start": f"{day(SUN + 7)}T19:00"})
    result = check_plan(check_t2, base_request, plan.model_copy(update={"sessions": [moved, late]}))
    assert [v.dates for v in result.violations] == [[day(WED)], [day(SUN + 7)]]
    assert "'home'" in result.violations[0].message
    assert "18:00" in result.violations[1].message


def test_t3_one_session_per_slot_passes(base_request: PlanRequest) -> None:
    assert outcome(check_t3, base_request, standard_weeks(2)).violations == []


def test_t3_mini_circuit_may_follow_an_easy_run(base_request: PlanRequest) -> None:
    specs = [run(THU, "easy", 70), mini(THU, 20)]
    assert outcome(check_t3, base_request, specs).violations == []


def test_t3_two_runs_in_one_slot_are_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_t3, base_request, [run(THU, "easy", 40), run(THU, "easy", 30)])
    assert [(v.rule, v.dates) for v in result.violations] == [("T3", [day(THU)])]


def test_t3_mini_circuit_after_a_hard_run_is_a_violation(base_request: PlanRequest) -> None:
    result = outcome(check_t3, base_request, [run(TUE, "tempo", 40), mini(TUE, 15)])
    assert [v.dates for v in result.violations] == [[day(TUE)]]


def test_t3_mini_circuit_must_fit_with_the_run(base_request: PlanRequest) -> None:
    result = outcome(check_t3, base_request, [run(THU, "easy", 75), mini(THU, 20)])
    assert [v.dates for v in result.violations] == [[day(THU)]]


def test_t3_long_mini_circuit_cannot_share_a_slot(base_request: PlanRequest) -> None:
    result = outcome(check_t3, base_request, [run(THU, "easy", 40), mini(THU, 25)])
    assert [v.dates for v in result.violations] == [[day(THU)]]
