"""Runs CP-SAT on a request and reports the plan, its status, bound and penalties."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from solver.extract import extract_plan
from solver.model import BuiltModel, build_model
from solver.rules.base import Rule
from solver.schemas import (
    WISH_RULE_IDS,
    Conflict,
    Penalty,
    PlanRequest,
    SolveResult,
    Status,
    UnmetWish,
)
from solver.timeline import Timeline
from solver.warm_start import WARM_START_FROM_WEEKS, apply_hint, rolling_hint
from solver.weights import scaled

STATUS: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}
STOP_POLL_S = 0.05
WARM_START_SHARE = 0.5  # of the time limit, at most, for the rolling-horizon warm start
MIN_FINAL_SOLVE_S = 1.0


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running solve, sent on every improving plan and bound."""

    wall_time_s: float
    objective: float | None
    best_bound: float | None
    gap: float | None
    solutions: int


ProgressCallback = Callable[[Progress], None]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    if abs(objective) < 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards improving solutions and bounds; stops the search when asked."""

    def __init__(self, on_progress: ProgressCallback | None, stop: threading.Event | None):
        super().__init__()
        self.on_progress = on_progress
        self.stop = stop
        self.started = time.monotonic()
        self.solutions = 0
        self.objective: float | None = None
        self.bound: float | None = None
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.solutions += 1
            self.objective = self.objective_value / 100
            self.bound = self.best_objective_bound / 100
        self._emit()
        if self.stop is not None and self.stop.is_set():
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            self.bound = bound / 100
        self._emit()

    def _emit(self) -> None:
        if self.on_progress is None:
            return
        with self.lock:
            snapshot = Progress(
                wall_time_s=time.monotonic() - self.started,
                objective=self.objective,
                best_bound=self.bound,
                gap=relative_gap(self.objective, self.bound),
                solutions=self.solutions,
            )
        self.on_progress(snapshot)


def configure(solver: cp_model.CpSolver, request: PlanRequest) -> None:
    options = request.options
    params = solver.parameters
    params.max_time_in_seconds = options.time_limit_s
    params.num_workers = options.num_workers
    params.random_seed = options.random_seed
    params.relative_gap_limit = options.relative_gap_limit
    if options.deterministic_time is not None:
        params.max_deterministic_time = options.deterministic_time


def solve(
    request: PlanRequest,
    *,
    extra_rules: Sequence[Rule] = (),
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """Plan the request. Infeasible and unknown are statuses, not exceptions.

    `extra_rules` are a planner's own rules (see `solver.rules.base.Rule`); `on_progress`
    hears every improving plan and bound; setting `stop` ends the search early and keeps the
    best plan found so far.
    """
    started = time.monotonic()
    timeline = Timeline(request)
    hint = None
    if timeline.num_weeks >= WARM_START_FROM_WEEKS:
        hint = rolling_hint(
            request, extra_rules, budget_s=WARM_START_SHARE * request.options.time_limit_s
        ).hint
    built = build_model(request, extra_rules, timeline=timeline)
    if hint is not None:
        apply_hint(built, hint)
    remaining = request.options.time_limit_s - (time.monotonic() - started)
    result = run_model(
        built,
        on_progress=on_progress,
        stop=stop,
        started=started,
        time_limit_s=max(remaining, MIN_FINAL_SOLVE_S),
    )
    if result.status == "infeasible":
        result.conflicts = [_infeasible_summary(request, extra_rules)]
    return result


def run_model(
    built: BuiltModel,
    *,
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    started: float | None = None,
    time_limit_s: float | None = None,
) -> SolveResult:
    """Solve a built model with the request's options and read the result off it."""
    request = built.timeline.request
    started = time.monotonic() if started is None else started
    solver = cp_model.CpSolver()
    configure(solver, request)
    if time_limit_s is not None:
        solver.parameters.max_time_in_seconds = time_limit_s
    reporter = _Reporter(on_progress, stop)
    solver.best_bound_callback = reporter.on_bound
    done = threading.Event()
    watcher = None
    if stop is not None:
        watcher = threading.Thread(target=_watch_stop, args=(solver, stop, done), daemon=True)
        watcher.start()
    try:
        code = solver.solve(built.model, reporter)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    status = STATUS.get(code, "unknown")
    result = SolveResult(
        status=status,
        wall_time_s=round(time.monotonic() - started, 3),
        stop_reason=_stop_reason(status, solver, stop, request),
        model_size=built.size(),
    )
    if status in ("optimal", "feasible"):
        _fill_solution(result, built, solver)
    return result


def _watch_stop(solver: cp_model.CpSolver, stop: threading.Event, done: threading.Event) -> None:
    # A stop before the search starts is ignored by CP-SAT, so keep asking until it ends.
    while not done.is_set():
        if stop.wait(STOP_POLL_S):
            solver.stop_search()
            done.wait(STOP_POLL_S)


def _stop_reason(
    status: Status, solver: cp_model.CpSolver, stop: threading.Event | None, request: PlanRequest
) -> str:
    if stop is not None and stop.is_set():
        return "stopped on request"
    if status == "optimal":
        gap_limit = request.options.relative_gap_limit
        if gap_limit > 0 and solver.objective_value != solver.best_objective_bound:
            return f"relative gap limit {gap_limit}"
        return "proved optimal"
    if status == "infeasible":
        return "proved infeasible"
    if status == "invalid":
        return "model invalid"
    if request.options.deterministic_time is not None:
        return "time limit (deterministic or wall clock)"
    return "time limit"


def _fill_solution(result: SolveResult, built: BuiltModel, solver: cp_model.CpSolver) -> None:
    def value(expr: Any) -> int:
        return int(solver.value(expr))

    is_recovery = {w: bool(value(var)) for w, var in built.vars.recovery.items()}
    result.plan = extract_plan(built.vars, value, is_recovery)
    # Weights are kept to hundredths, so the scaled bound is a whole number.
    result.best_bound = math.floor(solver.best_objective_bound + 1e-6) / 100
    totals: dict[str, int] = defaultdict(int)
    items: dict[str, list[str]] = defaultdict(list)
    wishes: list[UnmetWish] = []
    tl = built.timeline
    for term in built.terms:
        units = value(term.expr)
        if units == 0:
            continue
        weight = built.weight(term.rule)
        totals[term.rule] += scaled(weight) * units
        items[term.rule].append(f"{term.detail}: {units}")
        if term.rule in WISH_RULE_IDS and term.week is not None and term.wanted is not None:
            wishes.append(_unmet_wish(tl, term.rule, term.week, term.wanted, units))
    # The objective is what the returned plan costs, summed from its own penalty terms. On
    # a stopped multi-worker solve CP-SAT's reported objective value has been seen to
    # disagree with the solution it returns by a few units; the plan is what counts.
    result.objective = sum(totals.values()) / 100
    result.penalties = [
        Penalty(rule=rule, value=total / 100, detail="; ".join(items[rule]))
        for rule, total in sorted(totals.items(), key=lambda kv: -kv[1])
    ]
    result.unmet_wishes = wishes


def _unmet_wish(tl: Timeline, rule: str, week: int, wanted: int, short: int) -> UnmetWish:
    start = tl.weeks[week].start
    what = "runs" if rule == "R10" else "strength sessions"
    planned = max(0, wanted - short)
    blocked_by = _obvious_blockers(tl, rule, week, wanted)
    message = (
        f"Week {week + 1} (from {start}): {planned} {what} instead of {wanted}"
        + (f"; held back by {', '.join(blocked_by)}" if blocked_by else "")
        + "."
    )
    return UnmetWish(
        week=week,
        rule=rule,
        wanted=wanted,
        planned=planned,
        blocked_by=blocked_by,
        message=message,
    )


def _obvious_blockers(tl: Timeline, rule: str, week: int, wanted: int) -> list[str]:
    """Blockers visible without another solve: too few days with a slot (T2)."""
    days_with_slots = sum(1 for d in tl.days_of_week(week) if tl.slots_on(d))
    return ["T2"] if days_with_slots < wanted else []


def _infeasible_summary(request: PlanRequest, extra_rules: Sequence[Rule]) -> Conflict:
    """Say whether the wishes or the safety rules collide, from one quick re-solve."""
    if request.options.strict_preferences:
        relaxed = build_model(request, extra_rules, strict_wishes=False)
        probe = cp_model.CpSolver()
        probe.parameters.max_time_in_seconds = min(5.0, request.options.time_limit_s)
        probe.parameters.num_workers = 1
        probe.parameters.stop_after_first_solution = True
        if probe.solve(relaxed.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Conflict(
                rules=["R10", "S1"],
                message="The calendar cannot meet every wish (the minimum runs of R10 and "
                "strength sessions of S1) while keeping the safety rules; without "
                "strict_preferences a plan exists and lists the unmet wishes.",
            )
    return Conflict(
        rules=[],
        message="No plan keeps every safety rule on this calendar.",
    )
