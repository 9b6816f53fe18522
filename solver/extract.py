"""Turns solver values into a Plan a runner can read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from solver.guidance import guidance_for
from solver.plan_facts import PlanFacts
from solver.schemas import SLOT_NAMES, Plan, Session, WeekSummary
from solver.timeline import PRESCRIPTION, Timeline
from solver.vars import PlanVars, SlotKey

RUN_PURPOSE: dict[str, str] = {
    "recovery": "Recovery run: very easy, short, to loosen up after a key day.",
    "easy": "Easy run: conversational pace, builds aerobic base.",
    "long": "Long run: steady and easy, builds endurance.",
    "tempo": "Tempo run: warm up, comfortably hard threshold block, cool down.",
    "intervals": "Intervals: warm up, hard repeats with easy jogs between, cool down.",
    "hills": "Hill repeats: warm up, strong uphill efforts, jog down, cool down.",
}
# R12: share of the week's training minutes the quality part may take (Daniels' caps).
QUALITY_CAP_PERCENT: dict[str, int] = {"tempo": 10, "intervals": 8, "hills": 8}
WARM_UP_AND_COOL_DOWN = 20

ValueOf = Callable[[Any], int]


def quality_minutes(run_type: str, minutes: int, week_training_minutes: int) -> int:
    """R12: the quality part of a hard run, within Daniels' caps for the week."""
    cap = QUALITY_CAP_PERCENT[run_type] * week_training_minutes // 100
    return max(0, min(minutes - WARM_UP_AND_COOL_DOWN, cap))


def extract_plan(plan_vars: PlanVars, value: ValueOf, is_recovery: dict[int, bool]) -> Plan:
    """Read the sessions off the solver and summarise each week from those sessions."""
    tl = plan_vars.timeline
    sessions: list[Session] = []
    for day in range(tl.num_days):
        for name in SLOT_NAMES:
            key = (day, name)
            if key not in tl.slots:
                continue
            sessions.extend(_sessions_at(plan_vars, value, key, is_recovery))
    plan = Plan(
        start_date=tl.start,
        end_date=tl.end,
        weeks=[],
        sessions=sessions,
        guidance=guidance_for(tl.request),
    )
    add_quality_minutes(tl, plan)
    plan.weeks = summarise_weeks(tl, plan, is_recovery)
    return plan


def _sessions_at(
    plan_vars: PlanVars, value: ValueOf, key: SlotKey, is_recovery: dict[int, bool]
) -> list[Session]:
    """Everything the solver put in the slot: one session, unless an encoding let T3 slip,
    in which case every session shows so the validator can see it."""
    tl = plan_vars.timeline
    found: list[Session] = []
    slot = tl.slots[key]
    common = {
        "date": slot.date,
        "slot": slot.name,
        "start": slot.start_text,
        "location": slot.location,
    }
    if slot.race is not None:
        race = slot.race
        found.append(
            Session(
                id=f"{slot.date.isoformat()}-{slot.name}-race",
                kind="race",
                run_type="race",
                minutes=tl.race_minutes(race),
                race_name=race.name or f"{race.distance} race",
                purpose=f"{race.priority} race: {race.name or race.distance}.",
                **common,
            )
        )
    for run_type in plan_vars.run_types_at(key):
        if value(plan_vars.run[(*key, run_type)]):
            minutes = value(plan_vars.minutes_of_type(key, run_type))
            found.append(
                Session(
                    id=f"{slot.date.isoformat()}-{slot.name}-run",
                    kind="run",
                    run_type=run_type,
                    minutes=minutes,
                    purpose=RUN_PURPOSE[run_type],
                    **common,
                )
            )
    strength = plan_vars.strength.get(key)
    if strength is not None and value(strength):
        week = tl.week_of(slot.day)
        phase_key = "recovery" if is_recovery.get(week, False) else tl.weeks[week].phase
        minutes = value(plan_vars.strength_minutes_at(key))
        found.append(
            Session(
                id=f"{slot.date.isoformat()}-{slot.name}-strength",
                kind="strength",
                minutes=minutes,
                purpose=f"Full-body strength ({phase_key} phase).",
                prescription=PRESCRIPTION[phase_key],
                **common,
            )
        )
    return found


def add_quality_minutes(tl: Timeline, plan: Plan) -> None:
    """R12: each quality run's quality part, from its week's training minutes."""
    facts = PlanFacts(tl, plan)
    for session in plan.sessions:
        if session.kind == "run" and session.run_type in QUALITY_CAP_PERCENT:
            week = tl.week_of(tl.day_of(session.date))
            session.quality_minutes = quality_minutes(
                session.run_type, session.minutes, facts.training_minutes(week)
            )


def summarise_weeks(tl: Timeline, plan: Plan, is_recovery: dict[int, bool]) -> list[WeekSummary]:
    """Week rows computed from the sessions, so they always agree with them."""
    facts = PlanFacts(tl, plan)
    rows: list[WeekSummary] = []
    for info in tl.weeks:
        w = info.index
        acwr = facts.acwr(w)
        rows.append(
            WeekSummary(
                index=w,
                start_date=info.start,
                phase=info.phase,
                recovery=is_recovery.get(w, False),
                run_minutes=facts.total_run_minutes(w),
                hard_runs=facts.hard_count(w),
                strength_sessions=len(facts.strength_sessions(w)),
                load=facts.load_tenths(w) / 10,
                acwr=round(acwr, 3) if acwr is not None else None,
            )
        )
    return rows
