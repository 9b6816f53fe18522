"""Volume and load rules R5, R8, R9, R11 and the recovery and taper weeks P1, P2."""

from __future__ import annotations

from typing import Any

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.timeline import (
    ACWR_CAP_TENTHS,
    ACWR_FROM_WEEK,
    PROGRESSION_TENTHS,
    RECOVERY_CAP_TENTHS,
    RECOVERY_MAX_LOADING,
    RECOVERY_MIN_LOADING,
    RESTART_RUN_MINUTES,
    SPIKE_TENTHS,
    SPIKE_WINDOW_DAYS,
    TAPER_CAPS,
)


def encode_r5(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R5 - progression: a week's run minutes stay within 110 % of the last loading week.

    The first week is measured against the athlete's current weekly minutes; races do not
    count.
    """
    v = ctx.vars
    for info in ctx.timeline.weeks:
        w = info.index
        ctx.hard("R5", w, 10 * v.training_minutes(w) <= PROGRESSION_TENTHS * v.reference_volume(w))
    return []


def encode_r8(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R8 - acute:chronic load: a week's load at most 1.3 x the mean of the 4 before it.

    From week 5 on; a week with a race is a planned spike and is exempt. Break weeks (no
    availability at all) are left out of the chronic mean, so a holiday does not freeze the
    weeks after it; after four break weeks in a row the ratio is undefined and not applied.
    """
    v, tl = ctx.vars, ctx.timeline
    for info in tl.weeks:
        w = info.index
        if w < ACWR_FROM_WEEK or info.races:
            continue
        counted = [p for p in range(w - 4, w) if not tl.weeks[p].is_break]
        if not counted:
            continue
        chronic = sum((v.load_tenths(p) for p in counted), start=0)
        # load(w) <= 1.3 x chronic / n, in integers: 10 n x load <= 13 x chronic.
        ctx.hard("R8", w, 10 * len(counted) * v.load_tenths(w) <= ACWR_CAP_TENTHS * chronic)
    return []


def encode_r9(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R9 - volume target: weekly minutes follow the curve toward the phase's peak (soft)."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        minutes = v.training_minutes(w)
        top = max(info.available_run_minutes, info.volume_target)
        dev = m.new_int_var(0, top, f"volume_dev_w{w}")
        # The target is linear in the recovery flag, so the deviation is one exact abs.
        target = info.volume_target + (info.recovery_target - info.volume_target) * v.is_recovery(w)
        m.add_abs_equality(dev, minutes - target)
        terms.append(PenaltyTerm("R9", dev, f"week {w + 1}", week=w))
    return terms


def spike_window(ctx: EncodeContext) -> dict[int, tuple[Any, Any]]:
    """R11's window, per day with a slot: (recent, restart).

    `recent` is the longest run (races included) of the 30 days before, in the plan's
    first 30 days at least the athlete's longest recent run; `restart` is 1 only when
    that window holds no run at all, which allows a 30-min restart run. A run may last
    11/10 x recent, or 30 min on a restart. Built once and shared: R1's floor reads it too.
    """
    cached: dict[int, tuple[Any, Any]] | None = ctx.shared.get("spike_window")
    if cached is not None:
        return cached
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    before_plan = ctx.request.athlete.longest_recent_run_minutes
    longest_on: dict[int, Any] = {}
    for day in range(tl.num_days):
        keys = v.slot_keys_on(day)
        options = [v.minutes_at(k) for k in keys]
        if not options:
            continue
        top = max(
            max(tl.slots[k].capacity for k in keys),
            max((tl.race_minutes(r) for r in tl.race_days.get(day, [])), default=0),
        )
        var = m.new_int_var(0, top, f"longest_run_d{day}")
        m.add_max_equality(var, options)
        longest_on[day] = var
    window_of: dict[int, tuple[Any, Any]] = {}
    for day in range(tl.num_days):
        if not v.slot_keys_on(day):
            continue
        days = range(max(0, day - SPIKE_WINDOW_DAYS), day)
        sources: list[Any] = [longest_on[d] for d in days if d in longest_on]
        if day < SPIKE_WINDOW_DAYS:
            sources.append(before_plan)
        if not sources:
            window_of[day] = (0, 1)  # nothing to measure against: a restart run
            continue
        ceiling = max(
            [before_plan if day < SPIKE_WINDOW_DAYS else 0]
            + [tl.slots[k].capacity for d in days for k in v.slot_keys_on(d)]
            + [tl.race_minutes(r) for d in days for r in tl.race_days.get(d, [])]
        )
        recent = m.new_int_var(0, ceiling, f"longest_recent_d{day}")
        m.add_max_equality(recent, sources)
        restart: Any = 0
        if day >= SPIKE_WINDOW_DAYS:
            # Only an empty window (no run at all) may switch the restart allowance on.
            restart = m.new_bool_var(f"restart_d{day}")
            m.add(recent == 0).only_enforce_if(restart)
        window_of[day] = (recent, restart)
    ctx.shared["spike_window"] = window_of
    return window_of


def encode_r11(ctx: EncodeContext) -> list[PenaltyTerm]:
    """R11 - single-run spike: no run beyond 110 % of the longest run of the past 30 days.

    Before the plan the longest recent run stands in; races may spike but count later.
    After 30 days without any run (a long break) a restart run of up to 30 min is allowed.
    """
    v, tl = ctx.vars, ctx.timeline
    window_of = spike_window(ctx)
    for day in range(tl.num_days):
        for key in v.slot_keys_on(day):
            if v.is_race_slot(key):
                continue  # races may spike
            recent, restart = window_of[day]
            for run_type in v.run_types_at(key):
                ctx.hard(
                    "R11",
                    tl.week_of(day),
                    10 * v.minutes_of_type(key, run_type)
                    <= SPIKE_TENTHS * recent + 10 * RESTART_RUN_MINUTES * restart,
                )
    return []


def encode_p1(ctx: EncodeContext) -> list[PenaltyTerm]:
    """P1 - recovery weeks: one after every 3 to 5 loading weeks, cutting minutes to 80 %.

    A week with no availability is a break week and counts as one.
    """
    v, tl = ctx.vars, ctx.timeline
    weeks = tl.weeks
    for info in weeks:
        w = info.index
        if not info.can_recover:
            continue
        rec = v.recovery[w]
        before = [weeks[p] for p in range(max(0, w - RECOVERY_MIN_LOADING), w)]
        if w < RECOVERY_MIN_LOADING or any(not p.can_recover for p in before):
            ctx.hard("P1", w, rec == 0)
            continue
        for p in before:
            ctx.hard("P1", w, rec + v.recovery[p.index] <= 1)
        ctx.hard(
            "P1", w, 10 * v.training_minutes(w) <= RECOVERY_CAP_TENTHS * v.reference_volume(w)
        ).only_enforce_if(rec)
    span = RECOVERY_MAX_LOADING + 1
    for start in range(0, len(weeks) - span + 1):
        window = weeks[start : start + span]
        if any(not p.can_recover for p in window):
            continue  # a taper, race, transition, return or break week already resets it
        ctx.hard("P1", start + span - 1, sum((v.recovery[p.index] for p in window), start=0) >= 1)
    return []


def encode_p2(ctx: EncodeContext) -> list[PenaltyTerm]:
    """P2 - taper: minutes fall step by step from the peak loading week before an A race."""
    v, tl = ctx.vars, ctx.timeline
    for info in tl.weeks:
        if info.taper_position is None or info.goal is None:
            continue
        cap = TAPER_CAPS[info.goal][info.taper_position]
        w = info.index
        ctx.hard("P2", w, 100 * v.training_minutes(w) <= round(100 * cap) * v.reference_volume(w))
    return []
