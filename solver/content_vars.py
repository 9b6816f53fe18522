"""Exercise-selection variables: one template per strength block, not per session.

Every strength session of a block performs the block's template (S10), dosed by the
week's phase or recovery row (§4, P1), so the variable count grows with the number of
blocks, not with the number of sessions (../shared/MODELLING.md). Weekly quantities
(sets per group for S12, strength load for P4) are the template's per-session amount
times the week's session count, linearised with one boolean per possible count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from solver.content_spec import (
    Block,
    block_of_week,
    dose,
    load_points,
    pool,
    strength_blocks,
)
from solver.exercises import ExerciseSpec, MuscleGroup
from solver.timeline import Timeline, Week

if TYPE_CHECKING:
    # Only for annotations: the validator imports the rule registry, which imports this
    # module, and must not load the solver.
    from ortools.sat.python import cp_model

    from solver.vars import Expr, PlanVars, SlotKey

Literal = Any  # a CP-SAT boolean variable or its negation


@dataclass
class Template:
    """One block's exercise selection and the per-session sums rules read off it."""

    model: cp_model.CpModel
    block: Block
    pool: tuple[ExerciseSpec, ...]
    sel: dict[str, cp_model.IntVar] = field(default_factory=dict)
    _sums: dict[tuple[str, bool], tuple[cp_model.IntVar, int]] = field(default_factory=dict)

    @classmethod
    def create(
        cls, model: cp_model.CpModel, block: Block, exercises: tuple[ExerciseSpec, ...]
    ) -> Template:
        t = cls(model=model, block=block, pool=exercises)
        for spec in exercises:
            t.sel[spec.id] = model.new_bool_var(f"sel_b{block.index}_{spec.id}")
        return t

    def chosen(self, wanted: Callable[[ExerciseSpec], bool]) -> Expr:
        """How many selected exercises satisfy `wanted`."""
        return sum((self.sel[e.id] for e in self.pool if wanted(e)), start=0)

    def _sum(
        self, name: str, recovery: bool, amount: Callable[[ExerciseSpec], int]
    ) -> cp_model.IntVar:
        """One variable for a per-session sum over the selection, built once."""
        key = (name, recovery)
        if key not in self._sums:
            terms = [(self.sel[e.id], amount(e)) for e in self.pool]
            terms = [(x, a) for x, a in terms if a]
            upper = sum(a for _, a in terms)
            label = f"{name}_b{self.block.index}_{'rec' if recovery else 'load'}"
            var = self.model.new_int_var(0, upper, label)
            self.model.add(var == sum((a * x for x, a in terms), start=0))
            self._sums[key] = (var, upper)
        return self._sums[key][0]

    def upper(self, name: str, recovery: bool) -> int:
        return self._sums[(name, recovery)][1]

    def sets(self, group: MuscleGroup, recovery: bool) -> cp_model.IntVar:
        """Working sets for `group` in one session (S8)."""
        phase = self.block.phase

        def sets(e: ExerciseSpec) -> int:
            return dose(e, phase, recovery).sets if group in e.muscle_groups else 0

        return self._sum(f"sets_{group}", recovery, sets)

    def minutes(self, recovery: bool) -> cp_model.IntVar:
        """Exercise minutes of one session, warm-up aside (S11)."""
        phase = self.block.phase
        return self._sum("exercise_minutes", recovery, lambda e: dose(e, phase, recovery).minutes)

    def load(self, recovery: bool) -> cp_model.IntVar:
        """Strength load (sets x RPE) of one session (P4)."""
        phase = self.block.phase

        def load(e: ExerciseSpec) -> int:
            d = dose(e, phase, recovery)
            return load_points(d.sets, d.rpe)

        return self._sum("load", recovery, load)


@dataclass(frozen=True)
class WeekOption:
    """One way a week can turn out: loading or recovery, with the literals that say so."""

    recovery: bool
    literals: tuple[Literal, ...]


@dataclass
class ContentVars:
    """Block templates, block and week flags, weekly session-count indicators."""

    model: cp_model.CpModel
    plan: PlanVars
    timeline: Timeline
    blocks: list[Block]
    block_of: dict[Week, Block]
    templates: dict[int, Template] = field(default_factory=dict)
    has_block: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # count_is[(w, k)] is 1 exactly when week w holds k strength sessions.
    count_is: dict[tuple[Week, int], cp_model.IntVar] = field(default_factory=dict)
    max_count: dict[Week, int] = field(default_factory=dict)
    _weekly: dict[tuple[str, Week], tuple[cp_model.IntVar, int]] = field(default_factory=dict)

    @classmethod
    def create(cls, model: cp_model.CpModel, plan: PlanVars) -> ContentVars:
        tl = plan.timeline
        blocks = strength_blocks(tl)
        cv = cls(model=model, plan=plan, timeline=tl, blocks=blocks, block_of=block_of_week(blocks))
        for block in blocks:
            cv.templates[block.index] = Template.create(model, block, cv.pool(block))
            has = model.new_bool_var(f"strength_in_block_{block.index}")
            # Only a lower bound: a block with sessions must count as having them; the
            # flag only switches rules on, so leaving it free otherwise is safe.
            for key in cv.strength_slots(block):
                model.add(plan.strength[key] <= has)
            cv.has_block[block.index] = has
        for info in tl.weeks:
            cv._add_count_indicators(info.index)
        return cv

    # --- calendar --------------------------------------------------------------------

    def pool(self, block: Block) -> tuple[ExerciseSpec, ...]:
        return pool(self.timeline.request, block.phase)

    def template(self, block: Block) -> Template:
        return self.templates[block.index]

    def sel(self, block: Block, exercise_id: str) -> cp_model.IntVar:
        return self.templates[block.index].sel[exercise_id]

    def strength_slots(self, block: Block) -> list[SlotKey]:
        keys = [k for w in block.weeks for k in self.plan.slot_keys_in_week(w)]
        return [k for k in keys if k in self.plan.strength]

    def week_options(self, week: Week) -> list[WeekOption]:
        """Loading and recovery for a week the solver may make a recovery week, else one."""
        rec = self.plan.recovery.get(week)
        if rec is None:
            return [WeekOption(False, ())]
        return [WeekOption(False, (~rec,)), WeekOption(True, (rec,))]

    def variants(self, block: Block) -> list[bool]:
        """Which doses the block's sessions can take: loading, and recovery if a week of
        the block may be a recovery week."""
        found = {o.recovery for w in block.weeks for o in self.week_options(w)}
        return sorted(found)

    def counts(self, week: Week) -> Iterator[tuple[int, cp_model.IntVar]]:
        """(k, literal) for every possible positive session count k of the week."""
        for k in range(1, self.max_count.get(week, 0) + 1):
            yield k, self.count_is[(week, k)]

    def has_week(self, week: Week) -> Expr:
        """1 when the week holds at least one strength session."""
        if self.max_count.get(week, 0) == 0:
            return 0
        return 1 - self.count_is[(week, 0)]

    def _add_count_indicators(self, week: Week) -> None:
        tl, plan = self.timeline, self.plan
        slots = sum(1 for k in plan.slot_keys_in_week(week) if k in plan.strength)
        caps = [tl.strength_bounds(week, o.recovery)[1] for o in self.week_options(week)]
        top = min(slots, max(caps))
        self.max_count[week] = top
        if top == 0:
            return
        flags = [self.model.new_bool_var(f"strength_count_w{week}_is{k}") for k in range(top + 1)]
        for k, flag in enumerate(flags):
            self.count_is[(week, k)] = flag
        self.model.add_exactly_one(flags)
        self.model.add(sum(k * f for k, f in enumerate(flags)) == plan.strength_count(week))

    # --- weeks -----------------------------------------------------------------------

    def _per_week(
        self,
        name: str,
        week: Week,
        per_session: Callable[[Template, bool], cp_model.IntVar],
        per_session_upper: Callable[[Template, bool], int],
    ) -> cp_model.IntVar | int:
        """sessions x per-session amount for the week, as one exactly defined variable."""
        key = (name, week)
        if key in self._weekly:
            return self._weekly[key][0]
        if self.max_count.get(week, 0) == 0:
            return 0
        template = self.template(self.block_of[week])
        options = self.week_options(week)
        amounts = {o.recovery: per_session(template, o.recovery) for o in options}
        top = self.max_count[week] * max(per_session_upper(template, r) for r in amounts)
        var = self.model.new_int_var(0, top, f"{name}_w{week}")
        self.model.add(var == 0).only_enforce_if(self.count_is[(week, 0)])
        for k, is_k in self.counts(week):
            for option in options:
                self.model.add(var == k * amounts[option.recovery]).only_enforce_if(
                    [is_k, *option.literals]
                )
        self._weekly[key] = (var, top)
        return var

    def weekly_upper(self, name: str, week: Week) -> int:
        found = self._weekly.get((name, week))
        return 0 if found is None else found[1]

    def weekly_sets(self, week: Week, group: MuscleGroup) -> cp_model.IntVar | int:
        """The week's working sets for `group` over all its strength sessions (S8, S12)."""
        name = f"sets_{group}"
        return self._per_week(
            f"weekly_{name}",
            week,
            lambda t, rec: t.sets(group, rec),
            lambda t, rec: t.upper(name, rec),
        )

    def weekly_load(self, week: Week) -> cp_model.IntVar | int:
        """The week's strength load, sets x RPE over all its sessions (P4)."""
        return self._per_week(
            "weekly_load", week, lambda t, rec: t.load(rec), lambda t, rec: t.upper("load", rec)
        )
