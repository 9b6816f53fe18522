"""Measures one (instance, configuration) run in a process of its own.

The runner starts `python -m benchmarks.measure` once per run, writes a RunSpec as JSON on
its stdin and reads a RunRecord as JSON from its stdout. A fresh process per run makes the
peak resident memory (`ru_maxrss`, which covers CP-SAT's C++ allocations, unlike
tracemalloc) belong to that run alone, and keeps one run's threads off the next.

Configurations:
- `tuned`: the product's `solve()` — rolling-horizon warm start for long calendars, the
  request's options (default worker count unless the runner overrides it).
- `untuned`: `build_model` + `run_model`, no warm-start hint, CP-SAT's own default worker
  count (one per core) and its default presolve probing. The model itself is the same:
  build_model has no switches.
- `workers-N`: `solve()` with N workers (the sweep).
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from benchmarks.metrics import RunRecord, TracePoint, gap_integral, time_to_best
from solver.schemas import PlanRequest, SolveResult
from solver.solving import relative_gap

WORKERS_PREFIX = "workers-"
# What solve() changes in CP-SAT's parameters, set back to CP-SAT's own defaults.
CPSAT_DEFAULTS = {"cp_model_probing_level": 2}


class RunSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instance: str
    path: Path
    config: str
    time_limit_s: float
    workers: int | None = None  # None: the product default (tuned) or CP-SAT's (untuned)
    random_seed: int = 0


def cpsat_default_workers() -> int:
    """CP-SAT's num_workers = 0 means one worker per logical core."""
    return os.cpu_count() or 1


def workers_for(spec: RunSpec, default: int) -> int:
    if spec.config.startswith(WORKERS_PREFIX):
        return int(spec.config.removeprefix(WORKERS_PREFIX))
    if spec.config == "untuned":
        return cpsat_default_workers()
    return spec.workers if spec.workers is not None else default


def prepared_request(spec: RunSpec) -> PlanRequest:
    """The instance with the run's time limit, workers and seed (strictness is kept)."""
    request = PlanRequest.model_validate_json(spec.path.read_text(encoding="utf-8"))
    options = request.options.model_copy(
        update={
            "time_limit_s": spec.time_limit_s,
            "num_workers": workers_for(spec, request.options.num_workers),
            "random_seed": spec.random_seed,
            "relative_gap_limit": 0.0,  # benchmarks ask for the proof
        }
    )
    return request.model_copy(update={"options": options})


class Tracer:
    """Collects progress snapshots on the benchmark's own clock."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.points: list[TracePoint] = []
        self.lock = threading.Lock()

    def restart(self) -> None:
        self.started = time.monotonic()

    def __call__(self, progress: object) -> None:
        point = TracePoint(
            t=round(time.monotonic() - self.started, 4),
            objective=getattr(progress, "objective", None),
            bound=getattr(progress, "best_bound", None),
        )
        with self.lock:
            self.points.append(point)


def run_solver(spec: RunSpec, request: PlanRequest, tracer: Tracer) -> SolveResult:
    from solver.model import build_model
    from solver.solving import run_model, solve

    tracer.restart()
    if spec.config == "untuned":
        started = time.monotonic()
        built = build_model(request)
        remaining = request.options.time_limit_s - (time.monotonic() - started)
        return run_model(
            built,
            on_progress=tracer,
            started=started,
            time_limit_s=max(remaining, 0.1),
            params=CPSAT_DEFAULTS,
        )
    return solve(request, on_progress=tracer)


def measure(spec: RunSpec) -> RunRecord:
    from solver.model import build_model
    from solver.validate import validate

    request = prepared_request(spec)
    # The model build timed on its own: solve() does not report its phases.
    build_started = time.monotonic()
    built = build_model(request)
    build_s = time.monotonic() - build_started
    size = built.size()
    del built
    tracer = Tracer()
    result = run_solver(spec, request, tracer)
    # The search's end: what comes after it is explaining unmet wishes or an infeasible
    # calendar (result.stages.explain_s), reported as `post`.
    total = time.monotonic() - tracer.started
    wall = max(0.0, min(result.wall_time_s, total) - result.stages.explain_s)
    report = validate(request, result)
    trace = [*tracer.points]
    if result.objective is not None:
        trace.append(
            TracePoint(t=round(wall, 4), objective=result.objective, bound=result.best_bound)
        )
    proved = result.status == "infeasible" or (
        result.status == "optimal" and result.stop_reason == "proved optimal"
    )
    return RunRecord(
        instance=spec.instance,
        config=spec.config,
        workers=request.options.num_workers,
        time_limit_s=spec.time_limit_s,
        status=result.status,
        stop_reason=result.stop_reason,
        objective=result.objective,
        best_bound=result.best_bound,
        build_s=round(build_s, 4),
        first_feasible_s=next((p.t for p in trace if p.objective is not None), None),
        best_s=time_to_best(trace, result.objective),
        proof_s=round(wall, 4) if proved else None,
        wall_s=round(wall, 4),
        post_s=round(total - wall, 4),
        final_gap=relative_gap(result.objective, result.best_bound),
        gap_integral=round(gap_integral(trace, wall), 4),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        violations=len(report.violations),
        violated_rules=" ".join(sorted({v.rule for v in report.violations})),
        objective_matches=report.objective_matches,
        variables=size.get("variables"),
        constraints=size.get("constraints"),
        trace=trace,
    )


def main() -> int:
    spec = RunSpec.model_validate_json(sys.stdin.read())
    record = measure(spec)
    sys.stdout.write(record.model_dump_json() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
