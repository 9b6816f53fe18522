"""The request read as a calendar: days, slots, weeks, phases and targets.

Everything here is a pure function of the request, so the model and the validator read
the same calendar; nothing here imports the solver. Decisions (which weeks are recovery
weeks, which slot holds what) live in the model and in the plan, never here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from solver.schemas import (
    SLOT_NAMES,
    WEEKDAYS,
    Distance,
    Equipment,
    Phase,
    PlanRequest,
    Race,
    SlotName,
)

Day = int  # days since start_date
Week = int  # weeks since start_date
Minutes = int

UNIT = 5  # minutes per decision unit of the model (see ../shared/MODELLING.md)
MIN_RUN_MINUTES = 15  # shorter outings are not worth lacing up for: a modelling floor
TRAINING_RUN_TYPES: tuple[str, ...] = ("recovery", "easy", "long", "tempo", "intervals", "hills")
RACE_TYPE = "race"

DEFAULT_SLOT_TIME: dict[SlotName, str] = {"am": "07:00", "pm": "18:00"}

# Expected race minutes by distance for advanced / intermediate / beginner runners.
RACE_MINUTES: dict[Distance, tuple[int, int, int]] = {
    "5k": (20, 25, 32),
    "10k": (42, 52, 65),
    "half": (95, 115, 140),
    "marathon": (200, 245, 300),
    "ultra": (360, 420, 500),
}
TAPER_WEEKS: dict[Distance, int] = {"5k": 0, "10k": 0, "half": 1, "marathon": 2, "ultra": 2}
# P2: run minutes of the last taper weeks and race week, fraction of the peak loading week,
# listed from the first taper week to the race week.
TAPER_CAPS: dict[Distance, tuple[float, ...]] = {
    "5k": (0.65,),
    "10k": (0.65,),
    "half": (0.75, 0.55),
    "marathon": (0.80, 0.60, 0.45),
    "ultra": (0.80, 0.60, 0.45),
}
TRANSITION_WEEKS: dict[Distance, int] = {"5k": 1, "10k": 1, "half": 1, "marathon": 2, "ultra": 2}
EASY_DAYS_AFTER_A_RACE: dict[Distance, int] = {
    "5k": 0,
    "10k": 0,
    "half": 7,
    "marathon": 14,
    "ultra": 14,
}
# R16: the peak long run each goal builds toward.
PEAK_LONG_RUN: dict[Distance, int] = {
    "5k": 70,
    "10k": 90,
    "half": 120,
    "marathon": 160,
    "ultra": 210,
}
# R9: peak weekly run minutes for beginner / intermediate / advanced runners by goal.
PEAK_WEEKLY: dict[Distance, tuple[int, int, int]] = {
    "5k": (180, 250, 330),
    "10k": (200, 280, 360),
    "half": (240, 320, 420),
    "marathon": (270, 380, 500),
    "ultra": (300, 420, 560),
}
LEVEL_INDEX = {"beginner": 0, "intermediate": 1, "advanced": 2}

# §4 strength bounds per phase: sessions per week, minutes, weekly sets per group.
STRENGTH_SESSIONS: dict[str, tuple[int, int]] = {
    "return": (2, 3),
    "base": (2, 3),
    "build": (2, 2),
    "peak": (1, 2),
    "taper": (1, 2),
    "race": (0, 1),
    "transition": (0, 2),
    "recovery": (1, 2),
}
STRENGTH_MINUTES: dict[str, tuple[int, int]] = {
    "return": (20, 40),
    "base": (45, 60),
    "build": (40, 50),
    "peak": (30, 45),
    "taper": (20, 30),
    "race": (10, 20),
    "transition": (20, 30),
    "recovery": (30, 40),
}
PRESCRIPTION: dict[str, str] = {
    "return": "isometric holds 30-45 s and slow eccentrics (3-4 s), low load; no power",
    "base": "3-4 x 6-10, heavy (RPE 7-8), compound",
    "build": "2-3 x 6-10, RPE 7",
    "peak": "maintenance 1-2 x 8-12, RPE 6; mobility and activation, bodyweight and bands",
    "taper": "priming 1-2 x 5-8, bodyweight or bands, no sets to fatigue",
    "race": "mobility and activation only",
    "transition": "mobility, light bodyweight",
    "recovery": "same exercises, sets cut by ~40 %",
}
NO_GOAL_GROWTH = 1.2  # R9 without an A race: build a fifth above today's volume, then hold
LOADING_PHASES: frozenset[str] = frozenset({"base", "build", "peak"})

# R8 intensity factors, in tenths so loads stay integer.
LOAD_FACTOR_TENTHS: dict[str, int] = {
    "recovery": 10,
    "easy": 10,
    "long": 12,
    "tempo": 16,
    "hills": 17,
    "intervals": 18,
    "race": 20,
}
STRENGTH_LOAD_TENTHS = 8

LONG_RUN_MIN = 30  # R1
LONG_RUN_RATIO = (5, 4)  # R1: long >= 1.25 x other runs, as 4*long >= 5*other
LONG_RUN_CAP = 180  # R6
LONG_RUN_CAP_ULTRA = 240
HARD_RUN_MINUTES = (30, 75)  # R12
SHAKEOUT_MAX = 30  # P3
PROGRESSION_TENTHS = 11  # R5: 1.10
RECOVERY_CAP_TENTHS = 8  # P1: 80 %
EASY_FLOOR_PERCENT = 75  # R7
HARD_TARGET_FIFTH = 5  # R7: 20 % = one fifth
ACWR_CAP_TENTHS = 13  # R8
ACWR_FROM_WEEK = 4  # R8: from week 5 on (0-based 4)
SPIKE_TENTHS = 11  # R11: 110 %
SPIKE_WINDOW_DAYS = 30
# R11 after 30 days without any run (a long break): the restart run may be this long.
RESTART_RUN_MINUTES = 30
S4_RUN_FIRST_HOURS = 6
STRENGTH_BEFORE_RACE_HOURS = 72
RECOVERY_MIN_LOADING = 3  # P1
RECOVERY_MAX_LOADING = 5  # P1

# R6: long-run share of the week's run minutes by number of runs (percent).
LONG_RUN_SHARE: dict[int, int] = {2: 60, 3: 50, 4: 40, 5: 35}


def long_run_share_percent(runs: int) -> int | None:
    """R6's cap for a week with `runs` runs; None when the long run is the only run."""
    if runs <= 1:
        return None
    return LONG_RUN_SHARE[min(runs, 5)]


@dataclass(frozen=True)
class SlotInfo:
    """One am/pm slot of one day, after availability, exceptions and calendar blocks."""

    day: Day
    name: SlotName
    date: dt.date
    capacity: Minutes
    clock: int  # minutes after local midnight
    location: str
    equipment: frozenset[Equipment]
    race: Race | None = None

    @property
    def key(self) -> tuple[Day, SlotName]:
        return (self.day, self.name)

    @property
    def start_hours(self) -> float:
        """Hours since the plan's first midnight; S2 and S4 measure gaps with it."""
        return self.day * 24 + self.clock / 60

    @property
    def start_text(self) -> str:
        return f"{self.date.isoformat()}T{self.clock // 60:02d}:{self.clock % 60:02d}"


@dataclass(frozen=True)
class WeekInfo:
    index: Week
    start: dt.date
    days: range
    phase: Phase
    can_recover: bool  # P1: the solver may make this a recovery week
    is_break: bool  # no slot to train in (races aside): counts as a recovery week (P1)
    races: tuple[Race, ...]
    goal: Distance | None  # distance of the next A race, if any
    weeks_to_goal: int | None
    taper_position: int | None  # 0 = first capped week of P2, ... ; None outside
    volume_target: Minutes  # R9 target for a loading week
    recovery_target: Minutes  # R9 target if it is a recovery week
    long_target: Minutes | None  # R16 target (loading weeks only)
    available_run_minutes: Minutes

    @property
    def fixed_non_loading(self) -> bool:
        """Taper, race, transition, return and break weeks reset P1's loading count."""
        return self.is_break or self.phase not in LOADING_PHASES


@dataclass
class Timeline:
    """The calendar a request describes."""

    request: PlanRequest
    # Only the first `cutoff_weeks` weeks exist (phases still see every race). Every rule
    # looks back in time, so a plan for the whole horizon restricted to these weeks is a
    # plan for the cut calendar: the warm start solves such prefixes one after another.
    cutoff_weeks: int | None = None
    slots: dict[tuple[Day, SlotName], SlotInfo] = field(init=False)
    weeks: list[WeekInfo] = field(init=False)

    def __post_init__(self) -> None:
        self.slots = _build_slots(self.request, self.num_days, self.blocked)
        self.weeks = _build_weeks(self)

    # --- horizon -------------------------------------------------------------------

    @cached_property
    def start(self) -> dt.date:
        return self.request.start_date

    @cached_property
    def end(self) -> dt.date:
        return self.request.last_day

    @cached_property
    def num_days(self) -> int:
        days = (self.end - self.start).days + 1
        return days if self.cutoff_weeks is None else min(days, 7 * self.cutoff_weeks)

    @cached_property
    def total_weeks(self) -> int:
        """Weeks of the whole horizon, whatever the cutoff."""
        return math.ceil(((self.end - self.start).days + 1) / 7)

    @cached_property
    def num_weeks(self) -> int:
        return math.ceil(self.num_days / 7)

    @cached_property
    def blocked(self) -> frozenset[tuple[dt.date, SlotName]]:
        """Slots that imported busy calendar events overlap (T2)."""
        if not self.request.calendar_ics:
            return frozenset()
        from solver.calendar_io import busy_slots

        return frozenset(busy_slots(self.request))

    def date(self, day: Day) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def day_of(self, date: dt.date) -> Day:
        return (date - self.start).days

    def week_of(self, day: Day) -> Week:
        return day // 7

    def weekday(self, day: Day) -> str:
        return WEEKDAYS[self.date(day).weekday()]

    def days_of_week(self, week: Week) -> range:
        return range(7 * week, min(7 * week + 7, self.num_days))

    def slots_on(self, day: Day) -> list[SlotInfo]:
        return [self.slots[(day, n)] for n in SLOT_NAMES if (day, n) in self.slots]

    def slots_in_week(self, week: Week) -> list[SlotInfo]:
        return [s for d in self.days_of_week(week) for s in self.slots_on(d)]

    # --- athlete parameters -----------------------------------------------------------

    @cached_property
    def level(self) -> int:
        return LEVEL_INDEX[self.request.athlete.level]

    @cached_property
    def strength_gap_hours(self) -> int:
        """S2: 48 h, or 60 h from age 50, unless the request sets it."""
        gap = self.request.preferences.min_strength_gap_hours
        if gap is not None:
            return gap
        age = self.request.athlete.age
        return 60 if age is not None and age >= 50 else 48

    @cached_property
    def long_run_cap(self) -> Minutes:
        """R6's absolute cap on the long run."""
        ultra = any(r.distance == "ultra" for r in self.request.races)
        return LONG_RUN_CAP_ULTRA if ultra else LONG_RUN_CAP

    @cached_property
    def long_run_unit(self) -> Minutes:
        """Minutes per step of the long run in the model: 1 while 10 % growth (R11) is less
        than 5 minutes, i.e. a recent longest run under 50 min or a 30-day gap without any
        slot (after which R11 restarts from 30 min); 5 otherwise, a much smaller search."""
        if self.request.athlete.longest_recent_run_minutes < 50:
            return 1
        free_days = [d for d in range(self.num_days) if self.slots_on(d)]
        gaps = [b - a for a, b in itertools.pairwise(free_days)]
        if any(gap > SPIKE_WINDOW_DAYS for gap in gaps):
            return 1
        return UNIT

    @cached_property
    def long_run_floor(self) -> Minutes:
        """R1: at least 30 min, or the R11/R13 cap when that is lower."""
        spike_cap = self.request.athlete.longest_recent_run_minutes * SPIKE_TENTHS // 10
        return min(LONG_RUN_MIN, spike_cap)

    def hard_cap(self, week: Week, recovery: bool) -> int:
        """R3: hard runs per week (races count); at least the week's races."""
        cap = 1 if self.request.athlete.level == "beginner" or recovery else 2
        return max(cap, len(self.weeks[week].races))

    def race_minutes(self, race: Race) -> Minutes:
        if race.expected_minutes is not None:
            return race.expected_minutes
        return RACE_MINUTES[race.distance][2 - self.level]

    def strength_bounds(self, week: Week, recovery: bool) -> tuple[int, int]:
        """S1: the phase bounds intersected with the athlete's range, (wish, hard cap).

        A break week wishes for nothing: there is no slot to hold a session.
        """
        info = self.weeks[week]
        key = "recovery" if recovery else info.phase
        lo, hi = STRENGTH_SESSIONS[key]
        athlete = self.request.athlete.strength_sessions
        hi = min(hi, athlete.max)
        lo = min(max(lo, athlete.min), hi)
        return (0 if info.is_break else lo), hi

    def strength_minutes(self, week: Week, recovery: bool) -> tuple[int, int]:
        key = "recovery" if recovery else self.weeks[week].phase
        return STRENGTH_MINUTES[key]

    def wish_of(self, rule: str, week: Week) -> int:
        """What a week's wish asks for: runs (R10) or strength sessions (S1, as a loading
        week's)."""
        if rule == "R10":
            return self.run_days_wish(week)
        return self.strength_bounds(week, recovery=False)[0]

    def run_days_wish(self, week: Week) -> int:
        """R10's wish, pro rata in a partial last week; none in a break week."""
        info = self.weeks[week]
        if info.is_break:
            return 0
        wanted = self.request.athlete.run_days.min
        return min(wanted, wanted * len(info.days) // 7, self.request.athlete.run_days.max)

    @cached_property
    def easy_only_days(self) -> frozenset[Day]:
        """P3: days of easy running only after an A race of half marathon or longer."""
        days: set[Day] = set()
        for race in self.request.races:
            if race.priority != "A":
                continue
            race_day = self.day_of(race.date)
            for d in range(race_day + 1, race_day + 1 + EASY_DAYS_AFTER_A_RACE[race.distance]):
                if d < self.num_days:
                    days.add(d)
        return frozenset(days)

    @cached_property
    def race_days(self) -> dict[Day, list[Race]]:
        out: dict[Day, list[Race]] = {}
        for race in self.request.races:
            day = self.day_of(race.date)
            if day < self.num_days:
                out.setdefault(day, []).append(race)
        return out


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _build_slots(
    request: PlanRequest, num_days: int, blocked: Iterable[tuple[dt.date, SlotName]]
) -> dict[tuple[Day, SlotName], SlotInfo]:
    """Apply the weekly template, then dated exceptions, calendar blocks and races (T2)."""
    default_location = next(iter(request.locations))
    blocked_set = set(blocked)
    exceptions: dict[tuple[dt.date, SlotName], tuple[int, str | None, str | None]] = {}
    for exc in request.availability.exceptions:
        names = SLOT_NAMES if exc.slot == "all" else (exc.slot,)
        weekly_day = request.availability.weekly.get(WEEKDAYS[exc.date.weekday()])
        if exc.slot == "all" and exc.minutes > 0 and weekly_day is not None:
            present = tuple(n for n in SLOT_NAMES if getattr(weekly_day, n) is not None)
            names = present or ("am",)
        elif exc.slot == "all" and exc.minutes > 0:
            names = ("am",)
        if exc.slot == "all":
            for n in SLOT_NAMES:
                exceptions[(exc.date, n)] = (0, None, None)
        for n in names:
            exceptions[(exc.date, n)] = (exc.minutes, exc.location, exc.time)

    races = {(r.date, r.slot): r for r in request.races}
    slots: dict[tuple[Day, SlotName], SlotInfo] = {}
    for day in range(num_days):
        date = request.start_date + dt.timedelta(days=day)
        weekly = request.availability.weekly.get(WEEKDAYS[date.weekday()])
        for name in SLOT_NAMES:
            base = getattr(weekly, name) if weekly is not None else None
            capacity = base.minutes if base is not None else 0
            location = (base.location if base is not None else None) or default_location
            clock = base.time if base is not None else DEFAULT_SLOT_TIME[name]
            if (date, name) in exceptions:
                capacity, exc_location, exc_time = exceptions[(date, name)]
                location = exc_location or location
                clock = exc_time or clock
            if (date, name) in blocked_set:
                capacity = 0
            race = races.get((date, name))
            if race is not None:
                capacity = max(capacity, 0)
            if capacity <= 0 and race is None:
                continue
            slots[(day, name)] = SlotInfo(
                day=day,
                name=name,
                date=date,
                capacity=capacity,
                clock=_clock_minutes(clock),
                location=location,
                equipment=frozenset(request.locations[location]),
                race=race,
            )
    return slots


def _phase_of(tl: Timeline, week: Week, a_race_weeks: list[tuple[Week, Race]]) -> Phase:
    request = tl.request
    if request.athlete.returning and week < request.preferences.return_weeks:
        return "return"
    for race_week, _race in a_race_weeks:
        if race_week == week:
            return "race"
    previous = [(w, r) for w, r in a_race_weeks if w < week]
    if previous:
        prev_week, prev_race = previous[-1]
        if week - prev_week <= TRANSITION_WEEKS[prev_race.distance]:
            return "transition"
    upcoming = [(w, r) for w, r in a_race_weeks if w > week]
    if not upcoming:
        return "base"
    race_week, race = upcoming[0]
    k = race_week - week
    if k <= TAPER_WEEKS[race.distance]:
        return "taper"
    if k <= 4:
        return "peak"
    if k <= 12:
        # Weeks between two close A races hold fitness rather than build it (§4).
        return "peak" if previous else "build"
    return "base"


def _build_weeks(tl: Timeline) -> list[WeekInfo]:
    request = tl.request
    a_races = sorted((r for r in request.races if r.priority == "A"), key=lambda r: r.date)
    a_race_weeks = [(tl.day_of(r.date) // 7, r) for r in a_races]
    athlete = request.athlete
    level = LEVEL_INDEX[athlete.level]
    weeks: list[WeekInfo] = []
    loading_count = 0
    volume_ref: float = athlete.current_weekly_minutes
    long_ref: float = athlete.longest_recent_run_minutes
    volume_target: float
    for w in range(tl.num_weeks):
        days = tl.days_of_week(w)
        phase = _phase_of(tl, w, a_race_weeks)
        week_slots = [tl.slots[(d, n)] for d in days for n in SLOT_NAMES if (d, n) in tl.slots]
        races = tuple(s.race for s in week_slots if s.race is not None)
        # No slot to train in: a week of illness or travel around a race entered long
        # before is a break too, or R5 would measure the weeks after it against 0 minutes.
        is_break = all(s.race is not None for s in week_slots)
        upcoming = [(rw, r) for rw, r in a_race_weeks if rw >= w]
        goal = upcoming[0][1].distance if upcoming else None
        weeks_to_goal = upcoming[0][0] - w if upcoming else None
        taper_position: int | None = None
        if goal is not None and weeks_to_goal is not None:
            caps = TAPER_CAPS[goal]
            if weeks_to_goal < len(caps):
                taper_position = len(caps) - 1 - weeks_to_goal
        per_day = [
            max((tl.slots[(d, n)].capacity for n in SLOT_NAMES if (d, n) in tl.slots), default=0)
            for d in days
        ]
        if request.preferences.allow_doubles:
            per_day = [
                sum(tl.slots[(d, n)].capacity for n in SLOT_NAMES if (d, n) in tl.slots)
                for d in days
            ]
        available = sum(per_day)
        fraction = len(days) / 7

        peak = (
            PEAK_WEEKLY[goal][level]
            if goal is not None
            else round(athlete.current_weekly_minutes * NO_GOAL_GROWTH)
        )
        peak = max(peak, athlete.current_weekly_minutes)
        long_target: int | None = None
        if phase in LOADING_PHASES:
            loading_count += 1
            grown = athlete.current_weekly_minutes * 1.05**loading_count
            volume_target = min(peak, grown)
            volume_ref = volume_target
            peak_long = PEAK_LONG_RUN[goal] if goal is not None else long_ref
            long_ref = min(peak_long, tl.long_run_cap, long_ref * 1.08)
            # Rounded down: a target above what R11 lets the long run reach would be a
            # penalty no plan can avoid.
            long_target = 5 * int(max(long_ref, LONG_RUN_MIN) // 5)
        elif phase == "return":
            volume_target = athlete.current_weekly_minutes
            long_target = None
        elif phase in ("taper", "race") and taper_position is not None and goal is not None:
            volume_target = volume_ref * (TAPER_CAPS[goal][taper_position] - 0.05)
        elif phase == "transition":
            volume_target = volume_ref * 0.4
        else:
            volume_target = volume_ref
        volume_target = min(volume_target * fraction, available)
        weeks.append(
            WeekInfo(
                index=w,
                start=tl.date(7 * w),
                days=days,
                phase=phase,
                can_recover=phase in LOADING_PHASES and not is_break,
                is_break=is_break,
                races=races,
                goal=goal,
                weeks_to_goal=weeks_to_goal,
                taper_position=taper_position,
                volume_target=_round5(volume_target),
                recovery_target=_round5(volume_target * 0.7),
                long_target=long_target if not is_break else None,
                available_run_minutes=available,
            )
        )
    return weeks


def _round5(value: float) -> int:
    return int(5 * round(value / 5))
