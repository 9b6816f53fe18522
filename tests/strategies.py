"""Hypothesis strategies that build valid plan requests: varied horizons, availability,
races, levels, injuries and preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from solver.schemas import WEEKDAYS, PlanRequest

START = dt.date(2027, 3, 1)
CAPACITIES = [0, 20, 30, 40, 45, 60, 75, 90, 120]
AM_TIMES = ["06:00", "06:30", "07:00", "08:00", "09:00"]
PM_TIMES = ["12:00", "17:00", "17:30", "18:00", "19:00"]
LOCATIONS = {
    "home": ["bodyweight", "bands", "dumbbells"],
    "gym": ["bodyweight", "bands", "dumbbells", "barbell", "box", "bench", "gym_machines"],
    "hotel": ["bodyweight"],
}


@st.composite
def slot(draw: st.DrawFn, times: list[str]) -> dict[str, Any] | None:
    minutes = draw(st.sampled_from(CAPACITIES))
    if minutes == 0:
        return None
    return {
        "minutes": minutes,
        "location": draw(st.sampled_from(["home", "gym"])),
        "time": draw(st.sampled_from(times)),
    }


@st.composite
def weekly(draw: st.DrawFn) -> dict[str, Any]:
    days: dict[str, Any] = {}
    for day in WEEKDAYS:
        am = draw(slot(AM_TIMES))
        pm = draw(slot(PM_TIMES))
        entry = {k: v for k, v in (("am", am), ("pm", pm)) if v is not None}
        if entry:
            days[day] = entry
    return days


@st.composite
def plan_requests(draw: st.DrawFn, max_weeks: int = 8, time_limit_s: float = 4.0) -> PlanRequest:
    """A valid request; the plan may or may not exist."""
    weeks = draw(st.integers(min_value=1, max_value=max_weeks))
    extra_days = draw(st.sampled_from([0, 0, 0, 3]))
    start = START + dt.timedelta(days=draw(st.integers(min_value=0, max_value=6)))
    end = start + dt.timedelta(days=7 * weeks - 1 - extra_days if weeks > 1 else 6)
    level = draw(st.sampled_from(["beginner", "intermediate", "advanced"]))
    current = draw(st.integers(min_value=60, max_value=400))
    longest = draw(st.integers(min_value=20, max_value=min(150, current)))
    run_min = draw(st.integers(min_value=1, max_value=5))
    run_max = draw(st.integers(min_value=run_min, max_value=6))
    s_min = draw(st.integers(min_value=0, max_value=3))
    s_max = draw(st.integers(min_value=max(s_min, 1), max_value=3))
    returning = draw(st.booleans()) and weeks >= 3
    injuries = []
    if returning:
        injuries.append({"kind": "achilles_tendinopathy", "status": "returning"})
    elif draw(st.booleans()):
        injuries.append(
            {"kind": draw(st.sampled_from(["runners_knee", "shin_splints"])), "status": "history"}
        )
    return_weeks = 2
    races = []
    race_days: set[dt.date] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        offset = draw(st.integers(min_value=0, max_value=(end - start).days))
        date = start + dt.timedelta(days=offset)
        if returning and date < start + dt.timedelta(weeks=return_weeks):
            continue
        if date in race_days:
            continue
        race_days.add(date)
        races.append(
            {
                "date": date.isoformat(),
                "distance": draw(st.sampled_from(["5k", "10k", "half", "marathon"])),
                "priority": draw(st.sampled_from(["A", "B", "C"])),
                "name": f"race {len(races) + 1}",
            }
        )
    exceptions = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        offset = draw(st.integers(min_value=0, max_value=(end - start).days))
        exceptions.append(
            {
                "date": (start + dt.timedelta(days=offset)).isoformat(),
                "slot": draw(st.sampled_from(["am", "pm", "all"])),
                "minutes": draw(st.sampled_from([0, 0, 30, 40])),
                "location": "hotel",
            }
        )
    data: dict[str, Any] = {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "athlete": {
            "level": level,
            "age": draw(st.one_of(st.none(), st.integers(min_value=18, max_value=75))),
            "sex": draw(st.sampled_from(["female", "male", "unspecified"])),
            "current_weekly_minutes": current,
            "longest_recent_run_minutes": longest,
            "run_days": {"min": run_min, "max": run_max},
            "strength_sessions": {"min": s_min, "max": s_max},
            "long_run_day": draw(st.one_of(st.none(), st.sampled_from(list(WEEKDAYS)))),
            "injuries": injuries,
        },
        "races": races,
        "locations": LOCATIONS,
        "availability": {"weekly": draw(weekly()), "exceptions": exceptions},
        "preferences": {
            "strength_on_hard_days": draw(st.sampled_from(["forbid", "after_run"])),
            "return_weeks": return_weeks,
            "preferred_strength_days": draw(
                st.lists(st.sampled_from(list(WEEKDAYS)), max_size=3, unique=True)
            ),
        },
        "options": {
            "time_limit_s": time_limit_s,
            "num_workers": 8,
            "random_seed": 1,
            "strict_preferences": draw(st.booleans()),
        },
    }
    return PlanRequest.model_validate(data)
