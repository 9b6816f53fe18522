"""A brute-force oracle on tiny calendars agrees with CP-SAT's optimum.

The oracle enumerates every plan in the solver's space (each slot empty, a run of any type
and any allowed length from 15 min, or a strength session of any allowed length) and
judges each with the independent validator alone. Its best objective must equal the
optimum CP-SAT proves, and it must find no plan exactly when CP-SAT proves infeasibility.
Exercise content (S6-S10, S12, P4) is left out on both sides: the oracle cannot enumerate
exercise selections (tests/rules/test_content.py covers them).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from solver.model import build_model
from solver.plan_facts import PlanFacts
from solver.rules.base import CheckContext
from solver.rules.registry import placement_rules
from solver.schemas import Plan, PlanRequest, Session, WeekSummary
from solver.solving import run_model
from solver.timeline import MIN_RUN_MINUTES, TRAINING_RUN_TYPES, SlotInfo, Timeline
from solver.vars import unit_of
from solver.weights import resolve_weights, scaled

START = dt.date(2027, 3, 1)  # a Monday
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def slot_options(tl: Timeline, slot: SlotInfo) -> list[Session | None]:
    options: list[Session | None] = [None]
    common: dict[str, Any] = {
        "date": slot.date,
        "slot": slot.name,
        "start": slot.start_text,
        "location": slot.location,
    }
    for run_type in TRAINING_RUN_TYPES:
        lowest = 30 if run_type in ("tempo", "intervals", "hills") else MIN_RUN_MINUTES
        for minutes in range(lowest, slot.capacity + 1, unit_of(run_type, tl)):
            options.append(
                Session(
                    id=f"{slot.date}-{slot.name}-run",
                    kind="run",
                    run_type=run_type,  # type: ignore[arg-type]
                    minutes=minutes,
                    **common,
                )
            )
    lo, hi = tl.strength_minutes(tl.week_of(slot.day), recovery=False)
    for minutes in range(lo, min(hi, slot.capacity) + 1, unit_of("strength")):
        options.append(
            Session(
                id=f"{slot.date}-{slot.name}-strength", kind="strength", minutes=minutes, **common
            )
        )
    return options


def oracle(request: PlanRequest) -> float | None:
    """The best objective over every plan in the solver's space, or None if none is valid."""
    tl = Timeline(request)
    weights = resolve_weights(tl)
    slots = sorted(tl.slots.values(), key=lambda s: s.start_hours)
    weeks = [
        WeekSummary(
            index=w.index,
            start_date=w.start,
            phase=w.phase,
            recovery=False,
            run_minutes=0,
            hard_runs=0,
            strength_sessions=0,
            load=0.0,
        )
        for w in tl.weeks
    ]
    best: float | None = None
    for combo in itertools.product(*(slot_options(tl, s) for s in slots)):
        plan = Plan(
            start_date=tl.start,
            end_date=tl.end,
            weeks=weeks,
            sessions=[s for s in combo if s is not None],
        )
        ctx = CheckContext.__new__(CheckContext)
        ctx.timeline, ctx.plan = tl, plan
        ctx.facts = PlanFacts(tl, plan)
        total = 0
        for rule in placement_rules():
            outcome = rule.check(ctx)
            if outcome.violations:
                break
            total += scaled(weights[rule.id]) * outcome.penalty if outcome.penalty else 0
        else:
            value = total / 100
            if best is None or value < best:
                best = value
    return best


@st.composite
def tiny_requests(draw: st.DrawFn) -> PlanRequest:
    """One week, three slots of 30-35 minutes on distinct days; returning athletes add
    strength (the return phase allows 20-40 minute sessions)."""
    returning = draw(st.booleans())
    days = draw(st.lists(st.sampled_from(DAYS), min_size=3, max_size=3, unique=True))
    weekly = {
        d: {
            draw(st.sampled_from(["am", "pm"])): {
                "minutes": draw(st.sampled_from([30, 35])),
                "time": draw(st.sampled_from(["07:00", "18:00"])),
            }
        }
        for d in days
    }
    return PlanRequest.model_validate(
        {
            "start_date": START.isoformat(),
            "end_date": (START + dt.timedelta(days=6)).isoformat(),
            "athlete": {
                "level": draw(st.sampled_from(["beginner", "intermediate"])),
                "current_weekly_minutes": draw(st.sampled_from([60, 90, 120])),
                "longest_recent_run_minutes": draw(st.sampled_from([25, 40])),
                "run_days": {"min": draw(st.integers(1, 3)), "max": 3},
                "strength_sessions": {"min": 0, "max": draw(st.integers(1, 2))},
                "long_run_day": draw(st.sampled_from(DAYS)),
                "injuries": (
                    [{"kind": "achilles_tendinopathy", "status": "returning"}] if returning else []
                ),
            },
            "races": [],
            "availability": {"weekly": weekly},
            "preferences": {"min_strength_gap_hours": 48, "return_weeks": 2},
            "options": {"time_limit_s": 20, "num_workers": 8},
        }
    )


@settings(max_examples=12)
@given(tiny_requests())
def test_oracle_agrees_with_cp_sat(tiny: PlanRequest) -> None:
    request = tiny
    result = run_model(build_model(request, rules=placement_rules()))
    expected = oracle(request)
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert result.objective == expected
