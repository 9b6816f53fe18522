"""Check of the race rule P3: on its date and slot, a quiet day before, easy days after."""

from __future__ import annotations

from solver.checks.common import (
    a_session,
    day_text,
    in_horizon,
    session_text,
    start_hours,
    violation,
)
from solver.plan_facts import is_hard, is_run, is_strength, run_type
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Race, Violation
from solver.timeline import SHAKEOUT_MAX, STRENGTH_BEFORE_RACE_HOURS

SHAKEOUT_TYPES = frozenset({"easy", "recovery"})


def check_p3(ctx: CheckContext) -> CheckOutcome:
    """P3 race: "A race is on its date in its slot, whatever the availability says. The day
    before holds rest or one easy shake-out run of at most 30 min; the day after holds
    recovery only (R4). After an A race of half-marathon or longer, 7 days (half) or 14 days
    (marathon, ultra) of easy running and no hard runs."

    Read as: each requested race is a session of kind `race` on its date and slot, and
    every `race` session is a requested race; the day before a race holds no strength
    session or mini-circuit and at most one planned run (a race entered for that day
    stands), easy or recovery, of at most 30 min; no
    strength session starts within 72 h before an A race; the easy days after an A race
    hold no hard training run (a race entered for those days stands, like every race).
    """
    out = CheckOutcome()
    races = ctx.request.races
    for race in races:
        out.violations.extend(_race_session(ctx, race))
        out.violations.extend(_day_before(ctx, race))
        if race.priority == "A":
            out.violations.extend(_strength_before_a_race(ctx, race))
    requested = {(r.date, r.slot) for r in races}
    for s in ctx.plan.sessions:
        if s.kind == "race" and (s.date, s.slot) not in requested:
            out.violations.append(
                violation(
                    "P3",
                    [s.date],
                    f"The plan has a race in the {s.slot} slot on {day_text(s.date)}, but you "
                    "entered no race then.",
                )
            )
    out.violations.extend(_easy_days_after(ctx))
    return out


def _label(race: Race) -> str:
    return f"{race.name or race.distance} ({race.priority} race)"


def _race_session(ctx: CheckContext, race: Race) -> list[Violation]:
    on_slot = [
        s
        for s in ctx.plan.sessions
        if s.date == race.date and s.slot == race.slot and s.kind == "race"
    ]
    if on_slot:
        return []
    return [
        violation(
            "P3",
            [race.date],
            f"Your {_label(race)} on {day_text(race.date)} ({race.slot}) is not in the plan "
            "as a race.",
        )
    ]


def _day_before(ctx: CheckContext, race: Race) -> list[Violation]:
    tl = ctx.timeline
    day = tl.day_of(race.date) - 1
    if day < 0:
        return []
    date = tl.date(day)
    found: list[Violation] = []
    sessions = ctx.facts.day(day)
    # A race entered for the day before stands; only the plan's own runs are judged.
    runs = [s for s in sessions if is_run(s) and run_type(s) != "race"]
    lifts = [s for s in sessions if is_strength(s) or s.kind == "mini_circuit"]
    before = f"{day_text(date)}, the day before your {_label(race)},"
    if len(runs) > 1:
        found.append(
            violation(
                "P3",
                [date],
                f"{before} holds {len(runs)} runs; at most one short shake-out run.",
            )
        )
    for s in runs:
        if run_type(s) not in SHAKEOUT_TYPES or s.minutes > SHAKEOUT_MAX:
            found.append(
                violation(
                    "P3",
                    [date],
                    f"{before} holds {a_session(s)}; only an easy shake-out of at most "
                    f"{SHAKEOUT_MAX} min fits.",
                )
            )
    for s in lifts:
        found.append(
            violation(
                "P3",
                [date],
                f"{before} holds {a_session(s)}; it should be rest or a shake-out run.",
            )
        )
    return found


def _strength_before_a_race(ctx: CheckContext, race: Race) -> list[Violation]:
    tl = ctx.timeline
    slot = tl.slots.get((tl.day_of(race.date), race.slot))
    if slot is None:
        return []
    found: list[Violation] = []
    for s in ctx.plan.sessions:
        if not is_strength(s) or not in_horizon(ctx, s):
            continue
        hours = slot.start_hours - start_hours(ctx, s)
        if 0 <= hours < STRENGTH_BEFORE_RACE_HOURS:
            found.append(
                violation(
                    "P3",
                    [s.date, race.date],
                    f"The strength session on {day_text(s.date)} starts {hours:g} h before your "
                    f"{_label(race)}; keep {STRENGTH_BEFORE_RACE_HOURS} h free of strength.",
                )
            )
    return found


def _easy_days_after(ctx: CheckContext) -> list[Violation]:
    tl = ctx.timeline
    found: list[Violation] = []
    for day in sorted(tl.easy_only_days):
        for s in ctx.facts.runs_on(day):
            if is_hard(s) and run_type(s) != "race":
                found.append(
                    violation(
                        "P3",
                        [s.date],
                        f"The {session_text(s)} on {day_text(s.date)} comes too soon after "
                        "your A race; the days after a half marathon or longer are easy only.",
                    )
                )
    return found
