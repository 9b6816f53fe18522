"""Facts read off a finished plan: what runs where, weekly sums and loads.

Pure Python over the plan's sessions: the validator's checks and the week summaries both
read these, so a number a runner sees is the number the rules were checked against.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from solver.schemas import EASY_FAMILY, HARD_RUN_TYPES, KEY_RUN_TYPES, Plan, Session
from solver.timeline import (
    LOAD_FACTOR_TENTHS,
    STRENGTH_LOAD_TENTHS,
    Day,
    Timeline,
    Week,
)


def is_run(session: Session) -> bool:
    return session.kind in ("run", "race")


def run_type(session: Session) -> str | None:
    """The run type; a session of kind `race` is a race whatever run_type says."""
    if session.kind == "race":
        return "race"
    return session.run_type if session.kind == "run" else None


def is_hard(session: Session) -> bool:
    return run_type(session) in HARD_RUN_TYPES


def is_key(session: Session) -> bool:
    return run_type(session) in KEY_RUN_TYPES


def is_strength(session: Session) -> bool:
    return session.kind == "strength"


def session_load_tenths(session: Session) -> int:
    """R8 load of one session, in tenths of a load unit."""
    rt = run_type(session)
    if rt is not None:
        return LOAD_FACTOR_TENTHS[rt] * session.minutes
    if session.kind in ("strength", "mini_circuit"):
        return STRENGTH_LOAD_TENTHS * session.minutes
    return 0


@dataclass
class PlanFacts:
    timeline: Timeline
    plan: Plan
    by_day: dict[Day, list[Session]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_day = defaultdict(list)
        for session in self.plan.sessions:
            self.by_day[self.timeline.day_of(session.date)].append(session)

    def day(self, day: Day) -> list[Session]:
        return self.by_day.get(day, [])

    def runs_on(self, day: Day) -> list[Session]:
        return [s for s in self.day(day) if is_run(s)]

    def strength_on(self, day: Day) -> list[Session]:
        return [s for s in self.day(day) if is_strength(s)]

    def week_sessions(self, week: Week) -> list[Session]:
        return [s for d in self.timeline.days_of_week(week) for s in self.day(d)]

    def week_runs(self, week: Week) -> list[Session]:
        return [s for s in self.week_sessions(week) if is_run(s)]

    def training_minutes(self, week: Week) -> int:
        """Run minutes without races: what R5, R7, R9 and P2 count."""
        return sum(s.minutes for s in self.week_runs(week) if run_type(s) != "race")

    def total_run_minutes(self, week: Week) -> int:
        return sum(s.minutes for s in self.week_runs(week))

    def hard_minutes(self, week: Week) -> int:
        """Hard-run minutes without races (R7)."""
        return sum(
            s.minutes
            for s in self.week_runs(week)
            if run_type(s) in HARD_RUN_TYPES and run_type(s) != "race"
        )

    def easy_minutes(self, week: Week) -> int:
        return sum(s.minutes for s in self.week_runs(week) if run_type(s) in EASY_FAMILY)

    def hard_count(self, week: Week) -> int:
        """Hard runs including races (R3, R15)."""
        return sum(1 for s in self.week_runs(week) if is_hard(s))

    def long_runs(self, week: Week) -> list[Session]:
        return [s for s in self.week_runs(week) if run_type(s) == "long"]

    def strength_sessions(self, week: Week) -> list[Session]:
        return [s for s in self.week_sessions(week) if is_strength(s)]

    def load_tenths(self, week: Week) -> int:
        return sum(session_load_tenths(s) for s in self.week_sessions(week))

    @cached_property
    def recovery_weeks(self) -> frozenset[Week]:
        return frozenset(w.index for w in self.plan.weeks if w.recovery)

    def is_key_day(self, day: Day) -> bool:
        return any(is_key(s) for s in self.runs_on(day))

    def acwr(self, week: Week) -> float | None:
        """R8: this week's load over the mean weekly load of the four weeks before.

        Break weeks are left out of the mean, as R8 reads it (docs/rules.md).
        """
        if week < 4:
            return None
        counted = [w for w in range(week - 4, week) if not self.timeline.weeks[w].is_break]
        chronic = sum(self.load_tenths(w) for w in counted) / max(len(counted), 1)
        if chronic <= 0:
            return None
        return self.load_tenths(week) / chronic
