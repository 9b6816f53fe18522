"""Property: for any calendar, every reason given for an unmet wish is a minimal collision.

The wish with its blockers (other wishes held as the plan kept them) has no plan, and
leaving out any one of them, or the wish, gives one: checked by fresh solves of the
calendar alone, independently of the search that found the reason.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, note, settings

from solver import solve
from solver.explain_wishes import WishExplainer, wish_blockers
from solver.explaining import Budget, Group
from solver.schemas import PlanRequest
from solver.timeline import Timeline
from tests.strategies import plan_requests
from tests.test_explain import assert_minimal


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(plan_requests(max_weeks=3, time_limit_s=4.0))
def test_every_reason_for_an_unmet_wish_is_a_minimal_collision(drawn: PlanRequest) -> None:
    options = drawn.options.model_copy(update={"strict_preferences": False})
    request = drawn.model_copy(update={"options": options})
    note(request.model_dump_json())
    result = solve(request)
    if result.plan is None or not result.unmet_wishes:
        return  # nothing bent: nothing to explain
    unmet = {(w.rule, w.week): w.planned for w in result.unmet_wishes}
    explainer = WishExplainer(Timeline(request), Budget(120), unmet)
    for wish in result.unmet_wishes:
        found = wish_blockers(explainer, wish.rule, wish.week)
        note(f"{wish.message}: {found}")
        if found.groups:
            assert_minimal(request, (*found.groups, Group(wish.rule, wish.week, wish=True)))
        elif found.rules:
            assert found.rules == ["T2"]  # at a glance: fewer days with a slot than asked
