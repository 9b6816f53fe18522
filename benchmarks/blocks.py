"""Building blocks of the benchmark requests: weeks of slots, athletes, races, trips.

Plain JSON dicts (validated as PlanRequest when the suite is written), dated from START, a
Monday, so that week k of every instance starts on START + 7k.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

START = dt.date(2027, 1, 4)  # a Monday: week k starts on START + 7k

Json = dict[str, Any]

GYM = ["bodyweight", "bands", "dumbbells", "barbell", "box", "bench", "gym_machines"]
HOME = ["bodyweight", "bands", "dumbbells"]
HOTEL = ["bodyweight"]
LOCATIONS: Json = {"home": HOME, "gym": GYM, "hotel": HOTEL}


def slot(minutes: int, time: str, location: str = "home") -> Json:
    return {"minutes": minutes, "time": time, "location": location}


# A working runner's week: early runs, gym evenings, a long weekend morning.
RICH_WEEK: Json = {
    "mon": {"am": slot(45, "06:15"), "pm": slot(60, "18:00", "gym")},
    "tue": {"am": slot(60, "06:15")},
    "wed": {"am": slot(45, "06:15"), "pm": slot(60, "18:00", "gym")},
    "thu": {"am": slot(60, "06:15")},
    "fri": {"pm": slot(60, "17:30", "gym")},
    "sat": {"am": slot(90, "07:30")},
    "sun": {"am": slot(180, "07:00")},
}

# Every day has a morning and an evening slot: the most freedom, the biggest model.
DOUBLE_WEEK: Json = {
    day: {"am": slot(75, "06:00"), "pm": slot(75, "18:30", "gym")}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat")
} | {"sun": {"am": slot(240, "07:00"), "pm": slot(60, "18:00", "gym")}}


def date_of(week: int, weekday: int = 6) -> dt.date:
    """The date of `weekday` (0 = Monday, 6 = Sunday) in week `week` of the suite."""
    return START + dt.timedelta(days=7 * week + weekday)


def end_of(weeks: int) -> str:
    return (START + dt.timedelta(weeks=weeks, days=-1)).isoformat()


def race(week: int, distance: str, priority: str, name: str, weekday: int = 6) -> Json:
    return {
        "date": date_of(week, weekday).isoformat(),
        "distance": distance,
        "priority": priority,
        "name": name,
        "slot": "am",
    }


def athlete(
    level: str,
    weekly: int,
    longest: int,
    run_days: tuple[int, int],
    *,
    age: int = 38,
    sex: str = "unspecified",
    strength: tuple[int, int] = (2, 3),
    long_run_day: str | None = "sun",
    injuries: Iterable[tuple[str, str]] = (),
    terrain: str = "road",
) -> Json:
    return {
        "level": level,
        "age": age,
        "sex": sex,
        "body_mass_kg": 68,
        "current_weekly_minutes": weekly,
        "longest_recent_run_minutes": longest,
        "run_days": {"min": run_days[0], "max": run_days[1]},
        "strength_sessions": {"min": strength[0], "max": strength[1]},
        "long_run_day": long_run_day,
        "terrain": terrain,
        "injuries": [{"kind": kind, "status": status} for kind, status in injuries],
    }


def travel_week(week: int, minutes: int = 30) -> list[Json]:
    """A week in a hotel: one short slot a day, bodyweight only."""
    return [
        {
            "date": date_of(week, d).isoformat(),
            "slot": "all",
            "minutes": minutes,
            "location": "hotel",
            "time": "06:30",
        }
        for d in range(7)
    ]


def blocked_dates(
    rng: random.Random, weeks: int, count: int, *, avoid: Iterable[dt.date] = ()
) -> list[Json]:
    """`count` distinct whole days blocked at random (illness, work, family)."""
    taken = set(avoid)
    days = [START + dt.timedelta(days=d) for d in range(7 * weeks)]
    free = [d for d in days if d not in taken]
    picked = sorted(rng.sample(free, count))
    return [{"date": d.isoformat(), "slot": "all", "minutes": 0} for d in picked]


def covered_dates(exceptions: Iterable[Json], races: Iterable[Json]) -> set[dt.date]:
    """Dates already spoken for: random blocks must not undo a travel week or hit a race."""
    dates = {dt.date.fromisoformat(e["date"]) for e in exceptions}
    dates |= {dt.date.fromisoformat(r["date"]) for r in races}
    return dates


def request(
    *,
    weeks: int,
    athlete_json: Json,
    weekly: Json,
    races: list[Json] | None = None,
    exceptions: list[Json] | None = None,
    preferences: Json | None = None,
    strict: bool = False,
    timezone: str = "Europe/Berlin",
) -> Json:
    data: Json = {
        "start_date": START.isoformat(),
        "end_date": end_of(weeks),
        "timezone": timezone,
        "athlete": athlete_json,
        "races": races or [],
        "locations": LOCATIONS,
        "availability": {"weekly": weekly, "exceptions": exceptions or []},
        "preferences": preferences or {},
    }
    if strict:
        data["options"] = {"strict_preferences": True}
    return data


def pinned_recovery_request(weeks: int, pins: Iterable[int], races: list[Json]) -> Json:
    """Strict wishes plus 30-minute travel weeks: only a recovery week can hold them.

    A loading base/build week wishes for 2 strength sessions of at least 40-45 minutes,
    which 30-minute hotel slots cannot hold; a recovery week wishes for 1 session of 30-40.
    With strict wishes each travel week must therefore be a recovery week. Travel weeks 5
    apart leave exactly 4 loading weeks between them, and P1's "3 loading weeks before a
    recovery week" then rules out every other recovery week.
    """
    exceptions = [e for w in pins for e in travel_week(w)]
    return request(
        weeks=weeks,
        athlete_json=athlete("intermediate", 200, 75, (3, 5), age=41),
        weekly=RICH_WEEK,
        races=races,
        exceptions=exceptions,
        strict=True,
    )


def sparse_week() -> Json:
    """Three short slots a week: two 30-minute mornings and a weekend hour."""
    return {
        "tue": {"am": slot(30, "06:00")},
        "thu": {"pm": slot(30, "19:30")},
        "sun": {"am": slot(60, "08:00")},
    }


def fragmented_week() -> Json:
    """Many 30-minute fragments and one longer weekend slot."""
    return {
        "mon": {"pm": slot(30, "12:30", "gym")},
        "tue": {"am": slot(30, "06:00")},
        "wed": {"pm": slot(30, "12:30", "gym")},
        "fri": {"am": slot(30, "06:00")},
        "sat": {"am": slot(75, "08:00")},
    }


def two_day_week() -> Json:
    """Only the weekend is free: two adjacent days."""
    return {
        "sat": {"am": slot(60, "08:00"), "pm": slot(60, "17:00")},
        "sun": {"am": slot(90, "08:00"), "pm": slot(60, "17:00")},
    }


def weekday_week() -> Json:
    """Monday to Friday only, an early and an evening slot each day."""
    return {
        day: {"am": slot(50, "06:00"), "pm": slot(60, "18:00", "gym")}
        for day in ("mon", "tue", "wed", "thu", "fri")
    }


def with_blocks(rng: random.Random, data: Json, weeks: int, count: int) -> Json:
    exceptions = data["availability"]["exceptions"]
    avoid = covered_dates(exceptions, data["races"])
    exceptions.extend(blocked_dates(rng, weeks, count, avoid=avoid))
    exceptions.sort(key=lambda e: e["date"])
    return data
