"""Checks of the running rules R1-R4, R6, R10, R12-R14."""

from __future__ import annotations

from solver.checks.common import (
    a_session,
    dates_of,
    day_text,
    is_recovery,
    session_text,
    violation,
    week_text,
)
from solver.plan_facts import is_hard, is_key, is_strength, run_type
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import WEEKDAYS, Session, Violation
from solver.timeline import (
    HARD_RUN_MINUTES,
    LONG_RUN_RATIO,
    RESTART_RUN_MINUTES,
    SPIKE_TENTHS,
    SPIKE_WINDOW_DAYS,
    Week,
    long_run_share_percent,
)

# R12: the quality part of a hard run, as a share of the week's training minutes (Daniels).
QUALITY_CAP_PERCENT: dict[str, int] = {"tempo": 10, "intervals": 8, "hills": 8}
# R12: warm-up plus cool-down around the quality part.
WARM_UP_COOL_DOWN = 20
NO_LONG_RUN_PHASES = frozenset({"race", "transition"})


def long_run_floor(ctx: CheckContext, week: Week) -> int:
    """R1's floor: 30 min, or the R11 cap (110 % of the recent longest run), or in `return`
    weeks the R13 cap (the recent longest run itself), whichever is lowest."""
    floor = ctx.timeline.long_run_floor
    if ctx.timeline.weeks[week].phase == "return":
        floor = min(floor, ctx.request.athlete.longest_recent_run_minutes)
    return floor


def long_run_required(ctx: CheckContext, week: Week) -> bool:
    """R1: a week needs its long run unless it is a race, transition or break week, or no
    available slot can hold one.

    A slot can hold one when its capacity reaches the floor and its day neither holds a
    race nor borders on one: a long run there would be a key run on a race day or beside
    one, which R2 forbids (and P3 and R4 too).
    """
    tl = ctx.timeline
    info = tl.weeks[week]
    if info.phase in NO_LONG_RUN_PHASES or info.is_break:
        return False
    floor = long_run_floor(ctx, week)
    race_days = {tl.day_of(r.date) for r in ctx.request.races}
    return any(
        slot.capacity >= floor and not any(abs(slot.day - d) <= 1 for d in race_days)
        for slot in tl.slots_in_week(week)
    )


def check_r1(ctx: CheckContext) -> CheckOutcome:
    """R1 long run: "Exactly one long run per week, at least 30 min (or the R11/R13 cap, if
    lower) and at least 1.25 x every other training run (races aside) of that week; none in
    race and transition weeks, nor in weeks where no available slot can hold one. Soft
    preference for the athlete's long-run day." Penalty: weeks with the long run elsewhere.
    """
    tl, facts = ctx.timeline, ctx.facts
    wanted_day = ctx.request.athlete.long_run_day
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        week = week_text(tl, w)
        longs = facts.long_runs(w)
        required = long_run_required(ctx, w)
        if required:
            if not longs:
                out.violations.append(
                    violation(
                        "R1",
                        [tl.weeks[w].start],
                        f"In {week} there is no long run; every week with a slot of at least "
                        f"{long_run_floor(ctx, w)} min needs exactly one.",
                    )
                )
            elif len(longs) > 1:
                out.violations.append(
                    violation(
                        "R1",
                        dates_of(longs),
                        f"In {week} there are {len(longs)} long runs; a week holds exactly one.",
                    )
                )
        elif longs:
            out.violations.append(
                violation(
                    "R1",
                    dates_of(longs),
                    f"In {week} the plan has a long run on {day_text(longs[0].date)}, but "
                    f"{_why_no_long_run(ctx, w)}, so it holds none.",
                )
            )
        if required and len(longs) == 1:
            out.violations.extend(_long_run_size(ctx, w, longs[0]))
        if wanted_day is not None:
            astray = [s for s in longs if WEEKDAYS[s.date.weekday()] != wanted_day]
            if astray:
                out.penalty += 1
                out.details.append(
                    f"{week}: long run on {day_text(astray[0].date)}, not on your {wanted_day}"
                )
    return out


def _why_no_long_run(ctx: CheckContext, week: Week) -> str:
    info = ctx.timeline.weeks[week]
    if info.phase in NO_LONG_RUN_PHASES:
        return f"it is your {info.phase} week"
    if info.is_break:
        return "you have no time to train that week"
    floor = long_run_floor(ctx, week)
    if any(slot.capacity >= floor for slot in ctx.timeline.slots_in_week(week)):
        return (
            f"every slot that holds {floor} min is on or beside a race day, and a long run "
            "there would make two key days in a row"
        )
    return f"no free slot that week holds {floor} min"


def _long_run_size(ctx: CheckContext, week: Week, long: Session) -> list[Violation]:
    """R1's floor and the 1.25 ratio to every other non-race run of the week.

    The floor is 30 min "or the R11/R13 cap, if lower": R11's cap is the one on the long
    run's day, so after a month of short runs the long run need only reach it.
    """
    floor = min(long_run_floor(ctx, week), _spike_cap(ctx, ctx.timeline.day_of(long.date)))
    found: list[Violation] = []
    if long.minutes < floor:
        found.append(
            violation(
                "R1",
                [long.date],
                f"The long run on {day_text(long.date)} lasts {long.minutes} min; it should "
                f"last at least {floor} min.",
            )
        )
    ratio_num, ratio_den = LONG_RUN_RATIO
    for other in ctx.facts.week_runs(week):
        if other is long or run_type(other) == "race":
            continue
        if ratio_den * long.minutes < ratio_num * other.minutes:
            found.append(
                violation(
                    "R1",
                    [long.date, other.date],
                    f"The {long.minutes}-min long run on {day_text(long.date)} is not at least "
                    f"1.25 x the {session_text(other)} on {day_text(other.date)}.",
                )
            )
    return found


def _spike_cap(ctx: CheckContext, day: int) -> int:
    """R11's cap on a run on `day`: 110 % of the longest run of the 30 days before (in the
    plan's first 30 days also the athlete's longest recent run), or 30 min to restart
    after 30 days without a run."""
    window = range(max(0, day - SPIKE_WINDOW_DAYS), day)
    earlier = [s.minutes for d in window for s in ctx.facts.runs_on(d)]
    if day < SPIKE_WINDOW_DAYS:
        earlier.append(ctx.request.athlete.longest_recent_run_minutes)
    longest = max(earlier, default=0)
    return SPIKE_TENTHS * longest // 10 if longest else RESTART_RUN_MINUTES


def check_r2(ctx: CheckContext) -> CheckOutcome:
    """R2 no back-to-back key days: "Two key runs are never on consecutive days."

    Key runs are tempo, intervals, hills, races and the long run; a day holds at most one.
    Races the athlete entered on one day or on consecutive days stand: they do not break
    R2 against each other, but no planned key run may join them (docs/rules.md).
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for d in range(tl.num_days):
        keys = [s for s in facts.runs_on(d) if is_key(s)]
        if len(keys) > 1 and _any_planned(keys):
            listed = " and ".join(session_text(s) for s in keys)
            out.violations.append(
                violation(
                    "R2",
                    [tl.date(d)],
                    f"{day_text(tl.date(d))} holds two key runs ({listed}); a day holds at "
                    "most one.",
                )
            )
        after = [s for s in facts.runs_on(d + 1) if is_key(s)] if d + 1 < tl.num_days else []
        if keys and after and _any_planned(keys + after):
            out.violations.append(
                violation(
                    "R2",
                    [tl.date(d), tl.date(d + 1)],
                    f"The {session_text(keys[0])} on {day_text(tl.date(d))} is followed by the "
                    f"{session_text(after[0])} the next day; key runs need a day between them.",
                )
            )
    return out


def _any_planned(runs: list[Session]) -> bool:
    """Whether any of these runs is the plan's own rather than a race the athlete entered."""
    return any(run_type(s) != "race" for s in runs)


def check_r3(ctx: CheckContext) -> CheckOutcome:
    """R3 quality cap: "Hard runs per week <= 2; <= 1 for beginners and in recovery weeks.
    Beginners get no intervals." Races count as hard runs; a week may always hold its races.
    """
    tl, facts = ctx.timeline, ctx.facts
    beginner = ctx.request.athlete.level == "beginner"
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        hard = [s for s in facts.week_runs(w) if is_hard(s)]
        recovery = is_recovery(ctx, w)
        cap = tl.hard_cap(w, recovery)
        if len(hard) > cap:
            why = " for a beginner" if beginner else " in a recovery week" if recovery else ""
            out.violations.append(
                violation(
                    "R3",
                    dates_of(hard),
                    f"In {week_text(tl, w)} there are {len(hard)} hard runs; at most {cap} "
                    f"are allowed{why}.",
                )
            )
        if beginner:
            for s in hard:
                if run_type(s) == "intervals":
                    out.violations.append(
                        violation(
                            "R3",
                            [s.date],
                            f"The {session_text(s)} on {day_text(s.date)} is not for a "
                            "beginner; use tempo or hills instead.",
                        )
                    )
    return out


def check_r4(ctx: CheckContext) -> CheckOutcome:
    """R4 after the long run: "The day after a long run (and after a race) holds no hard
    run and no strength; recovery run, cross-training, mobility or rest only."

    Read as: runs on that day are `recovery` runs, and it holds no strength session and no
    mini-circuit (neither is in the allowed list). A race the athlete entered for that day
    stands (docs/rules.md).
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for d in range(tl.num_days - 1):
        cause = [s for s in facts.runs_on(d) if run_type(s) in ("long", "race")]
        if not cause:
            continue
        for s in facts.day(d + 1):
            allowed = run_type(s) in ("recovery", "race") or (
                run_type(s) is None and not is_strength(s) and s.kind != "mini_circuit"
            )
            if not allowed:
                out.violations.append(
                    violation(
                        "R4",
                        [tl.date(d), s.date],
                        f"{day_text(s.date)} is the day after your {session_text(cause[0])}, so "
                        f"it holds only a recovery run or rest, but the plan has {a_session(s)}.",
                    )
                )
    return out


def check_r6(ctx: CheckContext) -> CheckOutcome:
    """R6 long-run share: "Long run <= 35 % of the week's run minutes with 5 or more runs,
    40 % with 4, 50 % with 3, 60 % with 2, and <= 180 min (ultra: 240)."

    Runs and minutes include races; a long run that is the week's only run has no share cap.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        runs = facts.week_runs(w)
        total = facts.total_run_minutes(w)
        share = long_run_share_percent(len(runs))
        for long in facts.long_runs(w):
            when = day_text(long.date)
            if long.minutes > tl.long_run_cap:
                out.violations.append(
                    violation(
                        "R6",
                        [long.date],
                        f"The long run on {when} lasts {long.minutes} min; the longest allowed "
                        f"is {tl.long_run_cap} min.",
                    )
                )
            if share is not None and 100 * long.minutes > share * total:
                out.violations.append(
                    violation(
                        "R6",
                        [long.date],
                        f"The {long.minutes}-min long run on {when} is more than {share} % of "
                        f"the {total} min you run in {week_text(tl, w)} over {len(runs)} runs.",
                    )
                )
    return out


def check_r10(ctx: CheckContext) -> CheckOutcome:
    """R10 run count: "Runs per week <= the athlete's max run days (hard) and >= their min
    (a wish)." Runs are run sessions, races included; a week may always hold the races
    entered for it, as in R3. Penalty: runs short of the wish.
    """
    tl, facts = ctx.timeline, ctx.facts
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        runs = facts.week_runs(w)
        most = max(ctx.request.athlete.run_days.max, len(tl.weeks[w].races))
        if len(runs) > most:
            out.violations.append(
                violation(
                    "R10",
                    dates_of(runs),
                    f"In {week_text(tl, w)} there are {len(runs)} runs; you asked for at most "
                    f"{most}.",
                )
            )
        wish = tl.run_days_wish(w)
        if len(runs) < wish:
            out.penalty += wish - len(runs)
            out.details.append(f"{week_text(tl, w)}: {len(runs)} runs, wished {wish}")
    return out


def check_r12(ctx: CheckContext) -> CheckOutcome:
    """R12 quality session size: "A hard run lasts 30-75 min including warm-up and
    cool-down; its quality part stays within Daniels' caps (threshold <= 10 %, intervals
    and hills <= 8 % of the week's run minutes), reported in the session."

    Races aside. The reported `quality_minutes` must be present, at most the run minus
    20 min of warm-up and cool-down, and within the cap of the week's training minutes.
    """
    tl, facts = ctx.timeline, ctx.facts
    low, high = HARD_RUN_MINUTES
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        training = facts.training_minutes(w)
        for s in facts.week_runs(w):
            kind = run_type(s)
            if kind not in QUALITY_CAP_PERCENT:
                continue
            what = f"The {session_text(s)} on {day_text(s.date)}"
            if not low <= s.minutes <= high:
                out.violations.append(
                    violation("R12", [s.date], f"{what} should last {low}-{high} min.")
                )
            cap = QUALITY_CAP_PERCENT[kind]
            quality = s.quality_minutes
            if quality is None:
                out.violations.append(
                    violation("R12", [s.date], f"{what} does not say how much of it is quality.")
                )
            elif quality < 0 or quality > s.minutes - WARM_UP_COOL_DOWN:
                out.violations.append(
                    violation(
                        "R12",
                        [s.date],
                        f"{what} has {quality} min of quality work; with {WARM_UP_COOL_DOWN} "
                        f"min of warm-up and cool-down it holds at most "
                        f"{max(0, s.minutes - WARM_UP_COOL_DOWN)}.",
                    )
                )
            elif 100 * quality > cap * training:
                out.violations.append(
                    violation(
                        "R12",
                        [s.date],
                        f"{what} has {quality} min of quality work, more than {cap} % of the "
                        f"{training} min you run in {week_text(tl, w)}.",
                    )
                )
    return out


def check_r13(ctx: CheckContext) -> CheckOutcome:
    """R13 running while returning from injury: "In return weeks: no hard runs, runs at easy
    effort only, and no run longer than longest_recent_run_minutes."
    """
    tl, facts = ctx.timeline, ctx.facts
    longest = ctx.request.athlete.longest_recent_run_minutes
    out = CheckOutcome()
    for w in range(tl.num_weeks):
        if tl.weeks[w].phase != "return":
            continue
        for s in facts.week_runs(w):
            what = f"The {session_text(s)} on {day_text(s.date)}"
            if is_hard(s) and run_type(s) != "race":
                out.violations.append(
                    violation(
                        "R13",
                        [s.date],
                        f"{what} is a hard run, but while you return from injury "
                        f"({week_text(tl, w)}) you run easy only.",
                    )
                )
            if s.minutes > longest:
                out.violations.append(
                    violation(
                        "R13",
                        [s.date],
                        f"{what} is longer than your recent longest run of {longest} min; "
                        "while you return from injury no run grows beyond it.",
                    )
                )
    return out


def check_r14(ctx: CheckContext) -> CheckOutcome:
    """R14 one run a day: "At most one run per day, unless the request sets
    preferences.allow_doubles (advanced athletes only)." Races count as runs; a day may
    always hold the races entered for it.
    """
    tl, facts = ctx.timeline, ctx.facts
    doubles = 2 if ctx.request.preferences.allow_doubles else 1
    out = CheckOutcome()
    for d in range(tl.num_days):
        runs = facts.runs_on(d)
        most = max(doubles, len(tl.race_days.get(d, [])))
        if len(runs) > most:
            out.violations.append(
                violation(
                    "R14",
                    [tl.date(d)],
                    f"{day_text(tl.date(d))} holds {len(runs)} runs; at most {most} a day.",
                )
            )
    return out
