"""A re-plan reports, and explains, only the unmet wishes of the weeks still to come."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from solver import solve, solving
from solver.replan import replan
from solver.schemas import ReplanLog
from tests.test_wishes import mon_tue_only


def test_weeks_that_are_over_have_no_unmet_wishes_to_explain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = mon_tue_only(strict=False)
    previous = solve(request)
    assert {w.week for w in previous.unmet_wishes} == {0, 1, 2}
    explained: list[int] = []
    real = solving._explain_unmet_wishes

    def spy(result: Any, tl: Any, budget_s: float) -> None:
        explained.extend(w.week for w in result.unmet_wishes)
        real(result, tl, budget_s)

    monkeypatch.setattr(solving, "_explain_unmet_wishes", spy)
    as_of = dt.date(2027, 3, 9)  # Tuesday of week 2 (index 1)
    result = replan(request, previous, ReplanLog(), as_of)
    assert result.status in ("optimal", "feasible")
    assert {w.week for w in result.unmet_wishes} == {1, 2}
    assert sorted(set(explained)) == [1, 2]
    assert all(w.blocked_by for w in result.unmet_wishes)
