"""Running rules R1-R4, R6, R10, R12-R14: what a week of runs looks like."""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.rules.volume import spike_window
from solver.schemas import HARD_RUN_TYPES
from solver.timeline import (
    HARD_RUN_MINUTES,
    LONG_RUN_RATIO,
    RACE_TYPE,
    SPIKE_TENTHS,
    SPIKE_WINDOW_DAYS,
    long_run_share_percent,
)

if TYPE_CHECKING:
    from solver.vars import Expr, SlotKey

HARD_TRAINING_TYPES = tuple(sorted(HARD_RUN_TYPES - {RACE_TYPE}))
NO_LONG_RUN_PHASES = frozenset({"race", "transition"})


def key_day(ctx: EncodeContext, day: int) -> Expr:
    """1 when the day holds a key run, else 0: a race day always (it may hold two races);
    another day holds at most one key run (R2)."""
    if ctx.timeline.race_days.get(day):
        return 1
    return ctx.vars.key_runs_on(day)


def long_run_floor(ctx: EncodeContext, week: int) -> int:
    """R1's floor: 30 min, or the R11 cap, or in `return` weeks the R13 cap, if lower."""
    floor = ctx.timeline.long_run_floor
    if ctx.timeline.weeks[week].phase == "return":
        floor = min(floor, ctx.request.athlete.longest_recent_run_minutes)
    return floor


def week_wants_long_run(ctx: EncodeContext, week: int) -> bool:
    """R1: a long run every week but race and transition weeks and weeks with no room.

    A slot has room when it holds the floor on a day with no race and no race beside it:
    a long run there would be a second key run on a race day or next to one (R2).
    """
    tl = ctx.timeline
    info = tl.weeks[week]
    if info.phase in NO_LONG_RUN_PHASES or info.is_break:
        return False
    floor = long_run_floor(ctx, week)
    near_race = {d + k for d in tl.race_days for k in (-1, 0, 1)}
    return any(s.capacity >= floor and s.day not in near_race for s in tl.slots_in_week(week))


def encode_r1(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R1 - long run: exactly one a week, at least 30 min and 1.25 x every other run.

    None in race and transition weeks, nor where no slot can hold one. Soft: on the
    athlete's long-run day when one is given.
    """
    v, tl = ctx.vars, ctx.timeline
    terms: list[PenaltyTerm] = []
    preferred = ctx.request.athlete.long_run_day
    num, den = LONG_RUN_RATIO
    for info in tl.weeks:
        w = info.index
        keys = v.slot_keys_in_week(w)
        longs = [v.run[(d, n, "long")] for d, n in keys if (d, n, "long") in v.run]
        if not week_wants_long_run(ctx, w):
            for x in longs:
                ctx.hard("R1", w, x == 0)
            continue
        ctx.hard("R1", w, sum(longs, start=0) == 1)
        if not longs:
            continue  # no slot can hold it after all: R1 cannot hold, and says so
        floor = long_run_floor(ctx, w)
        for d, n in keys:
            if (d, n, "long") in v.run:
                _long_run_at_least(ctx, (d, n), floor)
        long_minutes = v.long_minutes(w)
        # The ratio binds a week that has its long run, as the check reads it. A solve
        # always has one; a re-plan whose logged facts leave the week without one may
        # still add easy runs there (the facts' R1 violation stays as it was).
        has_long = ctx.model.new_bool_var(f"has_long_run_w{w}")
        ctx.model.add_max_equality(has_long, longs)
        for key in keys:
            for run_type in v.run_types_at(key):
                if run_type == "long":
                    continue
                # den*long >= num*other: 4 x long >= 5 x every other training run.
                ctx.hard(
                    "R1", w, den * long_minutes >= num * v.minutes_of_type(key, run_type)
                ).only_enforce_if(has_long)
        if preferred is not None:
            off_day = [
                v.run[(d, n, "long")]
                for d, n in keys
                if (d, n, "long") in v.run and tl.weekday(d) != preferred
            ]
            if off_day:
                terms.append(PenaltyTerm("R1", sum(off_day, start=0), f"week {w + 1}", week=w))
    return terms


def _long_run_at_least(ctx: EncodeContext, key: SlotKey, floor: int) -> None:
    """A long run in this slot lasts the floor, or R11's cap on its day if that is lower.

    In the plan's first 30 days R11's cap is at least 110 % of the athlete's longest recent
    run, so the floor holds as it is. Later, a month of short runs (travel, short slots)
    can leave R11's cap below the floor: then the long run goes as far as R11 allows.
    """
    v, tl = ctx.vars, ctx.timeline
    day, _name = key
    x, minutes = v.run[(*key, "long")], v.minutes_of_type(key, "long")
    week = tl.week_of(day)
    if day < SPIKE_WINDOW_DAYS:
        ctx.hard("R1", week, minutes >= floor * x)
        return
    recent, restart = spike_window(ctx)[day]
    full = ctx.model.new_bool_var(f"long_run_full_floor_{day}_{key[1]}")
    ctx.hard("R1", week, minutes >= floor * x).only_enforce_if(full)
    # Otherwise R11's cap, floor(1.1 x recent), is below the floor and the run reaches it.
    ctx.hard("R1", week, restart == 0).only_enforce_if(~full)
    ctx.hard("R1", week, SPIKE_TENTHS * recent <= 10 * floor - 1).only_enforce_if(~full)
    ctx.hard("R1", week, 10 * minutes >= SPIKE_TENTHS * recent - 9).only_enforce_if([~full, x])


def encode_r2(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R2 - no back-to-back key days: two key runs are never on consecutive days.

    Races the athlete entered on one day or on consecutive days stand (docs/rules.md);
    no planned key run may join them.
    """
    v, tl = ctx.vars, ctx.timeline

    def races(day: int) -> int:
        return len(tl.race_days.get(day, []))

    for day in range(tl.num_days):
        ctx.hard("R2", tl.week_of(day), v.key_runs_on(day) <= max(1, races(day)))
        if day + 1 < tl.num_days:
            both = v.key_runs_on(day) + v.key_runs_on(day + 1)
            ctx.hard("R2", tl.week_of(day + 1), both <= max(1, races(day) + races(day + 1)))
    return []


def encode_r3(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R3 - quality cap: at most 2 hard runs a week; 1 for beginners and in recovery weeks.

    Races count as hard runs. Beginners run no intervals.
    """
    v, tl = ctx.vars, ctx.timeline
    beginner = ctx.request.athlete.level == "beginner"
    for info in tl.weeks:
        w = info.index
        loading_cap = tl.hard_cap(w, recovery=False)
        recovery_cap = tl.hard_cap(w, recovery=True)
        cap = loading_cap - (loading_cap - recovery_cap) * v.is_recovery(w)
        ctx.hard("R3", w, v.hard_count(w) <= cap)
    if beginner:
        for (d, _n, run_type), x in v.run.items():
            if run_type == "intervals":
                ctx.hard("R3", ctx.timeline.week_of(d), x == 0)
    return []


def encode_r4(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R4 - after the long run or a race: a recovery run or rest, no hard run, no strength."""
    v, tl = ctx.vars, ctx.timeline
    for day in range(tl.num_days - 1):
        # 1 after a race day (even one of two races), else the day's long run (one a week).
        before = 1 if tl.race_days.get(day) else v.long_or_race_on(day)
        for key in v.slot_keys_on(day + 1):
            for run_type in v.run_types_at(key):
                if run_type != "recovery":
                    ctx.hard("R4", tl.week_of(day + 1), before + v.run[(*key, run_type)] <= 1)
            if key in v.strength:
                ctx.hard("R4", tl.week_of(day + 1), before + v.strength[key] <= 1)
    return []


def encode_r6(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R6 - long-run share: at most 35-60 % of the week's minutes by run count; <= 180 min."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    for d, n, run_type in v.units:
        if run_type == "long":
            long_here = v.minutes_of_type((d, n), "long")
            ctx.hard("R6", tl.week_of(d), long_here <= tl.long_run_cap)
    for info in tl.weeks:
        w = info.index
        if not any((d, n, "long") in v.run for d, n in v.slot_keys_in_week(w)):
            continue
        runs = v.run_count(w)
        total = v.total_run_minutes(w)
        long_minutes = v.long_minutes(w)
        most = len(v.slot_keys_in_week(w))
        for k in range(2, 6):
            share = long_run_share_percent(k)
            if share is None or k > most:
                continue
            at_least_k = m.new_bool_var(f"runs_at_least_{k}_w{w}")
            # Only the direction that matters: k or more runs switch the cap on.
            m.add(runs <= (k - 1) + most * at_least_k)
            ctx.hard("R6", w, 100 * long_minutes <= share * total).only_enforce_if(at_least_k)
    return []


def encode_r10(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R10 - run count: runs a week at most `run_days.max`; at least `min` is a wish."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    athlete = ctx.request.athlete
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        runs = v.run_count(w)
        ctx.hard("R10", w, runs <= max(athlete.run_days.max, len(info.races)))
        wish = tl.run_days_wish(w)
        if wish <= 0:
            continue
        if ctx.strict_wishes:
            ctx.hard("R10", w, runs >= wish)
            continue
        short = m.new_int_var(0, wish, f"runs_short_w{w}")
        m.add_max_equality(short, [0, wish - runs])
        terms.append(PenaltyTerm("R10", short, f"week {w + 1}", week=w, wanted=wish))
    return terms


def encode_r12(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R12 - quality session size: a hard run lasts 30-75 min with warm-up and cool-down."""
    v = ctx.vars
    lo, hi = HARD_RUN_MINUTES
    for d, n, run_type in v.units:
        if run_type in HARD_TRAINING_TYPES:
            x = v.run[(d, n, run_type)]
            minutes = v.minutes_of_type((d, n), run_type)
            ctx.hard("R12", ctx.timeline.week_of(d), minutes >= lo * x)
            ctx.hard("R12", ctx.timeline.week_of(d), minutes <= hi * x)
    return []


def encode_r13(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R13 - returning from injury: easy running only, no run beyond the recent longest."""
    v, tl = ctx.vars, ctx.timeline
    longest = ctx.request.athlete.longest_recent_run_minutes
    for (d, n, run_type), x in v.run.items():
        if tl.weeks[tl.week_of(d)].phase != "return":
            continue
        if run_type in HARD_TRAINING_TYPES:
            ctx.hard("R13", tl.week_of(d), x == 0)
        else:
            ctx.hard("R13", tl.week_of(d), v.minutes_of_type((d, n), run_type) <= longest)
    return []


def encode_r14(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R14 - one run a day (two when the request allows doubles)."""
    v, tl = ctx.vars, ctx.timeline
    most = 2 if ctx.request.preferences.allow_doubles else 1
    for day in range(tl.num_days):
        ctx.hard(
            "R14", tl.week_of(day), v.runs_on(day) <= max(most, len(tl.race_days.get(day, [])))
        )
    return []


def encode_t3(ctx: EncodeContext) -> list[PenaltyTerm]:
    """T3 - one thing per slot: a run, a race or a strength session."""
    v = ctx.vars
    for key in ctx.timeline.slots:
        ctx.hard("T3", ctx.timeline.week_of(key[0]), v.run_at(key) + v.strength_at(key) <= 1)
    return []


def encode_t2(ctx: EncodeContext) -> list[PenaltyTerm]:
    """T2 - slots: sessions only in available slots and within their capacity.

    Held by construction: variables exist only for available slots and their minutes are
    bounded by the slot's capacity (solver/vars.py).
    """
    del ctx
    return []


def encode_t1(ctx: EncodeContext) -> list[PenaltyTerm]:
    """T1 - horizon: the plan runs from start_date to the last day, in weeks of 7 days.

    Held by construction: days outside the horizon have no slots.
    """
    del ctx
    return []
