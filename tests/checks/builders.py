"""Small requests and hand-made plans for the check tests.

A plan is written as a list of session specs (`run`, `strength`, `race`, `mini`), placed
by day offset from the start (day 0 is Monday 2027-03-01), and `build_plan` fills in the
sessions' dates, slots' start times and locations and the week summaries from the
timeline, so a test states only what matters to the rule it tests.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from solver.plan_facts import PlanFacts
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import (
    Plan,
    PlanRequest,
    RunType,
    Session,
    SessionKind,
    SlotName,
    WeekSummary,
)
from solver.timeline import DEFAULT_SLOT_TIME, Timeline

START = dt.date(2027, 3, 1)  # a Monday
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
QUALITY_CAP_PERCENT = {"tempo": 10, "intervals": 8, "hills": 8}


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Nested dicts merge key by key; anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _slot(minutes: int, location: str, time: str) -> dict[str, Any]:
    return {"minutes": minutes, "location": location, "time": time}


def request_data(weeks: int = 2) -> dict[str, Any]:
    """An intermediate runner, 200 min a week, longest recent run 60 min, no races: every
    week is a `base` week. Mornings at home (90 min, Sunday 120), evenings at the gym."""
    weekly = {
        name: {"am": _slot(90, "home", "07:00"), "pm": _slot(60, "gym", "18:00")}
        for name in ("mon", "tue", "wed", "thu", "fri", "sat")
    }
    weekly["sun"] = {"am": _slot(120, "home", "07:00"), "pm": _slot(60, "gym", "18:00")}
    return {
        "start_date": START.isoformat(),
        "end_date": day(7 * weeks - 1).isoformat(),
        "athlete": {
            "level": "intermediate",
            "age": 34,
            "current_weekly_minutes": 200,
            "longest_recent_run_minutes": 60,
            "run_days": {"min": 4, "max": 5},
            "strength_sessions": {"min": 2, "max": 3},
        },
        "locations": {
            "home": ["bodyweight", "bands", "dumbbells"],
            "gym": ["bodyweight", "bands", "dumbbells", "barbell", "box", "bench"],
        },
        "availability": {"weekly": weekly},
    }


def make_request(weeks: int = 2, **overrides: Any) -> PlanRequest:
    """`request_data(weeks)` with nested overrides, e.g. athlete={"level": "beginner"}."""
    return PlanRequest.model_validate(_merge(request_data(weeks), overrides))


@dataclass(frozen=True)
class Spec:
    """One session of a hand-made plan, placed by day offset and slot."""

    day: int
    kind: SessionKind
    minutes: int
    slot: SlotName = "am"
    run_type: RunType | None = None
    quality: int | None = None  # hard runs: None = the largest R12 allows
    location: str | None = None  # None = the slot's location


def run(
    offset: int, run_type: RunType, minutes: int, slot: SlotName = "am", quality: int | None = None
) -> Spec:
    return Spec(offset, "run", minutes, slot, run_type, quality)


def strength(offset: int, minutes: int = 45, slot: SlotName = "pm") -> Spec:
    return Spec(offset, "strength", minutes, slot)


def mini(offset: int, minutes: int = 15, slot: SlotName = "am") -> Spec:
    return Spec(offset, "mini_circuit", minutes, slot)


def race(offset: int, minutes: int, slot: SlotName = "am") -> Spec:
    return Spec(offset, "race", minutes, slot, "race")


def standard_week(week: int, strength_minutes: int = 45, long: int = 60) -> list[Spec]:
    """A realistic base week that keeps every rule: 5 runs, 205 min, one tempo, a Sunday
    long run, strength Wednesday and Friday evening (48 h apart)."""
    first = 7 * week
    return [
        run(first + TUE, "tempo", 40),
        run(first + WED, "recovery", 35),
        strength(first + WED, strength_minutes),
        run(first + THU, "easy", 40),
        strength(first + FRI, strength_minutes),
        run(first + SAT, "easy", 30),
        run(first + SUN, "long", long),
    ]


def standard_weeks(count: int, **kwargs: Any) -> list[Spec]:
    return [spec for week in range(count) for spec in standard_week(week, **kwargs)]


def _session(tl: Timeline, spec: Spec, quality: int | None) -> Session:
    date = tl.date(spec.day)
    slot = tl.slots.get((spec.day, spec.slot))
    clock = slot.start_text if slot else f"{date.isoformat()}T{DEFAULT_SLOT_TIME[spec.slot]}"
    return Session(
        id=f"{date.isoformat()}-{spec.slot}-{spec.kind}-{spec.run_type or ''}",
        date=date,
        slot=spec.slot,
        start=clock,
        kind=spec.kind,
        minutes=spec.minutes,
        run_type=spec.run_type,
        location=spec.location or (slot.location if slot else None),
        quality_minutes=quality,
    )


def _quality(spec: Spec, week_training: int) -> int | None:
    if spec.quality is not None or spec.run_type not in QUALITY_CAP_PERCENT:
        return spec.quality
    cap = QUALITY_CAP_PERCENT[spec.run_type] * week_training // 100
    return max(0, min(spec.minutes - 20, cap))


def build_plan(tl: Timeline, specs: Iterable[Spec], recovery: Iterable[int] = ()) -> Plan:
    """The plan the specs describe, with week summaries read off it like the solver's."""
    specs = list(specs)
    training: dict[int, int] = {}
    for spec in specs:
        if spec.kind == "run":
            training[spec.day // 7] = training.get(spec.day // 7, 0) + spec.minutes
    sessions = [_session(tl, s, _quality(s, training.get(s.day // 7, 0))) for s in specs]
    draft = Plan(start_date=tl.start, end_date=tl.end, weeks=[], sessions=sessions)
    facts = PlanFacts(tl, draft)
    recovery_weeks = set(recovery)
    weeks = [
        WeekSummary(
            index=info.index,
            start_date=info.start,
            phase=info.phase,
            recovery=info.index in recovery_weeks,
            run_minutes=facts.total_run_minutes(info.index),
            hard_runs=facts.hard_count(info.index),
            strength_sessions=len(facts.strength_sessions(info.index)),
            load=facts.load_tenths(info.index) / 10,
            acwr=facts.acwr(info.index),
        )
        for info in tl.weeks
    ]
    return draft.model_copy(update={"weeks": weeks})


def outcome(
    check: Callable[[CheckContext], CheckOutcome],
    request: PlanRequest,
    specs: Iterable[Spec],
    recovery: Iterable[int] = (),
) -> CheckOutcome:
    """Run one check on the plan the specs describe."""
    tl = Timeline(request)
    return check(CheckContext(timeline=tl, plan=build_plan(tl, specs, recovery)))


def check_plan(
    check: Callable[[CheckContext], CheckOutcome], request: PlanRequest, plan: Plan
) -> CheckOutcome:
    return check(CheckContext(timeline=Timeline(request), plan=plan))


def rules_of(result: CheckOutcome) -> set[str]:
    return {v.rule for v in result.violations}


def dates_of(result: CheckOutcome) -> list[list[dt.date]]:
    return [v.dates for v in result.violations]
