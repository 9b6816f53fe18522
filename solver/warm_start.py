"""Rolling-horizon warm start for long calendars.

On a year-long calendar CP-SAT can take many seconds to find any plan, because every week
is tied to the weeks before it (R5, R8, R11, P1). Every rule only looks back in time, so the
plan of a prefix of the calendar is a valid start of a whole plan. We solve a window of
weeks, keep its first weeks fixed, slide the window on, and hand the stitched plan to the
full solve as a hint (../shared/MODELLING.md, "Decomposition for long horizons").
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model import BuiltModel, build_model
from solver.rules.base import Rule
from solver.rules.registry import placement_rules
from solver.schemas import PlanRequest, SolveOptions
from solver.stopping import Improvements, new_solver, solve_stoppable, solve_until_stalled
from solver.timeline import Timeline

Hint = dict[str, int]

WARM_START_FROM_WEEKS = 17  # shorter calendars find a first plan in about a second
STEP_WEEKS = 6
# Windows take about a second each whatever their size, so a long calendar gets longer
# steps rather than more windows than its budget can pay for (104 weeks: 8, not 17).
MAX_WINDOWS = 8
LOOKAHEAD_WEEKS = 4
MIN_WINDOW_TIME_S = 1.0
# A window ends once this long passes without a better plan: its bound is too weak for the
# gap limit to end it, and its plan only seeds the full solve.
WINDOW_STALL_S = 0.4


@dataclass(frozen=True)
class WarmStartReport:
    hint: Hint | None
    windows: int
    seconds: float


def decision_vars(built: BuiltModel) -> list[tuple[int, cp_model.IntVar]]:
    """(day, variable) for every decision; recovery flags are dated by their week's start."""
    v = built.vars
    out: list[tuple[int, cp_model.IntVar]] = []
    out.extend((d, var) for (d, _n, _t), var in v.run.items())
    out.extend((d, var) for (d, _n, _t), var in v.units.items())
    out.extend((d, var) for (d, _n), var in v.strength.items())
    out.extend((d, var) for (d, _n), var in v.strength_units.items())
    out.extend((7 * w, var) for w, var in v.recovery.items())
    return out


def placement_vars(built: BuiltModel) -> list[tuple[int, cp_model.IntVar]]:
    """The decisions of where sessions go and of which kind (and the recovery flags):
    every decision but the minutes."""
    v = built.vars
    minutes = {var.index for var in (*v.units.values(), *v.strength_units.values())}
    return [(day, var) for day, var in decision_vars(built) if var.index not in minutes]


def solution_values(solver: cp_model.CpSolver, model: cp_model.CpModel) -> list[int]:
    """Every variable's value in the solver's plan, by proto index."""
    count = len(model.proto.variables)
    return [int(solver.value(model.get_int_var_from_proto_index(i))) for i in range(count)]


def hint_all(model: cp_model.CpModel, values: Sequence[int]) -> None:
    """Hint every variable of `model` with a whole plan (by proto index), replacing any
    hint: CP-SAT starts from a complete, feasible hint at once."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def stage_solver(
    options: SolveOptions, budget_s: float, deterministic_share: float = 0.25
) -> cp_model.CpSolver:
    """A solver for a stage before the main search: the request's workers and seed, the
    final search's presolve settings (solving.py; probing costs more than it gives here,
    doubling the time to a first plan), a share of any deterministic limit."""
    solver = new_solver()
    solver.parameters.num_workers = options.num_workers
    solver.parameters.random_seed = options.random_seed
    solver.parameters.max_time_in_seconds = budget_s
    solver.parameters.cp_model_probing_level = 0
    if options.deterministic_time is not None:
        solver.parameters.max_deterministic_time = options.deterministic_time * deterministic_share
    return solver


def run_stage(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    options: SolveOptions,
    stop: threading.Event | None,
    stall_s: float,
    on_plan: Callable[[float], None] | None = None,
) -> cp_model.CpSolverStatus:
    """Solve a stage: it ends when it stalls, except under a deterministic limit, which
    it keeps (a stall is wall-clock time, and would make the result vary by machine)."""
    if options.deterministic_time is None:
        return solve_until_stalled(solver, model, stop, stall_s, on_plan)
    return solve_stoppable(solver, model, stop, Improvements(on_plan))


def solve_stage(
    options: SolveOptions,
    model: cp_model.CpModel,
    budget_s: float,
    stop: threading.Event | None,
    stall_s: float,
    gap_limit: float = 0.0,
    on_plan: Callable[[float], None] | None = None,
    presolve_rounds: int | None = None,
) -> tuple[list[int], float] | None:
    """Solve a stage's copy of the model: every variable's value and the plan's objective,
    or None. Ends when it stalls, except under a deterministic limit (which it keeps).
    `on_plan` hears each better plan's objective (in the plan's units); `presolve_rounds`
    caps presolve's rounds (CP-SAT's max_presolve_iterations)."""
    solver = stage_solver(options, budget_s)
    solver.parameters.relative_gap_limit = gap_limit
    if presolve_rounds is not None:
        solver.parameters.max_presolve_iterations = presolve_rounds
    heard = None if on_plan is None else _in_plan_units(on_plan)
    status = run_stage(solver, model, options, stop, stall_s, heard)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solution_values(solver, model), solver.objective_value / 100  # in hundredths


def _in_plan_units(on_plan: Callable[[float], None]) -> Callable[[float], None]:
    return lambda scaled: on_plan(scaled / 100)  # weights are kept in hundredths


def apply_hint(built: BuiltModel, hint: Hint) -> None:
    for _day, var in decision_vars(built):
        if var.name in hint:
            built.model.add_hint(var, hint[var.name])


def rolling_hint(
    request: PlanRequest,
    extra_rules: Sequence[Rule] = (),
    *,
    budget_s: float,
    stop: threading.Event | None = None,
) -> WarmStartReport:
    """Stitch a whole plan from overlapping windows, or give up within `budget_s`."""
    started = time.monotonic()
    total = Timeline(request).num_weeks
    options = request.options
    values: Hint = {}
    fixed_weeks = 0
    step = max(STEP_WEEKS, math.ceil((total - LOOKAHEAD_WEEKS) / MAX_WINDOWS))
    cutoff = min(total, step + LOOKAHEAD_WEEKS)
    windows = 0
    retry = 1.0
    while True:
        remaining = budget_s - (time.monotonic() - started)
        if remaining <= 0:
            return WarmStartReport(None, windows, time.monotonic() - started)
        # Each window gets its share of what is left, with room for one retry in three; a
        # window that finds nothing is retried with twice the time while the budget lasts.
        left = 1 + math.ceil(max(0, total - cutoff) / step)
        attempt_time = retry * max(MIN_WINDOW_TIME_S, remaining / (1.3 * left))
        # Windows place sessions only: exercise content is chosen once the whole placement
        # is known (solver/content_warm_start.py), which is far quicker than in every window.
        built = build_model(
            request,
            timeline=Timeline(request, cutoff_weeks=cutoff),
            rules=placement_rules(extra_rules),
        )
        for day, var in decision_vars(built):
            if var.name not in values:
                continue
            if day < 7 * fixed_weeks:
                built.model.add(var == values[var.name])
            else:
                built.model.add_hint(var, values[var.name])
        solver = stage_solver(options, min(remaining, attempt_time), deterministic_share=1 / 8)
        solver.parameters.relative_gap_limit = 0.02
        status = run_stage(solver, built.model, options, stop, WINDOW_STALL_S)
        if stop is not None and stop.is_set():
            return WarmStartReport(None, windows, time.monotonic() - started)
        windows += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for _day, var in decision_vars(built):
                values[var.name] = int(solver.value(var))
            if cutoff >= total:
                return WarmStartReport(values, windows, time.monotonic() - started)
            fixed_weeks = cutoff - LOOKAHEAD_WEEKS
            cutoff = min(total, cutoff + step)
            retry = 1.0
        elif status == cp_model.INFEASIBLE and fixed_weeks > 0:
            # The fixed weeks led into a dead end: free one more step of them and retry.
            fixed_weeks = max(0, fixed_weeks - step)
        elif status == cp_model.INFEASIBLE:
            return WarmStartReport(None, windows, time.monotonic() - started)
        else:
            retry *= 2  # out of time before any plan: try again with longer
