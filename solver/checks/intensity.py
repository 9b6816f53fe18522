"""Checks of the intensity rules: R7 80/20, R15 quality in place, R16 long-run growth, R17."""

from __future__ import annotations

from solver.checks.common import day_text, is_loading, violation, week_text
from solver.plan_facts import run_type
from solver.rules.base import CheckContext, CheckOutcome
from solver.timeline import EASY_FLOOR_PERCENT, HARD_TARGET_FIFTH

# R15: hard runs (races included) a loading week wants, by phase; beginners in build and
# peak want exactly one.
QUALITY_WANTED: dict[str, tuple[int, int]] = {"base": (0, 1), "build": (1, 2), "peak": (1, 2)}
QUALITY_WANTED_BEGINNER: dict[str, tuple[int, int]] = {
    "base": (0, 1),
    "build": (1, 1),
    "peak": (1, 1),
}


def check_r7(ctx: CheckContext) -> CheckOutcome:
    """R7 intensity distribution: "Hard-run minutes ~ 20 % of weekly run minutes (80/20);
    penalty per minute above. Hard floor: easy-family minutes (recovery, easy, long) >= 75 %
    of run minutes in loading weeks. Race minutes count in neither."

    Penalty per week: hard minutes - training minutes / 5, rounded up (= hard - T // 5).
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        training, easy, hard = (
            facts.training_minutes(w),
            facts.easy_minutes(w),
            facts.hard_minutes(w),
        )
        if is_loading(ctx, w) and 100 * easy < EASY_FLOOR_PERCENT * training:
            out.violations.append(
                violation(
                    "R7",
                    [tl.weeks[w].start],
                    f"In {week_text(tl, w)} only {easy} of your {training} min are easy "
                    f"running; at least {EASY_FLOOR_PERCENT} % should be easy.",
                    shortfall=_easy_minutes_short(training, easy),
                )
            )
        above = hard - training // HARD_TARGET_FIFTH
        if above > 0:
            out.penalty += above
            out.details.append(
                f"{week_text(tl, w)}: {hard} hard min, {above} above 20 % of {training}"
            )
    return out


def _easy_minutes_short(training: int, easy: int) -> int:
    """The easy minutes a week must add to reach the floor: each one adds to both sides,
    so x solves 100 (easy + x) = 75 (training + x), rounded up."""
    gap = EASY_FLOOR_PERCENT * training - 100 * easy
    room = 100 - EASY_FLOOR_PERCENT
    return -(-gap // room)


def check_r15(ctx: CheckContext) -> CheckOutcome:
    """R15 quality where it belongs: "Loading weeks of build and peak carry 1-2 hard runs
    (beginners: 1 tempo or hills); base weeks 0-1; penalty per missing or surplus hard run."
    Races count as hard runs.
    """
    tl, facts = ctx.timeline, ctx.facts
    table = QUALITY_WANTED_BEGINNER if ctx.request.athlete.level == "beginner" else QUALITY_WANTED
    out = CheckOutcome()
    for w, info in enumerate(tl.weeks):
        if not is_loading(ctx, w):
            continue
        low, high = table[info.phase]
        hard = facts.hard_count(w)
        off = max(0, low - hard) + max(0, hard - high)
        if off:
            out.penalty += off
            out.details.append(
                f"{week_text(tl, w)}: {hard} hard runs, a {info.phase} week wants {low}-{high}"
            )
    return out


def check_r16(ctx: CheckContext) -> CheckOutcome:
    """R16 long-run progression: "The long run grows toward the goal's peak long run;
    penalty per minute short of the week's target." Loading weeks with a long run only.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w, info in enumerate(tl.weeks):
        longs = facts.long_runs(w)
        if not is_loading(ctx, w) or not longs or info.long_target is None:
            continue
        longest = max(s.minutes for s in longs)
        if longest < info.long_target:
            out.penalty += info.long_target - longest
            out.details.append(
                f"{week_text(tl, w)}: long run {longest} min, target {info.long_target} min"
            )
    return out


def check_r17(ctx: CheckContext) -> CheckOutcome:
    """R17 recovery runs after key days: "A recovery run belongs on the day after a key run
    or race; elsewhere an easy run is preferred." Penalty per misplaced recovery or easy run;
    the day before the plan counts as a day without a key run.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for d in range(tl.num_days):
        after_key = d > 0 and facts.is_key_day(d - 1)
        for s in facts.runs_on(d):
            kind = run_type(s)
            if kind == "recovery" and not after_key:
                out.penalty += 1
                out.details.append(f"{day_text(s.date)}: recovery run not after a key day")
            elif kind == "easy" and after_key:
                out.penalty += 1
                out.details.append(f"{day_text(s.date)}: easy run after a key day")
    return out
