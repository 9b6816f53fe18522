"""Builds the CP-SAT model of a request: variables, every rule's encoding, the objective."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.rules.base import EncodeContext, PenaltyTerm, Rule
from solver.rules.registry import all_rules
from solver.schemas import PlanRequest
from solver.timeline import Timeline
from solver.vars import PlanVars
from solver.weights import resolve_weights, scaled


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    vars: PlanVars
    timeline: Timeline
    rules: tuple[Rule, ...]
    terms: list[PenaltyTerm]
    weights: dict[str, float]
    context: EncodeContext

    def weight(self, rule_id: str) -> float:
        return self.weights.get(rule_id, 0.0)

    def size(self) -> dict[str, int]:
        proto = self.model.proto
        return {"variables": len(proto.variables), "constraints": len(proto.constraints)}


def build_model(
    request: PlanRequest,
    extra_rules: Sequence[Rule] = (),
    *,
    timeline: Timeline | None = None,
    strict_wishes: bool | None = None,
    rules: Sequence[Rule] | None = None,
    explain: bool = False,
    hint_templates: bool = True,
) -> BuiltModel:
    """Encode every rule (built-in, then the planner's own) and minimise the penalties.

    `rules` replaces the whole rule list; only tests use it, to show what a rule changes.
    `explain` puts every hard constraint behind its (rule, week) group literal.
    `hint_templates=False` leaves out the strength templates' hints, for callers that
    replace every hint anyway.
    """
    tl = timeline or Timeline(request)
    model = cp_model.CpModel()
    plan_vars = PlanVars.create(model, tl)
    strict = request.options.strict_preferences if strict_wishes is None else strict_wishes
    ctx = EncodeContext(
        model=model,
        vars=plan_vars,
        timeline=tl,
        strict_wishes=strict,
        explain=explain,
        hint_templates=hint_templates,
    )
    rules = all_rules(extra_rules) if rules is None else tuple(rules)
    weights = resolve_weights(tl)
    terms: list[PenaltyTerm] = []
    for rule in rules:
        weights.setdefault(rule.id, rule.default_weight)
        terms.extend(rule.encode(ctx))
    objective = [scaled(weights[t.rule]) * t.expr for t in terms if scaled(weights[t.rule])]
    model.minimize(sum(objective, start=0))
    return BuiltModel(
        model=model,
        vars=plan_vars,
        timeline=tl,
        rules=tuple(rules),
        terms=terms,
        weights=weights,
        context=ctx,
    )
