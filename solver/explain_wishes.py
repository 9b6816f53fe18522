"""Unmet wishes explained (RULES.md §6): which hard rules stood in the way of a week's wish.

Found the way a conflict is (solver/explain.py): the week's wish is made hard and set
against the safety rules, first near the week, then further out, and the result is shrunk
to a minimal core that keeps the wish. `solve` asks once per unmet wish; the searches share
one budget per solve, after which only what the calendar shows at a glance is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from solver.explain import (
    Budget,
    ExplainModel,
    Group,
    build_explain_model,
    focus_weeks,
    rule_ids,
)
from solver.timeline import Timeline

WISH_NEIGHBOURHOOD = 1  # weeks either side of an unmet wish searched first


@dataclass(frozen=True)
class WishBlockers:
    """The hard rules that stood in the way of one week's wish, and why, in words."""

    rules: list[str]
    reason: str


# The searches of one result share its models (by cutoff) and one wall-clock budget,
# after which a reason is only what the calendar shows at a glance.
WISH_BUDGET_EACH_S = 3.0


@dataclass
class WishExplainer:
    """Explains the unmet wishes of one result: models built once, one shared budget."""

    timeline: Timeline
    budget: Budget
    models: dict[int | None, ExplainModel] = field(default_factory=dict)

    def model(self, cutoff: int | None) -> ExplainModel:
        if cutoff not in self.models:
            whole = self.timeline if cutoff is None else None
            self.models[cutoff] = build_explain_model(
                self.timeline.request, timeline=whole, cutoff_weeks=cutoff
            )
        return self.models[cutoff]


def wish_blockers(explainer: WishExplainer, rule: str, week: int) -> WishBlockers:
    """Which hard rules keep `rule`'s wish of `week` from being met (built-in rules only).

    The wish is made hard and set against the safety rules of its neighbourhood (the week
    and one either side), then of every week up to the next, then of the whole plan, then
    of the whole plan with the other wishes; the first that is infeasible is shrunk to a
    minimal core. The wish always stays in the core; the other members are the answer. T2
    is added when opening the week's free slots would let the wish be met. Once the
    solve's budget for this is spent, only a calendar too short for the wish is named.
    """
    timeline = explainer.timeline
    shared = explainer.budget
    if shared.spent:
        return at_a_glance(timeline, rule, week)
    budget = Budget(min(WISH_BUDGET_EACH_S, shared.remaining))
    subject = Group(rule, week, wish=True)
    cutoff = focus_weeks(timeline, [subject])
    near_model = explainer.model(cutoff)
    if budget.spent:
        return at_a_glance(timeline, rule, week)
    whole = explainer.model(None)
    if subject not in whole.literals:
        return WishBlockers([], "")
    near = [
        g
        for g in near_model.safety_groups
        if g.week is None or abs(g.week - week) <= WISH_NEIGHBOURHOOD
    ]
    stages = [(near_model, near), (near_model, near_model.safety_groups)]
    if cutoff is not None:
        stages.append((whole, whole.safety_groups))
    for xm, pool in stages:
        core = _core_with(xm, subject, pool, budget)
        if core is not None:
            return _blockers(xm, core, subject, budget)
    # Feasible against every safety rule: the wish competes with other weeks' wishes. Set
    # aside any collision of other wishes that does not involve this one, then look again.
    others = [g for g in whole.wish_groups if g != subject]
    while others and not budget.spent:
        result = whole.probe([*whole.safety_groups, *others, subject], budget)
        if result.status != "infeasible":
            break
        core = _core_with(whole, subject, [g for g in result.core if g != subject], budget)
        if core is not None:
            return _blockers(whole, core, subject, budget)
        unrelated = {g for g in result.core if g.wish}
        if not unrelated:
            break
        others = [g for g in others if g not in unrelated]
    if budget.spent:
        return at_a_glance(timeline, rule, week)
    return WishBlockers([], "")


def at_a_glance(timeline: Timeline, rule: str, week: int) -> WishBlockers:
    """Without a search: T2 when the week has fewer days with a slot than the wish."""
    wanted = (
        timeline.run_days_wish(week)
        if rule == "R10"
        else timeline.strength_bounds(week, recovery=False)[0]
    )
    days = sum(1 for d in timeline.days_of_week(week) if timeline.slots_on(d))
    if days >= wanted:
        return WishBlockers([], "")
    from solver.explain_words import week_facts

    return WishBlockers(["T2"], week_facts(timeline, week, label="the week"))


def _core_with(
    xm: ExplainModel, subject: Group, pool: Sequence[Group], budget: Budget
) -> list[Group] | None:
    """A minimal core of `pool` plus the wish `subject` that needs the wish, or None."""
    if budget.spent or subject not in xm.literals:
        return None
    result = xm.probe([*pool, subject], budget)
    if result.status != "infeasible":
        return None
    core, _minimal = xm.shrink(result.core, budget, keep=[subject])
    rest = [g for g in core if g != subject]
    if subject not in core or xm.probe(rest, budget).status != "feasible":
        return None  # infeasible without the wish too: not this wish's explanation
    return core


def _blockers(xm: ExplainModel, core: list[Group], subject: Group, budget: Budget) -> WishBlockers:
    from solver.explain_suggest import availability_blocks
    from solver.explain_words import wish_reason

    blockers = [g for g in core if g != subject]
    rules = rule_ids(blockers)
    if availability_blocks(xm, core, budget):
        rules = ["T2", *[r for r in rules if r != "T2"]]
    week = subject.week or 0
    return WishBlockers(rules, wish_reason(xm.timeline, week, blockers, rules, xm.wanted))
