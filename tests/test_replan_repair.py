"""The re-plan's first plan: the plan in progress repaired near as_of (solver/replan_repair.py),
the quick check that the logged facts break no rule, and slack only where they do
(solver/replan_model.py)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pytest
from ortools.sat.python import cp_model

from solver import replan_model, solve
from solver.replan_model import (
    bound_slack,
    build_replan_model,
    hint_previous,
    reference_slack,
)
from solver.replan_repair import repair_hint
from solver.replanning import prepare, replan, replan_rules
from solver.schemas import AvailabilityException, PlanRequest, ReplanLog, SolveResult
from solver.stopping import new_solver
from solver.warm_start import placement_vars
from tests.test_replan import SLOTS, START, assert_clean, plan_request

WEEKS = 9


@cache
def planned() -> tuple[PlanRequest, SolveResult]:
    end = START + dt.timedelta(days=7 * WEEKS - 1)
    weekly = {day: slots for day, slots in SLOTS.items() if day != "sun"}
    request = plan_request(end_date=end.isoformat(), availability={"weekly": weekly})
    result = solve(request)
    assert result.plan is not None
    return request, result


def travel_log(previous: SolveResult, as_of: dt.date) -> ReplanLog:
    """Two days away next week, on days with planned sessions: the plan in progress is no
    longer a plan, and the repair has to move those sessions."""
    assert previous.plan is not None
    ahead = sorted({s.date for s in previous.plan.sessions if as_of + dt.timedelta(7) <= s.date})[
        :2
    ]
    return ReplanLog(unavailable=[AvailabilityException(date=d, slot="all") for d in ahead])


def test_repair_changes_only_the_weeks_near_as_of() -> None:
    request, previous = planned()
    as_of = START + dt.timedelta(days=14)
    rp = prepare(request, previous, travel_log(previous, as_of), as_of)
    rules = replan_rules(rp)
    reference = reference_slack(rp, rules, time_limit_s=10, seed=1)
    assert isinstance(reference, dict)
    model = build_replan_model(rp, rules)
    bound_slack(model, reference)
    hint_previous(model.built, rp)
    before = dict(
        zip(
            model.built.model.proto.solution_hint.vars,
            model.built.model.proto.solution_hint.values,
            strict=True,
        )
    )
    repaired = repair_hint(model.built, rp, budget_s=10)
    assert repaired is not None
    # The hint is now a whole plan of the model, and CP-SAT finds it at once.
    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(model.built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert abs(solver.objective_value / 100 - repaired.objective) < 1e-6
    keep_from = 7 * (rp.as_of_day // 7 + 1 + repaired.free_weeks)
    kept = [var for day, var in placement_vars(model.built) if day >= keep_from]
    assert kept, "the calendar is long enough for some weeks to stay as planned"
    for var in kept:
        if var.index in before:
            assert solver.value(var) == before[var.index], var.name


def test_repaired_replan_is_clean_and_no_worse_than_cold() -> None:
    request, previous = planned()
    as_of = START + dt.timedelta(days=14)
    log = travel_log(previous, as_of)
    warm = replan(request, previous, log, as_of)
    cold = replan(request, previous, log, as_of, warm_start=False)
    assert_clean(request, previous, log, as_of, warm)
    assert warm.status == cold.status == "optimal"
    assert warm.objective == cold.objective


def test_no_slack_shortcut_agrees_with_the_minimisation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whenever the quick check finds that the facts break nothing, its all-zero reference
    is what minimising the slack gives; where they do break something, it stands aside."""
    request, previous = planned()
    for week in range(1, WEEKS - 1):
        # Sunday has no slot in this calendar: as of a Sunday, nothing planned is missing.
        as_of = START + dt.timedelta(days=7 * week + 6)
        rp = prepare(request, previous, ReplanLog(), as_of)
        rules = replan_rules(rp)
        assert replan_model._facts_break_nothing(build_reference(rp, rules), 10, 1)
        fast = reference_slack(rp, rules, time_limit_s=10, seed=1)
        monkeypatch.setattr(replan_model, "_facts_break_nothing", lambda *a: False)
        slow = reference_slack(rp, rules, time_limit_s=10, seed=1)
        monkeypatch.undo()
        assert isinstance(fast, dict) and isinstance(slow, dict)
        assert {k: sorted(v) for k, v in fast.items()} == {k: sorted(v) for k, v in slow.items()}
    # As of the day of the week's long run, it is still to come and the reference lacks it.
    _week, as_of = long_run_day(previous)
    rp = prepare(request, previous, ReplanLog(), as_of)
    rules = replan_rules(rp)
    assert not replan_model._facts_break_nothing(build_reference(rp, rules), 10, 1)


def long_run_day(previous: SolveResult) -> tuple[int, dt.date]:
    """(week, day) of the plan's first long run after a Monday from week 2 on: as of that
    day the week has facts and its long run is still to come. (The plan varies from solve
    to solve; its long runs are not all on Mondays.)"""
    assert previous.plan is not None
    return next(
        ((s.date - START).days // 7, s.date)
        for s in sorted(previous.plan.sessions, key=lambda s: s.date)
        if s.run_type == "long" and s.date.weekday() > 0 and (s.date - START).days >= 14
    )


def build_reference(rp: Any, rules: Any) -> Any:
    """The reference model as `reference_slack` builds it, without its solve."""
    return replan_model.reference_model(rp, rules)


def test_only_the_groups_the_facts_break_get_slack() -> None:
    """As of the day of its long run, the week's long run is still to come, so the
    reference (nothing new planned) breaks R1 that week; the re-plan's model relaxes only
    such groups, and every other past-facing group is a plain hard rule."""
    request, previous = planned()
    week, as_of = long_run_day(previous)
    rp = prepare(request, previous, ReplanLog(), as_of)
    rules = replan_rules(rp)
    reference = reference_slack(rp, rules, time_limit_s=10, seed=1)
    assert isinstance(reference, dict) and reference
    assert all(any(values) for found in reference.values() for values in found)
    broken = replan_model.broken_groups(reference)
    assert ("R1", week) in broken
    everything = build_replan_model(rp, rules)
    pruned = build_replan_model(rp, rules, relax=broken)
    assert {(e.signature[0], e.signature[1]) for e in pruned.slack} == broken
    assert len(pruned.slack) < len(everything.slack)
    # The same re-plan either way: slack the reference does not force is zero.
    objectives = []
    for model in (everything, pruned):
        bound_slack(model, reference)
        solver = new_solver()
        solver.parameters.num_workers = 2
        assert solver.solve(model.built.model) == cp_model.OPTIMAL
        objectives.append(solver.objective_value)
    assert objectives[0] == objectives[1]


def test_each_group_knows_its_constraints() -> None:
    request, _previous = planned()
    built = replan_model.build_model(request, explain=True)
    proto = built.model.proto
    context = built.context
    assert context.group_constraints.keys() == context.group_literals.keys()
    for group, indices in context.group_constraints.items():
        literal = context.group_literals[group].index
        for index in indices:
            assert literal in proto.constraints[index].enforcement_literal, group


def test_template_hints_can_be_left_out() -> None:
    request, _previous = planned()
    hinted = replan_model.build_model(request)
    bare = replan_model.build_model(request, hint_templates=False)
    assert len(hinted.model.proto.solution_hint.vars) > 0
    assert len(bare.model.proto.solution_hint.vars) == 0
