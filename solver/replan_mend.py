"""Rules the rest of as_of's week can still keep are kept, not left as the facts broke them.

The reference (replan_model.reference_slack) plans nothing new after `as_of`, so in
`as_of`'s week it sees as broken every rule the rest of the week has yet to meet: the
long run still to come on Sunday (R1), easy runs still to come (R7), the week's second
strength session (S8). Held "as broken or not at all", such a rule let the re-plan drop
the week's long run whenever that cost nothing: a plan the check cannot fault, since the
past alone shows the same violation (replan.split_violations).

`mendable` finds which of those the rest of the week can keep together: the reference
model again, with the rest of the week free but for the athlete's pins, every constraint
held or broken exactly as the reference says, and as many of the broken ones of
`as_of`'s week held as it can (weighted as the reference weighs slack). The re-plan then
holds those, and falls back to the plain reference should the weeks after rule that out
(replan.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ortools.sat.python import cp_model

from solver.replan_log import Replanning
from solver.replan_model import (
    Reference,
    SlackEntry,
    bound_slack,
    broken_groups,
    deciding_week,
    reference_model,
    reference_solver,
)
from solver.rules.base import Rule

MEND_TIME_S = 1.0  # at most, of the reference's share: any plan found names a set to keep


def mendable(
    rp: Replanning, rules: Sequence[Rule], reference: Reference, *, time_limit_s: float, seed: int
) -> Reference:
    """`reference` without the broken constraints of as_of's week that the rest of the
    week can keep (all of them together); `reference` itself when there are none, or
    when the search finds no plan in time."""
    week = deciding_week(rp)
    if week is None or not any(sig[1] == week for sig in reference):
        return reference  # as_of starts a week (nothing left to plan there), or none broken
    model = reference_model(rp, rules, relax=broken_groups(reference), plan_rest=True)
    cp = model.built.model
    kept: list[tuple[SlackEntry, tuple[int, ...], Any]] = []
    for entry, allowed in bound_slack(model, reference):
        if entry.signature[1] != week or not any(allowed):
            continue
        held = cp.new_bool_var(f"mended_{len(kept)}")
        for var in entry.variables:
            cp.add(var == 0).only_enforce_if(held)
        kept.append((entry, allowed, held))
    cp.maximize(sum(entry.weight * held for entry, _allowed, held in kept))
    solver = reference_solver(min(time_limit_s, MEND_TIME_S), seed)
    if solver.solve(cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return reference
    left = {sig: list(values) for sig, values in reference.items()}
    for entry, allowed, held in kept:
        if solver.boolean_value(held):
            left[entry.signature].remove(allowed)
    return {sig: values for sig, values in left.items() if values}
