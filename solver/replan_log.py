"""A plan in progress read with its log: what happened before `as_of`, and what is left.

The past is what the log says, with one convention: a planned session before `as_of` that
the log neither mentions nor lists as missed was done as planned (so an empty log keeps
the plan). Logged sessions replace the planned ones they name (done differently, or moved);
sessions without a plan id are extra. New unavailability (illness, travel) applies to the
past and to the future.

The solver decides minutes in units (5 minutes, long runs 1 minute), so a logged 47-min
easy run counts as 45; a logged session shorter or longer than the model can hold in its
slot is counted at the nearest length it can hold (runs at least 20 min, hard runs 30,
strength within the week's S11 bounds). The re-planned plan shows past sessions with the
minutes the solver counted, so the validator checks what the solver saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from solver.schemas import (
    HARD_RUN_TYPES,
    AvailabilityException,
    LoggedSession,
    Plan,
    PlanRequest,
    ReplanLog,
    Session,
    SlotName,
    run_type_problem,
)
from solver.timeline import DEFAULT_SLOT_TIME, MIN_RUN_MINUTES, STRENGTH_MINUTES, UNIT, Timeline

SlotDate = tuple[dt.date, SlotName]

# RPE -> run type when a logged run names none (session RPE, Foster's CR-10 scale).
RPE_RUN_TYPES: tuple[tuple[float, str], ...] = (
    (4.5, "easy"),
    (6.5, "long"),
    (7.5, "tempo"),
    (8.5, "hills"),
    (10.0, "intervals"),
)


class ReplanInputError(ValueError):
    """The log does not fit the request or the plan; `problems` are (field, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in problems))


@dataclass(frozen=True)
class PastSession:
    """A session that happened, as the model counts it."""

    date: dt.date
    slot: SlotName
    kind: str  # "run", "strength" or "race"
    run_type: str | None
    minutes: int
    time: str | None = None  # clock time when logged with one


@dataclass(frozen=True)
class Logged:
    """A log entry with what it left out taken from its planned session."""

    index: int  # in log.sessions, for error fields
    entry: LoggedSession
    date: dt.date
    slot: SlotName
    kind: str  # "run", "strength" or "race"


def logged_sessions(
    planned: dict[str, Session], log: ReplanLog
) -> tuple[list[Logged], list[tuple[str, str]]]:
    """The log's sessions, each with its date, slot and kind (the planned session's where
    it names none), and the entries that cannot be read so, as (field, reason) pairs."""
    read: list[Logged] = []
    problems: list[tuple[str, str]] = []
    for i, entry in enumerate(log.sessions):
        plan = planned.get(entry.plan_id) if entry.plan_id is not None else None
        date = entry.date or (plan.date if plan else None)
        kind = entry.kind or (plan.kind if plan else None)
        if date is None or kind is None:
            continue  # its unknown plan_id is the problem, reported by check_log
        if kind not in ("run", "strength", "race"):
            problems.append(
                (
                    f"log.sessions[{i}].kind",
                    f"{entry.plan_id!r} is a {kind.replace('_', '-')}, which a re-plan does "
                    "not count (no need to log it); give `kind` if a run or strength "
                    "session took its place",
                )
            )
            continue
        # Checked here too: the schema cannot see a kind the plan id stands for.
        why = run_type_problem(kind, entry.run_type)
        if why is not None:
            problems.append((f"log.sessions[{i}].run_type", why))
        slot = entry.slot or (plan.slot if plan else "am")
        read.append(Logged(i, entry, date, slot, kind))
    return read, problems


@dataclass
class Replanning:
    """Everything the re-plan model needs, read off the request, plan and log."""

    request: PlanRequest  # the calendar the re-plan is solved on
    as_of: dt.date
    past: dict[SlotDate, PastSession]
    baseline: dict[SlotDate, Session]  # the previous plan from as_of on, still to do
    previous: Plan
    log: ReplanLog
    notes: list[str] = field(default_factory=list)

    @property
    def as_of_day(self) -> int:
        return (self.as_of - self.request.start_date).days

    @cached_property
    def request_digest(self) -> str:
        """The re-plan calendar's PlanRequest.digest(), worked out once."""
        return self.request.digest()


def _run_type(logged: LoggedSession, planned: Session | None) -> str:
    if logged.run_type is not None:
        return logged.run_type
    if planned is not None and planned.kind == "run" and planned.run_type is not None:
        return planned.run_type
    if logged.rpe is not None:
        return next(kind for top, kind in RPE_RUN_TYPES if logged.rpe <= top)
    return "easy"


def _round(minutes: int, unit: int) -> int:
    return max(unit, unit * round(minutes / unit))


def model_minutes(tl: Timeline, kind: str, run_type: str | None, day: int, minutes: int) -> int:
    """The minutes the model can hold for a logged session (see the module doc)."""
    from solver.vars import unit_of  # here: the log's checks must not load ortools

    if kind == "run" and run_type is not None:
        least = 30 if run_type in HARD_RUN_TYPES else MIN_RUN_MINUTES
        return max(least, _round(minutes, unit_of(run_type, tl)))
    if kind == "strength":
        info = tl.weeks[tl.week_of(day)]
        bounds = [STRENGTH_MINUTES[info.phase]]
        if info.can_recover:
            bounds.append(STRENGTH_MINUTES["recovery"])
        low = min(lo for lo, _ in bounds)
        high = max(hi for _, hi in bounds)
        return min(high, max(low, _round(minutes, UNIT)))
    return minutes


def check_log(
    request: PlanRequest,
    previous: Plan | None,
    log: ReplanLog,
    as_of: dt.date,
    previous_from: dt.date | None = None,
) -> list[tuple[str, str]]:
    """Every problem of the inputs, as (field, reason) pairs naming the rule it protects.
    `previous_from` is the day `previous` was itself re-planned from, if it was."""
    return _checked(request, previous, log, as_of, previous_from)[0]


def _checked(
    request: PlanRequest,
    previous: Plan | None,
    log: ReplanLog,
    as_of: dt.date,
    previous_from: dt.date | None,
) -> tuple[list[tuple[str, str]], list[Logged]]:
    """check_log's problems, and the log's sessions as read on the way (logged_sessions)."""
    problems: list[tuple[str, str]] = []
    start, last = request.start_date, request.last_day
    if previous is None:
        return [("previous.plan", "the previous result holds no plan to re-plan")], []
    if previous_from is not None and as_of < previous_from:
        problems.append(
            (
                "as_of",
                f"{as_of} is before {previous_from}, the day the previous result was "
                "re-planned from: what was logged up to then would be planned again. "
                f"Re-plan from {previous_from} or later, or re-plan the result before it",
            )
        )
    if (previous.start_date, previous.end_date) != (start, last):
        problems.append(
            (
                "previous.plan",
                f"runs {previous.start_date}..{previous.end_date}, the request "
                f"{start}..{last}: not this request's plan (T1)",
            )
        )
    if not start <= as_of <= last:
        problems.append(("as_of", f"{as_of} is outside the plan {start}..{last} (T1)"))
    planned = {s.id: s for s in previous.sessions}
    used: dict[str, int] = {}
    taken: dict[SlotDate, int] = {}
    races = {(r.date, r.slot) for r in request.races}
    for i, entry in enumerate(log.sessions):
        if entry.plan_id is None:
            continue
        where = f"log.sessions[{i}].plan_id"
        if entry.plan_id not in planned:
            problems.append((where, f"no session {entry.plan_id!r} in the plan"))
        elif entry.plan_id in used:
            problems.append(
                (
                    where,
                    f"{entry.plan_id!r} is already logged in log.sessions[{used[entry.plan_id]}]",
                )
            )
        used[entry.plan_id] = i
    logged, unreadable = logged_sessions(planned, log)
    problems += unreadable
    for logged_session in logged:
        where = f"log.sessions[{logged_session.index}]"
        date, slot = logged_session.date, logged_session.slot
        if not start <= date < as_of:
            problems.append(
                (
                    f"{where}.date",
                    f"{date} is not in the past: the log "
                    f"covers {start}..{as_of - dt.timedelta(days=1)}",
                )
            )
        if (date, slot) in taken:
            problems.append(
                (
                    f"{where}.slot",
                    f"{date} {slot} already holds log.sessions[{taken[(date, slot)]}]; a slot "
                    "holds one session (T3)",
                )
            )
        taken[(date, slot)] = logged_session.index
        if logged_session.kind == "race" and (date, slot) not in races:
            problems.append(
                (
                    f"{where}.kind",
                    f"no race on {date} {slot} in the request; log it as a run (P3)",
                )
            )
    for i, plan_id in enumerate(log.missed):
        where = f"log.missed[{i}]"
        session = planned.get(plan_id)
        if session is None:
            problems.append((where, f"no session {plan_id!r} in the plan"))
        elif session.date >= as_of:
            problems.append((where, f"{plan_id!r} is on {session.date}, not before as_of"))
        elif session.kind == "race":
            problems.append((where, "a race cannot be missed here; remove it from `races`"))
        elif plan_id in used:
            problems.append((where, f"{plan_id!r} is also logged as done"))
    for i, pin in enumerate(log.pins):
        if not as_of <= pin.date <= last:
            problems.append(
                (
                    f"log.pins[{i}].date",
                    f"{pin.date} is not between as_of "
                    f"{as_of} and the plan's last day {last}: the past is fixed",
                )
            )
    for i, exc in enumerate(log.unavailable):
        if not start <= exc.date <= last:
            problems.append(
                (
                    f"log.unavailable[{i}].date",
                    f"{exc.date} is outside the plan {start}..{last} (T1)",
                )
            )
        elif exc.location is not None and exc.location not in request.locations:
            problems.append(
                (
                    f"log.unavailable[{i}].location",
                    f"unknown location {exc.location!r}; known: {sorted(request.locations)} (T2)",
                )
            )
    return problems, logged


def read_log(
    request: PlanRequest,
    previous: Plan | None,
    log: ReplanLog,
    as_of: dt.date,
    previous_from: dt.date | None = None,
) -> Replanning:
    """The past as the model counts it, the future still planned, and the calendar."""
    problems, logged_entries = _checked(request, previous, log, as_of, previous_from)
    if problems or previous is None:
        raise ReplanInputError(problems)
    with_blocks = _with_exceptions(request, log.unavailable)
    blocked = Timeline(with_blocks)
    # Slots this log's unavailability takes away; a past session on a slot the calendar
    # never had is a fact an earlier re-plan logged, and stays one.
    taken_away = Timeline(request).slots.keys() - blocked.slots.keys()
    planned = {s.id: s for s in previous.sessions}
    consumed = {s.plan_id for s in log.sessions if s.plan_id is not None}
    missed = set(log.missed)
    past: dict[SlotDate, PastSession] = {}
    notes: list[str] = []
    for session in previous.sessions:
        if session.date >= as_of or session.id in consumed or session.id in missed:
            continue
        if session.kind not in ("run", "race", "strength"):
            continue
        key = (blocked.day_of(session.date), session.slot)
        if key in taken_away:
            notes.append(f"{session.id}: its slot is unavailable now, so it counts as missed")
            continue
        past[(session.date, session.slot)] = PastSession(
            session.date, session.slot, session.kind, session.run_type, session.minutes
        )
    race_minutes: dict[SlotDate, int] = {}
    for logged in logged_entries:
        entry, date, slot = logged.entry, logged.date, logged.slot
        day = blocked.day_of(date)
        plan_session = planned.get(entry.plan_id) if entry.plan_id else None
        run_type = _run_type(entry, plan_session) if logged.kind == "run" else None
        if logged.kind == "race":
            run_type = "race"
            race_minutes[(date, slot)] = entry.minutes
        minutes = model_minutes(blocked, logged.kind, run_type, day, entry.minutes)
        if minutes != entry.minutes:
            notes.append(
                f"{date} {slot}: {entry.minutes} logged min count as "
                f"{minutes} (the model's units and bounds)"
            )
        past[(date, slot)] = PastSession(date, slot, logged.kind, run_type, minutes, entry.time)
    calendar = _room_for_the_past(with_blocks, blocked, past, race_minutes)
    _strength_within_reach(Timeline(calendar), past, notes)
    baseline = {
        (s.date, s.slot): s for s in previous.sessions if s.date >= as_of and s.id not in consumed
    }
    return Replanning(
        request=calendar,
        as_of=as_of,
        past=past,
        baseline=baseline,
        previous=previous,
        log=log,
        notes=notes,
    )


def _strength_within_reach(
    tl: Timeline, past: dict[SlotDate, PastSession], notes: list[str]
) -> None:
    """Drop strength sessions beyond what the model can count in a week.

    The strength-content model counts a week's sessions only up to S1's cap (its weekly
    set totals are built per possible count), so a logged week above the cap cannot be
    represented; the latest sessions beyond it are left out of the model, with a note.
    """
    by_week: dict[int, list[SlotDate]] = {}
    for key, session in sorted(past.items()):
        if session.kind == "strength":
            by_week.setdefault(tl.week_of(tl.day_of(key[0])), []).append(key)
    for week, keys in by_week.items():
        cap = max(tl.strength_bounds(week, recovery)[1] for recovery in (False, True))
        for key in keys[cap:]:
            del past[key]
            notes.append(
                f"{key[0]} {key[1]}: strength session {len(keys)} of week {week + 1} is above "
                f"S1's cap of {cap}; it is kept in the log but not counted"
            )


def _with_exceptions(request: PlanRequest, extra: list[AvailabilityException]) -> PlanRequest:
    availability = request.availability.model_copy(
        update={"exceptions": [*request.availability.exceptions, *extra]}
    )
    return request.model_copy(update={"availability": availability})


def _room_for_the_past(
    request: PlanRequest,
    tl: Timeline,
    past: dict[SlotDate, PastSession],
    race_minutes: dict[SlotDate, int],
) -> PlanRequest:
    """The calendar with a slot wherever a past session took place, long enough for it.

    Slots that held nothing stay as they were, so the calendar (and with it every volume
    target and weight) is the request's own wherever the log changes nothing.
    """
    default_location = next(iter(request.locations))
    extra: list[AvailabilityException] = []
    for (date, name), session in sorted(past.items()):
        if session.kind == "race":
            continue
        slot = tl.slots.get((tl.day_of(date), name))
        if slot is not None and slot.capacity >= session.minutes and session.time is None:
            continue
        clock = session.time or (
            f"{slot.clock // 60:02d}:{slot.clock % 60:02d}" if slot else DEFAULT_SLOT_TIME[name]
        )
        extra.append(
            AvailabilityException(
                date=date,
                slot=name,
                minutes=max(session.minutes, slot.capacity if slot else 0),
                location=slot.location if slot else default_location,
                time=clock,
            )
        )
    races = [
        race.model_copy(update={"expected_minutes": race_minutes[(race.date, race.slot)]})
        if (race.date, race.slot) in race_minutes
        else race
        for race in request.races
    ]
    updated = _with_exceptions(request, extra)
    return updated.model_copy(update={"races": races})
