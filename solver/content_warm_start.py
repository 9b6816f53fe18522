"""A complete first plan for the full model: placement first, then exercises.

Exercise selection ties every session of a block to one template, and each template
change moves the minutes (and so the R8 load) of up to a dozen sessions at once. CP-SAT's
neighbourhood search finds such moves rarely, so from scratch it spends its time on plans
with missing sessions. Placing the sessions is what the model without content does well;
choosing exercises for fixed sessions is a small problem. So:

1. solve the model without the content rules for part of the budget (or take a placement
   the caller already has, e.g. the rolling warm start's);
2. fix that placement (runs, strength sessions, recovery weeks) in a copy of the full
   model and choose the exercises and session minutes;
3. hint every variable of the full model with that plan, which CP-SAT then improves.

If the placement admits no content (a block whose weeks' session counts no template
suits), step 2 frees the strength sessions and keeps the runs, and failing that keeps
only the recovery weeks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.model import BuiltModel, build_model
from solver.rules.base import Rule
from solver.rules.registry import placement_rules
from solver.stopping import solve_stoppable
from solver.warm_start import Hint, decision_vars, hint_all, solve_stage, stage_solver

PLACEMENT_SHARE = 0.8  # of the budget, for step 1: placement carries most of the objective
MIN_STEP_S = 0.5
FIX_LEVELS = ("placement", "runs", "recovery")
CONTENT_STALL_S = 1.0  # step 2 ends once this passes without a better plan


@dataclass(frozen=True)
class ContentHintReport:
    hinted: bool
    placement_objective: float | None
    seconds: float
    fixed: str  # what step 2 kept fixed: a FIX_LEVELS entry, or "" (no hint)
    objective: float | None = None  # the hinted plan's, in the full model's terms


def _fixed_names(built: BuiltModel, level: str) -> set[str]:
    """Names of the decisions step 2 fixes at `level` ("placement", "runs" or "recovery");
    strength minutes always follow the content."""
    v = built.vars
    names = {x.name for x in v.recovery.values()}
    if level != "recovery":
        names |= {x.name for x in v.run.values()} | {x.name for x in v.units.values()}
    if level == "placement":
        names |= {x.name for x in v.strength.values()}
    return names


def solve_placement(
    built: BuiltModel,
    extra_rules: Sequence[Rule],
    budget_s: float,
    stop: threading.Event | None = None,
) -> tuple[Hint, float] | None:
    """Step 1: the best placement the model without content finds within `budget_s`."""
    request = built.timeline.request
    plain = build_model(request, timeline=built.timeline, rules=placement_rules(extra_rules))
    solver = stage_solver(request.options, max(budget_s, MIN_STEP_S))
    if solve_stoppable(solver, plain.model, stop) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = {var.name: int(solver.value(var)) for _day, var in decision_vars(plain)}
    return values, solver.objective_value / 100


def complete_hint(
    built: BuiltModel,
    extra_rules: Sequence[Rule] = (),
    *,
    budget_s: float,
    placement: Hint | None = None,
    stop: threading.Event | None = None,
) -> ContentHintReport:
    """Hint every variable of `built` with a whole plan (steps 1-3 of the module)."""
    started = time.monotonic()
    objective: float | None = None
    if placement is None:
        found = solve_placement(built, extra_rules, PLACEMENT_SHARE * budget_s, stop)
        if found is None:
            return ContentHintReport(False, None, time.monotonic() - started, "")
        placement, objective = found
    # Each level fixes less of the placement: its runs can rule out every exercise choice
    # (measured on near-infeasible-race-40w), while its recovery weeks are still worth
    # keeping.
    for label in FIX_LEVELS:
        remaining = budget_s - (time.monotonic() - started)
        if remaining < MIN_STEP_S or (stop is not None and stop.is_set()):
            break
        content = _content_for(built, placement, label, remaining, stop)
        if content is not None:
            values, plan_objective = content
            hint_all(built.model, values)
            seconds = time.monotonic() - started
            return ContentHintReport(True, objective, seconds, label, plan_objective)
    return ContentHintReport(False, objective, time.monotonic() - started, "")


def _content_for(
    built: BuiltModel,
    placement: Hint,
    level: str,
    budget_s: float,
    stop: threading.Event | None = None,
) -> tuple[list[int], float] | None:
    """Step 2: every variable's value in a plan keeping `placement` and the plan's
    objective, or None."""
    model = built.model.clone()
    fixed = _fixed_names(built, level)
    for _day, var in decision_vars(built):
        if var.name in fixed and var.name in placement:
            model.add(model.get_int_var_from_proto_index(var.index) == placement[var.name])
        elif var.name in placement:
            model.add_hint(model.get_int_var_from_proto_index(var.index), placement[var.name])
    options = built.timeline.request.options
    budget = max(budget_s, MIN_STEP_S)
    return solve_stage(options, model, budget, stop, CONTENT_STALL_S, gap_limit=0.01)
