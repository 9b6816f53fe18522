"""Strength session content: S6-S10, S12, P4 and the exercise side of S11.

Every strength session performs its block's template (solver/content_vars.py), so most
rules are stated once per block: the template covers the pillars (S6), holds a unilateral
lower-body exercise (S7), fits the locations its sessions use (S9) and rotates against
the block before (S10). S8 bounds weekly sets, sessions x template sets; S11 ties each
session's minutes to its exercises. Templates are made ready for the session counts the
block wishes for (solver/content_template.py). docs/strength.md explains the design.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from solver.content_spec import (
    FOCUS_POINTS,
    ROTATION_NEW_PERCENT,
    WARM_UP_MINUTES,
    Block,
    emphasised_groups,
    foci,
    group_set_bounds,
    p4_boundary_drop,
)
from solver.content_template import (
    Add,
    Readiness,
    hint_template,
    readiness,
    require_group_sets,
    require_minute_window,
    require_pillars,
    require_posterior,
    require_return_focus,
    require_single_leg,
    wanted_counts,
)
from solver.content_vars import ContentVars
from solver.exercises import MUSCLE_GROUPS
from solver.rules.base import EncodeContext, PenaltyTerm

if TYPE_CHECKING:
    # The validator imports the registry, and so this module: it must not load ortools.
    from ortools.sat.python import cp_model

    from solver.vars import Expr, SlotKey

CONTENT_KEY = "content"
READY_KEY = "content_ready"


def content_vars(ctx: EncodeContext) -> ContentVars:
    """The selection variables, created (with S11's minutes link) by the first content
    rule that asks; later rules share them through `ctx.shared`."""
    found = ctx.shared.get(CONTENT_KEY)
    if isinstance(found, ContentVars):
        return found
    cv = ContentVars.create(ctx.model, ctx.vars)
    ctx.shared[CONTENT_KEY] = cv
    ready: dict[int, Readiness] = {}
    tl = ctx.timeline
    previous: frozenset[str] = frozenset()
    for block in cv.blocks:
        keys = cv.strength_slots(block)
        per_week = max(
            (sum(1 for k in keys if tl.week_of(k[0]) == w) for w in block.weeks), default=0
        )
        kits = [frozenset(tl.slots[k].equipment) for k in keys]
        kit = frozenset.intersection(*kits) if kits else None
        room = max((tl.slots[k].capacity for k in keys), default=None)
        counts = wanted_counts(tl, block, False, per_week)
        variants = cv.variants(block)
        ready[block.index] = readiness(ctx.request, block, variants, counts, kit, room)
        if not ctx.hint_templates:
            continue
        hinted = hint_template(ctx.request, block, variants, ready[block.index], kit, previous)
        if hinted is not None:
            for spec in cv.pool(block):
                ctx.model.add_hint(cv.sel(block, spec.id), int(spec.id in hinted))
            previous = hinted
    ctx.shared[READY_KEY] = ready
    _link_minutes(ctx, cv)
    return cv


def _ready(ctx: EncodeContext, block: Block) -> Readiness:
    found: dict[int, Readiness] = ctx.shared[READY_KEY]
    return found[block.index]


def _adder(ctx: EncodeContext, cv: ContentVars, block: Block) -> Add:
    """Adds a block's template requirement: always when the library lets every template
    meet it (see solver/content_template.py), else only when the block holds sessions."""
    basic = _ready(ctx, block).basic
    has = cv.has_block[block.index]

    def add(rule: str, constraint: object) -> object:
        added = ctx.hard(rule, block.first, constraint)
        if not basic:
            added.only_enforce_if(has)
        return added

    return add


def _always(ctx: EncodeContext, block: Block) -> Add:
    def add(rule: str, constraint: object) -> object:
        return ctx.hard(rule, block.first, constraint)

    return add


def _link_minutes(ctx: EncodeContext, cv: ContentVars) -> None:
    """S11 - a session lasts its exercises' minutes plus a 5-10 min warm-up."""
    low, high = WARM_UP_MINUTES
    for block in cv.blocks:
        template = cv.template(block)
        add = _adder(ctx, cv, block)
        for recovery in cv.variants(block):
            require_minute_window(template, recovery, add)
        for key in cv.strength_slots(block):
            week = ctx.timeline.week_of(key[0])
            minutes = ctx.vars.strength_minutes_at(key)
            for option in cv.week_options(week):
                exercises = template.minutes(option.recovery)
                when = [ctx.vars.strength[key], *option.literals]
                ctx.hard("S11", week, minutes >= exercises + low).only_enforce_if(when)
                ctx.hard("S11", week, minutes <= exercises + high).only_enforce_if(when)


def encode_s6(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S6 - five pillars: every session holds a core, lower-body, hip-and-ankle, upper-body
    posture and power exercise; no power while returning from injury or in the taper."""
    cv = content_vars(ctx)
    for block in cv.blocks:
        require_pillars(cv.template(block), _adder(ctx, cv, block))
    return []


def encode_s7(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S7 - unilateral: every session holds a single-leg lower-body exercise."""
    cv = content_vars(ctx)
    for block in cv.blocks:
        require_single_leg(cv.template(block), _adder(ctx, cv, block))
    return []


def encode_s8(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S8 - muscle-group volume: weekly working sets per group within the phase's range,
    and posterior-chain sets (glutes + hamstrings) at least the quads' sets."""
    cv = content_vars(ctx)
    request = ctx.request
    for block in cv.blocks:
        template = cv.template(block)
        add = _adder(ctx, cv, block)
        for recovery in cv.variants(block):
            require_posterior(template, recovery, add)
        ready = _ready(ctx, block)
        covered: set[tuple[bool, int]] = set()
        if ready.counts is not None:
            require_group_sets(template, request, False, *ready.counts, _always(ctx, block))
            covered = {(False, k) for k in range(ready.counts[0], ready.counts[1] + 1)}
        for w in block.weeks:
            for option in cv.week_options(w):
                for k, is_k in cv.counts(w):
                    if (option.recovery, k) in covered:
                        continue  # the template is ready for this count
                    when = [is_k, *option.literals]
                    for group in MUSCLE_GROUPS:
                        lo, hi = group_set_bounds(request, block.phase, option.recovery, group)
                        per_session = template.sets(group, option.recovery)
                        if lo > 0:
                            ctx.hard("S8", w, k * per_session >= lo).only_enforce_if(when)
                        ctx.hard("S8", w, k * per_session <= hi).only_enforce_if(when)
    return []


def encode_s9(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S9 - equipment: a block's exercises are doable wherever its sessions take place."""
    cv = content_vars(ctx)
    tl = ctx.timeline
    for block in cv.blocks:
        by_kit: dict[frozenset[str], list[SlotKey]] = {}
        for key in cv.strength_slots(block):
            by_kit.setdefault(frozenset(tl.slots[key].equipment), []).append(key)
        for n, (kit, keys) in enumerate(by_kit.items()):
            missing = [e for e in cv.pool(block) if not e.usable_with(kit)]
            if not missing:
                continue
            used = ctx.model.new_bool_var(f"kit_b{block.index}_{n}_used")
            for key in keys:
                ctx.model.add(ctx.vars.strength[key] <= used)
            for spec in missing:
                ctx.hard("S9", block.first, cv.sel(block, spec.id) + used <= 1)
    return []


def encode_s10(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S10 - rotation: one selection per block of ~4 weeks, and at least half of a block's
    exercises new against the block before it (when both hold sessions)."""
    cv = content_vars(ctx)
    m = ctx.model
    for before, block in zip(cv.blocks, cv.blocks[1:], strict=False):
        previous = {e.id for e in cv.pool(before)}
        kept: list[cp_model.IntVar] = []
        for spec in cv.pool(block):
            if spec.id not in previous:
                continue
            both = m.new_bool_var(f"kept_b{block.index}_{spec.id}")
            m.add(both >= cv.sel(before, spec.id) + cv.sel(block, spec.id) - 1)
            kept.append(both)
        if not kept:
            continue
        count = cv.template(block).chosen(lambda e: True)
        repeat_share = 100 - ROTATION_NEW_PERCENT
        when = [cv.has_block[before.index], cv.has_block[block.index]]
        ctx.hard("S10", block.first, 100 * sum(kept) <= repeat_share * count).only_enforce_if(when)
    return []


def encode_s12(ctx: EncodeContext) -> list[PenaltyTerm]:
    """S12 - emphasis: extra sets and exercises for the athlete's injuries, age, sex and
    terrain. Hard while returning: an Achilles tendon gets an eccentric calf raise every
    session (exercises contraindicated for the injury are not in the return pool at all)."""
    cv = content_vars(ctx)
    for block in cv.blocks:
        require_return_focus(cv.template(block), ctx.request, _adder(ctx, cv, block))
    terms: list[PenaltyTerm] = []
    for info in ctx.timeline.weeks:
        terms += _emphasis_sets(ctx, cv, info.index)
    for block in cv.blocks:
        terms += _emphasis_exercises(ctx, cv, block)
    return terms


def _emphasis_sets(ctx: EncodeContext, cv: ContentVars, w: int) -> list[PenaltyTerm]:
    """Per week with strength: sets short of the raised ceiling in each emphasised group."""
    m = ctx.model
    if isinstance(cv.has_week(w), int):
        return []
    block = cv.block_of[w]
    terms: list[PenaltyTerm] = []
    for group in emphasised_groups(ctx.request):
        weekly = cv.weekly_sets(w, group)
        targets = {
            o.recovery: group_set_bounds(ctx.request, block.phase, o.recovery, group)[1]
            for o in cv.week_options(w)
        }
        top = max(targets.values())
        gap = m.new_int_var(-cv.weekly_upper(f"weekly_sets_{group}", w), top, f"gap_{group}_w{w}")
        m.add(gap == 0).only_enforce_if(cv.count_is[(w, 0)])
        for option in cv.week_options(w):
            when = [cv.count_is[(w, 0)].Not(), *option.literals]
            m.add(gap == targets[option.recovery] - weekly).only_enforce_if(when)
        short = m.new_int_var(0, top, f"emphasis_short_{group}_w{w}")
        m.add_max_equality(short, [0, gap])
        terms.append(PenaltyTerm("S12", short, f"week {w + 1}: {group} sets", week=w))
    return terms


def _emphasis_exercises(ctx: EncodeContext, cv: ContentVars, block: Block) -> list[PenaltyTerm]:
    """Per week with strength: FOCUS_POINTS when its sessions lack an emphasis exercise."""
    m = ctx.model
    terms: list[PenaltyTerm] = []
    serves_of: list[tuple[str, Callable[..., bool]]] = [
        (f.name, f.serves) for f in foci(ctx.request, block.phase)
    ]
    for n, (name, serves) in enumerate(serves_of):
        serving = [cv.sel(block, e.id) for e in cv.pool(block) if serves(e)]
        lacks = m.new_bool_var(f"lacks_b{block.index}_{n}")
        for x in serving:
            m.add(lacks + x <= 1)
        m.add(lacks + sum(serving) >= 1)
        for w in block.weeks:
            if isinstance(cv.has_week(w), int):
                continue
            none = cv.count_is[(w, 0)]
            missed = m.new_bool_var(f"lacks_b{block.index}_{n}_w{w}")
            m.add_bool_and([lacks, none.Not()]).only_enforce_if(missed)
            m.add_bool_or([lacks.Not(), none, missed])
            terms.append(
                PenaltyTerm("S12", FOCUS_POINTS * missed, f"week {w + 1}: no {name}", week=w)
            )
    return terms


def encode_p4(ctx: EncodeContext) -> list[PenaltyTerm]:
    """P4 - phase progression: strength load (sets x RPE) does not fall from one week to the
    next inside a block, and does not rise into a new block after a loading block.
    Compared: consecutive weeks that both hold strength and neither is a recovery week."""
    cv = content_vars(ctx)
    m = ctx.model
    terms: list[PenaltyTerm] = []
    for info in ctx.timeline.weeks[1:]:
        w = info.index
        before, now = cv.block_of[w - 1], cv.block_of[w]
        if before.index == now.index:
            sign = 1  # a fall within the block is penalised
        elif p4_boundary_drop(before.phase):
            sign = -1  # a rise into the new block is penalised
        else:
            continue
        has_before, has_now = cv.has_week(w - 1), cv.has_week(w)
        if isinstance(has_before, int) or isinstance(has_now, int):
            continue
        both = m.new_bool_var(f"p4_compare_w{w}")
        parts: list[Expr] = [has_before, has_now]
        parts += [1 - ctx.vars.recovery[x] for x in (w - 1, w) if x in ctx.vars.recovery]
        for part in parts:
            m.add(both <= part)
        m.add(both >= sum(parts, start=0) - (len(parts) - 1))
        load_before, load_now = cv.weekly_load(w - 1), cv.weekly_load(w)
        change = sign * (load_before - load_now)
        bound = _load_top(cv, w - 1) + _load_top(cv, w)
        diff = m.new_int_var(-bound, bound, f"p4_change_w{w}")
        m.add(diff == change).only_enforce_if(both)
        m.add(diff == 0).only_enforce_if(~both)
        penalty = m.new_int_var(0, bound, f"p4_penalty_w{w}")
        m.add_max_equality(penalty, [0, diff])
        what = "fell within" if sign == 1 else "rose into"
        terms.append(PenaltyTerm("P4", penalty, f"week {w + 1}: load {what} a block", week=w))
    return terms


def _load_top(cv: ContentVars, week: int) -> int:
    cv.weekly_load(week)
    return cv.weekly_upper("weekly_load", week)
