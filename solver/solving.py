"""Runs CP-SAT on a request and reports the plan, its status, bound and penalties."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ortools.sat.python import cp_model

from solver.content_extract import fill_exercises
from solver.content_warm_start import complete_hint
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
from solver.stopping import new_solver, solve_stoppable
from solver.timeline import Timeline
from solver.warm_start import (
    WARM_START_FROM_WEEKS,
    apply_hint,
    hint_all,
    rolling_hint,
    solution_values,
)
from solver.weights import scaled

if TYPE_CHECKING:
    from solver.explaining import ExplainModel

STATUS: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}
WARM_START_SHARE = 0.5  # of the time limit, at most, for the rolling-horizon warm start
# Exercise content is hinted from a placement solved without it (content_warm_start.py);
# below this limit the stages have too little time to find anything.
CONTENT_HINT_FROM_S = 6.0
CONTENT_HINT_SHARE = 0.85
MIN_FINAL_SOLVE_S = 1.0
# Long calendars first get a short search of the whole model (first_look): it proves most
# infeasible calendars at once, which the window-by-window warm start cannot.
FIRST_LOOK_SHARE = 0.05
FIRST_LOOK_MAX_S = 2.0
# Explaining unmet wishes takes what is left of the limit, up to this: past it, the next
# wish is only what the calendar shows (stride explain searches as long as asked).
WISH_EXPLAIN_MAX_S = 10.0
PROBING_LEVEL = 0
# Explaining unmet wishes or an infeasible calendar comes out of the same time limit: the
# search leaves this much of it (a share, capped), and the explanations take what is left,
# never less than EXPLAIN_FLOOR_S so that a result always says something concrete.
EXPLAIN_RESERVE_SHARE = 0.1
EXPLAIN_RESERVE_MAX_S = 3.0
EXPLAIN_FLOOR_S = 0.5
UNEXPLAINED_WISH = (
    "why was not found within the time limit (`stride explain` or POST /v1/explain searches longer)"
)
# A wish no hard rule and no other wish kept from being met: the plan chose to bend it.
TRADED_WISH = (
    "no safety rule or other wish stands in its way: the plan bent it for lower penalties elsewhere"
)
TRADED_WISH_UNPROVED = f"{TRADED_WISH}, or the search stopped before it could meet it"
LAST_PLAN_S = 2.0  # after a stop during a warm start, for reading the hinted plan back
# The final search keeps at least this share of the limit after the staged hints.
FINAL_SEARCH_SHARE = 0.1
# Reading a complete hint back as the plan: every variable fixed, nothing to presolve.
READ_HINT_BACK: dict[str, Any] = {
    "fix_variables_to_their_hinted_value": True,
    "stop_after_first_solution": True,
    "cp_model_presolve": False,
}


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running solve, sent on every improving plan and bound."""

    wall_time_s: float
    objective: float | None
    best_bound: float | None
    gap: float | None
    solutions: int


ProgressCallback = Callable[[Progress], None]


def first_plan(started: float, objective: float) -> Progress:
    """The progress report of a plan found by a stage before the main search."""
    return Progress(
        wall_time_s=time.monotonic() - started,
        objective=objective,
        best_bound=None,
        gap=None,
        solutions=1,
    )


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    if abs(objective) < 1e-9:
        return 0.0
    return max(0.0, (objective - bound) / abs(objective))


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Forwards improving solutions and bounds; stops the search when asked."""

    def __init__(
        self,
        on_progress: ProgressCallback | None,
        stop: threading.Event | None,
        started: float,
    ):
        super().__init__()
        self.on_progress = on_progress
        self.stop = stop
        self.started = started
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
    """The request's options on a solver from `new_solver()` (which leaves Ctrl-C alone)."""
    options = request.options
    params = solver.parameters
    params.max_time_in_seconds = options.time_limit_s
    params.num_workers = options.num_workers
    params.random_seed = options.random_seed
    params.relative_gap_limit = options.relative_gap_limit
    # Measured on the benchmark suite (benchmarks/README.md): without probing in presolve
    # the first plan comes about twice as soon and 16-week plans are proved sooner too.
    params.cp_model_probing_level = PROBING_LEVEL
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
    limit = request.options.time_limit_s
    deadline = started + limit
    reserve = explain_reserve(limit)
    timeline = Timeline(request)
    build_started = time.monotonic()
    built = build_model(request, extra_rules, timeline=timeline)
    build_s = time.monotonic() - build_started
    placement = None
    hinted = False
    if timeline.num_weeks >= WARM_START_FROM_WEEKS:
        look = first_look(built, min(FIRST_LOOK_MAX_S, FIRST_LOOK_SHARE * limit), stop)
        if look == "infeasible":
            result = SolveResult(
                status="infeasible",
                stop_reason="proved infeasible",
                model_size=built.size(),
            )
            result.stages.search_s = round(time.monotonic() - build_started - build_s, 3)
            return _finish(result, request, extra_rules, started, deadline, build_s, stop)
        hinted = look == "hinted"
        if not hinted:
            placement = rolling_hint(
                request, extra_rules, budget_s=WARM_START_SHARE * limit, stop=stop
            ).hint
    # Shorter calendars are solved directly: with probing off, the whole model finds better
    # 16-week plans in 10 s than the staged hint does (benchmarks/README.md, "Tuning").
    if placement is not None and built.vars.strength and limit >= CONTENT_HINT_FROM_S:
        # The final search must have time to read the hinted plan back (its presolve alone
        # takes seconds on a long calendar), so the stage stops well before the reserve.
        left = deadline - reserve - time.monotonic()
        budget = min(CONTENT_HINT_SHARE * left, left - FINAL_SEARCH_SHARE * limit)
        report = complete_hint(built, extra_rules, budget_s=budget, placement=placement, stop=stop)
        hinted = report.hinted
        if report.objective is not None and on_progress is not None:
            # A whole plan exists from here on: a stop now returns it (run_model).
            on_progress(first_plan(started, report.objective))
    if not hinted and placement is not None:
        apply_hint(built, placement)
    remaining = deadline - reserve - time.monotonic()
    result = run_model(
        built,
        on_progress=on_progress,
        stop=stop,
        started=started,
        time_limit_s=max(remaining, MIN_FINAL_SOLVE_S),
        explain_until=deadline,
    )
    if result.status == "unknown" and hinted and not _stopped(stop):
        # The search ended before it had read the staged plan back: take it as it is.
        result = run_model(
            built,
            on_progress=on_progress,
            started=started,
            time_limit_s=LAST_PLAN_S,
            explain_until=deadline,
            params=READ_HINT_BACK,
        )
    return _finish(result, request, extra_rules, started, deadline, build_s, stop)


def _finish(
    result: SolveResult,
    request: PlanRequest,
    extra_rules: Sequence[Rule],
    started: float,
    deadline: float,
    build_s: float,
    stop: threading.Event | None,
) -> SolveResult:
    """Explain an infeasible calendar and account for the stages' times."""
    result.request_digest = request.digest()
    if result.status == "infeasible" and not _stopped(stop):
        explain_started = time.monotonic()
        result.conflicts = _infeasible_conflicts(request, extra_rules, _explain_budget(deadline))
        result.stages.explain_s = round(time.monotonic() - explain_started, 3)
    result.wall_time_s = round(time.monotonic() - started, 3)
    stages = result.stages
    stages.build_s = round(build_s, 3)
    stages.warm_start_s = round(
        max(0.0, result.wall_time_s - stages.search_s - stages.explain_s - stages.build_s), 3
    )
    return result


def first_look(
    built: BuiltModel, seconds: float, stop: threading.Event | None
) -> Literal["infeasible", "hinted", "unknown"]:
    """A short search of the whole model before a long calendar's warm start.

    The warm start solves the calendar window by window, so an infeasibility late in the
    calendar shows only after most windows (measured: 5.7 s where the whole model proves
    it in 0.5 s). A plan found here, rare on long calendars, becomes the hint instead.
    """
    solver = new_solver()
    configure(solver, built.timeline.request)
    solver.parameters.max_time_in_seconds = seconds
    if built.timeline.request.options.deterministic_time is not None:
        solver.parameters.max_deterministic_time = (
            built.timeline.request.options.deterministic_time * FIRST_LOOK_SHARE
        )
    code = solve_stoppable(solver, built.model, stop)
    if code == cp_model.INFEASIBLE:
        return "infeasible"
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint_all(built.model, solution_values(solver, built.model))
        return "hinted"
    return "unknown"


def explain_reserve(limit_s: float) -> float:
    """What the search leaves of a time limit for explaining the result."""
    return min(EXPLAIN_RESERVE_MAX_S, EXPLAIN_RESERVE_SHARE * limit_s)


def _stopped(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _explain_budget(deadline: float) -> float:
    return max(deadline - time.monotonic(), EXPLAIN_FLOOR_S)


def run_model(
    built: BuiltModel,
    *,
    on_progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    started: float | None = None,
    time_limit_s: float | None = None,
    explain_until: float | None = None,
    params: Mapping[str, Any] | None = None,
    wishes_from_week: int = 0,
    known_wishes: Sequence[UnmetWish] = (),
    wish_models: Callable[[int | None], ExplainModel] | None = None,
) -> SolveResult:
    """Solve a built model with the request's options and read the result off it.

    `params` are CP-SAT parameters set after the request's options (benchmarks use it to
    restore CP-SAT's defaults).

    Unmet wishes are explained by search until `explain_until` (a `time.monotonic()`
    deadline, given at least EXPLAIN_FLOOR_S); without it, only by what the calendar
    shows at a glance. Only wishes of weeks from `wishes_from_week` on are reported: a
    re-plan leaves out the weeks that are over. `known_wishes` were explained on the same
    calendar before (a re-plan's plan in progress): a wish unmet by as much in the same
    week takes their reason without a search. `wish_models` builds the models the reasons
    are searched on (a re-plan's: with the past as logged).
    """
    request = built.timeline.request
    started = time.monotonic() if started is None else started
    solver = new_solver()
    configure(solver, request)
    if time_limit_s is not None:
        solver.parameters.max_time_in_seconds = time_limit_s
    for name, value in (params or {}).items():
        setattr(solver.parameters, name, value)
    reporter = _Reporter(on_progress, stop, started)
    search_started = time.monotonic()
    solver.best_bound_callback = reporter.on_bound
    if stop is not None and stop.is_set():
        # Stopped during a warm start: take the hinted plan, which is found at once.
        solver.parameters.stop_after_first_solution = True
        solver.parameters.max_time_in_seconds = min(LAST_PLAN_S, time_limit_s or LAST_PLAN_S)
        code = solver.solve(built.model, reporter)
    else:
        code = solve_stoppable(solver, built.model, stop, reporter)
    status = STATUS.get(code, "unknown")
    result = SolveResult(
        status=status,
        wall_time_s=round(time.monotonic() - started, 3),
        stop_reason=_stop_reason(status, solver, stop, request),
        model_size=built.size(),
    )
    unmet: dict[tuple[str, int], int] = {}
    if status in ("optimal", "feasible"):
        _fill_solution(result, built, solver)
        unmet = {(w.rule, w.week): w.planned for w in result.unmet_wishes}
        result.unmet_wishes = [w for w in result.unmet_wishes if w.week >= wishes_from_week]
    result.stages.search_s = round(time.monotonic() - search_started, 3)
    if result.unmet_wishes and explain_until is not None and not _stopped(stop):
        explain_started = time.monotonic()
        budget = min(_explain_budget(explain_until), WISH_EXPLAIN_MAX_S)
        _explain_unmet_wishes(result, built.timeline, budget, unmet, known_wishes, wish_models)
        result.stages.explain_s = round(time.monotonic() - explain_started, 3)
        result.wall_time_s = round(time.monotonic() - started, 3)
    return result


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
    fill_exercises(result.plan, built.context, value)
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
    """The wish as planned, with what the calendar shows at a glance as the reason."""
    from solver.explain_wishes import at_a_glance

    found = at_a_glance(tl, rule, week)
    return UnmetWish(
        week=week,
        rule=rule,
        wanted=wanted,
        planned=max(0, wanted - short),
        blocked_by=found.rules,
        message=_wish_message(tl, rule, week, wanted, short, found.reason),
    )


def _wish_message(tl: Timeline, rule: str, week: int, wanted: int, short: int, reason: str) -> str:
    planned = max(0, wanted - short)
    what = ("run" if rule == "R10" else "strength session") + ("" if planned == 1 else "s")
    start = tl.weeks[week].start
    return (
        f"Week {week + 1} (from {start}): {planned} {what} instead of {wanted}"
        + (f" — {reason}" if reason else "")
        + "."
    )


def _explain_unmet_wishes(
    result: SolveResult,
    tl: Timeline,
    budget_s: float,
    unmet: dict[tuple[str, int], int],
    known: Sequence[UnmetWish] = (),
    models: Callable[[int | None], ExplainModel] | None = None,
) -> None:
    """Which hard rules stood in the way of each unmet wish, found like a conflict with the
    wish made hard (solver/explain_wishes.py); all wishes share `budget_s`. `unmet` maps
    every (rule, week) wish the plan left unmet, reported or not, to what it planned. A
    reason in `known` for the same wish, week and shortfall is taken as it is (unless its
    search had run out of time), when `known` left the same wishes unmet by as much."""
    from solver.explain_wishes import WishExplainer, wish_blockers
    from solver.explaining import Budget

    # A reason names the other wishes as that plan kept them: it holds here only when this
    # plan kept every wish as that one did.
    kept_alike = {(w.rule, w.week): w.planned for w in known} == unmet
    reasons = {
        (w.rule, w.week, w.wanted, w.planned): w
        for w in known
        if kept_alike and UNEXPLAINED_WISH not in w.message
    }
    explainer = WishExplainer(tl, Budget(budget_s), unmet, models)
    traded = TRADED_WISH if result.status == "optimal" else TRADED_WISH_UNPROVED
    for wish in result.unmet_wishes:
        before = reasons.get((wish.rule, wish.week, wish.wanted, wish.planned))
        if before is not None:
            wish.blocked_by, wish.message = list(before.blocked_by), before.message
            continue
        found = wish_blockers(explainer, wish.rule, wish.week)
        if not found.rules and wish.blocked_by:
            continue  # the search ran out; keep what the calendar shows
        reason = found.reason
        if not found.rules:
            reason = traded if found.settled else UNEXPLAINED_WISH
        wish.blocked_by = found.rules
        short = wish.wanted - wish.planned
        wish.message = _wish_message(tl, wish.rule, wish.week, wish.wanted, short, reason)


def _infeasible_conflicts(
    request: PlanRequest, extra_rules: Sequence[Rule], budget_s: float
) -> list[Conflict]:
    """The disjoint minimal conflicts, with sentences and suggestions (solver/explaining.py)."""
    from solver.explaining import solve_conflicts

    conflicts = solve_conflicts(request, extra_rules, budget_s=budget_s)
    if conflicts:
        return conflicts
    return [Conflict(rules=[], message="No plan keeps every safety rule on this calendar.")]
