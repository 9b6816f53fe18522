"""Regressions found while making every rule bite (tests/rules/test_bites.py).

Each test is the smallest request that showed an encoding and its check disagreeing, or a
valid request the model could not plan.
"""

from __future__ import annotations

import pytest

from solver.schemas import PlanRequest

from .conftest import (
    athlete,
    blocked,
    check_rule,
    day,
    every_day,
    make_request,
    race,
    slot,
    solve_and_validate,
    solve_rules,
    week,
    without,
)

SAT, SUN = 5, 6
GYM_EVENINGS = {"tue": slot(60, "18:00", "gym"), "thu": slot(60, "18:00", "gym")}


def usual_week() -> dict[str, dict[str, object]]:
    return week(am=every_day(60, sun=120), pm=GYM_EVENINGS)


def test_r16_no_shortfall_in_a_week_without_room_for_a_long_run() -> None:
    """A travel week of 25-min mornings holds no long run (R1), so R16 has nothing to fall
    short in that week. The encoding used to charge the whole long-run target there, and
    the solver's objective disagreed with the validator's."""
    request = make_request(
        2, usual_week(), exceptions=[blocked(d, minutes=25) for d in range(7, 14)]
    )
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []
    assert report.objective_matches is True
    r16 = next((p for p in result.penalties if p.rule == "R16"), None)
    assert r16 is None or "week 2" not in r16.detail


@pytest.mark.parametrize("longest", [20, 25, 29])
def test_r1_floor_in_return_weeks_is_the_r13_cap(longest: int) -> None:
    """A runner returning from injury whose longest recent run is under 30 min: R13 caps
    every run at that length, so R1's floor must too (RULES.md R1: "or the R11/R13 cap, if
    lower"). With the R11 cap as the floor the model was infeasible."""
    request = make_request(
        2,
        usual_week(),
        runner=athlete(
            current_weekly_minutes=90,
            longest_recent_run_minutes=longest,
            injuries=[{"kind": "achilles_tendinopathy", "status": "returning"}],
        ),
        preferences={"return_weeks": 2},
    )
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []
    assert result.plan is not None
    longs = [s.minutes for s in result.plan.sessions if s.run_type == "long"]
    assert longs and all(m == longest for m in longs)


@pytest.mark.parametrize("priority", ["B", "C"])
def test_no_long_run_where_only_race_days_have_room(priority: str) -> None:
    """Weekday mornings of 25 min, long runs only at the weekend, and a Saturday race:
    a long run on Friday, Saturday or Sunday would sit on or beside the race (R2), so the
    week has no room for one. R1 used to demand it and the model was infeasible."""
    request = make_request(
        2, week(am=every_day(25, sat=90, sun=90)), races=[race(SAT, "10k", priority)]
    )
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []
    assert result.plan is not None
    first_week = [s for s in result.plan.sessions if s.date < day(7)]
    assert not any(s.run_type == "long" for s in first_week)
    assert any(s.run_type == "long" for s in result.plan.sessions if s.date >= day(7))


def test_the_long_run_resumes_after_a_month_of_short_runs() -> None:
    """Five weeks of 25-min mornings, then room for a long run: R11 now caps a run at
    110 % of 25 min, below R1's 29-min floor. RULES.md R1 asks for the floor "or the R11
    cap, if lower"; with the floor alone the model was infeasible."""
    roomy = [{"date": day(d).isoformat(), "slot": "am", "minutes": 90} for d in range(35, 42)]
    request = make_request(
        6,
        week(am=every_day(25)),
        runner=athlete(
            level="beginner",
            current_weekly_minutes=90,
            longest_recent_run_minutes=27,
            run_days={"min": 3, "max": 4},
            strength_sessions={"min": 0, "max": 0},
        ),
        exceptions=roomy,
    )
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []
    assert result.plan is not None
    longs = [s.minutes for s in result.plan.sessions if s.run_type == "long"]
    assert longs == [27]  # 110 % of the 25-min runs before it, rounded down


def race_weekend(*extra: dict[str, object]) -> PlanRequest:
    """A Saturday 5k (C) and a Sunday 10k (B): a race weekend the athlete entered."""
    return make_request(
        1,
        week(am=every_day(60, sun=120), pm={**GYM_EVENINGS, "sat": slot(60, "18:00")}),
        races=[race(SAT, "5k", "C"), race(SUN, "10k", "B"), *extra],
    )


def test_races_on_consecutive_days_stand() -> None:
    """Two entered races on consecutive days broke R2 (two key days in a row), R4 (a race
    the day after a race) and P3 (a race as the day-before "shake-out"): the model was
    infeasible and the checks rejected every plan. Entered races stand (docs/rules.md)."""
    request = race_weekend()
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []


def test_two_races_on_one_day_stand() -> None:
    """A 5k in the morning and a 10k in the evening of the same Saturday (R14 already let
    a day hold its races; R2 did not)."""
    request = make_request(
        1,
        week(am=every_day(60, sun=120), pm={**GYM_EVENINGS, "sat": slot(60, "18:00")}),
        races=[race(SAT, "5k", "C"), race(SAT, "10k", "C", slot="pm")],
    )
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert report.violations == []


def test_a_planned_key_run_beside_a_race_weekend_still_breaks_r2() -> None:
    """The exemption covers races against races only: a tempo run the day before the
    weekend (Friday) is two key days in a row."""
    request = race_weekend()
    result, _ = solve_and_validate(request)
    assert result.plan is not None
    friday = day(SAT - 1)
    plan = result.plan.model_copy(deep=True)
    runs = [s for s in plan.sessions if s.date == friday and s.kind == "run"]
    if runs:
        runs[0].run_type = "tempo"
        runs[0].minutes = 30
    else:
        template = next(s for s in plan.sessions if s.kind == "run")
        plan.sessions.append(
            template.model_copy(
                update={
                    "date": friday,
                    "start": f"{friday}T07:00",
                    "run_type": "tempo",
                    "minutes": 30,
                    "slot": "am",
                    "id": "friday-tempo",
                }
            )
        )
    assert check_rule("R2", request, plan).violations
    assert not check_rule("R2", request, result.plan).violations


@pytest.mark.parametrize("strict", [False, True])
def test_a_runner_who_does_no_strength_wishes_for_none(strict: bool) -> None:
    """An athlete whose strength range is 0-0: S1's "never zero two weeks in a row" wish
    used to fight the athlete's own hard cap of 0, listing an unmet wish every week (and
    making the calendar infeasible with strict_preferences)."""
    request = make_request(
        3, week(am=every_day(60, sun=120)), runner=athlete(strength_sessions={"min": 0, "max": 0})
    )
    request.options.strict_preferences = strict
    result, report = solve_and_validate(request)
    assert result.status == "optimal"
    assert [w for w in result.unmet_wishes if w.rule == "S1"] == []
    assert report.violations == []
    assert report.objective_matches is True
    assert "S1" not in {p.rule for p in report.penalties}


def test_a_beginner_on_15_minute_runs_gets_a_plan() -> None:
    request = make_request(
        2,
        usual_week(),
        runner=athlete(
            level="beginner",
            current_weekly_minutes=45,
            longest_recent_run_minutes=15,
            run_days={"min": 3, "max": 3},
        ),
    )
    result, _ = solve_and_validate(request)
    assert result.status in ("optimal", "feasible")


def test_extraction_shows_a_t3_break() -> None:
    """Without T3 the model puts a strength session behind a run in the same slot; the
    extracted plan should show both, so that the T3 check can see the break."""
    request = make_request(
        1, week(am={d: slot(90, "07:00", "gym") for d in ("tue", "thu", "sat", "sun")})
    )
    every = solve_rules(request, without("T3"), every_session=True)
    assert check_rule("T3", request, every.plan).violations  # the model does break T3
    extracted = solve_rules(request, without("T3"))
    assert check_rule("T3", request, extracted.plan).violations


def test_a_week_with_only_a_race_to_run_is_a_break_week() -> None:
    """A week away (illness, travel) around a parkrun entered long before: its only slot
    holds the race. It counted as a loading week of 0 training minutes, so R5 held every
    week after it to 0 and R1 could not have its long run there: no plan at all. As a
    break week, R5 measures the next week against the last loading week before it."""
    away = [blocked(14 + d) for d in range(7) if d != SAT]
    request = make_request(
        5,
        usual_week(),
        races=[race(14 + SAT, "5k", "C", slot="am")],
        exceptions=[*away, blocked(14 + SAT, "pm")],
    )
    result, report = solve_and_validate(request)
    assert result.status in ("optimal", "feasible"), result.conflicts
    assert report.violations == []
    assert result.plan is not None
    assert result.plan.weeks[3].run_minutes > 0
