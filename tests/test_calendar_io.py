"""iCalendar import (busy events block slots, T2) and export (one VEVENT per session)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver.calendar_io import busy_slots, exercise_line, parse_calendar, plan_to_ics
from solver.schemas import Exercise, Plan, PlanRequest, Session, SolveResult
from solver.timeline import Timeline

START = dt.date(2027, 3, 1)  # a Monday
TUESDAYS = [START + dt.timedelta(days=1 + 7 * k) for k in range(3)]


def _request(ics: str | None = None, **extra: Any) -> PlanRequest:
    """Three weeks; every weekday has a 06:30 am slot (45 min) and an 18:00 pm slot (60)."""
    weekly = {
        day: {"am": {"minutes": 45, "time": "06:30"}, "pm": {"minutes": 60, "time": "18:00"}}
        for day in ("mon", "tue", "wed", "thu", "fri")
    }
    body: dict[str, Any] = {
        "start_date": START.isoformat(),
        "end_date": (START + dt.timedelta(days=20)).isoformat(),
        "athlete": {
            "level": "intermediate",
            "current_weekly_minutes": 150,
            "longest_recent_run_minutes": 60,
            "run_days": {"min": 3, "max": 4},
        },
        "availability": {"weekly": weekly},
        "calendar_ics": ics,
        **extra,
    }
    return PlanRequest.model_validate(body)


def _calendar(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n"


def _event(uid: str, *lines: str) -> str:
    return "\r\n".join([f"UID:{uid}", "DTSTAMP:20270101T000000Z", *lines])


# ---------------------------------------------------------------------------------------
# Import


def test_no_calendar_blocks_nothing() -> None:
    assert busy_slots(_request()) == set()


def test_weekly_recurring_event_blocks_every_tuesday_pm() -> None:
    choir = _event(
        "choir",
        "SUMMARY:Choir",
        "DTSTART:20270302T183000",
        "DTEND:20270302T200000",
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
    )
    assert busy_slots(_request(_calendar(choir))) == {(d, "pm") for d in TUESDAYS}


def test_exdate_and_count_limit_the_recurrence() -> None:
    choir = _event(
        "choir",
        "DTSTART:20270302T183000",
        "DTEND:20270302T200000",
        "RRULE:FREQ=WEEKLY;COUNT=2",
        "EXDATE:20270302T183000",
    )
    assert busy_slots(_request(_calendar(choir))) == {(TUESDAYS[1], "pm")}


def test_all_day_event_blocks_both_slots_of_each_day() -> None:
    conference = _event(
        "conf",
        "SUMMARY:Conference",
        "DTSTART;VALUE=DATE:20270303",
        "DTEND;VALUE=DATE:20270305",  # exclusive: Wednesday and Thursday
    )
    blocked = busy_slots(_request(_calendar(conference)))
    days = [dt.date(2027, 3, 3), dt.date(2027, 3, 4)]
    assert blocked == {(d, n) for d in days for n in ("am", "pm")}


def test_all_day_event_without_end_lasts_one_day() -> None:
    holiday = _event("holiday", "DTSTART;VALUE=DATE:20270308")
    assert busy_slots(_request(_calendar(holiday))) == {
        (dt.date(2027, 3, 8), "am"),
        (dt.date(2027, 3, 8), "pm"),
    }


def test_events_are_converted_into_the_athletes_time_zone() -> None:
    # New York is UTC-5 in early March 2027 (DST starts on 14 March).
    late_call = _event(  # 23:30 UTC = 18:30 local: inside the 18:00-19:00 pm slot
        "late", "DTSTART:20270301T233000Z", "DTEND:20270302T000000Z"
    )
    lunch_call = _event(  # 17:30 UTC = 12:30 local: read as UTC it would hit the pm slot
        "lunch", "DTSTART:20270302T173000Z", "DTEND:20270302T183000Z"
    )
    london = _event(  # 11:00 London = 06:00 New York: overlaps the 06:30 am slot
        "london",
        "DTSTART;TZID=Europe/London:20270303T110000",
        "DTEND;TZID=Europe/London:20270303T120000",
    )
    request = _request(_calendar(late_call, lunch_call, london), timezone="America/New_York")
    assert busy_slots(request) == {(dt.date(2027, 3, 1), "pm"), (dt.date(2027, 3, 3), "am")}


def test_a_local_weekly_event_follows_the_clock_across_a_dst_change() -> None:
    # 18:15 New York time every Monday, before and after DST begins on 14 March.
    weekly = _event(
        "nyc",
        "DTSTART;TZID=America/New_York:20270301T181500",
        "DTEND;TZID=America/New_York:20270301T184500",
        "RRULE:FREQ=WEEKLY",
    )
    request = _request(_calendar(weekly), timezone="America/New_York")
    mondays = [START + dt.timedelta(days=7 * k) for k in range(3)]
    assert busy_slots(request) == {(d, "pm") for d in mondays}


def test_floating_times_are_read_in_the_athletes_zone() -> None:
    floating = _event("f", "DTSTART:20270302T063000", "DTEND:20270302T070000")
    request = _request(_calendar(floating), timezone="Asia/Tokyo")
    assert busy_slots(request) == {(dt.date(2027, 3, 2), "am")}


def test_slot_edges_touching_an_event_do_not_overlap() -> None:
    before = _event("b", "DTSTART:20270302T173000", "DTEND:20270302T180000")  # ends at 18:00
    after = _event("a", "DTSTART:20270302T071500", "DTEND:20270302T080000")  # am ends 07:15
    instant = _event("i", "DTSTART:20270303T063000")  # no end: an instant at the slot start
    assert busy_slots(_request(_calendar(before, after, instant))) == {(dt.date(2027, 3, 3), "am")}


def test_free_and_cancelled_events_block_nothing() -> None:
    free = _event("free", "DTSTART:20270302T183000", "DTEND:20270302T190000", "TRANSP:TRANSPARENT")
    cancelled = _event(
        "gone", "DTSTART:20270303T183000", "DTEND:20270303T190000", "STATUS:CANCELLED"
    )
    assert busy_slots(_request(_calendar(free, cancelled))) == set()


def test_events_outside_the_horizon_or_on_slotless_days_block_nothing() -> None:
    before = _event("before", "DTSTART;VALUE=DATE:20270228")
    after = _event("after", "DTSTART;VALUE=DATE:20270322")
    saturday = _event("sat", "DTSTART:20270306T090000", "DTEND:20270306T120000")
    assert busy_slots(_request(_calendar(before, after, saturday))) == set()


def test_timeline_drops_the_blocked_slots() -> None:
    choir = _event("choir", "DTSTART:20270302T183000", "DTEND:20270302T200000", "RRULE:FREQ=WEEKLY")
    timeline = Timeline(_request(_calendar(choir)))
    tuesday_pm = [(timeline.day_of(d), "pm") for d in TUESDAYS]
    assert not any(key in timeline.slots for key in tuesday_pm)
    assert (timeline.day_of(TUESDAYS[0]), "am") in timeline.slots
    assert (0, "pm") in timeline.slots  # Monday's pm is untouched


@pytest.mark.parametrize(
    ("ics", "words"),
    [
        ("not a calendar at all", "not valid iCalendar"),
        ("BEGIN:VEVENT\r\nDTSTART:20270302T183000\r\nEND:VEVENT\r\n", "expected a VCALENDAR"),
        (_calendar(_event("x", "SUMMARY:Gym")), "has no DTSTART"),
        (_calendar(_event("x", "SUMMARY:Gym", "DTSTART:2027xx")), "bad DTSTART"),
        (
            _calendar(_event("x", "DTSTART:19000101T000000Z", "RRULE:FREQ=HOURLY")),
            "repeat too often",
        ),
        (
            _calendar(_event("x", "DTSTART:20270301T000000Z", "RRULE:FREQ=SECONDLY")),
            "repeat too often",
        ),
    ],
)
def test_malformed_calendar_raises_a_value_error_naming_the_field(ics: str, words: str) -> None:
    with pytest.raises(ValueError, match=r"^calendar_ics: ") as error:
        busy_slots(_request(ics))
    assert words in str(error.value)


def test_parse_calendar_accepts_an_empty_calendar() -> None:
    assert parse_calendar(_calendar()).name == "VCALENDAR"


# ---------------------------------------------------------------------------------------
# Export


def _session(
    date: dt.date, slot: str, clock: str, kind: str, minutes: int, **extra: Any
) -> Session:
    return Session.model_validate(
        {
            "id": f"{date.isoformat()}-{slot}-{kind}",
            "date": date,
            "slot": slot,
            "start": f"{date.isoformat()}T{clock}",
            "kind": kind,
            "minutes": minutes,
            **extra,
        }
    )


SQUAT = Exercise(id="goblet_squat", name="Goblet squat", pillar="squat", sets=3, reps=8, rpe=7)
PLANK = Exercise(id="side_plank", name="Side plank", pillar="core", sets=2, hold_s=30)


def _plan(request: PlanRequest) -> Plan:
    sessions = [
        _session(START, "am", "06:30", "run", 40, run_type="easy", purpose="Aerobic base."),
        _session(START, "am", "06:30", "mini_circuit", 5, exercises=[PLANK]),
        _session(
            START + dt.timedelta(days=2),
            "pm",
            "18:00",
            "strength",
            50,
            prescription="3-4 x 6-10, RPE 7-8",
            exercises=[SQUAT, PLANK],
            location="home",
        ),
        _session(
            START + dt.timedelta(days=15),  # after DST starts in New York
            "pm",
            "18:00",
            "run",
            45,
            run_type="tempo",
            quality_minutes=20,
            purpose="Threshold.",
        ),
    ]
    return Plan(start_date=START, end_date=request.last_day, weeks=[], sessions=sessions)


def _events(text: str) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(text)
    assert isinstance(calendar, icalendar.Calendar)
    return list(calendar.walk("VEVENT"))


def test_export_has_one_event_per_session_with_stable_uids() -> None:
    request = _request(timezone="America/New_York")
    plan = _plan(request)
    stamp = dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
    text = plan_to_ics(request, SolveResult(status="optimal", plan=plan), stamp=stamp)
    events = _events(text)
    assert len(events) == len(plan.sessions)
    assert sorted(str(e["UID"]) for e in events) == sorted(f"{s.id}@stride" for s in plan.sessions)
    # Same plan, same text: calendar apps update events in place on re-import.
    assert plan_to_ics(request, plan, stamp=stamp) == text


def test_export_writes_local_times_with_the_athletes_zone() -> None:
    request = _request(timezone="America/New_York")
    text = plan_to_ics(request, _plan(request))
    calendar = icalendar.Calendar.from_ical(text)
    assert "-//stride//" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    tempo = by_uid["2027-03-16-pm-run@stride"]
    start, end = tempo.decoded("DTSTART"), tempo.decoded("DTEND")
    assert start.isoformat() == "2027-03-16T18:00:00-04:00"  # EDT
    assert end - start == dt.timedelta(minutes=45)
    assert tempo["DTSTART"].params["TZID"] == "America/New_York"
    easy = by_uid["2027-03-01-am-run@stride"]
    assert easy.decoded("DTSTART").isoformat() == "2027-03-01T06:30:00-05:00"  # EST


def test_a_mini_circuit_follows_the_run_in_its_slot() -> None:
    request = _request()
    by_uid = {str(e["UID"]): e for e in _events(plan_to_ics(request, _plan(request)))}
    run_end = by_uid["2027-03-01-am-run@stride"].decoded("DTEND")
    assert by_uid["2027-03-01-am-mini_circuit@stride"].decoded("DTSTART") == run_end


def test_export_describes_purpose_and_exercises_with_sets_and_reps() -> None:
    request = _request()
    by_uid = {str(e["UID"]): e for e in _events(plan_to_ics(request, _plan(request)))}
    strength = by_uid["2027-03-03-pm-strength@stride"]
    description = str(strength["DESCRIPTION"])
    assert "Goblet squat: 3 x 8 (RPE 7)" in description
    assert "Side plank: 2 x 30 s hold" in description
    assert "3-4 x 6-10" in description
    assert str(strength["SUMMARY"]) == "Strength, 50 min"
    assert str(strength["LOCATION"]) == "home"
    tempo = by_uid["2027-03-16-pm-run@stride"]
    assert str(tempo["SUMMARY"]) == "Tempo run, 45 min"
    assert "Threshold." in str(tempo["DESCRIPTION"])
    assert "Quality work: 20 min" in str(tempo["DESCRIPTION"])


def test_utc_plans_need_no_vtimezone() -> None:
    request = _request()
    calendar = icalendar.Calendar.from_ical(plan_to_ics(request, _plan(request)))
    assert not calendar.walk("VTIMEZONE")
    first = calendar.walk("VEVENT")[0]
    assert first.decoded("DTSTART").utcoffset() == dt.timedelta(0)


def test_a_result_without_a_plan_cannot_be_exported() -> None:
    with pytest.raises(ValueError, match="no plan"):
        plan_to_ics(_request(), SolveResult(status="infeasible"))


def test_exercise_line_covers_unilateral_and_tempo() -> None:
    lunge = Exercise(
        id="lunge",
        name="Reverse lunge",
        pillar="lunge",
        sets=3,
        reps=10,
        unilateral=True,
        tempo="3-1-1",
    )
    assert exercise_line(lunge) == "Reverse lunge: 3 x 10 per side (tempo 3-1-1)"


@given(
    picks=st.sets(
        st.tuples(st.integers(0, 20), st.sampled_from(["am", "pm"]), st.integers(10, 45)),
        max_size=12,
    ),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"]),
)
def test_an_exported_plan_read_back_as_a_calendar_blocks_exactly_its_slots(
    picks: set[tuple[int, str, int]], zone: str
) -> None:
    """Round trip: sessions exported to .ics, imported as busy events, block their slots."""
    request = _request(timezone=zone)
    timeline = Timeline(request)
    sessions = []
    for day, name, minutes in picks:
        slot = timeline.slots.get((day, name))  # type: ignore[arg-type]
        if slot is None:
            continue
        clock = f"{slot.clock // 60:02d}:{slot.clock % 60:02d}"
        sessions.append(_session(slot.date, name, clock, "run", minutes, run_type="easy"))
    plan = Plan(start_date=START, end_date=request.last_day, weeks=[], sessions=sessions)
    exported = plan_to_ics(request, plan)
    assert len(_events(exported)) == len(sessions)
    reread = request.model_copy(update={"calendar_ics": exported})
    assert busy_slots(reread) == {(s.date, s.slot) for s in sessions}


def _by_status(text: str) -> dict[str, set[str]]:
    statuses: dict[str, set[str]] = {}
    for event in _events(text):
        statuses.setdefault(str(event["STATUS"]), set()).add(str(event["UID"]))
    return statuses


def test_a_replanned_calendar_cancels_the_sessions_the_new_plan_dropped() -> None:
    """Re-imported over the plan in progress, the re-plan's calendar leaves no stale event:
    a changed session keeps its UID, a dropped or moved one is cancelled under its old."""
    request = _request(timezone="America/New_York")
    old = _plan(request)
    run, circuit, strength, tempo = old.sessions
    moved_on = strength.date + dt.timedelta(days=1)
    moved = strength.model_copy(
        update={
            "id": f"{moved_on.isoformat()}-pm-strength",
            "date": moved_on,
            "start": f"{moved_on.isoformat()}T18:00",
        }
    )
    new = old.model_copy(
        update={"sessions": [run.model_copy(update={"minutes": 35}), moved, tempo]}
    )
    text = plan_to_ics(request, new, replaces=SolveResult(status="optimal", plan=old))
    assert _by_status(text) == {
        "CONFIRMED": {f"{s.id}@stride" for s in new.sessions},
        "CANCELLED": {f"{circuit.id}@stride", f"{strength.id}@stride"},
    }
    cancelled = next(e for e in _events(text) if str(e["UID"]) == f"{strength.id}@stride")
    assert cancelled.decoded("DTSTART").date() == strength.date  # where the stale event is
    reread = request.model_copy(update={"calendar_ics": text})
    assert busy_slots(reread) == {(s.date, s.slot) for s in new.sessions}


def test_each_export_outranks_the_earlier_ones() -> None:
    """Calendar apps take an update of a UID only with a SEQUENCE at least as high."""
    request = _request()
    plan = _plan(request)
    first, later = (dt.datetime(2027, 2, 1, 8, m, tzinfo=dt.UTC) for m in (0, 1))
    sequences = [
        {int(e["SEQUENCE"]) for e in _events(plan_to_ics(request, plan, stamp=stamp))}
        for stamp in (first, later)
    ]
    assert len(sequences[0]) == len(sequences[1]) == 1
    assert min(sequences[1]) > max(sequences[0])
