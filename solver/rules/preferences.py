"""PREF: the athlete's preferred strength days and rest days (soft)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.rules.base import EncodeContext, PenaltyTerm

if TYPE_CHECKING:
    from solver.vars import Expr


def encode_pref(ctx: EncodeContext) -> list[PenaltyTerm]:
    """PREF - preferences: strength on the preferred days, nothing on rest days (soft)."""
    v, tl = ctx.vars, ctx.timeline
    prefs = ctx.request.preferences
    preferred = set(prefs.preferred_strength_days)
    rest = set(prefs.rest_days)
    terms: list[PenaltyTerm] = []
    for day in range(tl.num_days):
        weekday = tl.weekday(day)
        misplaced: list[Expr] = []
        for key in v.slot_keys_on(day):
            if preferred and weekday not in preferred and key in v.strength:
                misplaced.append(v.strength[key])
            if weekday in rest:
                misplaced.append(v.strength_at(key))
                misplaced.extend(v.run[(*key, t)] for t in v.run_types_at(key))
        if misplaced:
            terms.append(
                PenaltyTerm("PREF", sum(misplaced, start=0), f"day {day + 1}", week=tl.week_of(day))
            )
    return terms
