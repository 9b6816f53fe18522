"""iCalendar in and out: busy events block slots (T2); a plan exports as one event per session.

Import reads `PlanRequest.calendar_ics`, expands recurring events (RRULE, RDATE, EXDATE and
moved occurrences) with `recurring_ical_events`, converts every timed event into the
athlete's time zone and blocks each slot whose window (its clock time plus its capacity in
minutes) the event overlaps. All-day events block both slots of each day they cover.
Events marked free (TRANSP:TRANSPARENT) or cancelled block nothing.

Export writes a VCALENDAR that common calendar apps import: one VEVENT per session with a
stable UID (`<session.id>@stride`), local start and end with a TZID and its VTIMEZONE, and a
description listing the run's purpose or the strength session's exercises with sets x reps.
A re-planned calendar also carries each session of the plan it replaces that it no longer
has, as a cancelled event with the same UID: re-imported, it removes the stale event
instead of leaving a moved run in two places. Every event's SEQUENCE grows with its
DTSTAMP, so each export outranks the earlier ones of the same UIDs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from solver.schemas import Exercise, Plan, PlanRequest, Session, SlotName, SolveResult
from solver.timeline import _build_slots

Slot = tuple[dt.date, SlotName]

PRODID = "-//stride//training plan//EN"
UID_DOMAIN = "stride"
# Work one calendar may ask of the expansion. dateutil steps through every repetition from
# a series' DTSTART (cheap, ~300k a second), then builds a component for each occurrence in
# the horizon (dear, ~20k a second). Real calendars stay far below both caps; the caps keep
# a hostile RRULE (hourly since 1900, minutely for a year) from stalling the server.
MAX_EXPANSION_STEPS = 600_000
MAX_OCCURRENCES = 20_000
_FIELD = "calendar_ics"
_PERIOD_DAYS: dict[str, float] = {
    "YEARLY": 365.0,
    "MONTHLY": 28.0,
    "WEEKLY": 7.0,
    "DAILY": 1.0,
    "HOURLY": 1 / 24,
    "MINUTELY": 1 / 1440,
    "SECONDLY": 1 / 86400,
}
# Day-level BY* parts that can expand a weekly, monthly or yearly period into several days.
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO")

_KIND_TITLES: dict[str, str] = {
    "strength": "Strength",
    "mini_circuit": "Strength mini-circuit",
    "mobility": "Mobility",
    "cross_training": "Cross-training",
}


# ---------------------------------------------------------------------------------------
# Import: busy events -> blocked slots


def busy_slots(request: PlanRequest) -> set[Slot]:
    """Slots between the plan's first and last day that a busy calendar event overlaps.

    Raises ValueError naming `calendar_ics` when the text is not a usable iCalendar.
    """
    if not request.calendar_ics:
        return set()
    zone = ZoneInfo(request.timezone)
    # A day of margin on each side: events are matched against exact slot windows below.
    first = request.start_date - dt.timedelta(days=1)
    last = request.last_day + dt.timedelta(days=2)
    calendar = parse_calendar(request.calendar_ics, since=first, until=last)
    num_days = (request.last_day - request.start_date).days + 1
    windows = _slot_windows(request, num_days, zone)
    blocked: set[Slot] = set()
    for start, end in _busy_intervals(calendar, first, last, zone):
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
            blocked.update(
                slot
                for slot, (slot_start, slot_end) in windows.items()
                if _overlaps(start, end, slot_start, slot_end)
            )
        else:
            blocked.update(_all_day_slots(start, end, windows))
    return blocked


def parse_calendar(
    text: str, *, since: dt.date | None = None, until: dt.date | None = None
) -> icalendar.Calendar:
    """Parse iCalendar text, or raise ValueError naming `calendar_ics` and the problem.

    With `since` and `until`, also refuse a calendar whose recurring events would cost too
    much to expand over those days (MAX_EXPANSION_STEPS, MAX_OCCURRENCES).
    """
    try:
        component = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise ValueError(f"{_FIELD}: not valid iCalendar text: {error}") from None
    if not isinstance(component, icalendar.Calendar) or component.name != "VCALENDAR":
        name = getattr(component, "name", None) or "nothing"
        raise ValueError(f"{_FIELD}: expected a VCALENDAR, found {name}")
    steps = occurrences = 0
    for event in component.walk("VEVENT"):
        start = _checked_start(event)
        if since is None or until is None:
            continue
        steps += _repetitions(event, start, _as_date(start), until)
        occurrences += _repetitions(event, start, since, until)
        if steps > MAX_EXPANSION_STEPS or occurrences > MAX_OCCURRENCES:
            raise ValueError(
                f"{_FIELD}: the calendar's recurring events repeat too often to expand "
                f"(more than {MAX_EXPANSION_STEPS} repetitions since their start, or "
                f"{MAX_OCCURRENCES} occurrences in the plan); event "
                f"{_event_name(event)!r} tipped it over"
            )
    return component


def _event_name(event: icalendar.Component) -> str:
    return str(event.get("SUMMARY", "")) or str(event.get("UID", "")) or "an event"


# The properties that decide when an event happens; a broken one elsewhere is harmless.
_TIME_PROPERTIES = frozenset(
    {"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "RDATE", "EXDATE"}
)


def _checked_start(event: icalendar.Component) -> dt.date:
    """The event's DTSTART, after checking that its timing properties parsed."""
    name = _event_name(event)
    if "DTSTART" not in event:
        raise ValueError(f"{_FIELD}: event {name!r} has no DTSTART")
    for prop, problem in event.errors:  # icalendar keeps unparsable values as errors
        if str(prop).upper() in _TIME_PROPERTIES:
            raise ValueError(f"{_FIELD}: event {name!r} has a bad {prop}: {problem}")
    start = event.decoded("DTSTART")
    if not isinstance(start, dt.date):
        raise ValueError(f"{_FIELD}: event {name!r} has a bad DTSTART: {start!r}")
    return start


def _repetitions(event: icalendar.Component, start: dt.date, since: dt.date, until: dt.date) -> int:
    """An upper bound on the event's repetitions from `since` to `until` (RRULE only)."""
    rules = event.get("RRULE")
    if rules is None:
        return 1
    span_days = max((until - max(_as_date(start), since)).days, 0) + 1
    total = 0
    for rule in rules if isinstance(rules, list) else [rules]:
        frequency = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
        period = _PERIOD_DAYS.get(frequency, 1.0)
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        per_period = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_period *= max(len(rule.get(part) or []), 1)
        if period >= 7 and any(rule.get(part) for part in _DAY_PARTS):
            per_period *= round(period)
        repetitions = span_days / (period * interval) + 1
        count = rule.get("COUNT")
        if count:
            repetitions = min(repetitions, int(count[0]))
        total += round(repetitions * per_period)
    return total


def _slot_windows(
    request: PlanRequest, num_days: int, zone: ZoneInfo
) -> dict[Slot, tuple[dt.datetime, dt.datetime]]:
    """Each slot's [start, end) in UTC: its local clock time plus its capacity in minutes.

    The slots come from the weekly template and dated exceptions only, before any calendar
    block, so this never recurses into the timeline that calls us.
    """
    windows: dict[Slot, tuple[dt.datetime, dt.datetime]] = {}
    for info in _build_slots(request, num_days, blocked=()).values():
        local = dt.datetime.combine(info.date, dt.time(info.clock // 60, info.clock % 60))
        start = local.replace(tzinfo=zone).astimezone(dt.UTC)
        windows[(info.date, info.name)] = (start, start + dt.timedelta(minutes=info.capacity))
    return windows


def _busy_intervals(
    calendar: icalendar.Calendar, first: dt.date, last: dt.date, zone: ZoneInfo
) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of every busy occurrence between `first` and `last`.

    Timed occurrences come back as UTC datetimes (floating times are read in the athlete's
    zone); all-day occurrences as dates with an exclusive end.
    """
    try:
        # One pass: `between` walks each series once (`after` would re-walk it per window).
        occurrences = recurring_ical_events.of(calendar).between(first, last)
        return [
            _interval(event, event.decoded("DTSTART"), zone)
            for event in occurrences
            if not _is_free(event)
        ]
    except Exception as error:  # the expansion library raises many types on bad input
        raise ValueError(f"{_FIELD}: cannot expand the calendar's events: {error}") from None


def _is_free(event: icalendar.Component) -> bool:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return True
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return True
    # Outlook marks "free" and "working elsewhere" with its own property as well.
    return str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE"


def _interval(
    event: icalendar.Component, start: dt.date, zone: ZoneInfo
) -> tuple[dt.date, dt.date]:
    end: dt.date
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    elif isinstance(start, dt.datetime):
        end = start  # RFC 5545: a timed event without an end is an instant
    else:
        end = start + dt.timedelta(days=1)  # RFC 5545: a date event lasts one day
    if isinstance(start, dt.datetime):
        return _utc(start, zone), _utc(_as_datetime(end), zone)
    return start, _as_date(end)


def _utc(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)  # a floating time is the athlete's local time
    return moment.astimezone(dt.UTC)


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


def _overlaps(
    start: dt.datetime, end: dt.datetime, slot_start: dt.datetime, slot_end: dt.datetime
) -> bool:
    if end <= start:  # an instant blocks the slot it falls in
        return slot_start <= start < slot_end
    return start < slot_end and slot_start < end


def _all_day_slots(start: dt.date, end: dt.date, windows: dict[Slot, Any]) -> Iterable[Slot]:
    days = max((end - start).days, 1)
    for offset in range(days):
        date = start + dt.timedelta(days=offset)
        for name in ("am", "pm"):
            if (date, name) in windows:
                yield (date, name)


# ---------------------------------------------------------------------------------------
# Export: plan -> VCALENDAR


def plan_to_ics(
    request: PlanRequest,
    result: SolveResult | Plan,
    *,
    stamp: dt.datetime | None = None,
    replaces: SolveResult | Plan | None = None,
) -> str:
    """The plan as iCalendar text: one VEVENT per session, in the athlete's time zone.

    `stamp` is the DTSTAMP of every event (default: now); UIDs are stable across exports,
    so re-importing an updated plan replaces the old events instead of duplicating them.
    `replaces` is the plan this one replaces (a re-plan's plan in progress): each of its
    sessions missing from this plan is exported as a cancelled event, so re-importing
    removes it.
    Raises ValueError when a result carries no plan (infeasible, unknown, invalid).
    """
    plan = _plan_of(result)
    if plan is None:
        status = result.status if isinstance(result, SolveResult) else "unknown"
        raise ValueError(f"the result has no plan to export (status {status!r})")
    old = _plan_of(replaces) if replaces is not None else None
    kept = {session.id for session in plan.sessions}
    dropped = [s for s in old.sessions if s.id not in kept] if old is not None else []
    zone = ZoneInfo(request.timezone)
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "stride training plan")
    calendar.add("x-wr-timezone", request.timezone)
    for session, start in _session_starts(plan.sessions, zone):
        calendar.add_component(_event(session, start, stamp, status="CONFIRMED"))
    for session, start in _session_starts(dropped, zone):
        calendar.add_component(_event(session, start, stamp, status="CANCELLED"))
    if request.timezone != "UTC":
        calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def _session_starts(
    sessions: list[Session], zone: ZoneInfo
) -> Iterator[tuple[Session, dt.datetime]]:
    """Each session with its local start; sessions sharing a slot follow one another.

    A mini-circuit after an easy run (T3) has the slot's start time in the plan; in a
    calendar it belongs after the run, not on top of it.
    """
    slot_free_at: dict[tuple[dt.date, str], dt.datetime] = {}
    ordered = sorted(sessions, key=lambda s: (s.start, s.kind not in ("run", "race")))
    for session in ordered:
        start = dt.datetime.strptime(session.start, "%Y-%m-%dT%H:%M").replace(tzinfo=zone)
        key = (session.date, session.slot)
        start = max(start, slot_free_at.get(key, start))
        slot_free_at[key] = start + dt.timedelta(minutes=session.minutes)
        yield session, start


def _plan_of(result: SolveResult | Plan) -> Plan | None:
    return result if isinstance(result, Plan) else result.plan


# Exports keep no revision counter; minutes since this epoch give every export a SEQUENCE
# above any earlier export's, which calendar apps need to take an update (RFC 5545 3.8.7.4).
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _event(
    session: Session, start: dt.datetime, stamp: dt.datetime, *, status: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{session.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", max(0, int((stamp - SEQUENCE_EPOCH).total_seconds() // 60)))
    event.add("status", status)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=session.minutes))
    event.add("summary", session_summary(session))
    event.add("description", session_description(session))
    event.add("categories", [session.kind])
    event.add("transp", "OPAQUE")
    if session.location:
        event.add("location", session.location)
    return event


def session_summary(session: Session) -> str:
    """A calendar title: what it is and how long."""
    if session.kind == "race":
        return f"Race: {session.race_name}" if session.race_name else "Race"
    if session.kind == "run":
        run_type = session.run_type or "easy"
        return f"{run_type.capitalize()} run, {session.minutes} min"
    return f"{_KIND_TITLES.get(session.kind, session.kind)}, {session.minutes} min"


def session_description(session: Session) -> str:
    """The run's purpose, or the strength session's prescription and exercises."""
    lines: list[str] = []
    if session.purpose:
        lines.append(session.purpose)
    if session.quality_minutes:
        lines.append(f"Quality work: {session.quality_minutes} min")
    if session.prescription:
        lines.append(f"Prescription: {session.prescription}")
    if session.exercises:
        lines.append("Exercises:")
        lines.extend(f"- {exercise_line(e)}" for e in session.exercises)
    if session.location:
        lines.append(f"Where: {session.location}")
    return "\n".join(lines) or session_summary(session)


def exercise_line(exercise: Exercise) -> str:
    """`Goblet squat: 3 x 8 (tempo 3-1-1, RPE 7)` or `Side plank: 3 x 30 s hold`."""
    if exercise.reps is not None:
        dose = f"{exercise.sets} x {exercise.reps}"
        if exercise.unilateral:
            dose += " per side"
    elif exercise.hold_s is not None:
        dose = f"{exercise.sets} x {exercise.hold_s} s hold"
        if exercise.unilateral:
            dose += " per side"
    elif exercise.minutes is not None:
        dose = f"{exercise.minutes} min"
    else:
        dose = f"{exercise.sets} sets"
    extras = []
    if exercise.tempo:
        extras.append(f"tempo {exercise.tempo}")
    if exercise.rpe is not None:
        extras.append(f"RPE {exercise.rpe:g}")
    suffix = f" ({', '.join(extras)})" if extras else ""
    return f"{exercise.name}: {dose}{suffix}"
