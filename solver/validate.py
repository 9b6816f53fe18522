"""The plan validator: every rule's independent check, and the objective recomputed.

It reads only the request and the plan. It never imports ortools or the model, so a bug in
an encoding shows up here as a violation instead of being repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.rules.base import CheckContext, Rule
from solver.rules.registry import all_rules
from solver.schemas import Penalty, Plan, PlanRequest, SolveResult, Violation
from solver.timeline import Timeline
from solver.weights import resolve_weights, scaled

OBJECTIVE_TOLERANCE = 1e-6


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    objective: float = 0.0
    objective_matches: bool | None = None  # None when no solver objective was given

    @property
    def ok(self) -> bool:
        return not self.violations and self.objective_matches is not False


def validate(
    request: PlanRequest,
    result: SolveResult | Plan,
    *,
    extra_rules: Sequence[Rule] = (),
) -> ValidationReport:
    """Check a plan against every rule and recompute its objective from the plan alone."""
    plan = result.plan if isinstance(result, SolveResult) else result
    report = ValidationReport()
    if plan is None:
        return report
    timeline = Timeline(request)
    ctx = CheckContext(timeline=timeline, plan=plan)
    weights = resolve_weights(timeline)
    total_scaled = 0
    for rule in all_rules(extra_rules):
        outcome = rule.check(ctx)
        report.violations.extend(outcome.violations)
        weight = weights.get(rule.id, rule.default_weight)
        if outcome.penalty:
            value_scaled = scaled(weight) * outcome.penalty
            total_scaled += value_scaled
            report.penalties.append(
                Penalty(rule=rule.id, value=value_scaled / 100, detail="; ".join(outcome.details))
            )
    report.objective = total_scaled / 100
    if isinstance(result, SolveResult) and result.objective is not None:
        report.objective_matches = abs(result.objective - report.objective) <= OBJECTIVE_TOLERANCE
    return report
