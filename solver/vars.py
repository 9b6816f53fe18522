"""The decision variables of a plan, with questions instead of indices.

Minutes are decided in 5-minute units (a tighter LP relaxation than whole minutes, see
../shared/MODELLING.md); every `*_minutes` helper returns an expression in real minutes so
that rules read like the specification. Races are constants, never variables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.schemas import EASY_FAMILY, HARD_RUN_TYPES, KEY_RUN_TYPES, SlotName
from solver.timeline import (
    LOAD_FACTOR_TENTHS,
    MIN_RUN_MINUTES,
    RACE_TYPE,
    STRENGTH_LOAD_TENTHS,
    STRENGTH_MINUTES,
    TRAINING_RUN_TYPES,
    UNIT,
    Day,
    SlotInfo,
    Timeline,
    Week,
)

Expr = cp_model.LinearExpr | cp_model.IntVar | int
SlotKey = tuple[Day, SlotName]


def unit_of(run_type: str, timeline: Timeline | None = None) -> int:
    """Minutes per decision unit of a run type (without a timeline: the finest there is).

    Runs move in 5-minute steps, which keep the search small. Long runs move to the minute
    when they are short (`Timeline.long_run_unit`): R11 lets the longest run grow by 10 %,
    and for a 35-minute long run that is 3 minutes, which 5-minute steps would round away
    and so freeze a beginner's plan.
    """
    if run_type != "long":
        return UNIT
    return 1 if timeline is None else timeline.long_run_unit


def _min_minutes(run_type: str) -> int:
    return 30 if run_type in HARD_RUN_TYPES else MIN_RUN_MINUTES


@dataclass
class PlanVars:
    """Booleans for what each slot holds, integer units for how long."""

    model: cp_model.CpModel
    timeline: Timeline
    run: dict[tuple[Day, SlotName, str], cp_model.IntVar] = field(default_factory=dict)
    units: dict[tuple[Day, SlotName, str], cp_model.IntVar] = field(default_factory=dict)
    strength: dict[SlotKey, cp_model.IntVar] = field(default_factory=dict)
    strength_units: dict[SlotKey, cp_model.IntVar] = field(default_factory=dict)
    recovery: dict[Week, cp_model.IntVar] = field(default_factory=dict)
    _reference_after: list[Expr] = field(default_factory=list)
    _aggregates: dict[tuple[str, int], Expr] = field(default_factory=dict)

    @classmethod
    def create(cls, model: cp_model.CpModel, timeline: Timeline) -> PlanVars:
        v = cls(model=model, timeline=timeline)
        for key, slot in timeline.slots.items():
            if slot.race is not None:
                continue
            day, name = key
            for run_type in TRAINING_RUN_TYPES:
                if slot.capacity < _min_minutes(run_type):
                    continue
                x = model.new_bool_var(f"run_{day}_{name}_{run_type}")
                unit = unit_of(run_type, timeline)
                top = slot.capacity // unit
                u = model.new_int_var(0, top, f"min_{day}_{name}_{run_type}")
                # Linked tightly so the LP sees minutes vanish with the run.
                model.add(u <= top * x)
                model.add(u >= -(-_min_minutes(run_type) // unit) * x)
                v.run[(day, name, run_type)] = x
                v.units[(day, name, run_type)] = u
            week = timeline.week_of(day)
            lowest = min(lo for lo, _ in v._strength_minute_options(week))
            if slot.capacity >= lowest:
                s = model.new_bool_var(f"strength_{day}_{name}")
                highest = max(hi for _, hi in v._strength_minute_options(week))
                su = model.new_int_var(
                    0, min(slot.capacity, highest) // UNIT, f"strength_min_{day}_{name}"
                )
                model.add(su <= (min(slot.capacity, highest) // UNIT) * s)
                v.strength[key] = s
                v.strength_units[key] = su
        for info in timeline.weeks:
            if info.can_recover:
                v.recovery[info.index] = model.new_bool_var(f"recovery_{info.index}")
        return v

    def _strength_minute_options(self, week: Week) -> list[tuple[int, int]]:
        info = self.timeline.weeks[week]
        options = [STRENGTH_MINUTES[info.phase]]
        if info.can_recover:
            options.append(STRENGTH_MINUTES["recovery"])
        return options

    # --- slots -----------------------------------------------------------------------

    def slot(self, key: SlotKey) -> SlotInfo:
        return self.timeline.slots[key]

    def run_types_at(self, key: SlotKey) -> list[str]:
        day, name = key
        return [t for t in TRAINING_RUN_TYPES if (day, name, t) in self.run]

    def run_of_type(self, key: SlotKey, run_type: str) -> Expr:
        """1 if the slot holds a run of this type (races are type `race`)."""
        if run_type == RACE_TYPE:
            return 1 if self.is_race_slot(key) else 0
        return self.run.get((key[0], key[1], run_type), 0)

    def is_race_slot(self, key: SlotKey) -> bool:
        return key in self.timeline.slots and self.timeline.slots[key].race is not None

    def run_at(self, key: SlotKey, types: Iterable[str] | None = None) -> Expr:
        """1 if the slot holds a run (of one of `types`), races included."""
        wanted = set(types) if types is not None else set(TRAINING_RUN_TYPES) | {RACE_TYPE}
        terms: list[Expr] = [self.run_of_type(key, t) for t in wanted]
        return sum(terms, start=0)

    def minutes_of_type(self, key: SlotKey, run_type: str) -> Expr:
        if run_type == RACE_TYPE:
            race = self.timeline.slots[key].race if key in self.timeline.slots else None
            return self.timeline.race_minutes(race) if race is not None else 0
        u = self.units.get((key[0], key[1], run_type))
        return unit_of(run_type, self.timeline) * u if u is not None else 0

    def minutes_at(self, key: SlotKey, types: Iterable[str] | None = None) -> Expr:
        wanted = set(types) if types is not None else set(TRAINING_RUN_TYPES) | {RACE_TYPE}
        return sum((self.minutes_of_type(key, t) for t in wanted), start=0)

    def strength_at(self, key: SlotKey) -> Expr:
        return self.strength.get(key, 0)

    def strength_minutes_at(self, key: SlotKey) -> Expr:
        su = self.strength_units.get(key)
        return UNIT * su if su is not None else 0

    def slot_keys_on(self, day: Day) -> list[SlotKey]:
        return [s.key for s in self.timeline.slots_on(day)]

    def slot_keys_in_week(self, week: Week) -> list[SlotKey]:
        return [s.key for s in self.timeline.slots_in_week(week)]

    # --- days ------------------------------------------------------------------------

    def _aggregate(self, name: str, index: int, upper: int, build: Callable[[], Expr]) -> Expr:
        """A weekly or daily sum as one named variable, built once.

        Rules refer to these sums many times; one variable with one defining equality keeps
        the model small (tens of thousands fewer terms at 52 weeks) and propagates better.
        """
        cached = self._aggregates.get((name, index))
        if cached is not None:
            return cached
        expr = build()
        if isinstance(expr, int):
            self._aggregates[(name, index)] = expr
            return expr
        var = self.model.new_int_var(0, max(upper, 0), f"{name}_{index}")
        self.model.add(var == expr)
        self._aggregates[(name, index)] = var
        return var

    def _day_capacity(self, day: Day) -> int:
        return sum(self.timeline.slots[k].capacity for k in self.slot_keys_on(day)) + sum(
            self.timeline.race_minutes(r) for r in self.timeline.race_days.get(day, [])
        )

    def _week_capacity(self, week: Week) -> int:
        return sum(self._day_capacity(d) for d in self.timeline.days_of_week(week))

    def _on_day(self, day: Day, types: Iterable[str] | None) -> Expr:
        wanted = list(types) if types is not None else None
        return sum((self.run_at(k, wanted) for k in self.slot_keys_on(day)), start=0)

    def runs_on(self, day: Day) -> Expr:
        slots = len(self.slot_keys_on(day))
        return self._aggregate("runs_day", day, slots, lambda: self._on_day(day, None))

    def key_runs_on(self, day: Day) -> Expr:
        slots = len(self.slot_keys_on(day))
        return self._aggregate("key_day", day, slots, lambda: self._on_day(day, KEY_RUN_TYPES))

    def hard_runs_on(self, day: Day) -> Expr:
        return self._on_day(day, HARD_RUN_TYPES)

    def long_or_race_on(self, day: Day) -> Expr:
        slots = len(self.slot_keys_on(day))
        return self._aggregate(
            "long_or_race_day", day, slots, lambda: self._on_day(day, ("long", RACE_TYPE))
        )

    def strength_on(self, day: Day) -> Expr:
        slots = len(self.slot_keys_on(day))
        return self._aggregate(
            "strength_day",
            day,
            slots,
            lambda: sum((self.strength_at(k) for k in self.slot_keys_on(day)), start=0),
        )

    # --- weeks -----------------------------------------------------------------------

    def is_recovery(self, week: Week) -> Expr:
        return self.recovery.get(week, 0)

    def is_loading(self, week: Week) -> Expr:
        """1 for a base/build/peak week that is not a recovery or break week."""
        info = self.timeline.weeks[week]
        if not info.can_recover:
            return 0
        return 1 - self.recovery[week]

    def week_minutes(self, week: Week, types: Iterable[str]) -> Expr:
        wanted = list(types)
        return sum((self.minutes_at(k, wanted) for k in self.slot_keys_in_week(week)), start=0)

    def _week_sum(self, name: str, week: Week, types: Iterable[str]) -> Expr:
        wanted = tuple(types)
        return self._aggregate(
            name, week, self._week_capacity(week), lambda: self.week_minutes(week, wanted)
        )

    def training_minutes(self, week: Week) -> Expr:
        """Run minutes without races: what R5, R7, R9 and P2 count."""
        return self._week_sum("training_minutes", week, TRAINING_RUN_TYPES)

    def total_run_minutes(self, week: Week) -> Expr:
        return self._week_sum("total_run_minutes", week, (*TRAINING_RUN_TYPES, RACE_TYPE))

    def hard_training_minutes(self, week: Week) -> Expr:
        return self._week_sum("hard_minutes", week, sorted(HARD_RUN_TYPES - {RACE_TYPE}))

    def easy_minutes(self, week: Week) -> Expr:
        return self._week_sum("easy_minutes", week, sorted(EASY_FAMILY))

    def long_minutes(self, week: Week) -> Expr:
        return self._week_sum("long_minutes", week, ("long",))

    def count_in_week(self, week: Week, types: Iterable[str] | None = None) -> Expr:
        wanted = list(types) if types is not None else None
        return sum((self.run_at(k, wanted) for k in self.slot_keys_in_week(week)), start=0)

    def run_count(self, week: Week) -> Expr:
        """Runs, races included (R6, R10)."""
        slots = len(self.slot_keys_in_week(week))
        return self._aggregate("run_count", week, slots, lambda: self.count_in_week(week))

    def hard_count(self, week: Week) -> Expr:
        """Hard runs, races included (R3, R15)."""
        slots = len(self.slot_keys_in_week(week))
        return self._aggregate(
            "hard_count", week, slots, lambda: self.count_in_week(week, HARD_RUN_TYPES)
        )

    def strength_count(self, week: Week) -> Expr:
        slots = len(self.slot_keys_in_week(week))
        return self._aggregate(
            "strength_count",
            week,
            slots,
            lambda: sum((self.strength_at(k) for k in self.slot_keys_in_week(week)), start=0),
        )

    def load_tenths(self, week: Week) -> Expr:
        """R8 training load of the week, in tenths of a unit."""
        top = max(LOAD_FACTOR_TENTHS.values()) * self._week_capacity(week)
        return self._aggregate("load", week, top, lambda: self._load_expr(week))

    def _load_expr(self, week: Week) -> Expr:
        terms: list[Expr] = []
        for key in self.slot_keys_in_week(week):
            for run_type, factor in LOAD_FACTOR_TENTHS.items():
                terms.append(factor * self.minutes_of_type(key, run_type))
            terms.append(STRENGTH_LOAD_TENTHS * self.strength_minutes_at(key))
        return sum(terms, start=0)

    # --- derived ---------------------------------------------------------------------

    def reference_volume(self, week: Week) -> Expr:
        """ref(w): training minutes of the last loading week before `week` (docs/rules.md).

        Before any loading week it is the athlete's current weekly minutes. Built once, on
        first use, as a chain `after[w] = loading[w] ? minutes[w] : after[w-1]`.
        """
        if not self._reference_after:
            self._build_reference_chain()
        if week == 0:
            return self.timeline.request.athlete.current_weekly_minutes
        return self._reference_after[week - 1]

    def _build_reference_chain(self) -> None:
        current = self.timeline.request.athlete.current_weekly_minutes
        top = max(current, max((w.available_run_minutes for w in self.timeline.weeks), default=0))
        previous: Expr = current
        for info in self.timeline.weeks:
            w = info.index
            if not info.can_recover:
                after: Expr = previous
            else:
                var = self.model.new_int_var(0, top, f"reference_after_{w}")
                rec = self.recovery[w]
                self.model.add(var == self.training_minutes(w)).only_enforce_if(~rec)
                self.model.add(var == previous).only_enforce_if(rec)
                after = var
            self._reference_after.append(after)
            previous = after
