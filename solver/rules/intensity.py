"""Intensity rules R7, R15, R16, R17: easy mostly, quality where it belongs."""

from __future__ import annotations

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.rules.running import key_day, week_wants_long_run
from solver.rules.strength import at_least_one, at_least_one_of
from solver.timeline import EASY_FLOOR_PERCENT, HARD_TARGET_FIFTH, LOADING_PHASES


def encode_r7(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R7 - intensity distribution: about 80 % easy, 20 % hard.

    Soft: each hard minute above a fifth of the week's minutes costs. Hard floor: easy
    running (recovery, easy, long) is at least 75 % of a loading week. Races count in neither.
    """
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        minutes = v.training_minutes(w)
        hard = v.hard_training_minutes(w)
        if info.can_recover:
            loading = ~v.recovery[w]
            easy = v.easy_minutes(w)
            ctx.hard("R7", w, 100 * easy >= EASY_FLOOR_PERCENT * minutes).only_enforce_if(loading)
        top = max(info.available_run_minutes, 1)
        excess = m.new_int_var(0, top, f"hard_excess_w{w}")
        fifth = m.new_int_var(0, top, f"fifth_of_minutes_w{w}")
        # fifth = floor(minutes / 5), so excess = max(0, hard - floor(minutes / 5)): whole
        # minutes, and exact rather than bounded so a stopped solve reports what it costs.
        m.add(HARD_TARGET_FIFTH * fifth <= minutes)
        m.add(minutes <= HARD_TARGET_FIFTH * fifth + HARD_TARGET_FIFTH - 1)
        m.add_max_equality(excess, [0, hard - fifth])
        terms.append(PenaltyTerm("R7", excess, f"week {w + 1}", week=w))
    return terms


def quality_bounds(ctx: EncodeContext, week: int) -> tuple[int, int] | None:
    """R15's wanted hard runs in a loading week of this phase, or None."""
    phase = ctx.timeline.weeks[week].phase
    if phase not in LOADING_PHASES:
        return None
    if phase == "base":
        return (0, 1)
    if ctx.request.athlete.level == "beginner":
        return (1, 1)
    return (1, 2)


def encode_r15(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R15 - quality where it belongs: 1-2 hard runs in build and peak, 0-1 in base (soft)."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        bounds = quality_bounds(ctx, w)
        if bounds is None or not info.can_recover:
            continue
        lo, hi = bounds
        loading = ~v.recovery[w]
        off = m.new_int_var(0, 14, f"quality_off_w{w}")
        raw = m.new_int_var(0, 14, f"quality_raw_w{w}")
        m.add_max_equality(raw, [0, lo - v.hard_count(w), v.hard_count(w) - hi])
        m.add(off == raw).only_enforce_if(loading)
        m.add(off == 0).only_enforce_if(~loading)
        terms.append(PenaltyTerm("R15", off, f"week {w + 1}", week=w))
    return terms


def encode_r16(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R16 - long-run progression: the long run grows toward the goal's peak long run (soft)."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        target = info.long_target
        has_long = any((d, n, "long") in v.run for d, n in v.slot_keys_in_week(w))
        # Only loading weeks with a long run count; R1 allows none where no slot holds one.
        if target is None or not info.can_recover or not has_long:
            continue
        if not week_wants_long_run(ctx, w):
            continue
        short = m.new_int_var(0, target, f"long_short_w{w}")
        raw = m.new_int_var(0, target, f"long_short_raw_w{w}")
        # A week without its long run (a re-plan's logged past may miss it) counts nothing,
        # as the check reads it: the target applies only when a long run is held.
        longs = [
            v.run[(d, n, "long")] for d, n in v.slot_keys_in_week(w) if (d, n, "long") in v.run
        ]
        held = at_least_one_of(ctx, longs, f"long_held_w{w}")
        m.add_max_equality(raw, [0, target * held - v.long_minutes(w)])
        m.add(short == raw).only_enforce_if(~v.recovery[w])
        m.add(short == 0).only_enforce_if(v.recovery[w])
        terms.append(PenaltyTerm("R16", short, f"week {w + 1}", week=w))
    return terms


def encode_r17(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R17 - recovery runs after key days: `recovery` the day after, `easy` elsewhere (soft)."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for day in range(tl.num_days):
        # "Any key run the day before": a re-plan's logged past may hold two.
        after_key = at_least_one(ctx, key_day(ctx, day - 1), f"after_key_{day}") if day else 0
        for key in v.slot_keys_on(day):
            misplaced = []
            if (*key, "recovery") in v.run:
                p = m.new_bool_var(f"recovery_misplaced_{day}_{key[1]}")
                x = v.run[(*key, "recovery")]
                m.add(p >= x - after_key)
                m.add(p <= x)
                m.add(p <= 1 - after_key)
                misplaced.append(p)
            if (*key, "easy") in v.run and day > 0:
                p = m.new_bool_var(f"easy_misplaced_{day}_{key[1]}")
                x = v.run[(*key, "easy")]
                m.add(p >= x + after_key - 1)
                m.add(p <= x)
                m.add(p <= after_key)
                misplaced.append(p)
            if misplaced:
                terms.append(
                    PenaltyTerm(
                        "R17", sum(misplaced, start=0), f"day {day + 1}", week=tl.week_of(day)
                    )
                )
    return terms
