"""PREF: strength on the preferred weekdays, nothing on rest days."""

from __future__ import annotations

from solver.checks.preferences import check_pref
from solver.schemas import PlanRequest

from .builders import (
    MON,
    SAT,
    SUN,
    THU,
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


def test_pref_without_preferences_costs_nothing(base_request: PlanRequest) -> None:
    result = outcome(check_pref, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_pref_strength_on_preferred_days_costs_nothing() -> None:
    request = make_request(2, preferences={"preferred_strength_days": ["wed", "fri"]})
    assert outcome(check_pref, request, standard_weeks(2)).penalty == 0


def test_pref_strength_off_the_preferred_days_is_penalised() -> None:
    request = make_request(1, preferences={"preferred_strength_days": ["wed", "fri"]})
    specs = [run(THU, "easy", 40), strength(THU), mini(THU, 15)]
    result = outcome(check_pref, request, specs)
    assert (result.violations, result.penalty) == ([], 1)  # mini-circuits do not count
    assert "Thu" in result.details[0]


def test_pref_any_session_on_a_rest_day_is_penalised() -> None:
    request = make_request(
        2, preferences={"rest_days": ["mon"], "preferred_strength_days": ["wed", "fri"]}
    )
    specs = [*standard_week(0), run(7 + MON, "recovery", 30), strength(7 + MON)]
    result = outcome(check_pref, request, specs)
    # The run: 1; the strength session: 1 for the rest day + 1 off the preferred days.
    assert (result.violations, result.penalty) == ([], 3)


def test_pref_a_race_on_a_rest_day_is_not_penalised() -> None:
    # The athlete entered the race; the plan cannot move it.
    request = make_request(
        1,
        preferences={"rest_days": ["sat", "sun"]},
        races=[{"date": day(SAT).isoformat(), "distance": "5k", "priority": "C"}],
    )
    assert outcome(check_pref, request, [race(SAT, 25), run(SUN, "recovery", 30)]).penalty == 1
