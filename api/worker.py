"""What runs inside a worker process: one solve, its progress sent home, stoppable.

Kept apart from the web code so a worker process imports the solver and nothing else.
Requests and results cross the process boundary as JSON text, which every side of the
pool reads the same way whatever pickling would make of the models.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from solver.schemas import PlanRequest

STOP_POLL_S = 0.1

Task = Callable[[str], str]  # JSON in, JSON out: what `SolvePool.call` runs


class ProgressSink(Protocol):
    """A multiprocessing queue (proxy): the parent drains it."""

    def put(self, item: Any) -> None: ...


class StopFlag(Protocol):
    """A multiprocessing event (proxy) the parent sets to stop the solve."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def ready() -> None:
    """A no-op task; the pool submits one per worker so that all of them start at once."""


def warm_up() -> None:
    """Pool initializer: load OR-tools once per worker, not on its first request."""
    import solver.solving  # noqa: F401


def solve_request(
    job_id: str, request_json: str, progress: ProgressSink, stop: StopFlag
) -> tuple[str, float | None]:
    """Solve one request; return the SolveResult as JSON, and its final relative gap.

    Each improving solution goes to `progress` as `(job_id, fields)`. The solver takes a
    `threading.Event`, so a thread mirrors the parent's cross-process flag into one.
    """
    from solver.solving import Progress, relative_gap, solve

    request = PlanRequest.model_validate_json(request_json)
    local_stop = threading.Event()
    finished = threading.Event()

    def mirror_stop() -> None:
        while not finished.is_set():
            if stop.wait(STOP_POLL_S):
                local_stop.set()
                return

    def report(snapshot: Progress) -> None:
        progress.put(
            (
                job_id,
                {
                    "elapsed_s": round(snapshot.wall_time_s, 3),
                    "objective": snapshot.objective,
                    "best_bound": snapshot.best_bound,
                    "gap": snapshot.gap,
                    "solutions": snapshot.solutions,
                },
            )
        )

    watcher = threading.Thread(target=mirror_stop, name=f"stop-{job_id}", daemon=True)
    watcher.start()
    try:
        result = solve(request, on_progress=report, stop=local_stop)
    finally:
        finished.set()
        watcher.join()
    return result.model_dump_json(), relative_gap(result.objective, result.best_bound)


def explain_request(request_json: str) -> str:
    """Why the request has no plan, or which wishes must bend: an Explanation as JSON."""
    from solver.explaining import explain

    request = PlanRequest.model_validate_json(request_json)
    return explain(request, budget_s=request.options.time_limit_s).model_dump_json()


def replan_request(body_json: str) -> str:
    """A re-plan of a plan in progress from its log: a SolveResult as JSON."""
    from solver.replanning import replan_from
    from solver.schemas import ReplanRequest

    return replan_from(ReplanRequest.model_validate_json(body_json)).model_dump_json()
