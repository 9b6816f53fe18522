"""Checks of the calendar rules T1-T3: horizon, slots, one thing per slot."""

from __future__ import annotations

from collections import defaultdict

from solver.checks.common import (
    MINI_CIRCUIT_MAX_MINUTES,
    day_text,
    in_horizon,
    session_text,
    violation,
)
from solver.plan_facts import run_type
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Session, SlotName
from solver.timeline import Day, SlotInfo


def check_t1(ctx: CheckContext) -> CheckOutcome:
    """T1 Horizon: "A plan runs from start_date to end_date inclusive (or to the last race)."

    The plan's own dates must be the request's, and no session may fall outside them.
    """
    tl, plan = ctx.timeline, ctx.plan
    out = CheckOutcome()
    if (plan.start_date, plan.end_date) != (tl.start, tl.end):
        out.violations.append(
            violation(
                "T1",
                [plan.start_date, plan.end_date],
                f"The plan runs from {day_text(plan.start_date)} to {day_text(plan.end_date)}, "
                f"but you asked for {day_text(tl.start)} to {day_text(tl.end)}.",
            )
        )
    for session in plan.sessions:
        if not in_horizon(ctx, session):
            out.violations.append(
                violation(
                    "T1",
                    [session.date],
                    f"The {session_text(session)} on {day_text(session.date)} lies outside "
                    f"the plan, which runs from {day_text(tl.start)} to {day_text(tl.end)}.",
                )
            )
    return out


def check_t2(ctx: CheckContext) -> CheckOutcome:
    """T2 Slots: "Each day has two slots, am and pm, each with a clock time and a capacity in
    minutes. A slot with capacity 0 is unavailable. Blocked dates remove slots."

    Every session sits in an available slot, fits its capacity (races excepted), and takes
    the slot's location and start time.
    """
    tl = ctx.timeline
    out = CheckOutcome()
    for session in ctx.plan.sessions:
        if not in_horizon(ctx, session):
            continue  # T1 reports it
        when = f"{session.slot} on {day_text(session.date)}"
        slot = tl.slots.get((tl.day_of(session.date), session.slot))
        if slot is None:
            out.violations.append(
                violation(
                    "T2",
                    [session.date],
                    f"The {session_text(session)} is planned in the {when}, "
                    "but you are not available then.",
                )
            )
            continue
        if session.kind != "race" and session.minutes > slot.capacity:
            out.violations.append(
                violation(
                    "T2",
                    [session.date],
                    f"The {session_text(session)} in the {when} does not fit the "
                    f"{slot.capacity} min you have there.",
                )
            )
        # A session without a location claims none; a stated one must be the slot's.
        if session.location is not None and session.location != slot.location:
            out.violations.append(
                violation(
                    "T2",
                    [session.date],
                    f"The {session_text(session)} in the {when} is placed at "
                    f"{session.location!r}, but you are at {slot.location!r} then.",
                )
            )
        if session.start != slot.start_text:
            out.violations.append(
                violation(
                    "T2",
                    [session.date],
                    f"The {session_text(session)} in the {when} says it starts at "
                    f"{session.start}, but that slot starts at {slot.start_text}.",
                )
            )
    return out


def check_t3(ctx: CheckContext) -> CheckOutcome:
    """T3 One thing per slot: "except that a strength mini-circuit (<= 20 min) may follow an
    easy run in the same slot when the slot's capacity holds both."
    """
    tl = ctx.timeline
    by_slot: dict[tuple[Day, SlotName], list[Session]] = defaultdict(list)
    for session in ctx.plan.sessions:
        if in_horizon(ctx, session):
            by_slot[(tl.day_of(session.date), session.slot)].append(session)
    out = CheckOutcome()
    for key, sessions in sorted(by_slot.items()):
        if len(sessions) < 2 or _easy_run_and_mini_circuit(sessions, tl.slots.get(key)):
            continue
        listed = ", ".join(session_text(s) for s in sessions)
        date = sessions[0].date
        out.violations.append(
            violation(
                "T3",
                [date],
                f"The {key[1]} slot on {day_text(date)} holds {len(sessions)} sessions "
                f"({listed}); a slot holds one, or an easy run followed by a mini-circuit of "
                f"at most {MINI_CIRCUIT_MAX_MINUTES} min that fit together.",
            )
        )
    return out


def _easy_run_and_mini_circuit(sessions: list[Session], slot: SlotInfo | None) -> bool:
    """The one allowed pair: an easy run plus a short mini-circuit within the capacity."""
    if len(sessions) != 2 or slot is None:
        return False
    runs = [s for s in sessions if s.kind == "run" and run_type(s) == "easy"]
    circuits = [
        s for s in sessions if s.kind == "mini_circuit" and s.minutes <= MINI_CIRCUIT_MAX_MINUTES
    ]
    return (
        len(runs) == 1 and len(circuits) == 1 and sum(s.minutes for s in sessions) <= slot.capacity
    )
