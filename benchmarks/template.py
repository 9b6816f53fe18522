"""The template planner: what most training plans are, as a baseline for the solver.

A fixed weekly pattern — long run Sunday, hard runs Tuesday and Saturday, strength Monday
and Thursday, easy runs on the days between — with a recovery week every 4th loading week,
weekly volume up 10 % a week to the goal's peak, and a taper by fixed percentages. Each
session is mapped onto the calendar by moving it to the nearest free slot of its week that
can hold it (shortened to the largest free slot when none can). No search, no look-ahead:
the validator then says which rules such a plan breaks and what its objective is.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.extract import add_quality_minutes, summarise_weeks
from solver.guidance import guidance_for
from solver.schemas import Plan, PlanRequest, RunType, Session, SessionKind
from solver.timeline import (
    LOADING_PHASES,
    MIN_RUN_MINUTES,
    PEAK_WEEKLY,
    PRESCRIPTION,
    STRENGTH_MINUTES,
    UNIT,
    Day,
    SlotInfo,
    Timeline,
    Week,
    WeekInfo,
)

# Weekdays, Monday = 0.
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
LONG_DAY = SUN
HARD_DAYS = (TUE, SAT)
STRENGTH_DAYS = (MON, THU)
EASY_DAYS = (THU, WED, FRI, MON)  # filled in this order up to the week's run count

RECOVERY_EVERY = 4  # every 4th loading week is a recovery week
WEEKLY_GROWTH = 1.10  # the classic "10 % a week"
RECOVERY_SHARE = 0.70
RETURN_SHARE = 0.80
TRANSITION_SHARE = 0.40
LONG_SHARE = 0.30
HARD_SHARE = 0.15
HARD_MINUTES = (30, 75)
# Fixed taper percentages of the last loading week, from the first taper week to race week.
TAPER_SHARES: dict[str, tuple[float, ...]] = {
    "5k": (0.60,),
    "10k": (0.60,),
    "half": (0.70, 0.50),
    "marathon": (0.75, 0.60, 0.40),
    "ultra": (0.75, 0.60, 0.40),
}
HARD_TYPE_BY_PHASE: dict[str, RunType] = {
    "base": "hills",
    "build": "intervals",
    "peak": "tempo",
    "taper": "tempo",
}
PURPOSE: dict[str, str] = {
    "long": "Long run (template: Sunday).",
    "easy": "Easy run (template).",
    "tempo": "Tempo run (template).",
    "intervals": "Intervals (template).",
    "hills": "Hill repeats (template).",
}


@dataclass(frozen=True)
class Planned:
    """A session of the pattern before it is placed: preferred weekday and size."""

    weekday: int
    kind: SessionKind
    minutes: int
    run_type: RunType | None = None


def round_down(minutes: float) -> int:
    return max(0, int(minutes) // UNIT * UNIT)


def recovery_weeks(tl: Timeline) -> dict[Week, bool]:
    """Every 4th loading-phase week is a recovery week, counting from the plan's start."""
    out: dict[Week, bool] = {}
    count = 0
    for info in tl.weeks:
        loading = info.phase in LOADING_PHASES and not info.is_break
        count += loading
        out[info.index] = loading and count % RECOVERY_EVERY == 0
    return out


def weekly_minutes(tl: Timeline, is_recovery: dict[Week, bool]) -> dict[Week, int]:
    """Run minutes per week: +10 % a week to the peak, fixed cuts for the other weeks."""
    athlete = tl.request.athlete
    current = athlete.current_weekly_minutes
    last_loading = float(current)
    grown = float(current)
    out: dict[Week, int] = {}
    for info in tl.weeks:
        peak = PEAK_WEEKLY[info.goal][tl.level] if info.goal else current * 1.15
        if info.phase == "return":
            volume = current * RETURN_SHARE
        elif info.phase in LOADING_PHASES and is_recovery[info.index]:
            volume = last_loading * RECOVERY_SHARE
        elif info.phase in LOADING_PHASES:
            grown = min(max(peak, current), grown * WEEKLY_GROWTH)
            volume = last_loading = grown
        elif info.taper_position is not None and info.goal is not None:
            volume = last_loading * TAPER_SHARES[info.goal][info.taper_position]
        elif info.phase == "transition":
            volume = last_loading * TRANSITION_SHARE
        else:
            volume = last_loading
        out[info.index] = round_down(volume * len(info.days) / 7)
    return out


def _hard_type(tl: Timeline, info: WeekInfo) -> RunType | None:
    if info.phase not in HARD_TYPE_BY_PHASE:
        return None  # return, race and transition weeks: easy running only
    run_type = HARD_TYPE_BY_PHASE[info.phase]
    if tl.request.athlete.level == "beginner" and run_type == "intervals":
        return "tempo"
    return run_type


def week_pattern(tl: Timeline, info: WeekInfo, volume: int, recovery: bool) -> list[Planned]:
    """The fixed pattern of one week, biggest sessions first (they are placed first)."""
    athlete = tl.request.athlete
    runs = max(athlete.run_days.min, min(athlete.run_days.max, 5))
    hard_type = _hard_type(tl, info)
    hard_count = 0 if hard_type is None else (1 if recovery or tl.level == 0 else 2)
    if info.races:
        hard_count = max(0, hard_count - len(info.races))  # a race replaces a hard run
    long_minutes = round_down(min(max(volume * LONG_SHARE, 30), tl.long_run_cap))
    if info.phase == "return":
        long_minutes = min(long_minutes, athlete.longest_recent_run_minutes)
    hard_minutes = round_down(min(max(volume * HARD_SHARE, HARD_MINUTES[0]), HARD_MINUTES[1]))
    planned: list[Planned] = []
    if info.phase not in ("race", "transition"):
        planned.append(Planned(LONG_DAY, "run", long_minutes, "long"))
    if hard_type is not None:
        planned.extend(
            Planned(day, "run", hard_minutes, hard_type) for day in HARD_DAYS[:hard_count]
        )
    easy_count = max(0, runs - len(planned) - len(info.races))
    spent = sum(p.minutes for p in planned)
    easy_minutes = round_down(max(MIN_RUN_MINUTES, (volume - spent) / max(1, easy_count)))
    planned.extend(Planned(day, "run", easy_minutes, "easy") for day in EASY_DAYS[:easy_count])
    key = "recovery" if recovery else info.phase
    lo, hi = STRENGTH_MINUTES[key]
    sessions = min(len(STRENGTH_DAYS), athlete.strength_sessions.max)
    planned.extend(
        Planned(day, "strength", round_down((lo + hi) / 2)) for day in STRENGTH_DAYS[:sessions]
    )
    return planned


class Calendar:
    """Which slots are still free, and which days already hold a run."""

    def __init__(self, tl: Timeline) -> None:
        self.tl = tl
        self.taken: set[tuple[Day, str]] = set()
        self.run_days: dict[Day, int] = {}

    def take(self, slot: SlotInfo, is_run: bool) -> None:
        self.taken.add(slot.key)
        if is_run:
            self.run_days[slot.day] = self.run_days.get(slot.day, 0) + 1

    def candidates(self, week: Week, planned: Planned) -> list[SlotInfo]:
        """Free slots of the week, nearest to the preferred day first.

        Runs prefer the morning, strength the evening (after the day's run); a day holds
        one run unless the request allows doubles.
        """
        tl = self.tl
        target = 7 * week + planned.weekday
        is_run = planned.kind == "run"
        max_runs = 2 if tl.request.preferences.allow_doubles else 1
        order = {"am": 0, "pm": 1} if is_run else {"pm": 0, "am": 1}
        free = [
            s
            for s in tl.slots_in_week(week)
            if s.key not in self.taken
            and s.race is None
            and not (is_run and self.run_days.get(s.day, 0) >= max_runs)
        ]
        return sorted(free, key=lambda s: (abs(s.day - target), s.day, order[s.name]))

    def place(self, week: Week, planned: Planned) -> tuple[SlotInfo, int] | None:
        """The nearest slot that holds the session, else the nearest, with minutes cut."""
        floor = MIN_RUN_MINUTES if planned.kind == "run" else STRENGTH_MINUTES["race"][0]
        candidates = [s for s in self.candidates(week, planned) if s.capacity >= floor]
        if not candidates:
            return None
        fitting = [s for s in candidates if s.capacity >= planned.minutes]
        slot = fitting[0] if fitting else candidates[0]
        return slot, min(planned.minutes, round_down(slot.capacity))


def _session(tl: Timeline, slot: SlotInfo, planned: Planned, minutes: int, key: str) -> Session:
    common = {"date": slot.date, "slot": slot.name, "start": slot.start_text}
    if planned.kind == "strength":
        return Session(
            id=f"{slot.date.isoformat()}-{slot.name}-strength",
            kind="strength",
            minutes=minutes,
            location=slot.location,
            purpose=f"Full-body strength (template, {key} phase).",
            prescription=PRESCRIPTION[key],
            **common,
        )
    run_type = planned.run_type or "easy"
    return Session(
        id=f"{slot.date.isoformat()}-{slot.name}-run",
        kind="run",
        run_type=run_type,
        minutes=minutes,
        location=slot.location,
        purpose=PURPOSE[run_type],
        **common,
    )


def _race_session(tl: Timeline, slot: SlotInfo) -> Session:
    assert slot.race is not None
    race = slot.race
    return Session(
        id=f"{slot.date.isoformat()}-{slot.name}-race",
        date=slot.date,
        slot=slot.name,
        start=slot.start_text,
        kind="race",
        run_type="race",
        minutes=tl.race_minutes(race),
        location=slot.location,
        race_name=race.name or f"{race.distance} race",
        purpose=f"{race.priority} race: {race.name or race.distance}.",
    )


def template_plan(request: PlanRequest) -> Plan:
    """The template plan of a request, with week summaries computed from its sessions."""
    tl = Timeline(request)
    is_recovery = recovery_weeks(tl)
    volumes = weekly_minutes(tl, is_recovery)
    calendar = Calendar(tl)
    sessions: list[Session] = []
    for slot in tl.slots.values():
        if slot.race is not None:
            calendar.take(slot, is_run=True)
            sessions.append(_race_session(tl, slot))
    for info in tl.weeks:
        recovery = is_recovery[info.index]
        key = "recovery" if recovery else info.phase
        for planned in week_pattern(tl, info, volumes[info.index], recovery):
            placed = calendar.place(info.index, planned)
            if placed is None:
                continue  # no free slot left this week: the template drops the session
            slot, minutes = placed
            calendar.take(slot, is_run=planned.kind == "run")
            sessions.append(_session(tl, slot, planned, minutes, key))
    sessions.sort(key=lambda s: (s.date, s.slot))
    plan = Plan(
        start_date=tl.start,
        end_date=tl.end,
        weeks=[],
        sessions=sessions,
        guidance=guidance_for(request),
    )
    add_quality_minutes(tl, plan)
    plan.weeks = summarise_weeks(tl, plan, is_recovery)
    return plan
