"""Fills each strength session of an extracted plan with its block's exercises.

The session's exercises are its block's template (the selection variables' values), each
dosed by the week's phase or recovery row from the library, in training order: power
while fresh, then strength, accessories and core.
"""

from __future__ import annotations

from collections.abc import Callable

from solver.content_spec import WARM_UP_MINUTES, Block, dose
from solver.content_vars import ContentVars
from solver.exercises import PILLARS, ExerciseSpec, Pillar
from solver.rules.base import EncodeContext
from solver.rules.content import CONTENT_KEY
from solver.schemas import Exercise, Plan, Session
from solver.timeline import PRESCRIPTION

ValueOf = Callable[[object], int]

# Power first (plyometrics want fresh legs), then the big lifts, accessories, core.
TRAINING_ORDER: tuple[Pillar, ...] = ("power", "lower_body", "hip_ankle", "upper_posture", "core")


def fill_exercises(plan: Plan, ctx: EncodeContext, value: ValueOf) -> None:
    """Give every strength session of `plan` its exercises and prescription line.

    A model built without the content rules (a test's rule subset) leaves them empty.
    """
    content = ctx.shared.get(CONTENT_KEY)
    if not isinstance(content, ContentVars):
        return
    tl = content.timeline
    recovery_weeks = {w.index for w in plan.weeks if w.recovery}
    for session in plan.sessions:
        if session.kind != "strength":
            continue
        week = tl.week_of(tl.day_of(session.date))
        block = content.block_of[week]
        chosen = [spec for spec in content.pool(block) if value(content.sel(block, spec.id))]
        recovery = week in recovery_weeks
        session.exercises = exercises_for(chosen, block, recovery)
        session.prescription = _prescription(session, block, week, recovery)


def exercises_for(specs: list[ExerciseSpec], block: Block, recovery: bool) -> list[Exercise]:
    """The session's exercise list, dosed for the block's phase (or its recovery week)."""
    ordered = sorted(specs, key=lambda s: min(TRAINING_ORDER.index(p) for p in s.pillars))
    return [_exercise(spec, ordered, block, recovery) for spec in ordered]


def _exercise(
    spec: ExerciseSpec, session: list[ExerciseSpec], block: Block, recovery: bool
) -> Exercise:
    d = dose(spec, block.phase, recovery)
    return Exercise(
        id=spec.id,
        name=spec.name,
        pillar=_pillar_shown(spec, session),
        muscle_groups=list(spec.muscle_groups),
        unilateral=spec.unilateral,
        equipment=list(spec.equipment),
        sets=d.sets,
        reps=d.reps,
        hold_s=d.hold_s,
        tempo=d.tempo,
        rpe=d.rpe,
        minutes=d.minutes,
    )


def _pillar_shown(spec: ExerciseSpec, session: list[ExerciseSpec]) -> str:
    """An exercise covering two pillars is shown under the one fewer others cover."""
    if len(spec.pillars) == 1:
        return spec.pillars[0]

    def others(pillar: Pillar) -> tuple[int, int]:
        count = sum(1 for s in session if s is not spec and pillar in s.pillars)
        return count, PILLARS.index(pillar)

    return min(spec.pillars, key=others)


def _prescription(session: Session, block: Block, week: int, recovery: bool) -> str:
    key = "recovery" if recovery else block.phase
    exercise_minutes = sum(e.minutes or 0 for e in session.exercises or [])
    warm_up = max(WARM_UP_MINUTES[0], session.minutes - exercise_minutes)
    position = block.weeks.index(week) + 1
    return (
        f"{PRESCRIPTION[key]}. Block week {position} of {len(block.weeks)}; "
        f"{warm_up}-min warm-up, then {len(session.exercises or [])} exercises."
    )
