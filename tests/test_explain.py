"""Explaining infeasible calendars (issue 5): minimal conflicts, words, suggestions, wishes.

Every conflict is checked for minimality independently of the shrinking code: the core's
groups are switched on as hard constraints in a fresh solve (infeasible), then each member
is left out in turn (feasible).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ortools.sat.python import cp_model

from solver import solve
from solver.explaining import (
    Budget,
    Group,
    build_explain_model,
    conflicts_for,
    explain,
    find_cores,
    plan_found,
)
from solver.schemas import WEEKDAYS, PlanRequest
from solver.stopping import new_solver
from solver.timeline import LONG_RUN_MIN, MIN_RUN_MINUTES, Timeline

ALL_DAYS = {
    d: {"am": {"minutes": 60, "time": "07:00"}, "pm": {"minutes": 60, "time": "18:00"}}
    for d in WEEKDAYS
}


def request(weeks: int = 1, **changes: Any) -> PlanRequest:
    """A small strict calendar starting Monday 2027-03-01; `changes` patch it."""
    data: dict[str, Any] = {
        "start_date": "2027-03-01",
        "end_date": (dt.date(2027, 3, 1) + dt.timedelta(days=7 * weeks - 1)).isoformat(),
        "athlete": {
            "level": "intermediate",
            "current_weekly_minutes": 150,
            "longest_recent_run_minutes": 60,
            "run_days": {"min": 3, "max": 4},
            "strength_sessions": {"min": 2, "max": 2},
        },
        "locations": {"home": ["bodyweight", "bands", "dumbbells"]},
        "availability": {"weekly": dict(ALL_DAYS)},
        "options": {"time_limit_s": 8, "num_workers": 2, "strict_preferences": True},
    }
    for path, value in changes.items():
        target = data
        *parents, leaf = path.split("__")
        for part in parents:
            target = target[part]
        target[leaf] = value
    return PlanRequest.model_validate(data)


def too_few_days_for_strength(strict: bool = True) -> PlanRequest:
    """3 strength sessions wished, slots only on Monday and Tuesday (S1 vs S2)."""
    return request(
        athlete__run_days={"min": 2, "max": 2},
        athlete__strength_sessions={"min": 3, "max": 3},
        availability__weekly={d: ALL_DAYS[d] for d in ("mon", "tue")},
        options__strict_preferences=strict,
    )


def race_in_travel_block() -> PlanRequest:
    """A B race on Saturday inside a week of travel: only Friday am and Sunday pm are free,
    the day before the race (P3) and the day after (R4), 59 h apart (so S2 holds)."""
    blocked = [{"date": f"2027-03-0{i}", "slot": "all", "minutes": 0} for i in range(1, 8)]
    free = [
        {"date": "2027-03-05", "slot": "am", "minutes": 45, "location": "home"},
        {"date": "2027-03-07", "slot": "pm", "minutes": 45, "location": "home"},
    ]
    return request(
        weeks=2,
        athlete__run_days={"min": 1, "max": 4},
        races=[{"date": "2027-03-06", "distance": "10k", "priority": "B", "name": "Club 10k"}],
        availability__exceptions=blocked + free,
    )


def progression_below_the_long_run() -> PlanRequest:
    """3 runs wished, but R5 caps the first week below a long run (R1's floor) plus two of
    the shortest runs the planner schedules: no room for the required long run."""
    smallest_week = LONG_RUN_MIN + 2 * MIN_RUN_MINUTES
    return request(
        athlete__current_weekly_minutes=int(smallest_week / 1.1) - 5,
        athlete__strength_sessions={"min": 0, "max": 2},
    )


def slots_too_short_for_strength() -> PlanRequest:
    """30-minute slots only, while a base-phase strength session lasts 45-60 min (S11)."""
    return request(
        availability__weekly={d: {"am": {"minutes": 30, "time": "07:00"}} for d in WEEKDAYS}
    )


def assert_minimal(req: PlanRequest, groups: tuple[Group, ...]) -> None:
    """The core alone is infeasible and every member is needed (fresh solves, hard)."""
    assert groups, "an empty core explains nothing"

    def feasible(on: list[Group]) -> bool:
        xm = build_explain_model(req)
        for group in on:
            xm.built.model.add(xm.literal(group) == 1)
        solver = new_solver()
        solver.parameters.num_workers = 2
        solver.parameters.max_time_in_seconds = 20
        status = solver.solve(xm.built.model)
        assert status != cp_model.UNKNOWN, "undecided: cannot judge minimality"
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    assert not feasible(list(groups))
    for member in groups:
        rest = [g for g in groups if g != member]
        assert feasible(rest), f"{member} is not needed: the conflict is not minimal"


def cores_of(req: PlanRequest) -> list[tuple[Group, ...]]:
    xm = build_explain_model(req)
    status, cores = find_cores(xm, xm.default_pool(), Budget(60))
    assert status == "infeasible"
    assert all(core.minimal for core in cores)
    return [core.groups for core in cores]


@pytest.mark.parametrize(
    ("build", "expected", "one_of"),
    [
        (too_few_days_for_strength, {"S1", "S2"}, set()),
        (race_in_travel_block, {"S1"}, {"P3", "R4"}),
        (progression_below_the_long_run, {"R1", "R5", "R10"}, set()),
        (slots_too_short_for_strength, {"S1", "S11"}, set()),
    ],
    ids=["S1+S2 on two days", "race in travel", "R5 below the long run", "S11 slot length"],
)
def test_conflicts_are_minimal(build: Any, expected: set[str], one_of: set[str]) -> None:
    req = build()
    cores = cores_of(req)
    assert cores
    rules = [{g.rule for g in core} for core in cores]
    assert any(expected <= found and (not one_of or found & one_of) for found in rules)
    for core in cores:
        assert_minimal(req, core)


def test_conflict_names_rules_dates_and_calendar_in_one_sentence() -> None:
    result = explain(too_few_days_for_strength(), budget_s=30)
    assert result.status == "infeasible"
    (conflict,) = result.conflicts
    assert {"S1", "S2", "T2"} <= set(conflict.rules)
    assert conflict.dates[:2] == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    message = conflict.message
    assert message.startswith("Week 1 (from Mon 2027-03-01) has slots only on Mon")
    assert "Tue" in message and "48 h" in message and "asks for 3 strength sessions" in message
    assert message.count(".") >= 1 and "\n" not in message


def test_solve_reports_the_same_conflict_as_explain() -> None:
    req = too_few_days_for_strength()
    result = solve(req)
    assert result.status == "infeasible"
    explained = explain(req, budget_s=30)
    assert result.conflicts[0].rules == explained.conflicts[0].rules
    assert result.conflicts[0].message == explained.conflicts[0].message


def test_explanation_is_deterministic() -> None:
    req = race_in_travel_block()
    first = explain(req, budget_s=60)
    second = explain(req, budget_s=60)
    assert [c.model_dump() for c in first.conflicts] == [c.model_dump() for c in second.conflicts]


def test_availability_suggestion_makes_the_calendar_feasible() -> None:
    req = too_few_days_for_strength()
    (conflict,) = explain(req, budget_s=30).conflicts
    slots = [s for s in conflict.suggestions if s.kind in ("add_slot", "extend_slot")]
    assert slots, conflict.suggestions
    for suggestion in slots:
        assert suggestion.exceptions and suggestion.size > 0
        availability = req.availability.model_copy(
            update={"exceptions": [*req.availability.exceptions, *suggestion.exceptions]}
        )
        patched = req.model_copy(update={"availability": availability})
        assert solve(patched).status in ("optimal", "feasible"), suggestion.message


def test_lower_wish_suggestion_is_the_largest_wish_that_fits() -> None:
    req = too_few_days_for_strength()
    (conflict,) = explain(req, budget_s=30).conflicts
    (lower,) = [s for s in conflict.suggestions if s.kind == "lower_wish"]
    (change,) = lower.wishes
    assert (change.rule, change.week, change.wanted) == ("S1", 0, 3)
    assert change.value < change.wanted
    assert lower.message == f"Lower strength sessions to {change.value} in week 1."
    # The phase bounds keep the request from asking for fewer than 2 (S1), so compare
    # with the plan that bends the wish: its best is exactly the suggested value.
    bent = solve(too_few_days_for_strength(strict=False))
    assert bent.plan is not None
    assert bent.plan.weeks[0].strength_sessions == change.value


def test_suggestions_come_smallest_first() -> None:
    (conflict,) = explain(slots_too_short_for_strength(), budget_s=30).conflicts
    sizes = [(len(s.exceptions) + len(s.wishes), s.size) for s in conflict.suggestions]
    assert sizes == sorted(sizes)
    extend = [s for s in conflict.suggestions if s.kind == "extend_slot"]
    assert extend and all("from 30 to 45 min" in s.message for s in extend)


def test_feasible_calendar_lists_the_wishes_that_must_bend() -> None:
    result = explain(too_few_days_for_strength(strict=False), budget_s=30)
    assert result.status == "feasible"
    assert result.wishes == "infeasible"
    assert result.conflicts == []
    assert result.wish_conflicts
    assert {"S1", "S2"} <= set(result.wish_conflicts[0].rules)


def test_a_calendar_that_keeps_every_wish_says_so() -> None:
    result = explain(request(weeks=2, options__strict_preferences=False), budget_s=30)
    assert (result.status, result.wishes, result.wish_conflicts) == ("feasible", "feasible", [])


def test_a_plan_found_settles_what_the_probes_left_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a long calendar the first probe may run out (a feasible 52-week season did, in
    15 s); a first plan found the way solve finds it then shows the calendar feasible. A
    wish question left open is said so, not listed as a conflict."""
    from solver import explaining
    from solver.explain_words import unknown_conflict

    unknown = ("unknown", [unknown_conflict(Timeline(request()))])
    monkeypatch.setattr(explaining, "conflicts_for", lambda *a, **k: unknown)
    easy = request(weeks=2, options__strict_preferences=False)
    result = explain(easy, budget_s=30)
    assert (result.status, result.conflicts) == ("feasible", [])
    assert (result.wishes, result.wish_conflicts) == ("unknown", [])
    assert explain(easy, budget_s=0.5).status == "unknown"  # no time to look for a plan


def test_a_long_calendar_probes_briefly_then_seeks_a_plan_then_probes_at_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """17 weeks and more: a short first probe, a first plan sought with most of what is
    left, and only then the long probe with the rest."""
    from solver import explaining

    calls: list[tuple[str, float]] = []
    unknown = ("unknown", [])

    def probing(*_a: Any, budget_s: float, first_probe_s: float = 5.0, **_k: Any) -> Any:
        calls.append(("probe", first_probe_s))
        return unknown

    def seeking(*_a: Any, budget_s: float) -> bool:
        calls.append(("plan", budget_s))
        return False

    monkeypatch.setattr(explaining, "conflicts_for", probing)
    monkeypatch.setattr(explaining, "plan_found", seeking)
    assert explain(request(weeks=17), budget_s=20).status == "unknown"
    assert [what for what, _ in calls] == ["probe", "plan", "probe"]
    assert calls[0][1] == explaining.NEXT_CONFLICT_DETERMINISTIC_S
    assert 14 < calls[1][1] <= 0.75 * 20
    assert calls[2][1] == explaining.PROBE_DETERMINISTIC_S
    calls.clear()
    explain(request(weeks=16), budget_s=20)
    assert calls[0] == ("probe", explaining.PROBE_DETERMINISTIC_S)


def test_plan_found_finds_no_plan_where_none_exists() -> None:
    assert plan_found(request(weeks=2), (), budget_s=10)
    assert not plan_found(too_few_days_for_strength(), (), budget_s=10)


def test_unmet_wish_names_the_rules_in_the_way() -> None:
    result = solve(too_few_days_for_strength(strict=False))
    assert result.status in ("optimal", "feasible")
    (wish,) = [w for w in result.unmet_wishes if w.rule == "S1"]
    assert wish.wanted == 3 and wish.planned < 3
    assert "S2" in wish.blocked_by and "T2" in wish.blocked_by
    noun = "strength session" if wish.planned == 1 else "strength sessions"
    prefix = f"Week 1 (from 2027-03-01): {wish.planned} {noun} instead of 3 — "
    assert wish.message.startswith(prefix)
    assert "slots only on Mon" in wish.message and "48 h" in wish.message


def test_bodyweight_covers_every_pillar_so_equipment_never_blocks() -> None:
    # S9: bodyweight is always at hand, and every pillar has bodyweight exercises in
    # every phase, so a location with no kit at all still hosts full sessions.
    req = request(weeks=2, locations={"hotel": []})
    assert explain(req, budget_s=30).status == "feasible"


def test_custom_hard_rule_takes_part_in_conflicts() -> None:
    from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm

    class NoMondays:
        id = "NOMON"
        title = "No training on Mondays"
        hard = True
        default_weight = 0.0

        def encode(self, ctx: EncodeContext) -> list[PenaltyTerm]:
            v, tl = ctx.vars, ctx.timeline
            for day in range(tl.num_days):
                if tl.weekday(day) == "mon":
                    for key in v.slot_keys_on(day):
                        ctx.hard("NOMON", tl.week_of(day), v.run_at(key) + v.strength_at(key) == 0)
            return []

        def check(self, ctx: CheckContext) -> CheckOutcome:
            return CheckOutcome()

    req = request(
        athlete__run_days={"min": 3, "max": 3},
        availability__weekly={d: ALL_DAYS[d] for d in ("mon", "wed", "fri")},
    )
    assert solve(req).status in ("optimal", "feasible")
    status, conflicts = conflicts_for(req, [NoMondays()], budget_s=30, suggestions=False)
    assert status == "infeasible"
    assert any({"NOMON", "R10"} <= set(c.rules) for c in conflicts)


def test_explain_command_prints_conflicts_and_suggestions(tmp_path: Any) -> None:
    import typer
    from typer.testing import CliRunner

    from solver.cli_explain import explain_command

    app = typer.Typer()
    app.command()(explain_command)
    path = tmp_path / "request.json"
    path.write_text(too_few_days_for_strength().model_dump_json())
    out = tmp_path / "explanation.json"
    result = CliRunner().invoke(app, [str(path), "--budget", "20", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "INFEASIBLE" in result.output and "S2" in result.output
    assert "Would resolve it" in result.output
    assert '"status": "infeasible"' in out.read_text()
    bad = tmp_path / "bad.json"
    bad.write_text('{"start_date": "2027-03-01"}')
    assert CliRunner().invoke(app, [str(bad)]).exit_code == 2
