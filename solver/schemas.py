"""The public JSON contracts: what a planner sends (PlanRequest) and gets back (SolveResult).

These pydantic models are the single source of truth for the JSON Schema and the OpenAPI
document. Field names follow ../shared/DESIGN.md; fields may be added, never renamed.
Cross-field checks raise a validation error naming the field and the rule it protects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_HORIZON_WEEKS = 104
DEFAULT_HORIZON_WEEKS = 12

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SlotName = Literal["am", "pm"]
SLOT_NAMES: tuple[SlotName, ...] = ("am", "pm")
Level = Literal["beginner", "intermediate", "advanced"]
Distance = Literal["5k", "10k", "half", "marathon", "ultra"]
Priority = Literal["A", "B", "C"]
Equipment = Literal["bodyweight", "bands", "dumbbells", "barbell", "box", "gym_machines", "bench"]
InjuryKind = Literal[
    "runners_knee",
    "achilles_tendinopathy",
    "it_band_syndrome",
    "plantar_fasciitis",
    "shin_splints",
    "hamstring_strain",
]
RunType = Literal["recovery", "easy", "long", "tempo", "intervals", "hills", "race"]
RUN_TYPES: tuple[RunType, ...] = ("recovery", "easy", "long", "tempo", "intervals", "hills", "race")
HARD_RUN_TYPES: frozenset[str] = frozenset({"tempo", "intervals", "hills", "race"})
KEY_RUN_TYPES: frozenset[str] = HARD_RUN_TYPES | {"long"}
EASY_FAMILY: frozenset[str] = frozenset({"recovery", "easy", "long"})
SessionKind = Literal["run", "race", "strength", "mini_circuit", "mobility", "cross_training"]
Phase = Literal["return", "base", "build", "peak", "taper", "race", "transition"]
Status = Literal["optimal", "feasible", "infeasible", "unknown", "invalid"]

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class StrictModel(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Range(StrictModel):
    """An inclusive integer range."""

    min: int = Field(ge=0, description="Lowest value (inclusive).")
    max: int = Field(ge=0, description="Highest value (inclusive).")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not exceed max ({self.max})")
        return self


class Injury(StrictModel):
    kind: InjuryKind = Field(description="The injury, one of the kinds in RULES.md S12.")
    status: Literal["history", "returning"] = Field(
        description="`history`: healed, shapes strength emphasis (S12). `returning`: coming "
        "back now, opens the `return` phase (R13, §4)."
    )


class Athlete(StrictModel):
    level: Level = Field(description="Training level; beginners get fewer hard runs (R3).")
    age: int | None = Field(
        default=None, ge=12, le=100, description="Years; 50 or more widens S2's gap to 60 h."
    )
    sex: Literal["female", "male", "unspecified"] = Field(
        default="unspecified", description="Shapes strength emphasis (S12)."
    )
    body_mass_kg: float | None = Field(
        default=None, gt=25, lt=250, description="Body mass for protein guidance (G2)."
    )
    current_weekly_minutes: int = Field(
        ge=30,
        le=1500,
        description="Running minutes in a typical recent week; bounds the first week (R5).",
    )
    longest_recent_run_minutes: int = Field(
        ge=14,
        le=400,
        description="Longest run in the last 30 days, minutes; the base of R11 and R13. At "
        "least 14: the shortest planned run is 15 min and R11 lets a run be 110 % of it.",
    )
    run_days: Range = Field(
        description="Runs per week: `max` is hard, `min` is a wish (R10, §6).",
    )
    strength_sessions: Range = Field(
        default_factory=lambda: Range(min=2, max=3),
        description="Strength sessions per week, intersected with the phase bounds (S1).",
    )
    long_run_day: Weekday | None = Field(
        default=None, description="Preferred weekday for the long run (soft, R1)."
    )
    terrain: Literal["road", "trail", "mixed"] = Field(
        default="road", description="Where the athlete runs; trail adds emphasis (S12)."
    )
    injuries: list[Injury] = Field(default_factory=list, description="Injury history.")

    @field_validator("run_days")
    @classmethod
    def _run_days(cls, value: Range) -> Range:
        if value.max < 1 or value.max > 14:
            raise ValueError("run_days.max must be between 1 and 14 (R10)")
        if value.min > 7:
            raise ValueError("run_days.min must be at most 7 (R10)")
        return value

    @field_validator("strength_sessions")
    @classmethod
    def _strength(cls, value: Range) -> Range:
        if value.max > 4:
            raise ValueError(
                "strength_sessions.max must be at most 4: S2 keeps sessions 48 h apart (S1)"
            )
        return value

    @property
    def returning(self) -> bool:
        return any(i.status == "returning" for i in self.injuries)


class Race(StrictModel):
    date: dt.date = Field(description="Race day.")
    distance: Distance = Field(description="Race distance; sets taper and goals (P2, R16).")
    priority: Priority = Field(description="A: the goal race, shapes phases. B, C: tune-ups.")
    name: str = Field(default="", max_length=200, description="Shown in the plan.")
    slot: SlotName = Field(default="am", description="Which slot of the day the race is in.")
    expected_minutes: int | None = Field(
        default=None,
        ge=10,
        le=1800,
        description="Expected finish time in minutes; default from distance and level.",
    )


class SlotAvailability(StrictModel):
    minutes: int = Field(ge=0, le=600, description="Capacity in minutes; 0 = unavailable.")
    location: str | None = Field(
        default=None, description="A key of `locations`; default: the first location."
    )
    time: str = Field(
        default="07:00",
        description="Local clock time the slot starts, HH:MM (S2 and S4 measure from it).",
    )

    @field_validator("time")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(f"time must be HH:MM (24 h), got {value!r}")
        return value


class DayAvailability(StrictModel):
    am: SlotAvailability | None = Field(default=None, description="Morning slot.")
    pm: SlotAvailability | None = Field(default=None, description="Afternoon/evening slot.")


class AvailabilityException(StrictModel):
    date: dt.date = Field(description="The day the exception applies to.")
    slot: Literal["am", "pm", "all"] = Field(default="all", description="Which slot(s).")
    minutes: int = Field(default=0, ge=0, le=600, description="New capacity; 0 blocks it.")
    location: str | None = Field(
        default=None, description="Where the athlete is that day (e.g. `hotel`)."
    )
    time: str | None = Field(default=None, description="New clock time HH:MM, optional.")

    @field_validator("time")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None and not _CLOCK.match(value):
            raise ValueError(f"time must be HH:MM (24 h), got {value!r}")
        return value


class Availability(StrictModel):
    weekly: dict[Weekday, DayAvailability] = Field(
        description="The usual week: per weekday an `am` and/or `pm` slot (T2)."
    )
    exceptions: list[AvailabilityException] = Field(
        default_factory=list, description="Dated changes: travel, illness, holidays (T2)."
    )


class Preferences(StrictModel):
    strength_on_hard_days: Literal["forbid", "after_run"] = Field(
        default="forbid",
        description="`forbid` (seed, S3) or `after_run`: strength may follow a hard run later "
        'the same day ("hard days hard").',
    )
    min_strength_gap_hours: int | None = Field(
        default=None,
        ge=48,
        le=96,
        description="Hours between strength sessions (S2); default 48, or 60 from age 50.",
    )
    preferred_strength_days: list[Weekday] = Field(
        default_factory=list, description="Weekdays where strength is preferred (soft, PREF)."
    )
    rest_days: list[Weekday] = Field(
        default_factory=list, description="Weekdays the athlete would rather rest (soft, PREF)."
    )
    allow_doubles: bool = Field(
        default=False, description="Allow two runs a day (R14); advanced athletes only."
    )
    active_recovery: bool = Field(
        default=False, description="List active-recovery options for free days (G3)."
    )
    return_weeks: int = Field(
        default=4, ge=2, le=6, description="Length of the `return` phase in weeks (§4)."
    )
    block_weeks: int = Field(
        default=4, ge=4, le=6, description="Strength block length in weeks (S10)."
    )


class SolveOptions(StrictModel):
    time_limit_s: float = Field(
        default=30.0, gt=0, le=3600, description="Wall-clock limit for the solve, seconds."
    )
    deterministic_time: float | None = Field(
        default=None,
        gt=0,
        le=100000,
        description="CP-SAT deterministic-time limit. With num_workers 1 and a fixed "
        "random_seed the same request gives the same plan on every run.",
    )
    num_workers: int = Field(
        default=4,
        ge=1,
        le=32,
        description="CP-SAT workers. The count picks the portfolio of subsolvers as well "
        "as the threads; 4 gave the best plans on a 2-core machine (benchmarks/README.md).",
    )
    random_seed: int = Field(default=0, ge=0, le=2**31 - 1, description="CP-SAT seed.")
    strict_preferences: bool = Field(
        default=False,
        description="Make wishes (lower bounds of R10 and S1) hard: a calendar that cannot "
        "meet them is infeasible instead of listing unmet wishes (§6).",
    )
    relative_gap_limit: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Stop when the relative gap is at most this (0 = prove optimality).",
    )


def _default_locations() -> dict[str, list[Equipment]]:
    return {"home": ["bodyweight"]}


class PlanRequest(StrictModel):
    """A calendar to plan: who, when, where, with what, towards which races."""

    start_date: dt.date = Field(description="First day of the plan (T1).")
    timezone: str = Field(default="UTC", description="IANA time zone of the slot times.")
    end_date: dt.date | None = Field(
        default=None,
        description="Last day (inclusive); default: the last race, or start + 12 weeks (T1).",
    )
    athlete: Athlete = Field(description="The runner.")
    races: list[Race] = Field(default_factory=list, description="Races in the horizon.")
    locations: dict[str, list[Equipment]] = Field(
        default_factory=_default_locations,
        description="Named places and the equipment each has (T2, S9).",
    )
    availability: Availability = Field(description="When the athlete can train (T2).")
    calendar_ics: str | None = Field(
        default=None,
        max_length=2_000_000,
        description="iCalendar text; busy events block the slots they overlap (T2).",
    )
    preferences: Preferences = Field(
        default_factory=Preferences, description="Soft preferences and rule options."
    )
    weights: dict[str, float] = Field(
        default_factory=dict,
        description='Overrides of soft-rule weights by rule ID, e.g. {"R9": 2}.',
    )
    options: SolveOptions = Field(default_factory=SolveOptions, description="Solver options.")

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        # A zone name is a file name to zoneinfo: "America" is a directory, and a name
        # too long for the file system is an OSError, not a missing zone.
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _cross_field(self) -> PlanRequest:
        last = self.last_day
        if last < self.start_date:
            raise ValueError("end_date: must not be before start_date (T1)")
        weeks = (last - self.start_date).days // 7 + 1
        if weeks > MAX_HORIZON_WEEKS:
            raise ValueError(
                f"end_date: the horizon is {weeks} weeks; at most {MAX_HORIZON_WEEKS} are "
                "supported (T1)"
            )
        for i, race in enumerate(self.races):
            if not self.start_date <= race.date <= last:
                raise ValueError(
                    f"races[{i}].date: {race.date} is outside the plan "
                    f"{self.start_date}..{last} (T1)"
                )
        dates = [(r.date, r.slot) for r in self.races]
        if len(set(dates)) != len(dates):
            raise ValueError("races: two races share a date and slot (T3)")
        if not self.locations:
            raise ValueError("locations: at least one location is needed (T2)")
        for day, avail in self.availability.weekly.items():
            for slot_name in SLOT_NAMES:
                slot = getattr(avail, slot_name)
                if slot is not None and slot.location is not None:
                    self._known_location(
                        slot.location, f"availability.weekly.{day}.{slot_name}.location"
                    )
        for i, exc in enumerate(self.availability.exceptions):
            if exc.location is not None:
                self._known_location(exc.location, f"availability.exceptions[{i}].location")
        unknown = sorted(set(self.weights) - set(SOFT_RULE_IDS))
        if unknown:
            raise ValueError(
                f"weights: unknown soft rule ID(s) {unknown}; soft rules are "
                f"{sorted(SOFT_RULE_IDS)}"
            )
        for rule_id, weight in self.weights.items():
            if weight < 0 or weight > 1_000:
                raise ValueError(f"weights.{rule_id}: must be within 0..1000, got {weight}")
        if self.preferences.allow_doubles and self.athlete.level != "advanced":
            raise ValueError(
                "preferences.allow_doubles: two runs a day are for advanced athletes only (R14)"
            )
        if self.athlete.returning:
            return_end = self.start_date + dt.timedelta(weeks=self.preferences.return_weeks)
            for i, race in enumerate(self.races):
                if race.date < return_end:
                    raise ValueError(
                        f"races[{i}].date: {race.date} falls in the return-from-injury phase "
                        f"(until {return_end}), where no hard runs are allowed (R13)"
                    )
        return self

    def _known_location(self, name: str, field: str) -> None:
        if name not in self.locations:
            raise ValueError(
                f"{field}: unknown location {name!r}; known: {sorted(self.locations)} (T2)"
            )

    @property
    def last_day(self) -> dt.date:
        """The plan's last day (T1): end_date, else the last race, else start + 12 weeks."""
        if self.end_date is not None:
            return self.end_date
        if self.races:
            return max(r.date for r in self.races)
        return self.start_date + dt.timedelta(weeks=DEFAULT_HORIZON_WEEKS, days=-1)

    def digest(self) -> str:
        """SHA-256 of the request without its search options (time limit, workers, seed,
        gap): two requests with one digest pose the same planning problem."""
        text = self.model_dump_json(exclude={"options": set(SEARCH_OPTIONS)})
        return hashlib.sha256(text.encode()).hexdigest()


# Options that change how long and how the search runs, not what a plan must be.
SEARCH_OPTIONS = (
    "time_limit_s",
    "deterministic_time",
    "num_workers",
    "random_seed",
    "relative_gap_limit",
)


# Soft rules and their default weights (RULES.md §6). The wish weight of R10 and S1 is
# derived from the others at solve time so that one missing session always costs more
# than every other penalty a week can carry; an explicit override is honoured as given.
DEFAULT_WEIGHTS: dict[str, float] = {
    "R1": 20,  # long run not on the preferred day, per week
    "R7": 1,  # per hard-run minute above 20 % of the week's run minutes
    "R9": 1,  # per minute of deviation from the weekly volume target
    "R15": 30,  # per missing or surplus hard run in a loading week
    "R16": 1,  # per minute the long run falls short of the week's target
    "R17": 5,  # per recovery run away from a post-key day, or easy run on one
    "S5": 10,  # per strength session on the day before a key run
    "PREF": 10,  # per strength session off the preferred days, or session on a rest day
    "S12": 1,  # per emphasis set short of the raised ceiling; 3 per week missing a focus
    "P4": 0.1,  # per point of strength load (sets x RPE) moving the wrong way
    "R10": 0,  # wish: derived (see above) unless overridden
    "S1": 0,  # wish: derived (see above) unless overridden
}
SOFT_RULE_IDS: frozenset[str] = frozenset(DEFAULT_WEIGHTS)
WISH_RULE_IDS: frozenset[str] = frozenset({"R10", "S1"})


# ---------------------------------------------------------------------------------------
# Results


class Exercise(StrictModel):
    id: str
    name: str
    pillar: str
    muscle_groups: list[str] = Field(default_factory=list)
    unilateral: bool = False
    equipment: list[str] = Field(default_factory=list)
    sets: int = 0
    reps: int | None = None
    hold_s: int | None = None
    tempo: str | None = None
    rpe: float | None = None
    minutes: int | None = None


class Session(StrictModel):
    id: str = Field(description="Stable id: date, slot and kind.")
    date: dt.date
    slot: SlotName
    start: str = Field(description="Local start, YYYY-MM-DDTHH:MM.")
    kind: SessionKind
    minutes: int = Field(ge=0)
    run_type: RunType | None = None
    location: str | None = None
    quality_minutes: int | None = Field(
        default=None, description="Hard runs: minutes of threshold/interval/hill work (R12)."
    )
    race_name: str | None = None
    purpose: str = Field(default="", description="One line for the runner.")
    prescription: str | None = Field(
        default=None, description="Strength: the phase's sets x reps and load (§4)."
    )
    exercises: list[Exercise] | None = None


class WeekSummary(StrictModel):
    index: int
    start_date: dt.date
    phase: Phase
    recovery: bool
    run_minutes: int = Field(description="Run minutes, races included.")
    hard_runs: int
    strength_sessions: int
    load: float = Field(description="Training load (R8 factors).")
    acwr: float | None = Field(default=None, description="Acute:chronic load ratio (R8).")


class Guidance(StrictModel):
    sleep: str
    protein: str | None = None
    recovery: list[str] = Field(default_factory=list)


class Plan(StrictModel):
    start_date: dt.date
    end_date: dt.date
    weeks: list[WeekSummary]
    sessions: list[Session]
    guidance: Guidance | None = None


class Penalty(StrictModel):
    rule: str
    value: float
    detail: str = ""


class Violation(StrictModel):
    rule: str
    dates: list[dt.date] = Field(default_factory=list)
    message: str
    shortfall: int | None = Field(
        default=None,
        description="How far the plan is from keeping the rule, in the rule's own unit, for "
        "rules that measure it (R7: minutes of easy running the week would need to add). A "
        "re-plan may shrink such a violation that the logged facts caused, never grow it.",
    )


class Conflict(StrictModel):
    rules: list[str]
    dates: list[dt.date] = Field(default_factory=list)
    message: str
    suggestions: list[Suggestion] = Field(
        default_factory=list,
        description="Smallest changes found that resolve this conflict, smallest first.",
    )


class UnmetWish(StrictModel):
    """A wish (RULES.md §6) the plan bent, and why."""

    week: int = Field(description="0-based week index.")
    rule: str = Field(description="R10 (run days) or S1 (strength sessions).")
    wanted: int
    planned: int
    blocked_by: list[str] = Field(
        default_factory=list,
        description="What stood in the way: hard rules (T2: the calendar's slots), and "
        "the wishes the plan kept instead (R10, S1). Empty when nothing hard did (the "
        "message says the plan bent the wish for lower penalties elsewhere) or when the "
        "reason was not found in time (the message says so).",
    )
    message: str


class StageTimes(StrictModel):
    """Where a solve's wall time went, in seconds; stages that did not run are 0."""

    warm_start_s: float = Field(
        default=0.0, description="Staged hints before the search (long calendars, re-plans)."
    )
    reference_s: float = Field(
        default=0.0,
        description="Re-plans: the first, small solve that finds which rules the logged "
        "facts break.",
    )
    build_s: float = Field(default=0.0, description="Building the CP-SAT model.")
    search_s: float = Field(default=0.0, description="The main CP-SAT search.")
    explain_s: float = Field(
        default=0.0, description="Explaining unmet wishes or an infeasible calendar."
    )
    check_s: float = Field(
        default=0.0,
        description="Re-plans: checking the plan for what the logged past breaks by itself.",
    )


class SessionChange(StrictModel):
    """One slot whose session a re-plan changed."""

    date: dt.date
    slot: SlotName
    before: str | None = Field(description="The plan in progress's session id there, if any.")
    after: str | None = Field(description="The new plan's session id there, if any.")
    message: str = Field(
        description="What it was and is, e.g. `Thu 2027-03-18 am: 30' easy -> nothing`."
    )


class SolveResult(StrictModel):
    status: Status
    objective: float | None = None
    best_bound: float | None = None
    wall_time_s: float = Field(default=0.0, description="End to end, explanations included.")
    stages: StageTimes = Field(default_factory=StageTimes)
    stop_reason: str = Field(
        default="", description="What ended the solve: proof, time limit, gap limit, stop."
    )
    penalties: list[Penalty] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    unmet_wishes: list[UnmetWish] = Field(default_factory=list)
    plan: Plan | None = None
    model_size: dict[str, int] = Field(default_factory=dict)
    request_digest: str | None = Field(
        default=None,
        description="PlanRequest.digest() of the calendar solved. A re-plan reuses this "
        "result's explanations of unmet wishes when its own calendar has the same digest.",
    )
    past_violations: list[Violation] = Field(
        default_factory=list,
        description="Re-plans: what the logged past breaks by itself (three hard days in a "
        "row, a run past R11's cap): facts, kept as they are. The plan has no other "
        "violation of the re-plan's rules.",
    )
    log_notes: list[str] = Field(
        default_factory=list,
        description="Re-plans: where the past was counted otherwise than logged (minutes "
        "rounded to the model's units, a session on a slot the log made unavailable "
        "counted as missed, strength sessions above S1's cap left out).",
    )
    changes: list[SessionChange] = Field(
        default_factory=list,
        description="Re-plans: each slot from `as_of` on whose session differs from the plan "
        "in progress (added, dropped, moved, or changed in kind, run type or minutes), as "
        "the CHANGE rule counts them; a moved session is two entries.",
    )
    replanned_from: dt.date | None = Field(
        default=None,
        description="Re-plans: the `as_of` this plan was re-planned from; the days before "
        "it hold what was logged. A later re-plan of this result starts on it or after.",
    )


# ---------------------------------------------------------------------------------------
# Explaining and re-planning (solver/explaining.py, solver/replanning.py)


class WishChange(StrictModel):
    """One week's wish lowered: `rule` (R10 runs, S1 strength sessions) from wanted to value."""

    rule: str
    week: int = Field(ge=0, description="Week index, 0-based.")
    wanted: int = Field(ge=0)
    value: int = Field(ge=0)


class Suggestion(StrictModel):
    """A change that makes a conflict go away, found by the solver."""

    kind: Literal["add_slot", "extend_slot", "lower_wish"]
    message: str = Field(description="The change in one sentence.")
    size: int = Field(
        ge=0, description="Minutes of availability added, or sessions wished for less."
    )
    exceptions: list[AvailabilityException] = Field(
        default_factory=list,
        description="Append these to `availability.exceptions` to make the change.",
    )
    wishes: list[WishChange] = Field(default_factory=list, description="Wishes lowered.")


class Explanation(StrictModel):
    """Why a calendar has no plan, or which wishes cannot all be met (RULES.md §6)."""

    status: Literal["feasible", "infeasible", "unknown"] = Field(
        description="Whether a plan keeps the request's hard rules (wishes too when strict)."
    )
    conflicts: list[Conflict] = Field(
        default_factory=list, description="When infeasible: disjoint minimal conflicts."
    )
    wishes: Literal["feasible", "infeasible", "unknown"] | None = Field(
        default=None,
        description="When feasible without strict_preferences: whether a plan keeps every "
        "wish too (`infeasible`: some must bend, see wish_conflicts; `unknown`: not settled "
        "within the budget).",
    )
    wish_conflicts: list[Conflict] = Field(
        default_factory=list,
        description="When feasible without strict_preferences: minimal sets of wishes and "
        "safety rules that cannot all hold, i.e. why some wishes must bend.",
    )
    wall_time_s: float = 0.0


class LoggedSession(StrictModel):
    """A session that happened: as planned, changed, moved, or an extra one.

    With `plan_id`, what the entry leaves out is the planned session's: `{"plan_id": ...,
    "minutes": 20}` says it was done where planned, only shorter."""

    plan_id: str | None = Field(
        default=None,
        description="The planned session this carried out (done, changed or moved); "
        "omit for an extra session.",
    )
    date: dt.date | None = Field(
        default=None,
        description="When it happened; before `as_of`. Default: the planned session's "
        "date; an extra session needs one.",
    )
    slot: SlotName | None = Field(
        default=None,
        description="Which half of the day. Default: the planned session's slot, else `am`.",
    )
    kind: Literal["run", "strength", "race"] | None = Field(
        default=None,
        description="Default: the planned session's kind; an extra session needs one.",
    )
    run_type: RunType | None = Field(
        default=None,
        description="Runs: what it was; default the planned session's type, else read "
        "from the RPE (<=4 easy, 5-6 long, 7 tempo, 8 hills, >=9 intervals).",
    )
    minutes: int = Field(ge=1, le=600, description="Actual minutes.")
    rpe: float | None = Field(
        default=None, ge=1, le=10, description="Session RPE (1-10), as the athlete felt it."
    )
    time: str | None = Field(default=None, description="Local start HH:MM, optional.")

    @field_validator("time")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None and not _CLOCK.match(value):
            raise ValueError(f"time must be HH:MM (24 h), got {value!r}")
        return value

    @model_validator(mode="after")
    def _kind_and_type(self) -> LoggedSession:
        if self.plan_id is None and self.date is None:
            raise ValueError("date: an extra session (no plan_id) needs its date")
        if self.plan_id is None and self.kind is None:
            raise ValueError("kind: an extra session (no plan_id) needs its kind")
        why = run_type_problem(self.kind, self.run_type) if self.kind is not None else None
        if why is not None:
            raise ValueError(f"run_type: {why}")
        return self


def run_type_problem(kind: str, run_type: str | None) -> str | None:
    """Why a logged session of `kind` cannot have `run_type`, or None when it can."""
    if kind != "run" and run_type is not None:
        return f"a {kind} session has no run type"
    if run_type == "race":
        return "log a race with kind `race`"
    return None


class Pin(StrictModel):
    """Force a session onto a date (and slot), or forbid one there."""

    date: dt.date = Field(description="On or after `as_of`.")
    slot: SlotName | None = Field(default=None, description="Which slot; omit for any.")
    kind: Literal["run", "strength", "session"] = Field(
        description="`session` means any run or strength session."
    )
    run_type: RunType | None = Field(
        default=None, description="Runs: a specific type, e.g. `long`; not `race`."
    )
    forbid: bool = Field(default=False, description="Forbid instead of force.")

    @model_validator(mode="after")
    def _type(self) -> Pin:
        if self.run_type is not None and self.kind != "run":
            raise ValueError("run_type: only a pin of kind `run` names a run type")
        if self.run_type == "race":
            raise ValueError("run_type: races are fixed by `races`, not pinned")
        return self


class ReplanLog(StrictModel):
    """What happened before `as_of`, and what the athlete wants from here on.

    A planned session before `as_of` that the log neither mentions nor lists as missed is
    taken as done as planned.
    """

    sessions: list[LoggedSession] = Field(
        default_factory=list,
        description="Sessions done differently from the plan, moved, or extra.",
    )
    missed: list[str] = Field(
        default_factory=list, description="Ids of planned sessions that did not happen."
    )
    unavailable: list[AvailabilityException] = Field(
        default_factory=list,
        description="New unavailability (illness, travel), past or future, as exceptions.",
    )
    pins: list[Pin] = Field(default_factory=list, description="Forced or forbidden sessions.")


class ReplanRequest(StrictModel):
    """Everything a re-plan needs: the request, the plan in progress and the log."""

    request: PlanRequest
    previous: SolveResult = Field(description="The result whose plan is in progress.")
    log: ReplanLog = Field(default_factory=ReplanLog)
    as_of: dt.date = Field(description="First day to plan again; days before it are past.")

    @model_validator(mode="after")
    def _log_fits_the_plan(self) -> ReplanRequest:
        # Imported here: the check lives with the log's reader (solver/replan_log.py).
        from solver.replan_log import check_log

        problems = check_log(
            self.request, self.previous.plan, self.log, self.as_of, self.previous.replanned_from
        )
        if problems:
            raise ValueError("; ".join(f"{field}: {reason}" for field, reason in problems))
        return self


Conflict.model_rebuild()
SolveResult.model_rebuild()
