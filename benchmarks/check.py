"""Verifies the suite's recorded facts with the solver: known statuses and unique placements.

`python -m benchmarks.generate --check` runs this after a change to the model or the suite.
A feasible instance must return a plan with 0 validator violations; an infeasible one must
be proved infeasible; a near-infeasible one must place its recovery weeks exactly where the
index says, and a second solve that forbids that placement must be proved infeasible.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ortools.sat.python import cp_model
from rich.console import Console
from rich.table import Table

from benchmarks.suite import Instance, load_suite
from solver.model import build_model
from solver.schemas import PlanRequest
from solver.solving import solve
from solver.validate import validate

UNIQUENESS_TIME_S = 120.0
CHECK_GAP_LIMIT = 0.05  # a plan proves feasibility; the last percent proves nothing here


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    expected: str
    found: str
    seconds: float
    violations: int
    note: str

    @property
    def ok(self) -> bool:
        return self.expected == self.found and self.violations == 0 and not self.note


def status_class(status: str) -> str:
    """The known-status class of a solver status: a plan exists, none exists, or unknown."""
    if status in ("optimal", "feasible"):
        return "feasible"
    return status


def recovery_is_unique(request: PlanRequest, pins: list[int], time_limit_s: float) -> str:
    """'' when no plan has other recovery weeks than `pins`, else what went wrong."""
    built = build_model(request)
    built.model.clear_objective()  # type: ignore[no-untyped-call]
    recovery = built.vars.recovery
    missing = [w for w in pins if w not in recovery]
    if missing:
        return f"weeks {missing} cannot be recovery weeks in this model"
    differs = [1 - var if w in pins else var for w, var in recovery.items()]
    built.model.add(sum(differs) >= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = request.options.num_workers
    code = solver.solve(built.model)
    if code == cp_model.INFEASIBLE:
        return ""
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        other = sorted(w for w, var in recovery.items() if solver.value(var))
        return f"another placement exists: {other}"
    return "uniqueness not proved within the time limit"


def check_instance(instance: Instance, time_limit_s: float, workers: int) -> CheckOutcome:
    base = instance.load()
    options = base.options.model_copy(
        update={
            "time_limit_s": time_limit_s,
            "num_workers": workers,
            "relative_gap_limit": CHECK_GAP_LIMIT,
        }
    )
    request = base.model_copy(update={"options": options})
    result = solve(request)
    found = status_class(result.status)
    violations = len(validate(request, result).violations) if result.plan else 0
    note = ""
    pins = instance.info.unique_recovery_weeks
    if pins is not None and result.plan is not None:
        placed = [w.index for w in result.plan.weeks if w.recovery]
        if placed != pins:
            note = f"recovery weeks {placed}, index says {pins}"
        else:
            note = recovery_is_unique(request, pins, UNIQUENESS_TIME_S)
    return CheckOutcome(
        name=instance.name,
        expected=instance.info.expected_status,
        found=found,
        seconds=result.wall_time_s,
        violations=violations,
        note=note,
    )


def check_suite(
    instances_dir: Path, time_limit_s: float, workers: int, only: list[str] | None
) -> int:
    """Check every instance (or `only` those); exit code 0 when every fact holds."""
    console = Console(stderr=True)
    instances = load_suite("hard", names=only, instances_dir=instances_dir)
    table = Table("instance", "expected", "found", "s", "violations", "note", title="check")
    failures = 0
    for instance in instances:
        with console.status(f"checking {instance.name}"):
            outcome = check_instance(instance, time_limit_s, workers)
        failures += not outcome.ok
        style = "green" if outcome.ok else "red"
        table.add_row(
            outcome.name,
            outcome.expected,
            f"[{style}]{outcome.found}[/{style}]",
            f"{outcome.seconds:.1f}",
            str(outcome.violations),
            outcome.note,
        )
        console.print(
            f"[{style}]{'ok ' if outcome.ok else 'BAD'}[/{style}] {outcome.name}: "
            f"{outcome.found} in {outcome.seconds:.1f} s {outcome.note}"
        )
    console.print(table)
    return 1 if failures else 0
