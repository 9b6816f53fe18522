"""Wishes bend, safety rules do not (RULES.md §6)."""

from __future__ import annotations

from typing import Any

from solver import solve, validate
from solver.schemas import PlanRequest


def mon_tue_only(strict: bool) -> PlanRequest:
    """3 strength sessions wanted, but only Monday and Tuesday are free (S1 vs S2)."""
    data: dict[str, Any] = {
        "start_date": "2027-03-01",
        "end_date": "2027-03-21",
        "athlete": {
            "level": "intermediate",
            "current_weekly_minutes": 90,
            "longest_recent_run_minutes": 45,
            "run_days": {"min": 2, "max": 2},
            "strength_sessions": {"min": 3, "max": 3},
        },
        "availability": {
            "weekly": {
                "mon": {
                    "am": {"minutes": 60, "time": "07:00"},
                    "pm": {"minutes": 60, "time": "18:00"},
                },
                "tue": {
                    "am": {"minutes": 60, "time": "07:00"},
                    "pm": {"minutes": 60, "time": "18:00"},
                },
            }
        },
        "options": {"time_limit_s": 10, "num_workers": 8, "strict_preferences": strict},
    }
    return PlanRequest.model_validate(data)


def test_unmet_wishes_are_listed_by_default() -> None:
    request = mon_tue_only(strict=False)
    result = solve(request)
    assert result.status in ("optimal", "feasible")
    assert validate(request, result).violations == []
    strength_wishes = [w for w in result.unmet_wishes if w.rule == "S1"]
    assert len(strength_wishes) == 3  # every week
    for wish in strength_wishes:
        assert wish.wanted == 3
        assert wish.planned < 3
        assert f"Week {wish.week + 1}" in wish.message
    assert any(p.rule == "S1" for p in result.penalties)


def test_strict_preferences_make_the_same_calendar_infeasible() -> None:
    result = solve(mon_tue_only(strict=True))
    assert result.status == "infeasible"
    assert result.plan is None
    assert result.conflicts
    assert "S1" in result.conflicts[0].rules


def test_wish_outweighs_every_other_penalty() -> None:
    request = mon_tue_only(strict=False)
    result = solve(request)
    wish_weight = next(p.value for p in result.penalties if p.rule == "S1")
    others = sum(p.value for p in result.penalties if p.rule not in ("S1", "R10"))
    # Per missing session the wish weighs more than all other penalties of a week.
    missing = sum(3 - w.planned for w in result.unmet_wishes if w.rule == "S1")
    assert wish_weight / missing > others / 3


def test_stages_account_for_the_wall_time_and_explanations_fit_the_limit() -> None:
    """Explaining the unmet wishes is a stage of its own, inside the time limit's share."""
    request = mon_tue_only(strict=False)
    result = solve(request)
    stages = result.stages
    assert result.unmet_wishes and stages.explain_s > 0
    assert stages.search_s > 0 and stages.build_s > 0
    total = stages.warm_start_s + stages.build_s + stages.search_s + stages.explain_s
    assert stages.reference_s == 0  # a solve, not a re-plan
    assert abs(total - result.wall_time_s) < 0.01
    # The search left its reserve: the explanations did not run past the caller's limit by
    # more than the explanation floor.
    assert stages.search_s + stages.build_s <= request.options.time_limit_s


def test_a_wish_explained_without_time_says_so(monkeypatch: Any) -> None:
    """With no time left to search, a wish the calendar alone does not explain says why it
    has no reason, and points to the command that searches longer."""
    from solver import solving

    monkeypatch.setattr(solving, "_explain_budget", lambda deadline: 0.0)
    # Three free days for three sessions: the calendar alone does not show why (S2 does).
    data = mon_tue_only(strict=False).model_dump(mode="json")
    data["availability"]["weekly"]["wed"] = data["availability"]["weekly"]["tue"]
    data["options"]["time_limit_s"] = 5
    request = PlanRequest.model_validate(data)
    result = solve(request)
    unexplained = [w for w in result.unmet_wishes if w.rule == "S1" and not w.blocked_by]
    assert unexplained
    for wish in unexplained:
        assert "stride explain" in wish.message, wish.message
