"""pytest-benchmark micro-benchmarks: model building, plan extraction, validation, template.

Outside tests/ so the default run skips them. Run:

    python -m pytest benchmarks/micro -p no:cacheprovider --benchmark-columns=min,median,max

Each benchmark also asserts what it measured is right (a model of the expected size, a plan
with one session per chosen slot, 0 violations), so a fast wrong answer cannot pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.paths import INSTANCES_DIR
from benchmarks.template import template_plan
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
    """A first plan's variable values, so extraction can be timed without the solver."""

    def __init__(self, request: PlanRequest) -> None:
        self.built = build_model(request)
        if self.built.timeline.num_weeks >= WARM_START_FROM_WEEKS:
            # Long calendars find a first plan through the product's warm start, as in solve().
            hint = rolling_hint(request, budget_s=FIRST_PLAN_LIMIT_S).hint
            assert hint is not None, "the warm start found no plan"
            apply_hint(self.built, hint)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = FIRST_PLAN_LIMIT_S
        solver.parameters.num_workers = 2
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(self.built.model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), solver.status_name(status)
        # The response lists every variable's value by its index in the model proto.
        self.values = [int(v) for v in solver.response_proto.solution]
        self.is_recovery = {
            w: bool(self.values[var.index]) for w, var in self.built.vars.recovery.items()
        }

    def value(self, var: object) -> int:
        return self.values[var.index]  # type: ignore[attr-defined]

    def extract(self) -> Plan:
        return extract_plan(self.built.vars, self.value, self.is_recovery)


@pytest.mark.parametrize("name", EXTRACT_CASES)
def test_extract_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    solved = Solved(request)
    plan: Plan = benchmark(solved.extract)
    assert plan.sessions
    assert validate(request, plan).violations == []


@pytest.mark.parametrize("name", EXTRACT_CASES)
def test_validate_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    plan = Solved(request).extract()
    report = benchmark(validate, request, plan)
    assert report.violations == []


@pytest.mark.parametrize("name", BUILD_CASES)
def test_template_plan(benchmark: BenchmarkFixture, name: str) -> None:
    request = load(name)
    plan: Plan = benchmark(template_plan, request)
    assert len(plan.weeks) == Timeline(request).num_weeks
    assert validate(request, plan).violations, "the template is expected to break rules"
