"""Coaches need the same input to give the same plan: a fixed seed, one worker and a
deterministic-time limit reproduce the plan exactly (DESIGN.md, Determinism)."""

from __future__ import annotations

from solver import solve
from solver.schemas import PlanRequest


def test_same_request_same_plan(request_10k: PlanRequest) -> None:
    request = request_10k.model_copy(deep=True)
    request.options.num_workers = 1
    request.options.random_seed = 7
    request.options.deterministic_time = 3.0
    request.options.time_limit_s = 120
    first = solve(request)
    second = solve(request)
    assert first.status in ("optimal", "feasible")
    assert first.plan is not None and second.plan is not None
    assert first.plan.model_dump() == second.plan.model_dump()
    assert first.objective == second.objective
