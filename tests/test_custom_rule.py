"""Rules are the unit of extension: a planner's own rule binds both solver and validator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solver import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm, Rule, solve, validate
from solver.schemas import PlanRequest, Violation


@dataclass(frozen=True)
class NoRunsOn:
    """A planner's own hard rule: no runs on one weekday (e.g. Friday, the club night)."""

    weekday: str
    id: str = "X-NO-RUNS"
    title: str = "No runs on the club night"
    hard: bool = True
    default_weight: float = 0.0

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        for day in range(ctx.timeline.num_days):
            if ctx.timeline.weekday(day) == self.weekday:
                ctx.model.add(ctx.vars.runs_on(day) == 0)
        return []

    def check(self, ctx: CheckContext) -> CheckOutcome:
        bad = [
            s
            for s in ctx.plan.sessions
            if s.kind == "run" and ctx.timeline.weekday(ctx.timeline.day_of(s.date)) == self.weekday
        ]
        return CheckOutcome(
            violations=[
                Violation(rule=self.id, dates=[s.date], message=f"run on {s.date}") for s in bad
            ]
        )


def test_custom_rule_is_a_rule() -> None:
    assert isinstance(NoRunsOn("fri"), Rule)


def test_solver_and_validator_honour_a_custom_rule(request_10k: PlanRequest) -> None:
    request = request_10k.model_copy(deep=True)
    request.options.time_limit_s = 10
    plain = solve(request)
    assert plain.plan is not None
    # The plain plan runs on Saturdays (a 90-minute slot), so the rule can bite.
    assert validate(request, plain, extra_rules=[NoRunsOn("sat")]).violations

    result = solve(request, extra_rules=[NoRunsOn("sat")])
    assert result.plan is not None
    report = validate(request, result, extra_rules=[NoRunsOn("sat")])
    assert report.violations == []
    assert not any(s.kind == "run" and s.date.weekday() == 5 for s in result.plan.sessions)
