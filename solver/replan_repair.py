"""A complete first plan for a re-plan: the plan in progress, repaired near `as_of`.

The previous plan is hinted (replan_model.hint_previous), but after a real log it is
rarely a plan any more: a missed run lowers next week's R5 reference, a long run run long
moves R11's cap, travel removes slots. CP-SAT drops a hint it cannot complete, and then
searches as if cold. Most of the repair is near `as_of`, and CHANGE (a penalty per changed
session) keeps the rest where it was, so a small search finds it:

1. keep where the previous plan has a session, and of which kind, from `as_of`'s week +
   `free` weeks on, and solve the rest (`free` = 1, then 3, then everything). Minutes stay
   free everywhere: after a missed week R5 needs a few weeks' ramp back to the planned
   volume, and with the later minutes kept too no repair exists (a 16-week plan with an
   Achilles return, measured: none with 2 or 4 weeks free, one at once with minutes free);
2. hint every variable of the full model with the first repaired plan found, which the
   full search starts from and improves (it may still change any week).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from solver.model import BuiltModel
from solver.replan_log import Replanning
from solver.warm_start import hint_all, placement_vars, solve_stage

FREE_WEEKS = (1, 3)  # weeks after as_of's week where the repair may move sessions, in turn
REPAIR_STALL_S = 0.3  # a repair ends once this passes without a better plan


@dataclass(frozen=True)
class Repair:
    free_weeks: int  # weeks after as_of's week the repair was free to change
    objective: float  # the repaired plan's objective (the full model's, as hinted)


def repair_hint(
    built: BuiltModel,
    rp: Replanning,
    *,
    budget_s: float,
    stop: threading.Event | None = None,
    on_plan: Callable[[float], None] | None = None,
) -> Repair | None:
    """Replace `built`'s hint with a whole repaired plan, or None when no repair was
    found within `budget_s` (the previous plan stays the hint). `on_plan` hears each
    better repaired plan's objective as it is found."""
    started = time.monotonic()
    proto = built.model.proto
    hinted = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    if not hinted:
        return None
    first_week = rp.as_of_day // 7
    for free in FREE_WEEKS:
        remaining = budget_s - (time.monotonic() - started)
        if remaining <= 0 or (stop is not None and stop.is_set()):
            return None
        if first_week + 1 + free >= built.timeline.num_weeks:
            return None  # nothing would stay fixed: the full search is the repair
        found = _repaired(built, hinted, 7 * (first_week + 1 + free), remaining, stop, on_plan)
        if found is not None:
            values, objective = found
            hint_all(built.model, values)
            return Repair(free, objective)
    return None


def _repaired(
    built: BuiltModel,
    hinted: dict[int, int],
    keep_from_day: int,
    budget_s: float,
    stop: threading.Event | None,
    on_plan: Callable[[float], None] | None,
) -> tuple[list[int], float] | None:
    """Every variable's value in a plan keeping the hinted placement from `keep_from_day`,
    and the plan's objective."""
    model = built.model.clone()
    for day, var in placement_vars(built):
        if day >= keep_from_day and var.index in hinted:
            model.add(model.get_int_var_from_proto_index(var.index) == hinted[var.index])
    options = built.timeline.request.options
    # One round of presolve: most of the model is fixed here, and further rounds took
    # longer than they saved (time to the best plan 0.52 -> 0.47 s, reference-10k-16w).
    return solve_stage(
        options, model, budget_s, stop, REPAIR_STALL_S, on_plan=on_plan, presolve_rounds=1
    )
