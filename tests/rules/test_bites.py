"""One request where it bites, for every rule of RULES.md §1, §2, §4, S1-S5, S11 and PREF.

For each rule ID a small, realistic request is built so that the rule changes the plan:
solved with every rule, the plan passes the validator; solved with that one rule taken
out (`build_model(request, rules=[r for r in RULES if r.id != ID])`), the plan breaks the
rule's own independent check (hard rules) or costs that check more (soft rules). Each
request is designed so the bite is deterministic: another rule - usually a soft one, such
as R9's volume target, R16's long-run target, a wish or a preference - presses against
the rule under test, so the plan without it must go where the rule forbids.

Where no built-in rule presses against a rule (R3, S1's upper bound, R17), a planner's
own soft rule does (`conftest.py`: the extension mechanism every planner has).

The test also proves the bite is no accident of the solver's tie-breaking: for a hard rule
the best plan without it is strictly cheaper than the best plan with it, so no best plan
without it can keep it; for a soft rule, capping its penalty at the kept plan's makes the
best plan without it strictly dearer. Every solve must therefore be proved optimal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from solver.rules.base import Rule
from solver.rules.registry import RULES
from solver.schemas import PlanRequest
from solver.validate import validate

from .conftest import (
    Capped,
    DislikesRecoveryRuns,
    WantsHardRuns,
    WantsStrength,
    athlete,
    blocked,
    check_rule,
    day,
    every_day,
    make_request,
    placement_rules,
    race,
    slot,
    solve_rules,
    violations,
    week,
    without,
)

SUN = 6  # day offset of the first Sunday
GYM = "gym"


def gym(minutes: int = 60, time: str = "18:00") -> dict[str, Any]:
    return slot(minutes, time, GYM)


# --- the requests, one per rule (or per part of a rule) ----------------------------------


def t3_request() -> PlanRequest:
    """Four free mornings for four runs and two strength sessions: without T3 a slot
    would hold a run and a strength session at once."""
    return make_request(1, week(am={d: gym(90, "07:00") for d in ("tue", "thu", "sat", "sun")}))


def r1_request() -> PlanRequest:
    """Three runs a week towards 210 min on a recent longest run of 60 min, each run at
    most 10 % over the longest before it (R11): runs of equal length come closest to the
    target, but the long run must be 1.25 x every other run."""
    return make_request(1, week(am=every_day(90)), runner=athlete(run_days={"min": 3, "max": 3}))


def r2_request() -> PlanRequest:
    """A peak week (10k the week after): R15 wants a hard run and R16 a 65-min long run.
    Weekday mornings hold only 25 min, so both want the weekend mornings, side by side.
    (No strength: a runner-only plan.)"""
    return make_request(
        2,
        week(am=every_day(25, sat=90, sun=90)),
        runner=athlete(strength_sessions={"min": 0, "max": 0}),
        races=[race(SUN + 7, "10k")],
    )


def r3_cap_request() -> PlanRequest:
    """A 10k race week and a coach who wants three hard runs: the race plus one is R3's cap."""
    return make_request(1, week(am=every_day(60)), races=[race(SUN, "10k")])


def r3_beginner_request() -> PlanRequest:
    """A beginner and a coach who wants an interval session: beginners get none."""
    return make_request(1, week(am=every_day(60, sun=120)), runner=athlete(level="beginner"))


def r4_request() -> PlanRequest:
    """Long runs on Saturday, strength preferred Wednesday and Sunday: the Sunday session
    would follow the long run."""
    return make_request(
        1,
        week(am=every_day(60, sat=120), pm={d: gym() for d in every_day(0)}),
        runner=athlete(long_run_day="sat"),
        preferences={"preferred_strength_days": ["wed", "sun"]},
    )


def r5_request() -> PlanRequest:
    """A new runner on 60 min a week who wishes for four runs: four runs of at least 20 min
    (and a 30-min long run) break the 10 % rule."""
    return make_request(
        1,
        week(am=every_day(60)),
        runner=athlete(
            current_weekly_minutes=60,
            longest_recent_run_minutes=30,
            run_days={"min": 4, "max": 4},
        ),
    )


def r6_request() -> PlanRequest:
    """A recent 100-min long run (R16 wants 100 again) on a 200-min week of four runs: 100
    min is more than 40 % of the week."""
    return make_request(
        1,
        week(am=every_day(120)),
        runner=athlete(longest_recent_run_minutes=100, run_days={"min": 4, "max": 4}),
    )


def r7_request() -> PlanRequest:
    """A peak week on 100 min: R15 wants a tempo run, but a 30-min tempo run leaves less
    than 75 % easy running within R5's 110 min."""
    return make_request(
        2,
        week(am=every_day(60)),
        runner=athlete(
            current_weekly_minutes=100,
            longest_recent_run_minutes=50,
            run_days={"min": 3, "max": 4},
        ),
        races=[race(SUN + 7, "10k")],
    )


def quiet_month(strength: dict[str, int]) -> PlanRequest:
    """Back from a knee injury with two 40-min mornings a week through the four return
    weeks, then a free week: R5 allows 220 min (no loading week yet) and R9 wants 210, but
    R8 holds week 5 to 1.3 x the quiet weeks' load."""
    free = 28  # the first day of week 5
    opened = [
        {"date": day(d).isoformat(), "slot": "am", "minutes": 120 if d == free + 6 else 60}
        for d in range(free, free + 7)
    ] + [
        {"date": day(d).isoformat(), "slot": "pm", "minutes": 60, "location": GYM, "time": "18:00"}
        for d in (free + 1, free + 3)
    ]
    return make_request(
        5,
        week(am={"tue": 40, "sat": 40}),
        runner=athlete(
            run_days={"min": 1, "max": 5},
            strength_sessions=strength,
            injuries=[{"kind": "runners_knee", "status": "returning"}],
        ),
        exceptions=opened,
    )


def r8_request() -> PlanRequest:
    """The quiet month, for a runner who does no strength training."""
    return quiet_month({"min": 0, "max": 0})


def s11_request() -> PlanRequest:
    """The quiet month with one strength session a week: under R8's cap every minute of
    strength load is a minute of running R9 misses, so only S11 keeps the sessions long."""
    return quiet_month({"min": 1, "max": 1})


def r9_request() -> PlanRequest:
    """R16 wants a 100-min long run, which R6 allows only beyond R9's 210-min target; the
    athlete weighs volume (R9 x 3) above the long run's growth."""
    return make_request(
        1,
        week(am=every_day(120)),
        runner=athlete(longest_recent_run_minutes=100, run_days={"min": 4, "max": 4}),
        weights={"R9": 3},
    )


def r10_request() -> PlanRequest:
    """40-min mornings and at most four runs: R9's 210 min would take six."""
    return make_request(
        1, week(am=every_day(40, sun=90)), runner=athlete(run_days={"min": 3, "max": 4})
    )


def r11_request() -> PlanRequest:
    """Two runs a week towards 210 min on a recent longest run of 60 min."""
    return make_request(1, week(am=every_day(120)), runner=athlete(run_days={"min": 2, "max": 2}))


def r12_request() -> PlanRequest:
    """A peak week for an advanced runner whose four runs are capped by R11 and R1: R9's
    target would stretch the tempo run beyond 75 min."""
    return make_request(
        2,
        week(am=every_day(120)),
        runner=athlete(
            level="advanced",
            current_weekly_minutes=400,
            longest_recent_run_minutes=100,
            run_days={"min": 4, "max": 4},
        ),
        races=[race(SUN + 7, "10k")],
        weights={"R9": 3},
    )


def r13_request() -> PlanRequest:
    """Back from a knee injury, two runs a week: R9 wants 200 min, R11 allows a 66-min run,
    R13 no run beyond the recent 60."""
    return make_request(
        1,
        week(am=every_day(120)),
        runner=athlete(
            run_days={"min": 2, "max": 2},
            injuries=[{"kind": "runners_knee", "status": "returning"}],
        ),
        preferences={"return_weeks": 2},
    )


def r14_request() -> PlanRequest:
    """Four training days with two slots each and a wish for five runs."""
    days = ("mon", "wed", "fri", "sun")
    return make_request(
        1,
        week(am=dict.fromkeys(days, 60), pm={d: gym() for d in days}),
        runner=athlete(run_days={"min": 5, "max": 6}),
    )


def r15_request() -> PlanRequest:
    """A peak week on 130 min: a tempo run costs a few minutes of R7 excess."""
    return make_request(
        2,
        week(am=every_day(60)),
        runner=athlete(
            current_weekly_minutes=120,
            longest_recent_run_minutes=50,
            run_days={"min": 3, "max": 4},
        ),
        races=[race(SUN + 7, "10k")],
    )


def r16_request() -> PlanRequest:
    """Long runs preferred on Saturday, where only 40 min are free; Sunday holds 120 and
    R16 wants the recent 80 min again."""
    return make_request(
        1,
        week(am=every_day(30, sat=40, sun=120), pm={"tue": gym(), "thu": gym()}),
        runner=athlete(
            longest_recent_run_minutes=80,
            long_run_day="sat",
            run_days={"min": 5, "max": 7},
        ),
    )


def r17_request() -> PlanRequest:
    """A peak week of daily runs: the day after the hard run holds a run, and the runner
    would rather not call it a recovery jog."""
    return make_request(
        2,
        week(am=every_day(60, sun=120), pm={d: gym() for d in ("tue", "thu", "sat")}),
        runner=athlete(run_days={"min": 7, "max": 7}),
        races=[race(SUN + 7, "10k")],
    )


def s1_wish_request() -> PlanRequest:
    """Strength preferred on Sunday, where no session fits: every session costs PREF."""
    return make_request(
        1,
        week(am=every_day(60, sun=30), pm={"tue": gym(), "thu": gym()}),
        preferences={"preferred_strength_days": ["sun"]},
    )


def s1_cap_request() -> PlanRequest:
    """An athlete who lifts at most twice a week, and a planner's rule that wants three."""
    return make_request(
        1,
        week(am=every_day(60, sun=120), pm={d: gym() for d in every_day(0)}),
        runner=athlete(strength_sessions={"min": 2, "max": 2}),
    )


def s2_request() -> PlanRequest:
    """Three strength sessions wished, the gym open Tuesday to Thursday evenings only."""
    return make_request(
        1,
        week(am=every_day(40, sun=120), pm={d: gym() for d in ("tue", "wed", "thu")}),
        runner=athlete(strength_sessions={"min": 3, "max": 3}),
    )


def s3_request() -> PlanRequest:
    """A peak week where only Tuesday and Thursday hold 30 min or more on weekdays, and
    the long run belongs on Sunday: R15 wants a tempo run and S1 two strength sessions on
    the same two days."""
    days = ("tue", "thu")
    return make_request(
        2,
        week(am=every_day(25, tue=60, thu=60, sun=120), pm={d: gym() for d in days}),
        runner=athlete(long_run_day="sun"),
        races=[race(SUN + 7, "10k")],
    )


def s4_request() -> PlanRequest:
    """Gym mornings at 07:00 and 30-min lunch slots at 12:00 on three days: a session in
    the morning and a run at noon are 5 h apart."""
    days = ("mon", "wed", "fri")
    return make_request(
        1,
        week(
            am={**{d: gym(60, "07:00") for d in days}, "sun": 120},
            pm={d: slot(30, "12:00") for d in days},
        ),
    )


def s5_request() -> PlanRequest:
    """One session a week, preferred on Saturday, the long run on Sunday (PREF weighs 5)."""
    return make_request(
        1,
        week(am=every_day(60, sun=120), pm={d: gym() for d in every_day(0)}),
        runner=athlete(long_run_day="sun", strength_sessions={"min": 1, "max": 1}),
        preferences={"preferred_strength_days": ["sat"]},
        weights={"PREF": 5},
    )


def p1_request() -> PlanRequest:
    """A travel week (two 40-min mornings free) right after the first week: it would make a
    cheap recovery week, but the first recovery week needs three loading weeks first."""
    return make_request(
        2,
        week(am=every_day(60, sun=120), pm={"tue": gym(), "thu": gym()}),
        exceptions=[blocked(d, minutes=40 if d in (8, 10) else 0) for d in range(7, 14)],
    )


def p2_request() -> PlanRequest:
    """A 10k race week and a wish for seven runs: six training runs of at least 15 min
    exceed 65 % of the week before. (No strength: a runner-only plan.)"""
    return make_request(
        2,
        week(am=every_day(60)),
        runner=athlete(
            current_weekly_minutes=120,
            longest_recent_run_minutes=40,
            run_days={"min": 7, "max": 7},
            strength_sessions={"min": 0, "max": 0},
        ),
        races=[race(SUN + 7, "10k")],
    )


def p3_request() -> PlanRequest:
    """A Sunday C race in a base week; strength fits only the Thursday and Saturday gym
    evenings, and Saturday is the day before the race."""
    return make_request(
        1,
        week(am=every_day(40), pm={"thu": gym(), "sat": gym()}),
        races=[race(SUN, "10k", "C")],
    )


def pref_request() -> PlanRequest:
    """Sunday is a rest day, but it holds the only slot for R16's 60-min long run
    (weekday mornings hold 55 min, the gym evenings 45)."""
    return make_request(
        1,
        week(am=every_day(55, sun=120), pm={"tue": gym(45), "thu": gym(45)}),
        preferences={"rest_days": ["sun"]},
    )


@dataclass(frozen=True)
class Bite:
    rule: str
    request: Callable[[], PlanRequest]
    soft: bool = False  # compare the check's penalty instead of its violations
    push: tuple[Rule, ...] = ()  # a planner's own rules pressing against this one
    part: str = ""
    every_session: bool = False  # read every session the model placed (T3, see conftest)
    # Solve without the content family (S6-S10, S12, P4): it holds this rule a second time
    # (content_vars sizes the weekly session count by S1's cap; content ties a session's
    # minutes to its exercises under S11), so only the placement model shows it alone.
    placement_only: bool = False

    @property
    def name(self) -> str:
        return f"{self.rule}-{self.part}" if self.part else self.rule


BITES: list[Bite] = [
    Bite("T3", t3_request, every_session=True),
    Bite("R1", r1_request),
    Bite("R2", r2_request),
    Bite("R3", r3_cap_request, push=(WantsHardRuns(3),), part="cap"),
    Bite("R3", r3_beginner_request, push=(WantsHardRuns(1, only_intervals=True),), part="beginner"),
    Bite("R4", r4_request),
    Bite("R5", r5_request),
    Bite("R6", r6_request),
    Bite("R7", r7_request),
    Bite("R8", r8_request),
    Bite("R9", r9_request, soft=True),
    Bite("R10", r10_request),
    Bite("R11", r11_request),
    Bite("R12", r12_request),
    Bite("R13", r13_request),
    Bite("R14", r14_request),
    Bite("R15", r15_request, soft=True),
    Bite("R16", r16_request, soft=True),
    Bite("R17", r17_request, soft=True, push=(DislikesRecoveryRuns(),)),
    Bite("S1", s1_wish_request, soft=True, part="wish"),
    Bite("S1", s1_cap_request, push=(WantsStrength(3),), part="cap", placement_only=True),
    Bite("S2", s2_request),
    Bite("S3", s3_request),
    Bite("S4", s4_request),
    Bite("S5", s5_request, soft=True),
    Bite("S11", s11_request, placement_only=True),
    Bite("P1", p1_request),
    Bite("P2", p2_request),
    Bite("P3", p3_request),
    Bite("PREF", pref_request, soft=True),
]


# The rules of RULES.md §1, §2, §4 and S1-S5, S11 and PREF; T1 and T2 hold by
# construction (no variable exists outside the horizon or the free slots) and have their
# own tests below.
COVERED = {
    "T3",
    *(f"R{i}" for i in range(1, 18)),
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S11",
    "P1",
    "P2",
    "P3",
    "PREF",
}


def test_every_rule_has_a_bite() -> None:
    assert {b.rule for b in BITES} == COVERED
    assert {r.id for r in RULES} >= COVERED


@pytest.mark.parametrize("bite", BITES, ids=lambda b: b.name)
def test_rule_bites(bite: Bite) -> None:
    request = bite.request()
    rule = next(r for r in RULES if r.id == bite.rule)
    every = placement_rules() if bite.placement_only else list(RULES)
    kept = solve_rules(request, [*every, *bite.push])
    if bite.placement_only:
        assert violations(request, kept.plan, [*every, *bite.push]) == []
    else:
        report = validate(request, kept.plan, extra_rules=bite.push)
        assert report.violations == [], report.violations

    rules = [*without(bite.rule, every), *bite.push]
    dropped = solve_rules(request, rules, every_session=bite.every_session)
    with_rule = check_rule(bite.rule, request, kept.plan)
    without_rule = check_rule(bite.rule, request, dropped.plan)
    if bite.soft:
        assert without_rule.penalty > with_rule.penalty, (with_rule, without_rule)
    else:
        assert without_rule.violations, f"{bite.name} did not bite: {dropped.plan.sessions}"

    # The bite is no accident of tie-breaking: every best plan without the rule breaks it.
    assert kept.status == dropped.status == "optimal"
    if bite.soft:
        # No plan as good as the best one without the rule keeps its penalty this low.
        capped = solve_rules(request, [*rules, Capped(rule, with_rule.penalty)])
        assert capped.status == "optimal"
        assert capped.objective > dropped.objective
    else:
        # Keeping the rule costs something, so a best plan without it cannot keep it.
        assert dropped.objective < kept.objective


# --- T1 and T2: held by construction, shown on a calendar --------------------------------


def long_run_week(*exceptions: dict[str, object]) -> PlanRequest:
    """55-min weekday mornings and a 120-min Sunday morning: R16 wants the recent 60-min
    long run on Sunday."""
    return make_request(
        1,
        week(am=every_day(55, sun=120), pm={"tue": gym(45), "thu": gym(45)}),
        exceptions=list(exceptions),
    )


def test_t2_a_blocked_slot_is_not_used() -> None:
    """Travel on Sunday morning: the plan that would use the slot breaks T2 once it is
    blocked, and the plan for the blocked calendar keeps T2 at a cost."""
    open_request = long_run_week()
    travel = long_run_week(blocked(SUN, "am"))
    usual = solve_rules(open_request, RULES)
    assert any(s.date == day(SUN) and s.slot == "am" for s in usual.plan.sessions)
    assert check_rule("T2", travel, usual.plan).violations

    replanned = solve_rules(travel, RULES)
    assert validate(travel, replanned.plan).violations == []
    assert not any(s.date == day(SUN) and s.slot == "am" for s in replanned.plan.sessions)
    assert replanned.objective > usual.objective


def test_t1_the_last_race_ends_the_plan() -> None:
    """Without an end date the plan ends on the last race: a plan that runs on past it
    breaks T1 for the request that stops there."""
    weekly = week(am=every_day(60, sun=120), pm={"tue": gym(), "thu": gym()})
    to_race = make_request(2, weekly, races=[race(SUN + 7, "10k", "B")])
    to_race = to_race.model_copy(update={"end_date": None})
    assert to_race.last_day == day(SUN + 7)
    longer = make_request(3, weekly, races=[race(SUN + 7, "10k", "B")])
    beyond = solve_rules(longer, RULES)
    assert any(s.date > day(SUN + 7) for s in beyond.plan.sessions)
    assert check_rule("T1", to_race, beyond.plan).violations

    planned = solve_rules(to_race, RULES)
    assert validate(to_race, planned.plan).violations == []
    assert max(s.date for s in planned.plan.sessions) == day(SUN + 7)
