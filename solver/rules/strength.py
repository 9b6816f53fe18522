"""Strength placement rules S1-S5 and S11: which slots hold full-body sessions, how long."""

from __future__ import annotations

from typing import Any

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.rules.running import key_day
from solver.timeline import S4_RUN_FIRST_HOURS


def encode_s1(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S1 - frequency: sessions a week within the phase's bounds and the athlete's range.

    The upper bound is hard. The lower bound is a wish (2-3 in base, per the seed), and so is
    never two weeks in a row without strength, since stopping entirely regresses.
    """
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for info in tl.weeks:
        w = info.index
        count = v.strength_count(w)
        lo_load, hi_load = tl.strength_bounds(w, recovery=False)
        lo_rec, hi_rec = (
            tl.strength_bounds(w, recovery=True) if info.can_recover else (lo_load, hi_load)
        )
        rec = v.is_recovery(w)
        ctx.hard("S1", w, count <= hi_load + (hi_rec - hi_load) * rec)
        if info.is_break:
            continue
        wish = lo_load + (lo_rec - lo_load) * rec
        if max(lo_load, lo_rec) == 0:
            continue
        if ctx.strict_wishes:
            ctx.hard("S1", w, count >= wish)
            continue
        short = m.new_int_var(0, max(lo_load, lo_rec), f"strength_short_w{w}")
        m.add_max_equality(short, [0, wish - count])
        terms.append(PenaltyTerm("S1", short, f"week {w + 1}", week=w, wanted=max(lo_load, lo_rec)))
    for info in tl.weeks[:-1]:
        w = info.index
        nxt = tl.weeks[w + 1]
        if info.is_break or nxt.is_break:
            continue
        low, high = tl.strength_bounds(w, False)
        next_low, next_high = tl.strength_bounds(w + 1, False)
        if low or next_low:
            continue  # the weekly wish already asks for sessions
        if not (high and next_high):
            continue  # the athlete's range allows none (0-0): zero is their choice
        both = v.strength_count(w) + v.strength_count(w + 1)
        if ctx.strict_wishes:
            ctx.hard("S1", w + 1, both >= 1)
            continue
        empty = m.new_bool_var(f"strength_gap_w{w}")
        m.add(empty >= 1 - both)
        for key in (*v.slot_keys_in_week(w), *v.slot_keys_in_week(w + 1)):
            if key in v.strength:
                m.add(empty + v.strength[key] <= 1)
        terms.append(PenaltyTerm("S1", empty, f"weeks {w + 1}-{w + 2}", week=w + 1, wanted=1))
    return terms


def encode_s2(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S2 - 48-hour spacing: two strength sessions start at least 48 h apart (60 h from 50)."""
    v, tl = ctx.vars, ctx.timeline
    gap = tl.strength_gap_hours
    keys = sorted(v.strength, key=lambda k: tl.slots[k].start_hours)
    for i, a in enumerate(keys):
        start = tl.slots[a].start_hours
        for b in keys[i + 1 :]:
            if tl.slots[b].start_hours - start >= gap:
                break
            ctx.hard("S2", tl.week_of(a[0]), v.strength[a] + v.strength[b] <= 1)
    return []


def encode_s3(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S3 - not with hard runs: no strength on a hard-run day.

    With `strength_on_hard_days: after_run` strength may follow the hard run later that day.
    """
    v, tl = ctx.vars, ctx.timeline
    after_run = ctx.request.preferences.strength_on_hard_days == "after_run"
    for day in range(tl.num_days):
        keys = v.slot_keys_on(day)
        for s_key in keys:
            if s_key not in v.strength:
                continue
            for r_key in keys:
                if after_run and tl.slots[r_key].start_hours < tl.slots[s_key].start_hours:
                    continue
                hard = v.run_at(r_key, ("tempo", "intervals", "hills", "race"))
                ctx.hard("S3", tl.week_of(day), v.strength[s_key] + hard <= 1)
    return []


def encode_s4(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S4 - after the run: strength less than 6 h before a run that day is not allowed."""
    v, tl = ctx.vars, ctx.timeline
    for day in range(tl.num_days):
        keys = v.slot_keys_on(day)
        for s_key in keys:
            if s_key not in v.strength:
                continue
            s_start = tl.slots[s_key].start_hours
            for r_key in keys:
                r_start = tl.slots[r_key].start_hours
                if r_key != s_key and s_start <= r_start < s_start + S4_RUN_FIRST_HOURS:
                    ctx.hard("S4", tl.week_of(day), v.strength[s_key] + v.run_at(r_key) <= 1)
    return []


def at_least_one(ctx: EncodeContext, count: Any, name: str) -> Any:
    """min(1, count) for a day's count of sessions (0, 1 or 2), as one boolean."""
    if isinstance(count, int):
        return min(1, count)
    flag = ctx.model.new_bool_var(name)
    ctx.model.add(flag <= count)
    ctx.model.add(count <= 2 * flag)
    return flag


def at_least_one_of(ctx: EncodeContext, literals: list[Any], name: str) -> Any:
    """1 when any of `literals` holds, as one boolean."""
    flag = ctx.model.new_bool_var(name)
    ctx.model.add_max_equality(flag, literals)
    return flag


def encode_s5(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S5 - protect key sessions: avoid strength the day before a key run (soft)."""
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    terms: list[PenaltyTerm] = []
    for day in range(tl.num_days - 1):
        strength = v.strength_on(day)
        if isinstance(strength, int):
            continue
        clash = m.new_bool_var(f"strength_before_key_{day}")
        # "Any", not "how many": a re-plan's logged past may hold two strength sessions or
        # two key runs in a day, and the definition must not forbid facts.
        any_strength = at_least_one(ctx, strength, f"any_strength_{day}")
        key_next = at_least_one(ctx, key_day(ctx, day + 1), f"any_key_{day + 1}")
        m.add(clash >= any_strength + key_next - 1)
        m.add(clash <= any_strength)
        m.add(clash <= key_next)
        terms.append(PenaltyTerm("S5", clash, f"day {day + 1}", week=tl.week_of(day)))
    return terms


def encode_s11(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S11 - duration: session minutes within the phase's bounds and within the slot."""
    v, tl = ctx.vars, ctx.timeline
    for key, s in v.strength.items():
        w = tl.week_of(key[0])
        capacity = tl.slots[key].capacity
        options = [(tl.strength_minutes(w, recovery=False), False)]
        if tl.weeks[w].can_recover:
            options.append((tl.strength_minutes(w, recovery=True), True))
        for (lo, hi), is_recovery in options:
            fits = capacity >= lo
            lits: list[Any] = [s]
            if tl.weeks[w].can_recover:
                rec = v.recovery[w]
                lits.append(rec if is_recovery else ~rec)
            if not fits:
                ctx.hard_or("S11", w, [~lit for lit in lits])
                continue
            minutes = v.strength_minutes_at(key)
            ctx.hard("S11", w, minutes >= lo).only_enforce_if(lits)
            ctx.hard("S11", w, minutes <= min(hi, capacity)).only_enforce_if(lits)
    return []
