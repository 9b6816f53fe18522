"""What one benchmark run records, and the scores computed from its progress trace.

A run's trace is the list of (time, incumbent, bound) snapshots the solver reported, timed
from the start of the end-to-end solve (model build included). Between snapshots the
values hold, so every integral below is a sum of rectangles.

- `gap_integral`: CP-SAT's own measure, the integral of log(1 + |incumbent - bound|) over
  the time an incumbent exists (`CpSolverResponse.gap_integral`, recomputed from the trace
  because `solve()` does not hand out its CpSolver).
- `primal_integral`: Berthold's primal integral, the integral of the primal gap
  p(t) = |incumbent - best known| / max(|incumbent|, |best known|), with p = 1 before the
  first plan, against the best plan any configuration found for the instance in this run.
- `area_score`: 1 - primal_integral / time limit, in [0, 1], higher is better: quality over
  time in the spirit of the MiniZinc Challenge's area score. A proof ends the clock at full
  quality (p = 0 after proving optimality or infeasibility). Configurations rank on the sum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from solver.solving import relative_gap

SOLVER_CONFIGS_PREFIX = ("tuned", "untuned", "workers-")


class TracePoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    t: float = Field(description="seconds since the end-to-end solve started")
    objective: float | None
    bound: float | None


class RunRecord(BaseModel):
    """One (instance, configuration) run; the CSV has one row per record."""

    model_config = ConfigDict(extra="forbid")

    instance: str
    config: str
    family: str = ""
    weeks: int = 0
    expected_status: str = ""
    workers: int = 0
    time_limit_s: float = 0.0
    status: str = "error"
    stop_reason: str = ""
    objective: float | None = None
    best_bound: float | None = None
    build_s: float | None = None
    first_feasible_s: float | None = None
    best_s: float | None = None
    proof_s: float | None = None
    wall_s: float | None = Field(default=None, description="solve start to search end")
    post_s: float | None = Field(
        default=None,
        description="after the search: plan extraction, unmet-wish and conflict explanations",
    )
    final_gap: float | None = None
    gap_integral: float | None = None
    primal_integral: float | None = None
    area_score: float | None = None
    peak_rss_mb: float | None = None
    violations: int | None = None
    violated_rules: str = ""
    objective_matches: bool | None = None
    variables: int | None = None
    constraints: int | None = None
    error: str = ""
    same_run_as: str = Field(
        default="", description="the sweep's entry at the tuned worker count is the tuned run"
    )
    trace: list[TracePoint] = Field(default_factory=list)

    @property
    def is_solver(self) -> bool:
        return self.config.startswith(SOLVER_CONFIGS_PREFIX)

    @property
    def found_plan(self) -> bool:
        return self.status in ("optimal", "feasible")

    @property
    def proved(self) -> bool:
        return self.proof_s is not None

    def status_contradicts(self) -> bool:
        """A wrong answer, not a slow one: a plan for an infeasible instance or a proof of
        infeasibility for a feasible one."""
        if self.expected_status == "feasible":
            return self.status == "infeasible"
        if self.expected_status == "infeasible":
            return self.found_plan
        return False

    def status_matches(self) -> bool:
        """The known status: `feasible` accepts optimal and feasible; a proof is not asked."""
        if self.expected_status == "feasible":
            return self.found_plan
        return self.status == self.expected_status


def _steps(trace: Sequence[TracePoint], end: float) -> Iterable[tuple[float, TracePoint]]:
    """(duration, state) rectangles from each snapshot to the next, the last up to `end`."""
    ordered = sorted(trace, key=lambda p: p.t)
    followers: list[TracePoint | None] = [*ordered[1:], None]
    for point, following in zip(ordered, followers[: len(ordered)], strict=True):
        stop = end if following is None else min(following.t, end)
        if stop > point.t:
            yield stop - point.t, point


def time_to_first_plan(trace: Sequence[TracePoint]) -> float | None:
    times = [p.t for p in trace if p.objective is not None]
    return min(times) if times else None


def time_to_best(trace: Sequence[TracePoint], final: float | None) -> float | None:
    """When the incumbent first reached its final value."""
    if final is None:
        return None
    times = [p.t for p in trace if p.objective is not None and abs(p.objective - final) < 1e-6]
    return min(times) if times else None


def gap_at(trace: Sequence[TracePoint], t: float) -> float | None:
    """The relative gap as it stood at time `t` (None before the first plan)."""
    current: TracePoint | None = None
    for point in sorted(trace, key=lambda p: p.t):
        if point.t > t:
            break
        current = point
    return None if current is None else relative_gap(current.objective, current.bound)


def gap_integral(trace: Sequence[TracePoint], end: float) -> float:
    """CP-SAT's gap integral: integral of log(1 + |incumbent - bound|) while a plan exists."""
    total = 0.0
    for duration, point in _steps(trace, end):
        if point.objective is not None and point.bound is not None:
            total += duration * math.log1p(abs(point.objective - point.bound))
    return total


def primal_gap(incumbent: float | None, best_known: float | None) -> float:
    if incumbent is None or best_known is None:
        return 1.0
    scale = max(abs(incumbent), abs(best_known))
    return 0.0 if scale < 1e-9 else min(1.0, abs(incumbent - best_known) / scale)


def primal_integral(record: RunRecord, best_known: float | None) -> float | None:
    """Berthold's primal integral over the time limit; see the module docstring."""
    limit = record.time_limit_s
    if record.wall_s is None or limit <= 0:
        return None
    if record.status == "infeasible":
        return min(record.wall_s, limit)  # p = 1 until the proof, 0 after
    # Incumbent breakpoints: none at the start, each improving plan, the final plan from
    # the end of the solve on (it stands until the limit).
    breaks: list[tuple[float, float | None]] = [(0.0, None)]
    breaks += [(p.t, p.objective) for p in record.trace if p.objective is not None]
    breaks.append((record.wall_s, record.objective if record.found_plan else None))
    breaks.sort(key=lambda b: b[0])
    total = 0.0
    for (start, incumbent), (stop, _next) in zip(breaks, [*breaks[1:], (limit, None)], strict=True):
        span = min(stop, limit) - min(start, limit)
        if span > 0:
            total += span * primal_gap(incumbent, best_known)
    return total


def best_known_objectives(records: Iterable[RunRecord]) -> dict[str, float]:
    """The best plan objective any solver configuration found, per instance."""
    best: dict[str, float] = {}
    for r in records:
        if r.is_solver and r.found_plan and r.objective is not None:
            best[r.instance] = min(best.get(r.instance, math.inf), r.objective)
    return best


def score_runs(records: list[RunRecord]) -> None:
    """Fill primal_integral and area_score once every configuration of the run is in."""
    best = best_known_objectives(records)
    for r in records:
        if not r.is_solver or r.status == "error":
            continue
        integral = primal_integral(r, best.get(r.instance))
        r.primal_integral = None if integral is None else round(integral, 4)
        if integral is not None and r.time_limit_s > 0:
            r.area_score = round(max(0.0, 1.0 - integral / r.time_limit_s), 4)


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def geometric_mean(values: Iterable[float]) -> float | None:
    logs = [math.log(v) for v in values if v > 0]
    return math.exp(sum(logs) / len(logs)) if logs else None
