"""Checks of the strength placement rules: S1 frequency, S2 spacing, S3-S5, S11 duration."""

from __future__ import annotations

from solver.checks.common import (
    MINI_CIRCUIT_MAX_MINUTES,
    day_text,
    in_horizon,
    is_recovery,
    session_text,
    start_hours,
    violation,
    week_text,
)
from solver.plan_facts import is_hard, is_strength
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Session
from solver.timeline import S4_RUN_FIRST_HOURS


def _when(session: Session) -> str:
    return f"{day_text(session.date)} {session.start[11:16]}"


def check_s1(ctx: CheckContext) -> CheckOutcome:
    """S1 frequency: "Full-body strength sessions per week within the phase's bounds,
    intersected with the athlete's range. The upper bound is hard. The lower bound is a
    wish: the seed's 2-3 a week, and never zero for two weeks in a row."

    Penalty per week: sessions short of the lower bound, plus 1 for two consecutive weeks
    with no session whose lower bounds are both 0 (break weeks aside, and weeks where the
    athlete's range allows none: a 0-0 range wishes for no strength). Mini-circuits are
    not strength sessions.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    counts = [len(facts.strength_sessions(w)) for w in range(tl.num_weeks)]
    lows: list[int] = []
    highs: list[int] = []
    for w, count in enumerate(counts):
        low, high = tl.strength_bounds(w, is_recovery(ctx, w))
        lows.append(low)
        highs.append(high)
        if count > high:
            out.violations.append(
                violation(
                    "S1",
                    [s.date for s in facts.strength_sessions(w)],
                    f"In {week_text(tl, w)} there are {count} strength sessions; at most "
                    f"{high} fit this week.",
                )
            )
        if count < low:
            out.penalty += low - count
            out.details.append(f"{week_text(tl, w)}: {count} strength sessions, wished {low}")
    for w in range(tl.num_weeks - 1):
        pair = (w, w + 1)
        lapse = (counts[k] == 0 and lows[k] == 0 and highs[k] > 0 for k in pair)
        if all(lapse) and not any(tl.weeks[k].is_break for k in pair):
            out.penalty += 1
            out.details.append(
                f"{week_text(tl, w)} and the week after: no strength two weeks in a row"
            )
    return out


def check_s2(ctx: CheckContext) -> CheckOutcome:
    """S2 48-hour spacing: "Two strength sessions start >= 48 h apart, measured from slot
    clock times. Athletes aged 50 or more default to 60 h." Mini-circuits do not count.
    """
    gap = ctx.timeline.strength_gap_hours
    sessions = sorted(
        (
            (start_hours(ctx, s), s)
            for s in ctx.plan.sessions
            if is_strength(s) and in_horizon(ctx, s)
        ),
        key=lambda pair: pair[0],
    )
    out = CheckOutcome()
    for i, (start, first) in enumerate(sessions):
        for later_start, later in sessions[i + 1 :]:
            apart = later_start - start
            if apart >= gap:
                break
            out.violations.append(
                violation(
                    "S2",
                    [first.date, later.date],
                    f"The strength sessions on {_when(first)} and {_when(later)} are "
                    f"{apart:g} h apart; they need at least {gap} h.",
                )
            )
    return out


def check_s3(ctx: CheckContext) -> CheckOutcome:
    """S3 not with hard runs: "No strength session on a day with a hard run. A request may
    choose strength_on_hard_days: after_run: then strength may follow the hard run in a
    later slot of the same day." Races are hard runs.
    """
    tl, facts = ctx.timeline, ctx.facts
    after_run = ctx.request.preferences.strength_on_hard_days == "after_run"
    out = CheckOutcome()
    for d in range(tl.num_days):
        hard = [s for s in facts.runs_on(d) if is_hard(s)]
        if not hard:
            continue
        latest_hard = max(start_hours(ctx, s) for s in hard)
        for s in facts.strength_on(d):
            if after_run and start_hours(ctx, s) > latest_hard:
                continue
            rule = "comes after the hard run" if after_run else "is not on a hard-run day"
            out.violations.append(
                violation(
                    "S3",
                    [s.date],
                    f"The strength session on {_when(s)} shares the day with the "
                    f"{session_text(hard[0])}; strength {rule}.",
                )
            )
    return out


def check_s4(ctx: CheckContext) -> CheckOutcome:
    """S4 after the run: "When a run and a strength session fall on one day less than 6 h
    apart, the run comes first. A morning strength session and an evening run further
    apart are allowed."
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for d in range(tl.num_days):
        for strength in facts.strength_on(d):
            lift = start_hours(ctx, strength)
            for run in facts.runs_on(d):
                run_start = start_hours(ctx, run)
                if abs(lift - run_start) < S4_RUN_FIRST_HOURS and not run_start < lift:
                    out.violations.append(
                        violation(
                            "S4",
                            [strength.date],
                            f"On {day_text(strength.date)} the strength session "
                            f"({strength.start[11:16]}) comes less than {S4_RUN_FIRST_HOURS} h "
                            f"before the {session_text(run)} ({run.start[11:16]}); run first.",
                        )
                    )
    return out


def check_s5(ctx: CheckContext) -> CheckOutcome:
    """S5 protect key sessions: "Avoid a strength session on the day before a key run."
    Penalty per strength session on a day before a key run or race.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for d in range(tl.num_days - 1):
        if not facts.is_key_day(d + 1):
            continue
        for s in facts.strength_on(d):
            out.penalty += 1
            out.details.append(f"{day_text(s.date)}: strength the day before a key run")
    return out


def check_s11(ctx: CheckContext) -> CheckOutcome:
    """S11 duration: "Session minutes within the phase's bounds and within the slot."

    A recovery week uses the recovery row. A mini-circuit lasts at most 20 min; a longer
    one would be a strength session in disguise.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        low, high = tl.strength_minutes(w, is_recovery(ctx, w))
        for s in facts.week_sessions(w):
            slot = tl.slots.get((tl.day_of(s.date), s.slot))
            if s.kind == "mini_circuit" and s.minutes > MINI_CIRCUIT_MAX_MINUTES:
                out.violations.append(
                    violation(
                        "S11",
                        [s.date],
                        f"The mini-circuit on {day_text(s.date)} lasts {s.minutes} min; a "
                        f"mini-circuit lasts at most {MINI_CIRCUIT_MAX_MINUTES} min.",
                    )
                )
            if not is_strength(s):
                continue
            if not low <= s.minutes <= high:
                out.violations.append(
                    violation(
                        "S11",
                        [s.date],
                        f"The strength session on {day_text(s.date)} lasts {s.minutes} min; "
                        f"in {week_text(tl, w)} a session lasts {low}-{high} min.",
                    )
                )
            if slot is not None and s.minutes > slot.capacity:
                out.violations.append(
                    violation(
                        "S11",
                        [s.date],
                        f"The {s.minutes}-min strength session on {day_text(s.date)} does "
                        f"not fit the {slot.capacity}-min {s.slot} slot.",
                    )
                )
    return out
