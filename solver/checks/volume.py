"""Checks of the volume rules: R5 progression, R8 load, R9 target, R11 spikes, P1, P2."""

from __future__ import annotations

from solver.checks.common import (
    day_text,
    is_loading,
    is_recovery,
    reference_minutes,
    reference_text,
    session_text,
    violation,
    week_text,
)
from solver.plan_facts import run_type
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Violation
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

CHRONIC_WEEKS = 4  # R8: the chronic load is the mean of the 4 weeks before


def check_r5(ctx: CheckContext) -> CheckOutcome:
    """R5 progression: "Weekly run minutes <= 1.10 x the previous loading week's minutes
    (10 % rule). The first week is bounded by the athlete's current weekly volume. Race
    minutes are left out."
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        minutes, ref = facts.training_minutes(w), reference_minutes(ctx, w)
        if 10 * minutes > PROGRESSION_TENTHS * ref:
            out.violations.append(
                violation(
                    "R5",
                    [tl.weeks[w].start],
                    f"In {week_text(tl, w)} you run {minutes} min, more than 110 % of the "
                    f"{ref} min of {reference_text(ctx, w)} (at most "
                    f"{PROGRESSION_TENTHS * ref // 10} min).",
                )
            )
    return out


def check_r8(ctx: CheckContext) -> CheckOutcome:
    """R8 acute:chronic load: "Rolling 7-day load / mean 7-day load of the previous 28 days
    <= 1.3 from week 5 on. An acute window that contains a race is exempt."

    The acute window is the plan week; loads are minutes x the R8 factors, in tenths.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(ACWR_FROM_WEEK, tl.num_weeks):
        if tl.weeks[w].races:
            continue
        acute = facts.load_tenths(w)
        # Break weeks (no slot at all) are left out of the chronic mean; four in a row
        # leave the ratio undefined (docs/rules.md).
        counted = [k for k in range(w - CHRONIC_WEEKS, w) if not tl.weeks[k].is_break]
        if not counted:
            continue
        chronic_sum = sum(facts.load_tenths(k) for k in counted)
        # acute / (chronic_sum / n) <= 1.3, in integers.
        if 10 * len(counted) * acute > ACWR_CAP_TENTHS * chronic_sum:
            mean = chronic_sum / len(counted) / 10
            out.violations.append(
                violation(
                    "R8",
                    [tl.weeks[w].start],
                    f"In {week_text(tl, w)} your training load is {acute / 10:g}, more than "
                    f"1.3 x the {mean:g} a week you averaged over the 4 weeks before.",
                )
            )
    return out


def check_r9(ctx: CheckContext) -> CheckOutcome:
    """R9 volume target: "Weekly run minutes follow a target curve from the athlete's current
    volume toward the phase's peak; penalty per minute of deviation."

    The target is the week's `volume_target`, or `recovery_target` in a recovery week.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w, info in enumerate(tl.weeks):
        target = info.recovery_target if is_recovery(ctx, w) else info.volume_target
        minutes = facts.training_minutes(w)
        if minutes != target:
            out.penalty += abs(minutes - target)
            out.details.append(f"{week_text(tl, w)}: {minutes} min, target {target} min")
    return out


def check_r11(ctx: CheckContext) -> CheckOutcome:
    """R11 single-run spike: "No run is longer than 110 % of the longest run in the previous
    30 days (before the plan: longest_recent_run_minutes). Races are exempt as the later run
    but count as the earlier one; easy runs count too."
    """
    tl, facts = ctx.timeline, ctx.facts
    before_plan = ctx.request.athlete.longest_recent_run_minutes
    out = CheckOutcome()
    for d in range(tl.num_days):
        for s in facts.runs_on(d):
            if run_type(s) == "race":
                continue
            window = range(max(0, d - SPIKE_WINDOW_DAYS), d)
            earlier = [r.minutes for k in window for r in facts.runs_on(k)]
            if d < SPIKE_WINDOW_DAYS:
                earlier.append(before_plan)
            longest = max(earlier, default=0)
            # After 30 days without a run, a restart run of up to 30 min (docs/rules.md).
            allowed_tenths = SPIKE_TENTHS * longest if longest else 10 * RESTART_RUN_MINUTES
            if 10 * s.minutes > allowed_tenths:
                out.violations.append(
                    violation(
                        "R11",
                        [s.date],
                        f"The {session_text(s)} on {day_text(s.date)} is more than 110 % of "
                        f"your longest run in the 30 days before ({longest} min).",
                    )
                )
    return out


def check_p1(ctx: CheckContext) -> CheckOutcome:
    """P1 recovery weeks: "Between two recovery weeks there are at most 5 loading weeks and
    at least 3; the first recovery week comes after at least 3 loading weeks (a break week
    aside). Recovery weeks cut run minutes to at most 80 % of the previous loading week."

    Also checks the plan's week list: one entry per calendar week, with the request's
    index, start date and phase, and recovery only where a recovery week may fall.
    """
    out = CheckOutcome(violations=_week_list(ctx))
    tl, facts = ctx.timeline, ctx.facts
    for w in sorted(facts.recovery_weeks):
        if not 0 <= w < tl.num_weeks or not tl.weeks[w].can_recover:
            continue  # reported by _week_list
        week = week_text(tl, w)
        before = range(w - RECOVERY_MIN_LOADING, w)
        if before.start < 0 or not all(is_loading(ctx, k) for k in before):
            out.violations.append(
                violation(
                    "P1",
                    [tl.weeks[w].start],
                    f"Recovery {week} does not follow {RECOVERY_MIN_LOADING} loading weeks "
                    "in a row.",
                )
            )
        minutes, ref = facts.training_minutes(w), reference_minutes(ctx, w)
        if 10 * minutes > RECOVERY_CAP_TENTHS * ref:
            out.violations.append(
                violation(
                    "P1",
                    [tl.weeks[w].start],
                    f"Recovery {week} has {minutes} min of running, more than 80 % of the "
                    f"{ref} min of {reference_text(ctx, w)}.",
                )
            )
    run = RECOVERY_MAX_LOADING + 1
    for first in range(tl.num_weeks - run + 1):
        if all(is_loading(ctx, k) for k in range(first, first + run)):
            out.violations.append(
                violation(
                    "P1",
                    [tl.weeks[first].start, tl.weeks[first + run - 1].start],
                    f"Weeks {first + 1} to {first + run} are {run} loading weeks in a row; a "
                    f"recovery week must come after at most {RECOVERY_MAX_LOADING}.",
                )
            )
    return out


def _week_list(ctx: CheckContext) -> list[Violation]:
    """The plan's week summaries must be the request's calendar weeks."""
    tl, plan = ctx.timeline, ctx.plan
    found: list[Violation] = []
    if len(plan.weeks) != tl.num_weeks:
        found.append(
            violation(
                "P1",
                [tl.start],
                f"The plan lists {len(plan.weeks)} weeks, but the calendar has {tl.num_weeks}.",
            )
        )
    for position, summary in enumerate(plan.weeks):
        info = tl.weeks[position] if position < tl.num_weeks else None
        if info is None or summary.index != position or summary.start_date != info.start:
            found.append(
                violation(
                    "P1",
                    [summary.start_date],
                    f"Week entry {position + 1} of the plan (index {summary.index}, from "
                    f"{day_text(summary.start_date)}) is not calendar week {position + 1}.",
                )
            )
            continue
        if summary.phase != info.phase:
            found.append(
                violation(
                    "P1",
                    [info.start],
                    f"The plan calls {week_text(tl, position)} a {summary.phase} week, but "
                    f"your race calendar makes it a {info.phase} week.",
                )
            )
        if summary.recovery and not info.can_recover:
            reason = "has no availability" if info.is_break else f"is a {info.phase} week"
            found.append(
                violation(
                    "P1",
                    [info.start],
                    f"The plan makes {week_text(tl, position)} a recovery week, but it "
                    f"{reason}; only base, build and peak weeks can be recovery weeks.",
                )
            )
    return found


def check_p2(ctx: CheckContext) -> CheckOutcome:
    """P2 taper: "Run minutes fall step by step from the peak loading week: marathon and
    ultra <= 80 %, 60 %, 45 % in the last three weeks; half <= 75 %, 55 %; 5k and 10k <= 65 %
    in race week." Measured against ref(w), race minutes left out.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w, info in enumerate(tl.weeks):
        if info.taper_position is None or info.goal is None:
            continue
        percent = round(100 * TAPER_CAPS[info.goal][info.taper_position])
        minutes, ref = facts.training_minutes(w), reference_minutes(ctx, w)
        if 100 * minutes > percent * ref:
            out.violations.append(
                violation(
                    "P2",
                    [info.start],
                    f"In {week_text(tl, w)} of your {info.goal} taper you run {minutes} min, "
                    f"more than {percent} % of the {ref} min of {reference_text(ctx, w)}.",
                )
            )
    return out
