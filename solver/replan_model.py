"""The re-plan's CP-SAT model: the past fixed, slack where facts meet rules, the old plan as hint.

How past facts and hard rules live together (solver/replanning.py states the policy):

1. The model is built with one literal per (rule, week) group (`explain=True`). Groups of
   weeks after `as_of`'s week are switched on: hard, as in `solve`. Every linear or clause
   constraint of a group up to `as_of`'s week gets counted slack instead (`add_slack`).
2. A first small solve over those weeks only, with nothing new planned between `as_of` and
   the end of its week, finds how much slack the facts force on each constraint
   (`reference_slack`): "what the rules say about the past if the solver did nothing".
   Weeks before the first one the log changes are as the plan in progress had them, so
   that solve holds them hard (a 16-week plan re-planned at week 9 after a log of its
   last week: 0.39 s against 0.18 s), and gives them slack only if they need it.
3. In the real solve each constraint either holds or keeps exactly that slack
   (`bound_slack`): no decision adds to (or reshapes) a violation the facts caused, and
   every constraint the facts leave whole holds. R7's easy share may also shrink
   (`MAY_SHRINK`). What the rest of as_of's week can still keep (a long run still to
   come) is held outright (solver/replan_mend.py). Constraints are
   matched between the two models by their group and content (variable names,
   coefficients, bounds), since the small model has fewer of them. Only the groups
   holding a broken constraint get slack in the real model (`relax`); the rest of the
   past-facing groups are plain hard rules, which keeps that model as small as `solve`'s.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

from solver.model import BuiltModel, build_model
from solver.replan_log import ReplanInputError, Replanning
from solver.rules.base import Rule
from solver.rules.content import CONTENT_KEY
from solver.rules.registry import all_rules
from solver.schemas import Plan
from solver.stopping import new_solver
from solver.timeline import UNIT, Timeline
from solver.vars import unit_of

# Slack weights in the reference solve: R1's "exactly one long run" (and its 1.25 ratio)
# bends before the rules that forbid, so a missed long run is not crammed in.
SLACK_WEIGHT: dict[str, int] = {"R1": 1}
DEFAULT_SLACK_WEIGHT = 3
ZERO_SLACK_TIME_S = 0.5  # for the quick check that the facts break no rule
NEVER_SLACK = frozenset({"PIN", "T3"})  # the athlete's pins, and one thing per slot
# Rules whose violation the check measures (Violation.shortfall) the same way as the
# constraint's slack: a decision may shrink what the facts broke (easy runs added to a
# week whose logged tempo left it short of R7's easy share), never grow it.
MAY_SHRINK = frozenset({"R7"})

Signature = tuple[Any, ...]


@dataclass(frozen=True)
class SlackEntry:
    """The slack of one past-facing constraint: its variables, content and weight.

    Linear constraints keep what `bound_slack` needs to pin a violation's exact size:
    their terms (variable index, coefficient), bounds and enforcement literals.
    """

    signature: Signature
    variables: tuple[Any, ...]
    weight: int
    terms: tuple[tuple[int, int], ...] = ()
    bounds: tuple[int, int] | None = None  # (lower, upper) of a one-interval domain
    conditions: tuple[int, ...] = ()


@dataclass
class ReplanModel:
    built: BuiltModel
    slack: list[SlackEntry]
    open_groups: dict[tuple[str, int | None], Any] = field(default_factory=dict)

    def weighted_slack(self) -> Any:
        return sum((e.weight * var for e in self.slack for var in e.variables), start=0)


def last_touched_week(rp: Replanning) -> int:
    """The last week holding facts: as_of's week, or the week before it when as_of is the
    first day of its week (-1 when re-planning from the start).

    A week that starts on as_of holds decisions only, so it is planned under every hard
    rule like the weeks after it. Counting it as touched once let the reference, which
    plans nothing new there, see its R1 as broken "by the facts", and the re-plan could
    then leave that week without a long run.
    """
    return (rp.as_of_day - 1) // 7 if rp.as_of_day > 0 else -1


def deciding_week(rp: Replanning) -> int | None:
    """as_of's week when it holds facts and decisions both (as_of falls mid-week), else
    None: from a Monday on, every week is decisions only."""
    return rp.as_of_day // 7 if rp.as_of_day % 7 else None


def first_changed_week(rp: Replanning) -> int:
    """The first week whose past differs from the plan in progress: a session done
    differently, missed, moved or added, or new unavailability (as_of's week when nothing
    before it changed, since the reference plans nothing new there).

    Weeks before it are as the plan had them, and the plan kept every rule there, so the
    reference can hold them as hard rules; should the plan have broken one after all (a
    plan from another calendar, say), the reference has no solution and is solved again
    with slack on every week (reference_slack)."""
    last = last_touched_week(rp)
    start = rp.request.start_date
    kinds = ("run", "race", "strength")  # a race's minutes count in R11's longest run
    planned = {
        (s.date, s.slot): (s.kind, s.run_type, s.minutes)
        for s in rp.previous.sessions
        if s.date < rp.as_of and s.kind in kinds
    }
    done = {
        key: (fact.kind, fact.run_type, fact.minutes)
        for key, fact in rp.past.items()
        if fact.kind in kinds
    }
    changed = [key[0] for key in planned.keys() | done.keys() if planned.get(key) != done.get(key)]
    changed += [e.date for e in rp.log.unavailable if e.date < rp.as_of]
    if not changed:
        return last
    return max(0, min(last, (min(changed) - start).days // 7))


Group = tuple[str, int | None]  # (rule, week), as EncodeContext groups hard constraints


def build_replan_model(
    rp: Replanning,
    rules: Sequence[Rule],
    cutoff: int | None = None,
    *,
    relax: Collection[Group] | None = None,
    slack_from_week: int = 0,
    explaining: bool = False,
    hint_templates: bool = False,
) -> ReplanModel:
    """The model with the past fixed and slack on the constraints of weeks up to as_of's.

    `relax` names the groups that get slack (None: every group of the weeks from
    `slack_from_week` to as_of's, as the reference needs); the other groups of those weeks
    hold as hard rules. Every later group is switched on, unless `explaining`: then they
    stay free for an explanation to assume (solver/explaining.py), and only the hard rules
    are encoded (as `build_explain_model` does). The strength templates' hints are left out
    unless `hint_templates`: a re-plan hints the plan in progress instead.
    """
    tl = Timeline(rp.request, cutoff_weeks=cutoff)
    built = build_model(
        rp.request,
        rules,
        timeline=tl,
        strict_wishes=False if explaining else None,
        rules=[r for r in all_rules(rules) if r.hard] if explaining else None,
        explain=True,
        hint_templates=hint_templates,
    )
    model = built.model
    last = last_touched_week(rp)
    relaxed: dict[int, Group] = {}
    open_groups: dict[Group, Any] = {}
    # A mid-week as_of's week holds decisions too: an explanation may name the rules
    # there that the facts leave whole (R1's long run still to come, R5's cap).
    deciding = deciding_week(rp)
    for group, lit in built.context.group_literals.items():
        rule, week = group
        past_facing = week is not None and week <= last and rule not in NEVER_SLACK
        chosen = group in relax if relax is not None else (week or 0) >= slack_from_week
        if past_facing and chosen:
            relaxed[lit.index] = group
        elif explaining and (not past_facing or week == deciding):
            open_groups[group] = lit
            continue
        model.add(lit == 1)
    slack = add_slack(model, relaxed, built.context.group_constraints)
    fix_past(built, rp)
    return ReplanModel(built, slack, open_groups)


class _ProtoIndex:
    """Variable names and extents read from the proto once each: add_slack asks for them
    per constraint term, and each read of a proto field from Python is slow."""

    def __init__(self, proto: Any) -> None:
        self.variables = proto.variables
        self.names: dict[int, str] = {}
        self.extents: dict[int, int] = {}

    def name(self, literal: int) -> str:
        index = literal if literal >= 0 else -literal - 1
        name = self.names.get(index)
        if name is None:
            name = self.names[index] = str(self.variables[index].name)
        return name if literal >= 0 else "~" + name

    def extent(self, index: int) -> int:
        found = self.extents.get(index)
        if found is None:
            domain = list(self.variables[index].domain)
            found = self.extents[index] = max(abs(domain[0]), abs(domain[-1]))
        return found

    def reach(self, raw: Sequence[tuple[int, int]], domain: Sequence[int]) -> int:
        """How far a linear expression can be from its bounds: what its slack may need."""
        reach = sum(abs(c) * self.extent(v if v >= 0 else -v - 1) for v, c in raw)
        return reach + max((abs(d) for d in domain if abs(d) < 2**62), default=0)


def add_slack(
    model: cp_model.CpModel, relaxed: dict[int, Group], constraints: dict[Group, list[int]]
) -> list[SlackEntry]:
    """Counted slack on every linear or clause constraint of a relaxed group (`relaxed`:
    group literal's index to group; `constraints`: each group's constraint indices)."""
    proto = model.proto
    index_of = _ProtoIndex(proto)
    entries: list[SlackEntry] = []
    for group in relaxed.values():
        rule, week = group
        weight = SLACK_WEIGHT.get(rule, DEFAULT_SLACK_WEIGHT)
        for index in constraints.get(group, ()):
            entry = _slack_one(model, proto, index_of, index, relaxed, (rule, week, weight))
            if entry is not None:
                entries.append(entry)
    return entries


def _slack_one(
    model: cp_model.CpModel,
    proto: Any,
    index_of: _ProtoIndex,
    index: int,
    relaxed: dict[int, Group],
    group: tuple[str, int | None, int],
) -> SlackEntry | None:
    rule, week, weight = group
    constraint = proto.constraints[index]
    kept = [lit for lit in constraint.enforcement_literal if lit not in relaxed]
    condition = tuple(sorted(index_of.name(lit) for lit in kept))
    if constraint.has_linear():
        linear = constraint.linear
        raw = tuple(zip(list(linear.vars), list(linear.coeffs), strict=True))
        terms = tuple(sorted((index_of.name(v), c) for v, c in raw))
        domain = list(linear.domain)
        signature: Signature = (rule, week, "linear", terms, tuple(domain), condition)
        top = index_of.reach(raw, domain)
        bounds = (domain[0], domain[1]) if len(domain) == 2 else None
        below = model.new_int_var(0, top, f"slack_lo_{index}")
        above = model.new_int_var(0, top, f"slack_hi_{index}")
        linear.vars.extend([below.index, above.index])
        linear.coeffs.extend([1, -1])
        constraint.enforcement_literal.clear()
        constraint.enforcement_literal.extend(kept)
        return SlackEntry(signature, (below, above), weight, raw, bounds, tuple(kept))
    if not constraint.has_bool_or():
        return None  # other kinds stay enforced: the group literal is fixed true
    names = tuple(sorted(index_of.name(lit) for lit in constraint.bool_or.literals))
    escape = model.new_bool_var(f"slack_or_{index}")
    constraint.bool_or.literals.append(escape.index)
    constraint.enforcement_literal.clear()
    constraint.enforcement_literal.extend(kept)
    return SlackEntry((rule, week, "or", names, condition), (escape,), weight)


def fix_past(built: BuiltModel, rp: Replanning) -> None:
    """Every decision before as_of becomes the logged fact; past weeks keep their labels."""
    v, tl, model = built.vars, built.timeline, built.model
    for (day, name), slot in tl.slots.items():
        if day >= rp.as_of_day or slot.race is not None:
            continue
        fact = rp.past.get((slot.date, name))
        if fact is not None and fact.kind in ("run", "strength") and not _holds(v, day, name, fact):
            raise ReplanInputError(
                [(f"log ({fact.date} {name})", "this session does not fit the calendar's slot")]
            )
        for run_type in v.run_types_at((day, name)):
            done = fact is not None and fact.kind == "run" and fact.run_type == run_type
            model.add(v.run[(day, name, run_type)] == int(done))
            if done and fact is not None:
                model.add(v.minutes_of_type((day, name), run_type) == fact.minutes)
        if (day, name) in v.strength:
            done = fact is not None and fact.kind == "strength"
            model.add(v.strength[(day, name)] == int(done))
            if done and fact is not None:
                model.add(v.strength_minutes_at((day, name)) == fact.minutes)
    weeks = {w.index: w for w in rp.previous.weeks}
    for week, flag in v.recovery.items():
        if 7 * (week + 1) <= rp.as_of_day and week in weeks:
            model.add(flag == int(weeks[week].recovery))
    _fix_past_content(built, rp)


def _holds(v: Any, day: int, name: str, fact: Any) -> bool:
    if fact.kind == "strength":
        return (day, name) in v.strength
    return (day, name, fact.run_type) in v.run


def block_selections(built: BuiltModel, plan: Plan) -> dict[int, set[str]]:
    """Exercise ids each strength block of the previous plan performed."""
    content = built.context.shared.get(CONTENT_KEY)
    if content is None:
        return {}
    tl = built.timeline
    chosen: dict[int, set[str]] = {}
    for session in plan.sessions:
        if session.kind != "strength" or not session.exercises:
            continue
        day = tl.day_of(session.date)
        if not 0 <= day < tl.num_days:
            continue
        block = content.block_of[tl.week_of(day)]
        chosen.setdefault(block.index, {e.id for e in session.exercises})
    return chosen


def _fix_past_content(built: BuiltModel, rp: Replanning, *, all_blocks: bool = False) -> None:
    """Blocks that ended before as_of keep the exercises the athlete did (S10 reads them);
    with `all_blocks`, every block keeps the previous plan's exercises."""
    content = built.context.shared.get(CONTENT_KEY)
    if content is None:
        return
    for index, ids in block_selections(built, rp.previous).items():
        block = content.blocks[index]
        if 7 * (block.weeks[-1] + 1) > rp.as_of_day and not all_blocks:
            continue
        for spec in content.pool(block):
            built.model.add(content.sel(block, spec.id) == int(spec.id in ids))


def hint_previous(built: BuiltModel, rp: Replanning) -> None:
    """The plan in progress as the solver's starting point, from as_of on.

    It replaces any hint the rules set (the strength content hints default templates):
    the plan in progress is the better start, and CP-SAT rejects a variable hinted twice.
    """
    v, tl, model = built.vars, built.timeline, built.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    hinted: set[int] = set()

    def hint(var: Any, value: int) -> None:
        if var.index not in hinted:
            hinted.add(var.index)
            model.add_hint(var, value)

    for (day, name), slot in tl.slots.items():
        if day < rp.as_of_day or slot.race is not None:
            continue
        before = rp.baseline.get((slot.date, name))
        for run_type in v.run_types_at((day, name)):
            same = before is not None and before.kind == "run" and before.run_type == run_type
            hint(v.run[(day, name, run_type)], int(same))
            unit = unit_of(run_type, tl)
            units = before.minutes // unit if same and before is not None else 0
            hint(v.units[(day, name, run_type)], units)
        if (day, name) in v.strength:
            same = before is not None and before.kind == "strength"
            hint(v.strength[(day, name)], int(same))
            minutes = before.minutes if same and before is not None else 0
            hint(v.strength_units[(day, name)], minutes // UNIT)
    weeks = {w.index: w for w in rp.previous.weeks}
    for week, flag in v.recovery.items():
        if week in weeks and 7 * (week + 1) > rp.as_of_day:
            hint(flag, int(weeks[week].recovery))
    content = built.context.shared.get(CONTENT_KEY)
    if content is None:
        return
    for index, ids in block_selections(built, rp.previous).items():
        block = content.blocks[index]
        if 7 * (block.weeks[-1] + 1) <= rp.as_of_day:
            continue  # fixed already
        for spec in content.pool(block):
            hint(content.sel(block, spec.id), int(spec.id in ids))


def _nothing_new_this_week(built: BuiltModel, rp: Replanning, *, plan_rest: bool = False) -> None:
    """The reference: no session planned between as_of and the end of its week, and the
    week keeps its planned label (recovery or loading). With nothing left to choose, no
    rule can be broken to ease another: only the facts break rules here. With
    `plan_rest`, only the label."""
    v, tl, model = built.vars, built.timeline, built.model
    week = last_touched_week(rp)
    labels = {w.index: w.recovery for w in rp.previous.weeks}
    if week in v.recovery and week in labels:
        model.add(v.recovery[week] == int(labels[week]))
    if plan_rest:
        return
    week_end = 7 * (week + 1)
    for (day, _name, _run_type), var in v.run.items():
        if rp.as_of_day <= day < week_end:
            model.add(var == 0)
    for (day, _name), var in v.strength.items():
        if rp.as_of_day <= day < week_end:
            model.add(var == 0)
    del tl


# The slack the facts force, by constraint signature: only the constraints they break (a
# constraint missing here holds in the re-plan).
Reference = dict[Signature, list[tuple[int, ...]]]


def broken_groups(reference: Reference) -> set[Group]:
    """The (rule, week) groups holding a constraint the facts break."""
    return {(sig[0], sig[1]) for sig in reference}


def reference_model(
    rp: Replanning,
    rules: Sequence[Rule],
    slack_from_week: int = 0,
    *,
    relax: Collection[Group] | None = None,
    plan_rest: bool = False,
) -> ReplanModel:
    """The weeks up to as_of's, the past as logged and nothing new planned after as_of;
    slack on the weeks from `slack_from_week` on (or on the `relax` groups), the earlier
    ones hard. With `plan_rest` the rest of as_of's week is free (replan_mend.py)."""
    week = last_touched_week(rp)
    total = Timeline(rp.request).num_weeks
    cutoff = week + 1 if week + 1 < total else None
    # Pins are decisions too: the reference plans nothing new, pinned or not. Planning the
    # rest of the week, it keeps them: what the week can keep is what the athlete allows.
    kept = rules if plan_rest else [rule for rule in rules if rule.id != "PIN"]
    model = build_replan_model(rp, kept, cutoff, relax=relax, slack_from_week=slack_from_week)
    # No hint at all: with the past fixed, a hint only slowed the search (0.7 s against
    # 0.1 s, measured on a 16-week plan re-planned at week 9).
    model.built.model.clear_hints()  # type: ignore[no-untyped-call]
    if model.slack:
        _nothing_new_this_week(model.built, rp, plan_rest=plan_rest)
        # The reference keeps the plan's exercises too: nothing new means nothing new.
        _fix_past_content(model.built, rp, all_blocks=True)
    return model


def reference_slack(
    rp: Replanning,
    rules: Sequence[Rule],
    *,
    time_limit_s: float,
    seed: int,
) -> Reference | Literal["infeasible"] | None:
    """The slack the facts force on each past-facing constraint (see the module doc).

    Solved on the weeks up to as_of's only (every rule looks back in time), with slack
    from the first week the log changes (`first_changed_week`): the weeks before it are
    as the plan had them. Should they break a rule after all, it is solved again with
    slack on every week. "infeasible" when even that has no solution (a pin against the
    facts, say), None when time ran out first. A feasible but unproven solution still
    gives valid, if looser, bounds.
    """
    first = first_changed_week(rp)
    if first > 0:
        model = reference_model(rp, rules, first)
        # Without slack nothing would test the weeks held hard: the full reference does.
        found = solve_reference(model, time_limit_s, seed) if model.slack else "infeasible"
        if found != "infeasible":
            return found
    return solve_reference(reference_model(rp, rules), time_limit_s, seed)


def solve_reference(
    model: ReplanModel, time_limit_s: float, seed: int
) -> Reference | Literal["infeasible"] | None:
    """The least slack `model` (a reference model) needs: see `reference_slack`."""
    if not model.slack:
        return {}
    cp = model.built.model
    if _facts_break_nothing(model, time_limit_s, seed):
        return {}  # the common case, proved at once: no slack anywhere
    cp.minimize(model.weighted_slack())
    solver = reference_solver(time_limit_s, seed)
    code = solver.solve(cp)
    if code == cp_model.INFEASIBLE:
        return "infeasible"
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    reference: Reference = {}
    for entry in model.slack:
        values = tuple(int(solver.value(var)) for var in entry.variables)
        if any(values):
            reference.setdefault(entry.signature, []).append(values)
    return reference


def _facts_break_nothing(model: ReplanModel, time_limit_s: float, seed: int) -> bool:
    """Whether the reference has a solution without any slack (a quick feasibility solve:
    slack is never negative, so such a solution is the minimum)."""
    zero = model.built.model.clone()
    zero.clear_objective()  # type: ignore[no-untyped-call]
    for entry in model.slack:
        for var in entry.variables:
            zero.add(zero.get_int_var_from_proto_index(var.index) == 0)
    solver = reference_solver(min(time_limit_s, ZERO_SLACK_TIME_S), seed)
    return solver.solve(zero) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def reference_solver(time_limit_s: float, seed: int) -> cp_model.CpSolver:
    """One worker, no presolve, no LP: with the past fixed and the rest of the week empty,
    almost nothing is left to decide, and presolve (5 s) or the LP alone took seconds
    (measured on a 16-week plan re-planned at week 9)."""
    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 0
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit_s
    return solver


def bound_slack(
    model: ReplanModel, reference: Reference, *, exact: bool = True
) -> list[tuple[SlackEntry, tuple[int, ...]]]:
    """Each constraint holds, or stays exactly as broken as the facts left it (0 when
    unmatched): a decision never changes how a rule is broken, so the validator reports
    the same violation with or without the re-planned sessions of as_of's week. A
    MAY_SHRINK rule's constraint may also be broken less (the validator measures it).

    With `exact=False` a broken constraint may also be partly repaired: never worse.
    Returns each slack entry with the slack it may keep."""
    left = {sig: sorted(values, reverse=True) for sig, values in reference.items()}
    cp = model.built.model
    matched: list[tuple[SlackEntry, tuple[int, ...]]] = []
    for entry in model.slack:
        matches = left.get(entry.signature)
        allowed = matches.pop(0) if matches else (0,) * len(entry.variables)
        matched.append((entry, allowed))
        for side, (var, forced) in enumerate(zip(entry.variables, allowed, strict=True)):
            if forced == 0:
                cp.add(var == 0)
            elif entry.bounds is None or not exact or entry.signature[0] in MAY_SHRINK:
                cp.add(var <= forced)  # a clause, a holed domain, or a rule that may shrink
            else:
                _exactly_or_not(cp, entry, side, var, forced)
    return matched


def _exactly_or_not(
    cp: cp_model.CpModel, entry: SlackEntry, side: int, var: Any, forced: int
) -> None:
    """var is 0, or exactly `forced` with the constraint broken by exactly that much."""
    assert entry.bounds is not None
    broken = cp.new_bool_var(f"{var.name}_as_before")
    cp.add(var == forced).only_enforce_if(broken)
    cp.add(var == 0).only_enforce_if(~broken)
    for condition in entry.conditions:
        cp.add_implication(broken, _literal(cp, condition))
    expr = sum(
        (coeff * cp.get_int_var_from_proto_index(index) for index, coeff in entry.terms),
        start=0,
    )
    lower, upper = entry.bounds
    target = lower - forced if side == 0 else upper + forced
    cp.add(expr == target).only_enforce_if(broken)


def _literal(cp: cp_model.CpModel, literal: int) -> Any:
    if literal >= 0:
        return cp.get_bool_var_from_proto_index(literal)
    return ~cp.get_bool_var_from_proto_index(-literal - 1)
