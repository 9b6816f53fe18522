"""Unmet wishes explained (RULES.md §6): which hard rules stood in the way of a week's wish.

Found the way a conflict is (solver/explaining.py): the week's wish is made hard and set
against the safety rules, first near the week, then further out, and the result is shrunk
to a minimal core that keeps the wish. `solve` asks once per unmet wish; the searches share
one budget per solve, after which only what the calendar shows at a glance is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from solver.explaining import (
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
    groups: tuple[Group, ...] = ()  # the core found, the wish itself left out
    # False when no reason was found but the search did not finish (time, or a search
    # CP-SAT could not decide): the wish may still be blocked.
    settled: bool = True


# The searches of one result share its models (by cutoff) and one wall-clock budget,
# after which a reason is only what the calendar shows at a glance.
WISH_BUDGET_EACH_S = 3.0
# Each search: CP-SAT deterministic seconds, shared out over the quick search, the LP
# search without presolve and the default one (explain.PROBE_PROFILES). Collisions through
# strength content (sets per muscle, exercise by exercise) need the LP, so the quick search
# gets little (8 wishes on q-sparse-30min-8w: 11.3 s with 2 s split between quick and
# default, 3.7 s so), and a search none decides costs about a second, not three.
WISH_PROBE_S = 2.0
WISH_PROBE_SHARES = (0.05, 0.5, 0.45)


@dataclass
class WishExplainer:
    """Explains the unmet wishes of one result: models built once, one shared budget.

    `unmet` maps every (rule, week) wish the result's plan left unmet, past weeks' too, to
    what the plan gave it (runs or sessions); None when not known. The plan is a witness
    that every safety rule, the wishes it met and the unmet ones at what it gave them hold
    together, which lets a wish that competes with other wishes be explained with one
    search. `build` makes the explaining model of the calendar's first `cutoff` weeks
    (None: all); by default that of the calendar alone, a re-plan's has the past as logged.
    """

    timeline: Timeline
    budget: Budget
    unmet: dict[tuple[str, int], int] | None = None
    build: Callable[[int | None], ExplainModel] | None = None
    models: dict[int | None, ExplainModel] = field(default_factory=dict)

    def model(self, cutoff: int | None) -> ExplainModel:
        if cutoff not in self.models and self.build is not None:
            self.models[cutoff] = self.build(cutoff)
        if cutoff not in self.models:
            whole = self.timeline if cutoff is None else None
            # Probes only: no template hints (2.7 s less on a 16-week calendar's 20 wishes).
            self.models[cutoff] = build_explain_model(
                self.timeline.request, timeline=whole, cutoff_weeks=cutoff, hint_templates=False
            )
        return self.models[cutoff]


def wish_blockers(explainer: WishExplainer, rule: str, week: int) -> WishBlockers:
    """Which hard rules keep `rule`'s wish of `week` from being met (built-in rules only).

    The wish is made hard and set, on the weeks up to its reach, against the safety rules
    of its neighbourhood (the week and one either side), alone, then with the other wishes
    of its week, then of its neighbours' weeks, as the plan kept them; then the same with
    the safety rules of every week; then on the whole calendar against every safety rule,
    then with every other wish. The first that is infeasible is shrunk to a minimal core:
    the nearest collision is the one to tell, and a short calendar shrinks in a few quick
    searches. The wish always stays in the core; the other members are the answer. T2 is
    added when opening the week's free slots would let the wish be met. Once the solve's
    budget for this is spent, only a calendar too short for the wish is named.
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
    others = _other_wishes(explainer, whole, subject)
    near_safety = [
        g
        for g in near_model.safety_groups
        if g.week is None or abs(g.week - week) <= WISH_NEIGHBOURHOOD
    ]
    near_wishes = [
        [g for g in others if abs((g.week or 0) - week) <= reach]
        for reach in (0, WISH_NEIGHBOURHOOD)
    ]
    searches: list[tuple[ExplainModel, list[Group]]] = [
        (near_model, near_safety),
        *((near_model, [*near_safety, *wishes]) for wishes in near_wishes),
        (near_model, near_model.safety_groups),
        (near_model, [*near_model.safety_groups, *near_wishes[-1]]),
    ]
    if cutoff is not None:
        searches.append((whole, whole.safety_groups))
    searches.append((whole, [*whole.safety_groups, *others]))
    tried: set[tuple[int, frozenset[Group]]] = set()
    undecided = False
    for xm, pool in searches:
        known = [g for g in pool if xm.knows(g)]
        key = (id(xm), frozenset(known))
        if key in tried:
            continue  # the same search as before (no wishes near, or nothing cut)
        tried.add(key)
        core, settled = _colliding(xm, subject, known, budget)
        if core is not None:
            return _blockers(xm, core, subject, budget)
        undecided = undecided or not settled
    if budget.spent or undecided:
        return at_a_glance(timeline, rule, week)
    # Nothing hard stood in the way: the plan traded the wish for a softer cost.
    return WishBlockers([], "")


def _other_wishes(explainer: WishExplainer, whole: ExplainModel, subject: Group) -> list[Group]:
    """The other weeks' wishes, as the plan kept them when it is known: met, or held at
    what it gave them. These hold together with every safety rule (the plan shows it), so
    a collision with the subject added involves it, found in one search."""
    others = [g for g in whole.wish_groups if g != subject and g.level is None]
    if explainer.unmet is None:
        return others
    held = [_as_planned(g, explainer.unmet) for g in others]
    return [g for g in held if g.level != 0]


def _as_planned(wish: Group, unmet: dict[tuple[str, int], int]) -> Group:
    """The wish as the plan kept it: whole when met, else held at what the plan gave it."""
    if wish.week is None or (wish.rule, wish.week) not in unmet:
        return wish
    return Group(wish.rule, wish.week, wish=True, level=unmet[(wish.rule, wish.week)])


def _colliding(
    xm: ExplainModel, subject: Group, pool: list[Group], budget: Budget
) -> tuple[list[Group] | None, bool]:
    """A core of `pool` plus the wish that needs the wish, any collision among other
    wishes that it is no part of set aside in turn; with whether the search was decided
    (no core: nothing collides; a core: proved minimal)."""
    while not budget.spent:
        result = xm.probe(
            [*pool, subject], budget, deterministic_s=WISH_PROBE_S, shares=WISH_PROBE_SHARES
        )
        if result.status != "infeasible":
            return None, result.status == "feasible"
        if subject in result.core:
            found = _core_with(xm, subject, result.core, budget)
            if found is not None:
                return found
        # Other wishes colliding without this one (a week too short for its own wish, a
        # past the log fixed): set them aside and look again.
        unrelated = {g for g in result.core if g.wish and g != subject}
        if not unrelated:
            return None, True  # the rules collide without the wish: not its explanation
        pool = [g for g in pool if g not in unrelated]
    return None, False


def at_a_glance(timeline: Timeline, rule: str, week: int) -> WishBlockers:
    """Without a search: T2 when the week has fewer days with a slot than the wish (else
    nothing, unsettled: the wish may be blocked all the same)."""
    wanted = timeline.wish_of(rule, week)
    days = sum(1 for d in timeline.days_of_week(week) if timeline.slots_on(d))
    if days >= wanted:
        return WishBlockers([], "", settled=False)
    from solver.explain_words import week_facts

    return WishBlockers(["T2"], week_facts(timeline, week, label="the week"))


def _core_with(
    xm: ExplainModel, subject: Group, core: Sequence[Group], budget: Budget
) -> tuple[list[Group], bool] | None:
    """`core` (with the wish, infeasible) shrunk keeping the wish, and whether it is proved
    minimal; None when the rest is infeasible without the wish too."""
    shrunk, minimal = xm.shrink(
        core, budget, keep=[subject], deterministic_s=WISH_PROBE_S, shares=WISH_PROBE_SHARES
    )
    rest = [g for g in shrunk if g != subject]
    without = xm.probe(rest, budget, deterministic_s=WISH_PROBE_S, shares=WISH_PROBE_SHARES).status
    if subject not in shrunk or without == "infeasible":
        return None  # infeasible without the wish too: not this wish's explanation
    return shrunk, minimal and without == "feasible"


def _blockers(xm: ExplainModel, core: list[Group], subject: Group, budget: Budget) -> WishBlockers:
    from solver.explain_suggest import availability_blocks
    from solver.explain_words import wish_reason

    blockers = [g for g in core if g != subject]
    rules = rule_ids(blockers)
    if availability_blocks(xm, core, budget):
        rules = ["T2", *[r for r in rules if r != "T2"]]
    week = subject.week or 0
    reason = wish_reason(xm.timeline, week, blockers, rules, xm.wanted)
    return WishBlockers(rules, reason, tuple(blockers))
