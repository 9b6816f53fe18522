"""Stopping a CP-SAT search from another thread, whichever stage of a solve is running."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

STOP_POLL_S = 0.05


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    stop: threading.Event | None,
    callback: Any = None,
) -> cp_model.CpSolverStatus:
    """`solver.solve(model)`, ended early when `stop` is set (the best plan is kept)."""
    if stop is None:
        return solver.solve(model, callback)
    if stop.is_set():
        return cp_model.UNKNOWN
    return _solve_watched(solver, model, callback, stop.is_set)


class Improvements(cp_model.CpSolverSolutionCallback):
    """Remembers when the search last found a better plan, and passes on its objective."""

    def __init__(self, on_plan: Callable[[float], None] | None = None) -> None:
        super().__init__()
        self.last: float | None = None
        self.on_plan = on_plan

    def on_solution_callback(self) -> None:
        self.last = time.monotonic()
        if self.on_plan is not None:
            self.on_plan(self.objective_value)


def solve_until_stalled(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    stop: threading.Event | None,
    stall_s: float,
    on_plan: Callable[[float], None] | None = None,
) -> cp_model.CpSolverStatus:
    """Like `solve_stoppable`, and also ended once a plan exists and `stall_s` has passed
    without a better one: for warm-start stages, whose bound is too weak for a gap limit
    to end them (a proof there takes longer than the stage is worth). `on_plan` hears
    each better plan's objective (as CP-SAT scales it)."""
    improvements = Improvements(on_plan)

    def stalled() -> bool:
        last = improvements.last
        stopped = stop is not None and stop.is_set()
        return stopped or (last is not None and time.monotonic() - last >= stall_s)

    return _solve_watched(solver, model, improvements, stalled)


def _solve_watched(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: Any,
    should_stop: Callable[[], bool],
) -> cp_model.CpSolverStatus:
    """`solver.solve`, with a thread that ends the search once `should_stop()` holds."""
    done = threading.Event()

    def watch() -> None:
        # A stop before the search has started is ignored by CP-SAT, so keep asking until
        # the search ends (../shared/MODELLING.md, traps).
        while not done.wait(STOP_POLL_S):
            if should_stop():
                solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()


def new_solver() -> cp_model.CpSolver:
    """A CpSolver that leaves Ctrl-C to the caller: CP-SAT's own SIGINT handler aborts
    the process from a worker thread, and replaces Python's KeyboardInterrupt (the CLI
    stops a solve through its `stop` event instead)."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver
