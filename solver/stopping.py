"""Stopping a CP-SAT search from another thread, whichever stage of a solve is running."""

from __future__ import annotations

import threading
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
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(solver, stop, done), daemon=True)
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()


def _watch(solver: cp_model.CpSolver, stop: threading.Event, done: threading.Event) -> None:
    # A stop before the search has started is ignored by CP-SAT, so keep asking until the
    # search ends (../shared/MODELLING.md, traps).
    while not done.is_set():
        if stop.wait(STOP_POLL_S):
            solver.stop_search()
            done.wait(STOP_POLL_S)
