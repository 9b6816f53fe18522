"""The backbone property: for any valid request the solver returns a plan the validator
accepts, with a penalty breakdown equal to the objective, or a non-feasible status with an
explanation, and never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, note

from solver import solve, validate
from solver.schemas import PlanRequest
from tests.strategies import plan_requests


@given(plan_requests(max_weeks=8, time_limit_s=4.0))
def test_any_request_gets_a_valid_plan_or_a_status(plan_request: PlanRequest) -> None:
    request = plan_request
    note(request.model_dump_json())
    result = solve(request)
    assert result.status in ("optimal", "feasible", "infeasible", "unknown")
    if result.plan is None:
        assert result.status in ("infeasible", "unknown")
        if result.status == "infeasible":
            assert result.conflicts and result.conflicts[0].message
        return
    report = validate(request, result)
    assert report.violations == [], [v.message for v in report.violations]
    solver_side = {p.rule: (p.value, p.detail) for p in result.penalties}
    check_side = {p.rule: (p.value, p.detail) for p in report.penalties}
    differing = {
        rule: (solver_side.get(rule), check_side.get(rule))
        for rule in set(solver_side) | set(check_side)
        if solver_side.get(rule, (0,))[0] != check_side.get(rule, (0,))[0]
    }
    assert report.objective_matches, (report.objective, result.objective, differing)
    assert sum(p.value for p in result.penalties) == pytest.approx(result.objective)
    assert {p.rule: p.value for p in report.penalties} == pytest.approx(
        {p.rule: p.value for p in result.penalties}
    )
    if request.options.strict_preferences:
        assert result.unmet_wishes == []
