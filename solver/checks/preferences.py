"""Check of the athlete's weekday preferences (PREF)."""

from __future__ import annotations

from solver.checks.common import day_text, in_horizon, session_text
from solver.plan_facts import is_strength
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import WEEKDAYS


def check_pref(ctx: CheckContext) -> CheckOutcome:
    """PREF preferred days: "strength off preferred_strength_days (when given); any session
    on a rest_days weekday." Penalty per such session.

    Races are left out: the athlete entered them, so the plan cannot move them off a rest
    day. A strength session off the preferred days that also falls on a rest day counts
    twice.
    """
    preferred = set(ctx.request.preferences.preferred_strength_days)
    rest = set(ctx.request.preferences.rest_days)
    out = CheckOutcome()
    for s in sorted(ctx.plan.sessions, key=lambda s: (s.date, s.slot)):
        if not in_horizon(ctx, s):
            continue
        weekday = WEEKDAYS[s.date.weekday()]
        if preferred and is_strength(s) and weekday not in preferred:
            out.penalty += 1
            out.details.append(f"{day_text(s.date)}: strength off your preferred days")
        if weekday in rest and s.kind != "race":
            out.penalty += 1
            out.details.append(f"{day_text(s.date)}: {session_text(s)} on a rest day")
    return out
