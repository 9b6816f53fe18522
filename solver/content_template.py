"""What a block's template must satisfy on its own, and for which session counts.

S8 bounds a week's sets, sessions x template sets, so a template that suits two sessions
a week may not suit three. If templates were checked only against the weeks' actual
counts, adding one session would often need a new template, and with it new minutes for
every session of the block: a move too large for CP-SAT's neighbourhood search, which
then stalls on plans with missing sessions. So each template is made ready, whether or
not the block holds sessions yet, for every count of its loading weeks from the wish to
the cap (`wanted_counts`); other counts (a week short of its wish) and recovery weeks are
still allowed and checked week by week. Readiness is only required where the exercise
library can meet it with the block's kit and slots (`readiness`), which a tiny CP-SAT
solve per distinct case decides once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from solver.content_spec import (
    ANTERIOR,
    POSTERIOR,
    ROTATION_NEW_PERCENT,
    WARM_UP_MINUTES,
    Block,
    emphasised_groups,
    group_set_bounds,
    pool,
    required_pillars,
    return_foci,
    returning_injuries,
)
from solver.content_vars import Template
from solver.exercises import MUSCLE_GROUPS
from solver.schemas import Phase, PlanRequest
from solver.timeline import STRENGTH_MINUTES, Timeline

Add = Callable[[str, object], object]  # (rule ID, constraint) -> the added constraint
# Small solves, bounded in deterministic time so the same request always builds the same
# model (DESIGN.md: determinism); the wall-clock cap only guards a very loaded machine.
PRECHECK_DETERMINISTIC_S = 2.0
PRECHECK_WALL_S = 30.0


@dataclass(frozen=True)
class Readiness:
    """What a block's template is required to satisfy whether or not it is used.

    `basic`: S6, S7, S8's posterior rule, S11's minute window and S12's return focus hold
    unconditionally. `counts`: the loading weeks' session counts (fewest, most) the
    template's sets suit; recovery weeks, being few, are checked week by week.
    """

    basic: bool
    counts: tuple[int, int] | None


def require_pillars(t: Template, add: Add) -> None:
    """S6: one exercise per required pillar."""
    for pillar in required_pillars(t.block.phase):
        add("S6", t.chosen(lambda e, p=pillar: p in e.pillars) >= 1)  # type: ignore[misc]


def require_single_leg(t: Template, add: Add) -> None:
    """S7: a unilateral lower-body exercise."""
    add("S7", t.chosen(lambda e: e.meets_s7) >= 1)


def require_posterior(t: Template, recovery: bool, add: Add) -> None:
    """S8: posterior-chain sets at least the quads' sets (per session, so per week)."""
    posterior = sum((t.sets(g, recovery) for g in POSTERIOR), start=0)
    anterior = sum((t.sets(g, recovery) for g in ANTERIOR), start=0)
    add("S8", posterior >= anterior)


def require_group_sets(
    t: Template, request: PlanRequest, recovery: bool, fewest: int, most: int, add: Add
) -> None:
    """S8: per-session sets that keep every count in fewest..most within the week's range."""
    for group in MUSCLE_GROUPS:
        lo, hi = group_set_bounds(request, t.block.phase, recovery, group)
        per_session = t.sets(group, recovery)
        if lo > 0:
            add("S8", per_session >= -(-lo // fewest))
        add("S8", per_session <= hi // most)


def require_minute_window(t: Template, recovery: bool, add: Add) -> None:
    """S11: the exercises plus a warm-up fit the phase's session length."""
    lo, hi = STRENGTH_MINUTES["recovery" if recovery else t.block.phase]
    low, high = WARM_UP_MINUTES
    add("S11", t.minutes(recovery) + low <= hi)
    add("S11", t.minutes(recovery) + high >= lo)


def require_return_focus(t: Template, request: PlanRequest, add: Add) -> None:
    """S12: while returning, every session holds the injury's must-have exercise."""
    for focus in return_foci(request, t.block.phase):
        add("S12", t.chosen(focus.serves) >= 1)


def require_basic(t: Template, request: PlanRequest, variants: list[bool], add: Add) -> None:
    require_pillars(t, add)
    require_single_leg(t, add)
    require_return_focus(t, request, add)
    for recovery in variants:
        require_posterior(t, recovery, add)
        require_minute_window(t, recovery, add)


def wanted_counts(
    tl: Timeline, block: Block, recovery: bool, slots_per_week: int
) -> tuple[int, int] | None:
    """Session counts a block's weeks wish for up to their cap (S1), or None."""
    lows, highs = [], []
    for w in block.weeks:
        if tl.weeks[w].is_break:
            continue
        lo, hi = tl.strength_bounds(w, recovery)
        lows.append(lo)
        highs.append(hi)
    if not highs:
        return None
    most = min(max(highs), slots_per_week)
    fewest = max(1, min(lows))
    return (fewest, most) if fewest <= most else None


def readiness(
    request: PlanRequest,
    block: Block,
    variants: list[bool],
    counts: tuple[int, int] | None,
    kit: frozenset[str] | None,
    room: int | None,
) -> Readiness:
    """The most the library lets a template of this block be ready for (see module).

    It must be possible with the exercises every location of the block's strength slots
    has (`kit`) and within its longest slot (`room`), so readiness never stands in the
    way of a session that S9 and S11 would allow.
    """
    if room is not None:
        # Beyond the phase's longest session a bigger slot changes nothing (S11).
        longest = max(STRENGTH_MINUTES["recovery" if r else block.phase][1] for r in variants)
        room = min(room, longest)
    case = Case(block.phase, tuple(variants), kit, room)
    while True:
        if _feasible(request, case, True, counts):
            return Readiness(True, counts)
        if counts is None:
            break
        # Give up the largest count first: a week wishing fewer sessions is the common one.
        fewest, most = counts
        counts = (fewest, most - 1) if most > fewest else None
    return Readiness(False, None)


@dataclass(frozen=True)
class Case:
    """What a template precheck depends on besides the athlete."""

    phase: Phase
    variants: tuple[bool, ...]
    kit: frozenset[str] | None
    room: int | None


_FEASIBLE: dict[tuple[object, ...], bool] = {}
_FEASIBLE_MAX = 4096  # a long-running server sees many calendars: keep the cache bounded


def _feasible(
    request: PlanRequest, case: Case, basic: bool, counts: tuple[int, int] | None
) -> bool:
    """Whether some template meets these requirements, from a tiny CP-SAT solve cached on
    what the answer depends on (pool, ceilings, return focus, kit, room)."""
    athlete = (
        returning_injuries(request),
        emphasised_groups(request),
        tuple(sorted({i.kind for i in request.athlete.injuries})),
    )
    key = (athlete, case, basic, counts)
    if key not in _FEASIBLE:
        if len(_FEASIBLE) >= _FEASIBLE_MAX:
            _FEASIBLE.clear()
        _FEASIBLE[key] = _solve_template(request, case, basic, counts)
    return _FEASIBLE[key]


def _solve_template(
    request: PlanRequest, case: Case, basic: bool, counts: tuple[int, int] | None
) -> bool:
    from ortools.sat.python import cp_model  # the validator imports this module: load late

    model = cp_model.CpModel()
    exercises = pool(request, case.phase)
    if case.kit is not None:
        exercises = tuple(e for e in exercises if e.usable_with(case.kit))
    t = Template.create(model, Block(0, case.phase, (0,)), exercises)

    def add(_rule: str, constraint: object) -> object:
        return model.add(constraint)  # type: ignore[arg-type]

    if basic:
        require_basic(t, request, list(case.variants), add)
    if counts is not None:
        require_group_sets(t, request, False, *counts, add)
    if case.room is not None:
        for recovery in case.variants:
            add("S11", t.minutes(recovery) + WARM_UP_MINUTES[0] <= case.room)
    status = _small_solver().solve(model)
    return bool(status in (cp_model.OPTIMAL, cp_model.FEASIBLE))


def _small_solver() -> Any:
    from solver.stopping import new_solver  # here: the validator imports this module

    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = PRECHECK_DETERMINISTIC_S
    solver.parameters.max_time_in_seconds = PRECHECK_WALL_S
    return solver


def hint_template(
    request: PlanRequest,
    block: Block,
    variants: list[bool],
    ready: Readiness,
    kit: frozenset[str] | None,
    avoid: frozenset[str],
) -> frozenset[str] | None:
    """A template for the block to start the search from: ready as required, doable with
    `kit`, rotating against `avoid` (the block before's hint, S10), as short as possible.

    Hinting every block's selection this way is what lets CP-SAT find a first plan at
    all with one worker (the deterministic mode): the default search otherwise wanders
    among selections no session count suits. None when no such template is found.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    exercises = pool(request, block.phase)
    if kit is not None:
        exercises = tuple(e for e in exercises if e.usable_with(kit))
    t = Template.create(model, block, exercises)

    def add(_rule: str, constraint: object) -> object:
        return model.add(constraint)  # type: ignore[arg-type]

    if ready.basic:
        require_basic(t, request, variants, add)
    if ready.counts is not None:
        require_group_sets(t, request, False, *ready.counts, add)
    kept = t.chosen(lambda e: e.id in avoid)
    model.add(100 * kept <= (100 - ROTATION_NEW_PERCENT) * t.chosen(lambda e: True))
    model.minimize(sum(t.minutes(r) for r in variants))
    solver = _small_solver()
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return frozenset(e for e, x in t.sel.items() if solver.value(x))
