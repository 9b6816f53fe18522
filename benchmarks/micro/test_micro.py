"""pytest-benchmark micro-benchmarks: model building, plan extraction, validation, template.

Outside tests/ so the default run skips them. Run:

    python -m pytest benchmarks/micro -p no:cacheprovider --benchmark-columns=min,median,max

Each benchmark also asserts what it measured is right (a model of the expected size, a plan
with one session per chosen slot, 0 violations), so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.paths import INSTANCES_DIR
from benchmarks.template import template_plan
from solver.content_extract import fill_exercises
from solver.extract import extract_plan
from solver.model import BuiltModel, build_model
from solver.schemas import Plan, PlanRequest
from solver.timeline import Timeline
from solver.validate import validate
from solver.warm_start import WARM_START_FROM_WEEKS, apply_hint, rolling_hint

# A 16-week reference, a 52-week season and the 104-week maximum horizon.
BUILD_CASES = ("reference-10k-16w", "long-marathon-52w", "long-two-marathons-104w")
EXTRACT_CASES = ("reference-10k-16w", "long-marathon-52w")
FIRST_PLAN_LIMIT_S = 60.0
PLAN_GAP_LIMIT = 0.2


def load(name: str) -> PlanRequest:
    path: Path = INSTANCES_DIR / f"{name}.json"
    return PlanRequest.model_validate_json(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", BUILD_CASES)
def test_build_model(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    built: BuiltModel = benchmark(build_model, request)
    size = built.size()
    assert size["variables"] > 0
    assert len(built.vars.recovery) <= built.timeline.num_weeks


class Solved:
    """A model with a first plan found, so extraction can be timed on its own.

    Extraction reads values through `CpSolver.value`, as `solve()` does, so the solver that
    found the plan is kept.
    """

    def __init__(self, request: PlanRequest) -> None:
        self.built = build_model(request)
        self.solver = cp_model.CpSolver()
        self.solver.parameters.max_time_in_seconds = FIRST_PLAN_LIMIT_S
        self.solver.parameters.num_workers = 8
        # CP-SAT's very first plan can be nearly empty (every wish unmet), which would time
        # too little work; a plan within 20 % of the bound is a realistic one.
        self.solver.parameters.relative_gap_limit = PLAN_GAP_LIMIT
        if self.built.timeline.num_weeks >= WARM_START_FROM_WEEKS:
            # Long calendars start from the product's warm start, as in solve().
            hint = rolling_hint(request, budget_s=FIRST_PLAN_LIMIT_S).hint
            assert hint is not None, "the warm start found no plan"
            apply_hint(self.built, hint)
        status = self.solver.solve(self.built.model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), self.solver.status_name(status)

    def value(self, expr: Any) -> int:
        return int(self.solver.value(expr))

    def extract(self) -> Plan:
        """What solve() does to turn solver values into a plan: sessions, weeks, exercises."""
        is_recovery = {w: bool(self.value(v)) for w, v in self.built.vars.recovery.items()}
        plan = extract_plan(self.built.vars, self.value, is_recovery)
        fill_exercises(plan, self.built.context, self.value)
        return plan


@functools.cache
def solved(name: str) -> Solved:
    """One solve per instance for the extraction and validation benchmarks."""
    return Solved(load(name))


@pytest.mark.parametrize("name", EXTRACT_CASES)
def test_extract_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    solved_model = solved(name)
    plan: Plan = benchmark(solved_model.extract)
    assert len(plan.sessions) >= 2 * len(plan.weeks)
    assert validate(request, plan).violations == []


@pytest.mark.parametrize("name", EXTRACT_CASES)
def test_validate_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    plan = solved(name).extract()
    report = benchmark(validate, request, plan)
    assert report.violations == []


@pytest.mark.parametrize("name", BUILD_CASES)
def test_template_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    plan: Plan = benchmark(template_plan, request)
    assert len(plan.weeks) == Timeline(request).num_weeks
    assert validate(request, plan).violations, "the template is expected to break rules"
