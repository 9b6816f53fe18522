"""Unmet wishes that collide with other wishes (issue 5, RULES.md §6).

When no safety rule alone stands in a wish's way, the plan kept other wishes instead: the
explanation names them, as the plan kept them (met, or held at what it gave them). Each
explanation is checked independently of the search that found it: the wish with its
blockers has no plan, and leaving out any one of them gives one (fresh solves).
"""

from __future__ import annotations

from typing import Any

import pytest

from solver import solve
from solver.explain_wishes import WishExplainer, wish_blockers
from solver.explaining import Budget, Group
from solver.schemas import PlanRequest, SolveResult
from solver.solving import UNEXPLAINED_WISH
from solver.timeline import Timeline
from tests.test_explain import assert_minimal, request


def three_slots(weeks: int = 2) -> PlanRequest:
    """3 runs and 2 strength sessions wished, three slots a week: not all can be met."""
    slot = {"minutes": 45, "location": "home"}
    return request(
        weeks,
        athlete__level="beginner",
        athlete__current_weekly_minutes=90,
        athlete__longest_recent_run_minutes=40,
        athlete__run_days={"min": 3, "max": 3},
        availability__weekly={
            "tue": {"am": {**slot, "time": "06:00"}},
            "thu": {"pm": {**slot, "time": "18:00"}},
            "sun": {"am": {**slot, "minutes": 60, "time": "08:00"}},
        },
        options__strict_preferences=False,
        options__time_limit_s=20,
    )


@pytest.fixture(scope="module")
def solved() -> tuple[PlanRequest, SolveResult]:
    request = three_slots()
    result = solve(request)
    assert result.status in ("optimal", "feasible")
    assert result.unmet_wishes, "the calendar is meant to bend a wish"
    return request, result


def test_every_wish_is_explained_within_the_solve(solved: tuple[PlanRequest, SolveResult]) -> None:
    _request, result = solved
    for wish in result.unmet_wishes:
        assert wish.blocked_by, wish.message
        assert UNEXPLAINED_WISH not in wish.message


def test_a_wish_is_blocked_by_the_wishes_the_plan_kept(
    solved: tuple[PlanRequest, SolveResult],
) -> None:
    request, result = solved
    unmet = {(w.rule, w.week): w.planned for w in result.unmet_wishes}
    explainer = WishExplainer(Timeline(request), Budget(60), unmet)
    competing = 0
    for wish in result.unmet_wishes:
        found = wish_blockers(explainer, wish.rule, wish.week)
        assert found.groups, wish.message
        subject = Group(wish.rule, wish.week, wish=True)
        # Infeasible with the wish; feasible without it or without any one blocker.
        assert_minimal(request, (*found.groups, subject))
        for group in found.groups:
            if group.wish:
                competing += 1
                # Held as the plan kept it: met in full, or at what it gave.
                assert group.level == unmet.get((group.rule, group.week or 0))
                assert group.rule in found.rules
    assert competing, "no wish was explained by another wish"


def test_a_wish_held_at_its_level_is_worded_as_planned() -> None:
    from solver.explain_words import rule_phrase

    timeline = Timeline(three_slots())
    held = rule_phrase(timeline, Group("S1", 0, wish=True, level=1))
    assert held == "the 1 strength session planned (S1 asks for 2)"
    runs = rule_phrase(timeline, Group("R10", 1, wish=True, level=2))
    assert runs == "the 2 runs planned (R10 asks for 3)"


def test_without_the_plan_every_other_wish_is_held_in_full(
    solved: tuple[PlanRequest, SolveResult],
) -> None:
    # Without a plan to go by (unmet=None), no wish is held at a level.
    request, result = solved
    explainer = WishExplainer(Timeline(request), Budget(60))
    wish = result.unmet_wishes[0]
    found = wish_blockers(explainer, wish.rule, wish.week)
    assert all(g.level is None for g in found.groups)
    if found.groups:
        assert_minimal(request, (*found.groups, Group(wish.rule, wish.week, wish=True)))


def test_a_wish_the_plan_bent_too_is_held_at_what_it_gave() -> None:
    # As if the plan had kept 2 of the 3 runs of week 1: 2 strength sessions still do not
    # fit beside them in three slots, and the explanation says so with the 2 runs.
    request = three_slots()
    unmet = {("S1", 0): 0, ("S1", 1): 0, ("R10", 0): 2}
    explainer = WishExplainer(Timeline(request), Budget(60), unmet)
    found = wish_blockers(explainer, "S1", 0)
    held = Group("R10", 0, wish=True, level=2)
    assert held in found.groups
    assert "the 2 runs planned (R10 asks for 3)" in found.reason
    assert_minimal(request, (*found.groups, Group("S1", 0, wish=True)))


@pytest.mark.parametrize("settled", [True, False])
def test_a_wish_nothing_blocks_says_the_plan_bent_it(
    monkeypatch: pytest.MonkeyPatch, settled: bool
) -> None:
    # A finished search that found nothing in the way is a finding ("the plan bent it");
    # an unfinished one is not, and says that it ran out.
    from solver import explain_wishes
    from solver.explain_wishes import WishBlockers
    from solver.solving import TRADED_WISH

    def nothing(*_args: Any) -> WishBlockers:
        return WishBlockers([], "", settled=settled)

    monkeypatch.setattr(explain_wishes, "wish_blockers", nothing)
    result = solve(three_slots())
    assert result.unmet_wishes
    for wish in result.unmet_wishes:
        assert wish.blocked_by == []
        assert (TRADED_WISH in wish.message) == settled
        assert (UNEXPLAINED_WISH in wish.message) == (not settled)
