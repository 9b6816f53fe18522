"""The re-plan's reference solve gives slack only from the first week the log changes.

Weeks before that week are as the plan in progress had them; they hold as hard rules,
unless the plan itself broke a rule there, and then the reference is solved again with
slack on every week (solver/replan_model.py, `reference_slack`).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import replan_model
from solver.replan_model import broken_groups, first_changed_week, reference_slack
from solver.replanning import prepare, replan, replan_rules, split_violations
from solver.schemas import (
    AvailabilityException,
    LoggedSession,
    Pin,
    ReplanLog,
    Session,
    SolveResult,
)
from tests.test_replan import START, _changed, assert_clean
from tests.test_replan_repair import WEEKS, planned

AS_OF = START + dt.timedelta(days=7 * 4 + 2)  # Wednesday of week 5 (index 4)


def _sessions_of_week(previous: SolveResult, week: int, kind: str) -> list[Session]:
    assert previous.plan is not None
    first = START + dt.timedelta(days=7 * week)
    return [
        s
        for s in previous.plan.sessions
        if s.kind == kind and first <= s.date < first + dt.timedelta(days=7)
    ]


def test_first_changed_week_is_where_the_past_first_differs() -> None:
    request, previous = planned()
    as_of_week = 4
    empty = prepare(request, previous, ReplanLog(), AS_OF)
    assert first_changed_week(empty) == as_of_week
    run = _sessions_of_week(previous, 2, "run")[0]
    missed = prepare(request, previous, ReplanLog(missed=[run.id]), AS_OF)
    assert first_changed_week(missed) == 2
    same = LoggedSession(
        plan_id=run.id,
        date=run.date,
        slot=run.slot,
        kind="run",
        run_type=run.run_type,
        minutes=run.minutes,
    )
    as_planned = prepare(request, previous, ReplanLog(sessions=[same]), AS_OF)
    assert first_changed_week(as_planned) == as_of_week
    ill = ReplanLog(unavailable=[AvailabilityException(date=START + dt.timedelta(days=8))])
    assert first_changed_week(prepare(request, previous, ill, AS_OF)) == 1


def test_a_week_starting_on_as_of_is_planned_under_every_hard_rule() -> None:
    """As of a Monday the facts end with the week before: that week is the last one the
    reference looks at, and nothing in as_of's week counts as broken by the facts. With
    every long run of that week pinned out, R1 collides with the pins there (it once
    passed as "broken by the facts", and the re-plan went on without that long run)."""
    request, previous = planned()
    monday = START + dt.timedelta(days=7 * 4)
    run = _sessions_of_week(previous, 3, "run")[0]
    rp = prepare(request, previous, ReplanLog(missed=[run.id]), monday)
    assert replan_model.last_touched_week(rp) == 3
    reference = reference_slack(rp, replan_rules(rp), time_limit_s=10, seed=1)
    assert isinstance(reference, dict)
    assert all(week is not None and week <= 3 for _rule, week in broken_groups(reference))
    no_long = [
        Pin(date=monday + dt.timedelta(days=d), kind="run", run_type="long", forbid=True)
        for d in range(7)
    ]
    result = replan(request, previous, ReplanLog(missed=[run.id], pins=no_long), monday)
    assert result.status == "infeasible"
    assert [sorted(c.rules) for c in result.conflicts] == [["PIN", "R1"]]
    assert "Week 5" in result.conflicts[0].message


def test_the_shorter_reference_agrees_with_slack_on_every_week() -> None:
    """A strength session and the long run missed in week 4, the week before as_of's:
    slack from week 4 on finds what slack on every week finds."""
    request, previous = planned()
    missed = [s.id for s in _sessions_of_week(previous, 3, "strength")[:1]]
    missed += [s.id for s in _sessions_of_week(previous, 3, "run") if s.run_type == "long"]
    rp = prepare(request, previous, ReplanLog(missed=missed), AS_OF)
    rules = replan_rules(rp)
    assert first_changed_week(rp) == 3
    short = reference_slack(rp, rules, time_limit_s=10, seed=1)
    full = replan_model.solve_reference(replan_model.reference_model(rp, rules), 10, 1)
    assert isinstance(short, dict) and isinstance(full, dict) and short
    assert {k: sorted(v) for k, v in short.items()} == {k: sorted(v) for k, v in full.items()}


def test_a_plan_that_broke_a_rule_before_the_log_gets_slack_there() -> None:
    """The plan in progress has two strength sessions a day apart in week 2 (S2 wants
    48 h): the log starts in week 4, yet the reference finds the break there, and the
    re-plan keeps it as the past's own violation."""
    request, previous = planned()
    assert previous.plan is not None
    first, second = sorted(_sessions_of_week(previous, 1, "strength"), key=lambda s: s.date)[:2]
    taken = {(s.date, s.slot) for s in previous.plan.sessions}
    day_after = first.date + dt.timedelta(days=1)
    slot = next(name for name in ("pm", "am") if (day_after, name) not in taken)
    moved = second.model_copy(
        update={"date": day_after, "slot": slot, "id": f"{day_after}-{slot}-strength"}
    )
    sessions = [moved if s is second else s for s in previous.plan.sessions]
    broken_plan = previous.model_copy(
        update={"plan": previous.plan.model_copy(update={"sessions": sessions})}
    )
    run = _sessions_of_week(previous, 3, "run")[0]
    log = ReplanLog(missed=[run.id])
    rp = prepare(request, broken_plan, log, AS_OF)
    assert first_changed_week(rp) == 3
    reference = reference_slack(rp, replan_rules(rp), time_limit_s=10, seed=1)
    assert isinstance(reference, dict)
    assert ("S2", 1) in broken_groups(reference)
    result = replan(request, broken_plan, log, AS_OF)
    assert result.status in ("optimal", "feasible")
    past, mine = split_violations(rp, result)
    assert mine == []
    assert any(v.rule == "S2" for v in past)


def test_the_stages_of_a_replan_account_for_its_wall_time() -> None:
    request, previous = planned()
    run = _sessions_of_week(previous, 3, "run")[0]
    result = replan(request, previous, ReplanLog(missed=[run.id]), AS_OF)
    stages = result.stages
    assert stages.reference_s > 0 and stages.build_s > 0 and stages.search_s > 0
    total = stages.reference_s + stages.warm_start_s + stages.build_s + stages.search_s
    assert stages.check_s > 0
    assert abs(total + stages.explain_s + stages.check_s - result.wall_time_s) < 0.02


@st.composite
def recent_logs(draw: st.DrawFn) -> tuple[dt.date, ReplanLog]:
    """as_of anywhere from week 2 on; up to four sessions of the last one to four weeks
    missed or done differently, and maybe a day of illness in the last ten days."""
    _request, previous = planned()
    assert previous.plan is not None
    as_of = START + dt.timedelta(days=draw(st.integers(min_value=8, max_value=7 * WEEKS - 2)))
    back = as_of - dt.timedelta(days=draw(st.sampled_from([7, 14, 28])))
    recent = [
        s
        for s in previous.plan.sessions
        if back <= s.date < as_of and s.kind in ("run", "strength")
    ]
    chosen = (
        draw(st.lists(st.sampled_from(recent), unique_by=lambda s: s.id, max_size=4))
        if recent
        else []
    )
    missed = [s.id for s in chosen if draw(st.booleans())]
    done = [_changed(draw, s) for s in chosen if s.id not in missed]
    ill = as_of - dt.timedelta(days=draw(st.integers(min_value=1, max_value=10)))
    unavailable = [AvailabilityException(date=ill)] if draw(st.booleans()) else []
    return as_of, ReplanLog(sessions=done, missed=missed, unavailable=unavailable)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=recent_logs())
def test_for_any_recent_log_the_shorter_reference_finds_the_same_breaks(
    case: tuple[dt.date, ReplanLog],
) -> None:
    """On a 9-week plan, whatever the last weeks' log: slack from the first changed week
    finds the groups that slack on every week finds, and the re-plan is clean."""
    as_of, log = case
    request, previous = planned()
    rp = prepare(request, previous, log, as_of)
    rules = replan_rules(rp)
    short = reference_slack(rp, rules, time_limit_s=10, seed=1)
    full = replan_model.solve_reference(replan_model.reference_model(rp, rules), 10, 1)
    assert isinstance(short, dict) and isinstance(full, dict)
    assert broken_groups(short) == broken_groups(full)
    assert_clean(request, previous, log, as_of, replan(request, previous, log, as_of))
