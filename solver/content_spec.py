"""What strength session content must satisfy, as pure functions of the request.

Blocks (S10), exercise pools per phase (§4, S6, S12's return-phase exclusions), weekly
set bounds per muscle group (S8), emphasis (S12), warm-up (S11) and strength load (P4).
The CP-SAT encoding (`solver/rules/content.py`) and the independent checks
(`solver/checks/content.py`) both read these, so they cannot disagree about the calendar;
nothing here imports ortools. docs/strength.md explains the choices.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from solver.exercises import (
    PILLARS,
    Emphasis,
    ExerciseSpec,
    MuscleGroup,
    PhasePrescription,
    Pillar,
    load_library,
)
from solver.schemas import InjuryKind, Phase, PlanRequest
from solver.timeline import LOADING_PHASES, STRENGTH_MINUTES, Timeline, Week

# S11: a session is its exercises plus a warm-up (and cool-down) of 5-10 min. The range
# lets a session round up to the planner's 5-minute grid whatever its exercises add up to.
WARM_UP_MINUTES: tuple[int, int] = (5, 10)

# S10: blocks last `preferences.block_weeks` [4] weeks; never longer than this.
MAX_BLOCK_WEEKS = 6
# S10: at least half of a block's exercises are new against the block before it.
ROTATION_NEW_PERCENT = 50

# S8 (§4 table): weekly working sets per muscle group, by phase and for recovery weeks.
GROUP_SETS: dict[str, tuple[int, int]] = {
    "return": (2, 6),
    "base": (6, 12),
    "build": (4, 9),
    "peak": (2, 6),
    "taper": (1, 4),
    "race": (0, 2),
    "transition": (0, 4),
    "recovery": (2, 6),
}
POSTERIOR: tuple[MuscleGroup, ...] = ("glutes", "hamstrings")
ANTERIOR: tuple[MuscleGroup, ...] = ("quads",)

# S6: power is dropped while returning from injury and in the taper.
NO_POWER_PHASES: frozenset[str] = frozenset({"return", "taper"})

# S12: a group the athlete's profile emphasises may take this much more than the §4
# ceiling ("extra sets"), and S12 asks for sets up to that raised ceiling.
EMPHASIS_EXTRA_PERCENT = 50
# S12: penalty points for a week whose sessions lack an emphasis exercise (about the
# sets one exercise adds in a week), against 1 point per missing emphasis set.
FOCUS_POINTS = 3
OLDER_FROM_AGE = 50  # the age S2 already treats as slower to recover

# Strength groups each profile asks extra sets for (RULES.md S12).
EMPHASIS_GROUPS: dict[Emphasis, tuple[MuscleGroup, ...]] = {
    "runners_knee": ("hip_abductors", "glutes"),
    "it_band_syndrome": ("hip_abductors",),
    "plantar_fasciitis": ("calves",),
    "shin_splints": ("calves",),
    "achilles_tendinopathy": ("calves",),
    "hamstring_strain": ("hamstrings",),
    "older": (),
    "female": ("hip_abductors",),
    "trail": ("calves",),
}


@dataclass(frozen=True)
class Focus:
    """A kind of exercise a profile wants in every session (S12), e.g. an eccentric calf
    raise for Achilles tendinopathy."""

    name: str
    emphasis: Emphasis
    serves: Callable[[ExerciseSpec], bool]


def _has_tag(*tags: str) -> Callable[[ExerciseSpec], bool]:
    return lambda spec: any(t in spec.tags for t in tags)


def _eccentric(group: MuscleGroup) -> Callable[[ExerciseSpec], bool]:
    return lambda spec: group in spec.muscle_groups and spec.mode == "eccentric"


FOCI: tuple[Focus, ...] = (
    Focus("eccentric calf raise", "achilles_tendinopathy", _eccentric("calves")),
    Focus("foot strength", "plantar_fasciitis", _has_tag("foot")),
    Focus("tibialis work", "shin_splints", _has_tag("tibialis")),
    Focus("eccentric hamstring work", "hamstring_strain", _eccentric("hamstrings")),
    Focus(
        "glute medius or lateral-chain work",
        "it_band_syndrome",
        _has_tag("glute_medius", "lateral_chain"),
    ),
    Focus("balance work", "older", _has_tag("balance")),
    Focus("bone-loading work", "older", _has_tag("bone_loading")),
    Focus("hip and knee stability", "female", lambda spec: "female" in spec.suits),
    Focus(
        "single-leg hops or lateral bounds",
        "trail",
        lambda spec: spec.is_power and "trail" in spec.suits,
    ),
    Focus("anti-rotation core", "trail", _has_tag("anti_rotation")),
)
# S12, hard part: while returning, an Achilles tendon gets eccentric calf work every session.
RETURN_FOCUS: dict[InjuryKind, str] = {"achilles_tendinopathy": "eccentric calf raise"}


@dataclass(frozen=True)
class Block:
    """Consecutive weeks of one phase that share one exercise selection (S10)."""

    index: int
    phase: Phase
    weeks: tuple[Week, ...]

    @property
    def first(self) -> Week:
        return self.weeks[0]

    def label(self) -> str:
        first, last = self.weeks[0] + 1, self.weeks[-1] + 1
        span = f"week {first}" if first == last else f"weeks {first}-{last}"
        return f"the {self.phase} block of {span}"


def _split(length: int, block_weeks: int) -> list[int]:
    """Block lengths for a run of `length` weeks of one phase: about `block_weeks` each,
    never more than MAX_BLOCK_WEEKS, earlier blocks the longer ones."""
    count = max(1, length // block_weeks, math.ceil(length / MAX_BLOCK_WEEKS))
    size, extra = divmod(length, count)
    return [size + (1 if i < extra else 0) for i in range(count)]


def strength_blocks(tl: Timeline) -> list[Block]:
    """S10's blocks: each run of same-phase weeks cut into blocks of ~`block_weeks`.

    Blocks restart at every phase change. They are cut on the whole horizon, so a
    calendar cut short (the warm start's windows) sees the same blocks, truncated.
    """
    full = tl if tl.cutoff_weeks is None else Timeline(tl.request)
    phases = [w.phase for w in full.weeks]
    block_weeks = tl.request.preferences.block_weeks
    blocks: list[Block] = []
    start = 0
    while start < len(phases):
        end = start
        while end < len(phases) and phases[end] == phases[start]:
            end += 1
        first = start
        for size in _split(end - start, block_weeks):
            weeks = tuple(w for w in range(first, first + size) if w < tl.num_weeks)
            if weeks:
                blocks.append(Block(len(blocks), phases[start], weeks))
            first += size
        start = end
    return blocks


def block_of_week(blocks: Iterable[Block]) -> dict[Week, Block]:
    return {w: block for block in blocks for w in block.weeks}


def returning_injuries(request: PlanRequest) -> tuple[InjuryKind, ...]:
    return tuple(i.kind for i in request.athlete.injuries if i.status == "returning")


@cache
def _pool(phase: Phase, returning: tuple[InjuryKind, ...]) -> tuple[ExerciseSpec, ...]:
    library = load_library()
    chosen = library.for_phase(phase, returning=returning)
    if phase in LOADING_PHASES:
        # A recovery week inside the block keeps the same exercises (P1).
        chosen = [e for e in chosen if e.prescription["recovery"] is not None]
    return tuple(chosen)


def pool(request: PlanRequest, phase: Phase) -> tuple[ExerciseSpec, ...]:
    """Exercises a `phase` session may hold: prescribed in the phase and, in `return`,
    not contraindicated for an injury coming back (§4, S12)."""
    return _pool(phase, tuple(sorted(returning_injuries(request))))


def dose(spec: ExerciseSpec, phase: Phase, recovery: bool) -> PhasePrescription:
    """The library's dose for `phase`, or its recovery-week dose (P1: sets cut ~40 %)."""
    found = spec.prescribe(phase, recovery_week=recovery)
    if found is None:
        raise ValueError(f"exercise {spec.id!r} has no {phase} dose")
    return found


def required_pillars(phase: Phase) -> tuple[Pillar, ...]:
    """S6: the five pillars, without `power` in `return` and `taper`."""
    return tuple(p for p in PILLARS if not (p == "power" and phase in NO_POWER_PHASES))


def set_bounds_key(phase: Phase, recovery: bool) -> str:
    return "recovery" if recovery else phase


def emphases(request: PlanRequest) -> tuple[Emphasis, ...]:
    """The profile S12 serves: injuries (healed or coming back), age, sex, terrain."""
    athlete = request.athlete
    found: list[Emphasis] = []
    for injury in athlete.injuries:
        if injury.kind not in found:
            found.append(injury.kind)
    if athlete.age is not None and athlete.age >= OLDER_FROM_AGE:
        found.append("older")
    if athlete.sex == "female":
        found.append("female")
    if athlete.terrain in ("trail", "mixed"):
        found.append("trail")
    return tuple(found)


def emphasised_groups(request: PlanRequest) -> tuple[MuscleGroup, ...]:
    groups: list[MuscleGroup] = []
    for emphasis in emphases(request):
        for group in EMPHASIS_GROUPS[emphasis]:
            if group not in groups:
                groups.append(group)
    return tuple(groups)


def group_set_bounds(
    request: PlanRequest, phase: Phase, recovery: bool, group: MuscleGroup
) -> tuple[int, int]:
    """S8: a week's [min, max] working sets for `group`; an emphasised group's ceiling is
    raised by EMPHASIS_EXTRA_PERCENT (S12's extra sets)."""
    lo, hi = GROUP_SETS[set_bounds_key(phase, recovery)]
    if group in emphasised_groups(request):
        hi += hi * EMPHASIS_EXTRA_PERCENT // 100
    return lo, hi


def foci(request: PlanRequest, phase: Phase) -> tuple[Focus, ...]:
    """S12's exercise foci for the athlete that some exercise of `phase` can serve."""
    wanted = emphases(request)
    candidates = pool(request, phase)
    return tuple(f for f in FOCI if f.emphasis in wanted and any(f.serves(e) for e in candidates))


def return_foci(request: PlanRequest, phase: Phase) -> tuple[Focus, ...]:
    """S12's hard part: foci every `return` session must hold."""
    if phase != "return":
        return ()
    kinds = {i.kind for i in request.athlete.injuries}
    names = {name for kind, name in RETURN_FOCUS.items() if kind in kinds}
    return tuple(f for f in FOCI if f.name in names)


def load_points(sets: int, rpe: float) -> int:
    """P4's strength load of one exercise in one session: sets x RPE (RPE rounded)."""
    return sets * round(rpe)


def p4_boundary_drop(earlier: Phase) -> bool:
    """P4: load should drop into a new block when the block before was a loading one.

    Leaving `return` or `transition` the load rises by design: the athlete is building
    back up, not starting a new block of the same training.
    """
    return earlier in LOADING_PHASES


def rotation_ok(previous: set[str], current: set[str]) -> bool:
    """S10: at least half of `current` is new against `previous`."""
    new = len(current - previous)
    return 100 * new >= ROTATION_NEW_PERCENT * len(current)


def known_exercise(exercise_id: str) -> ExerciseSpec | None:
    library = load_library()
    return library.get(exercise_id) if exercise_id in library else None


@cache
def _max_session_load(phase: Phase, recovery: bool, returning: tuple[InjuryKind, ...]) -> int:
    """The most strength load one session of `phase` can carry within its minutes: a
    knapsack over the pool (exercise minutes against the longest session)."""
    key = "recovery" if recovery else phase
    room = STRENGTH_MINUTES[key][1] - WARM_UP_MINUTES[0]
    best = [0] * (room + 1)
    for spec in _pool(phase, returning):
        d = dose(spec, phase, recovery)
        gain = load_points(d.sets, d.rpe)
        for left in range(room, d.minutes - 1, -1):
            best[left] = max(best[left], best[left - d.minutes] + gain)
    return best[room]


def soft_week_ceilings(tl: Timeline, week: Week) -> dict[str, int]:
    """The largest unweighted S12 and P4 penalty one week can carry, for sizing the wish
    weight (solver/weights.py) so that a missing session still outweighs them."""
    info = tl.weeks[week]
    request = tl.request
    variants = [False, True] if info.can_recover else [False]
    sessions = max(tl.strength_bounds(week, rec)[1] for rec in variants)
    s12 = sum(
        max(group_set_bounds(request, info.phase, rec, g)[1] for rec in variants)
        for g in emphasised_groups(request)
    )
    s12 += FOCUS_POINTS * len(foci(request, info.phase))
    returning = tuple(sorted(returning_injuries(request)))
    p4 = sessions * max(_max_session_load(info.phase, rec, returning) for rec in variants)
    return {"S12": s12, "P4": p4}
