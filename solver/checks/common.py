"""What several checks read off a plan: labels, loading weeks, ref(w) and start times.

Only the request (through `Timeline`) and the plan (through `PlanFacts`) are read here,
never the CP-SAT model, so the checks cannot share the encoding's bugs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from solver.plan_facts import run_type
from solver.rules.base import CheckContext
from solver.schemas import Session, Violation
from solver.timeline import DEFAULT_SLOT_TIME, LOADING_PHASES, Day, Timeline, Week

# T3 and S2: a mini-circuit is a short strength add-on, not a strength session.
MINI_CIRCUIT_MAX_MINUTES = 20


def day_text(date: dt.date) -> str:
    """A date as a runner reads it: `Tue 2027-03-02`."""
    return f"{date:%a} {date.isoformat()}"


def week_text(timeline: Timeline, week: Week) -> str:
    """A week as a runner reads it, counted from 1: `week 3 (from Mon 2027-03-15)`."""
    return f"week {week + 1} (from {day_text(timeline.weeks[week].start)})"


def session_text(session: Session) -> str:
    """`45-min tempo run`, `40-min strength session`, `52-min race`."""
    kind = run_type(session)
    if session.kind == "race":
        what = "race"
    elif kind is not None:
        what = f"{kind} run"
    else:
        what = session.kind.replace("_", "-") + (" session" if session.kind == "strength" else "")
    return f"{session.minutes}-min {what}"


def a_session(session: Session) -> str:
    """`a 45-min tempo run`, `an 80-min intervals run`: the article a runner would say."""
    minutes = session.minutes
    article = "an" if minutes in (8, 11, 18) or 80 <= minutes <= 89 else "a"
    return f"{article} {session_text(session)}"


def dates_of(sessions: Iterable[Session]) -> list[dt.date]:
    """The distinct dates of some sessions, in order: a violation's `dates`."""
    return sorted({s.date for s in sessions})


def violation(
    rule: str, dates: Iterable[dt.date], message: str, shortfall: int | None = None
) -> Violation:
    return Violation(rule=rule, dates=sorted(set(dates)), message=message, shortfall=shortfall)


def in_horizon(ctx: CheckContext, session: Session) -> bool:
    return ctx.timeline.start <= session.date <= ctx.timeline.end


def is_loading(ctx: CheckContext, week: Week) -> bool:
    """A base/build/peak week that is neither a recovery week (plan) nor a break week."""
    info = ctx.timeline.weeks[week]
    return (
        info.phase in LOADING_PHASES and not info.is_break and week not in ctx.facts.recovery_weeks
    )


def is_recovery(ctx: CheckContext, week: Week) -> bool:
    return week in ctx.facts.recovery_weeks


def reference_week(ctx: CheckContext, week: Week) -> Week | None:
    """The last loading week before `week`, or None when there is none yet."""
    for earlier in range(week - 1, -1, -1):
        if is_loading(ctx, earlier):
            return earlier
    return None


def reference_minutes(ctx: CheckContext, week: Week) -> int:
    """ref(w): training minutes of the last loading week before `week`; before the plan
    has one, the athlete's current weekly minutes."""
    earlier = reference_week(ctx, week)
    if earlier is None:
        return ctx.request.athlete.current_weekly_minutes
    return ctx.facts.training_minutes(earlier)


def reference_text(ctx: CheckContext, week: Week) -> str:
    """Where ref(w) comes from, for a message."""
    earlier = reference_week(ctx, week)
    if earlier is None:
        return "your current weekly volume"
    return f"the last loading week, {week_text(ctx.timeline, earlier)}"


def start_hours(ctx: CheckContext, session: Session) -> float:
    """Hours from the plan's first midnight to the session's start (S2, S4, S3, P3).

    Measured from the slot's clock time, as the rules say. A session in a slot that does
    not exist (a T2 violation) falls back to the clock time it states itself.
    """
    day: Day = ctx.timeline.day_of(session.date)
    slot = ctx.timeline.slots.get((day, session.slot))
    if slot is not None:
        return slot.start_hours
    try:
        stated = dt.datetime.fromisoformat(session.start)
        clock = stated.hour * 60 + stated.minute
    except ValueError:
        hours, minutes = DEFAULT_SLOT_TIME[session.slot].split(":")
        clock = int(hours) * 60 + int(minutes)
    return day * 24 + clock / 60
