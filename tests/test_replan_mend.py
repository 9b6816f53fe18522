"""What the rest of as_of's week can still keep (solver/replan_mend.py), pins allowing;
and a re-plan after days of illness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from benchmarks.explain_replan import load, plan_in_progress
from solver.replan_mend import mendable
from solver.replan_model import Reference, broken_groups, reference_slack
from solver.replanning import prepare, replan, replan_rules, split_violations
from solver.schemas import (
    AvailabilityException,
    LoggedSession,
    Pin,
    PlanRequest,
    ReplanLog,
    SolveResult,
)

NAME = "sparse-three-slots-16w.json"
MONDAY = load(NAME).start_date + dt.timedelta(weeks=7)  # of week 8 (index 7)


def extra_tempo(pins: Sequence[Pin] = ()) -> tuple[PlanRequest, SolveResult, ReplanLog, dt.date]:
    """(request, plan in progress, log, as_of) of sparse-three-slots-16w as of Tuesday of
    week 8, after an extra 45-min tempo on Monday, with `pins`."""
    request = load(NAME, time_limit_s=20, num_workers=4, random_seed=1)
    extra = LoggedSession(date=MONDAY, slot="am", kind="run", run_type="tempo", minutes=45)
    log = ReplanLog(sessions=[extra], pins=list(pins))
    return request, plan_in_progress(NAME), log, MONDAY + dt.timedelta(days=1)


def _mended(pins: list[Pin]) -> tuple[Reference, Reference]:
    """(the reference, what mending leaves of it) in `extra_tempo`'s re-plan: R1 sees the
    long run still to come as missing."""
    rp = prepare(*extra_tempo(pins))
    rules = replan_rules(rp)
    reference = reference_slack(rp, rules, time_limit_s=10, seed=1)
    assert isinstance(reference, dict)
    assert ("R1", 7) in broken_groups(reference)
    return reference, mendable(rp, rules, reference, time_limit_s=10, seed=1)


def test_the_long_run_still_to_come_is_kept() -> None:
    """Only R1 can be mended here: R2 and R4 (Sunday's long run, then Monday's tempo) are
    facts, and R7's easy share cannot reach 75 % in what is left of the week."""
    reference, mended = _mended([])
    assert mended == {sig: values for sig, values in reference.items() if sig[0] != "R1"}


def test_a_pin_that_leaves_no_room_for_it_is_honoured() -> None:
    """A run forced on Tuesday leaves R8 no room for a long run of 1.25 x the tempo, so
    nothing is mended (mending without the pins kept R1, and the re-plan then found no
    plan and fell back: a wasted model and search)."""
    reference, mended = _mended([Pin(date=MONDAY + dt.timedelta(1), kind="run")])
    assert mended == reference


def test_nine_days_ill_around_a_parkrun_still_gives_a_plan() -> None:
    """Ill from Monday of week 9 to Tuesday of week 10, every session missed but the 5k
    on Saturday (a race is done as planned unless the log says otherwise). Week 9 then
    held only the race: as a loading week of 0 training minutes it held every later week
    to 0 (R5), and the re-plan found no plan at all. It is a break week now."""
    name = "reference-half-16w.json"
    request = load(name, time_limit_s=8, num_workers=4, random_seed=1)
    previous = plan_in_progress(name)
    assert previous.plan is not None
    monday = request.start_date + dt.timedelta(weeks=9)
    as_of = monday + dt.timedelta(days=2)
    ill = [monday + dt.timedelta(days=d) for d in range(-7, 2)]
    missed = [
        s.id
        for s in previous.plan.sessions
        if ill[0] <= s.date < as_of and s.kind in ("run", "strength")
    ]
    log = ReplanLog(missed=missed, unavailable=[AvailabilityException(date=d) for d in ill])
    result = replan(request, previous, log, as_of)
    assert result.status in ("optimal", "feasible"), [c.message for c in result.conflicts]
    _past, mine = split_violations(prepare(request, previous, log, as_of), result)
    assert mine == []
