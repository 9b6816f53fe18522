"""Checks of strength session content: S6-S10, S12, P4 and the exercise side of S11.

They read the request, the plan and the exercise library (the specification's data), never
the model. A strength session whose `exercises` is null has no planned content (a
hand-written plan that only places sessions): content rules skip it, and the weekly sums
of S8, S12 and P4 skip any week holding one. The solver always lists exercises.
"""

from __future__ import annotations

from collections.abc import Iterable

from solver.checks.common import day_text, is_recovery, violation, week_text
from solver.checks.strength import check_s11 as check_s11_placement
from solver.content_spec import (
    ANTERIOR,
    FOCUS_POINTS,
    NO_POWER_PHASES,
    POSTERIOR,
    WARM_UP_MINUTES,
    Block,
    emphasised_groups,
    foci,
    group_set_bounds,
    known_exercise,
    load_points,
    p4_boundary_drop,
    required_pillars,
    return_foci,
    returning_injuries,
    rotation_ok,
    strength_blocks,
)
from solver.exercises import MUSCLE_GROUPS, ExerciseSpec, MuscleGroup
from solver.plan_facts import is_strength
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Exercise, Phase, Session, Violation
from solver.timeline import Week

Lifted = list[tuple[Exercise, ExerciseSpec]]


def _sessions(ctx: CheckContext) -> list[Session]:
    """Strength sessions inside the horizon that list their exercises."""
    tl = ctx.timeline
    return [
        s
        for s in ctx.plan.sessions
        if is_strength(s)
        and s.exercises is not None
        and tl.start <= s.date <= tl.end
        and tl.day_of(s.date) < tl.num_days
    ]


def _lifted(session: Session) -> Lifted:
    """The session's exercises found in the library (unknown ids are S6's business)."""
    found: Lifted = []
    for exercise in session.exercises or []:
        spec = known_exercise(exercise.id)
        if spec is not None:
            found.append((exercise, spec))
    return found


def _week(ctx: CheckContext, session: Session) -> Week:
    return ctx.timeline.week_of(ctx.timeline.day_of(session.date))


def _phase(ctx: CheckContext, session: Session) -> Phase:
    return ctx.timeline.weeks[_week(ctx, session)].phase


def _what(session: Session) -> str:
    return f"the strength session on {day_text(session.date)}"


def _names(specs: Iterable[ExerciseSpec]) -> str:
    return ", ".join(s.name for s in specs)


def _planned_weeks(ctx: CheckContext) -> dict[Week, list[Session]]:
    """Weeks whose strength sessions all list exercises, with those sessions; weeks with
    none or with a session of unplanned content are left out (S8, S12, P4)."""
    out: dict[Week, list[Session]] = {}
    for w in range(ctx.timeline.num_weeks):
        sessions = ctx.facts.strength_sessions(w)
        if sessions and all(s.exercises is not None for s in sessions):
            out[w] = sessions
    return out


def _weekly_sets(sessions: Iterable[Session], group: MuscleGroup) -> int:
    return sum(ex.sets for s in sessions for ex, spec in _lifted(s) if group in spec.muscle_groups)


def check_s6(ctx: CheckContext) -> CheckOutcome:
    """S6 five pillars: "Each full-body session includes at least one exercise from each
    pillar: core, lower_body, hip_ankle, upper_posture, power. power is dropped in
    return-from-injury and taper phases."

    Every listed exercise must be in the library and prescribed in the week's phase (in a
    recovery week: have a recovery dose).
    """
    out = CheckOutcome()
    for session in _sessions(ctx):
        phase = _phase(ctx, session)
        recovery = is_recovery(ctx, _week(ctx, session))
        problems: list[str] = []
        unknown = [e.id for e in session.exercises or [] if known_exercise(e.id) is None]
        if unknown:
            problems.append(f"lists exercises the library does not know: {', '.join(unknown)}")
        specs = [spec for _, spec in _lifted(session)]
        covered = {p for spec in specs for p in spec.pillars}
        missing = [p for p in required_pillars(phase) if p not in covered]
        if missing:
            problems.append(f"has no {' or '.join(missing)} exercise")
        if phase in NO_POWER_PHASES and "power" in covered:
            power = [s for s in specs if s.is_power]
            problems.append(f"has power work ({_names(power)}), dropped in {phase} weeks")
        key = "recovery" if recovery else phase
        unused = [s for s in specs if s.prescription[key] is None]
        if unused:
            problems.append(f"has exercises never prescribed in {key} weeks: {_names(unused)}")
        for problem in problems:
            out.violations.append(
                violation("S6", [session.date], f"{_what(session).capitalize()} {problem}.")
            )
    return out


def check_s7(ctx: CheckContext) -> CheckOutcome:
    """S7 unilateral: "Each session includes at least one unilateral lower-body exercise." """
    out = CheckOutcome()
    for session in _sessions(ctx):
        if not any(spec.meets_s7 for _, spec in _lifted(session)):
            out.violations.append(
                violation(
                    "S7",
                    [session.date],
                    f"{_what(session).capitalize()} has no single-leg lower-body exercise "
                    "(split squat, step-up, single-leg RDL or bridge, ...).",
                )
            )
    return out


def check_s8(ctx: CheckContext) -> CheckOutcome:
    """S8 muscle-group volume: "Weekly working sets per muscle group (glutes, hamstrings,
    quads, calves, hip abductors, core, upper back) within the phase's [min, max].
    Posterior-chain sets >= anterior (quads) sets."

    Weeks without strength are S1's concern. A group S12 emphasises may go 50 % above the
    ceiling (docs/strength.md).
    """
    tl = ctx.timeline
    out = CheckOutcome()
    for w, sessions in _planned_weeks(ctx).items():
        phase = tl.weeks[w].phase
        recovery = is_recovery(ctx, w)
        dates = [s.date for s in sessions]
        for group in MUSCLE_GROUPS:
            lo, hi = group_set_bounds(ctx.request, phase, recovery, group)
            sets = _weekly_sets(sessions, group)
            if not lo <= sets <= hi:
                out.violations.append(
                    violation(
                        "S8",
                        dates,
                        f"In {week_text(tl, w)} the strength sessions give "
                        f"{group.replace('_', ' ')} {sets} working sets; this week wants "
                        f"{lo}-{hi}.",
                    )
                )
        posterior = sum(_weekly_sets(sessions, g) for g in POSTERIOR)
        anterior = sum(_weekly_sets(sessions, g) for g in ANTERIOR)
        if posterior < anterior:
            out.violations.append(
                violation(
                    "S8",
                    dates,
                    f"In {week_text(tl, w)} the posterior chain gets {posterior} sets and "
                    f"the quads {anterior}; runners need at least as much posterior work.",
                )
            )
    return out


def check_s9(ctx: CheckContext) -> CheckOutcome:
    """S9 equipment: "An exercise is scheduled only in a slot whose location has its
    equipment." Bodyweight is always at hand.
    """
    tl = ctx.timeline
    out = CheckOutcome()
    for session in _sessions(ctx):
        slot = tl.slots.get((tl.day_of(session.date), session.slot))
        if slot is not None:
            kit: Iterable[str] = slot.equipment
            where = slot.location
        elif session.location in ctx.request.locations:
            kit, where = ctx.request.locations[session.location], session.location
        else:
            continue  # no slot and no known location: T2 reports it
        missing = [spec for _, spec in _lifted(session) if not spec.usable_with(kit)]
        if missing:
            needs = sorted({eq for s in missing for eq in s.equipment} - set(kit))
            out.violations.append(
                violation(
                    "S9",
                    [session.date],
                    f"{_what(session).capitalize()} is at {where}, which has no "
                    f"{', '.join(needs)}, for {_names(missing)}.",
                )
            )
    return out


def _block_lists(ctx: CheckContext) -> list[tuple[Block, list[Session]]]:
    blocks = strength_blocks(ctx.timeline)
    by_week = {b.index: b for b in blocks}
    sessions: dict[int, list[Session]] = {b.index: [] for b in blocks}
    week_block = {w: b.index for b in blocks for w in b.weeks}
    for session in _sessions(ctx):
        sessions[week_block[_week(ctx, session)]].append(session)
    return [(by_week[i], sessions[i]) for i in sorted(sessions)]


def check_s10(ctx: CheckContext) -> CheckOutcome:
    """S10 rotation: "Exercise selection is fixed within a block of [4] weeks so load can
    progress, and at least [50 %] of a session's exercises change from one block to the
    next." Blocks restart at phase changes; a block without sessions is skipped.
    """
    out = CheckOutcome()
    previous: tuple[Block, set[str]] | None = None
    for block, sessions in _block_lists(ctx):
        if not sessions:
            previous = None
            continue
        lists = [{e.id for e in s.exercises or []} for s in sessions]
        template = lists[0]
        differing = [s for s, ids in zip(sessions, lists, strict=True) if ids != template]
        if differing:
            out.violations.append(
                violation(
                    "S10",
                    [sessions[0].date, *(s.date for s in differing)],
                    f"In {block.label()} the sessions on "
                    f"{', '.join(day_text(s.date) for s in differing)} change the exercises of "
                    f"{day_text(sessions[0].date)}; a block keeps one selection so load can "
                    "progress.",
                )
            )
        if previous is not None and not rotation_ok(previous[1], template):
            kept = len(template & previous[1])
            out.violations.append(
                violation(
                    "S10",
                    [sessions[0].date],
                    f"{block.label().capitalize()} keeps {kept} of its {len(template)} "
                    f"exercises from {previous[0].label()}; at least half should be new.",
                )
            )
        previous = (block, template)
    return out


def _exercise_minutes_violations(ctx: CheckContext) -> list[Violation]:
    low, high = WARM_UP_MINUTES
    found: list[Violation] = []
    for session in _sessions(ctx):
        exercise_minutes = sum(e.minutes or 0 for e in session.exercises or [])
        warm_up = session.minutes - exercise_minutes
        if not low <= warm_up <= high:
            found.append(
                violation(
                    "S11",
                    [session.date],
                    f"{_what(session).capitalize()} lasts {session.minutes} min and its "
                    f"exercises {exercise_minutes} min, leaving {warm_up} min; the warm-up "
                    f"takes {low}-{high} min.",
                )
            )
    return found


def check_s11(ctx: CheckContext) -> CheckOutcome:
    """S11 duration: "Session minutes (sum of exercise minutes + warm-up) within the phase's
    bounds and within the slot." The placement part lives in solver/checks/strength.py;
    this adds the content part: minutes = exercise minutes + a 5-10 min warm-up.
    """
    out = check_s11_placement(ctx)
    out.violations.extend(_exercise_minutes_violations(ctx))
    return out


def check_s12(ctx: CheckContext) -> CheckOutcome:
    """S12 emphasis: "Extra sets for the athlete's profile" (injuries, age 50+, female,
    trail or mixed terrain). Soft: per week with strength, 1 point per set an emphasised
    group falls short of its raised ceiling, and 3 points when a session lacks an emphasis
    exercise. Hard in `return` weeks: no exercise contraindicated for a returning injury,
    and for Achilles tendinopathy an eccentric calf raise in every session.
    """
    out = CheckOutcome()
    _return_violations(ctx, out)
    tl = ctx.timeline
    for w, sessions in _planned_weeks(ctx).items():
        phase = tl.weeks[w].phase
        recovery = is_recovery(ctx, w)
        for group in emphasised_groups(ctx.request):
            target = group_set_bounds(ctx.request, phase, recovery, group)[1]
            short = max(0, target - _weekly_sets(sessions, group))
            if short:
                out.penalty += short
                out.details.append(f"{week_text(tl, w)}: {group} {short} sets short")
        for focus in foci(ctx.request, phase):
            if any(not any(focus.serves(spec) for _, spec in _lifted(s)) for s in sessions):
                out.penalty += FOCUS_POINTS
                out.details.append(f"{week_text(tl, w)}: a session without {focus.name}")
    return out


def _return_violations(ctx: CheckContext, out: CheckOutcome) -> None:
    returning = set(returning_injuries(ctx.request))
    for session in _sessions(ctx):
        phase = _phase(ctx, session)
        if phase != "return":
            continue
        specs = [spec for _, spec in _lifted(session)]
        barred = [s for s in specs if returning & set(s.contraindicated)]
        if barred:
            out.violations.append(
                violation(
                    "S12",
                    [session.date],
                    f"{_what(session).capitalize()} has {_names(barred)}, contraindicated "
                    "while the injury comes back.",
                )
            )
        for focus in return_foci(ctx.request, phase):
            if not any(focus.serves(s) for s in specs):
                out.violations.append(
                    violation(
                        "S12",
                        [session.date],
                        f"{_what(session).capitalize()} has no {focus.name}; every return "
                        "session needs one.",
                    )
                )


def _weekly_load(sessions: Iterable[Session]) -> int:
    return sum(load_points(e.sets, e.rpe or 0) for s in sessions for e in s.exercises or [])


def check_p4(ctx: CheckContext) -> CheckOutcome:
    """P4 phase progression: "Strength load (RPE x sets) rises within a block and drops at
    block and phase changes." Points: the load lost from one week to the next inside a
    block, or gained into a new block after a loading block; compared are consecutive
    weeks that both hold strength and neither is a recovery week.
    """
    tl = ctx.timeline
    out = CheckOutcome()
    planned = _planned_weeks(ctx)
    blocks = strength_blocks(tl)
    block_of = {w: b for b in blocks for w in b.weeks}
    for w in range(1, tl.num_weeks):
        if w - 1 not in planned or w not in planned:
            continue
        if is_recovery(ctx, w - 1) or is_recovery(ctx, w):
            continue
        before, now = block_of[w - 1], block_of[w]
        change = _weekly_load(planned[w]) - _weekly_load(planned[w - 1])
        if before.index == now.index and change < 0:
            out.penalty += -change
            out.details.append(f"{week_text(tl, w)}: strength load fell by {-change}")
        elif before.index != now.index and p4_boundary_drop(before.phase) and change > 0:
            out.penalty += change
            out.details.append(f"{week_text(tl, w)}: strength load rose by {change} into a block")
    return out
