"""Infeasibility explained: the smallest sets of colliding rules, in words and dates.

DESIGN.md's recipe: an explaining model puts every hard constraint behind the enforcement
literal of its (rule, week) group (`build_model(..., explain=True)`); a feasibility-only,
single-worker solve assumes every literal and reads `sufficient_assumptions_for_infeasibility`;
the core is then shrunk by deletion until removing any one member makes the rest feasible.

Choices made here, and why:

- Only hard rules are encoded. Soft rules add penalty definitions only: leaving them out
  keeps the model small, and a definition written for plans that keep the hard rules (one
  strength session a day for S5, one long run a week for R16) cannot stand in for a hard
  rule and hide it from the core.
- Wishes (the lower bounds of R10 and S1) get literals of their own, separate from the hard
  upper bound of the same rule and week, so a conflict says which side of R10 collides.
- T3 (one thing per slot) stays on: the model's day and week sums assume it, so switching it
  off would not free anything. T2 (slots exist only where the calendar has them) is built into
  the variables and has no literal; a conflict names it when opening slots resolves it
  (`solver.explain_suggest`).
- Every solve is single-worker with a fixed seed and a deterministic-time limit, probes run in
  a fixed order, so the same request gives the same explanation; a wall-clock budget bounds
  the whole search on a loaded machine.
- Whether a plan exists at all is the one question a probe may leave open on a long
  calendar (a feasible 52-week season: no answer in 15 s, a first plan from scratch takes
  CP-SAT 37 s). Then the first plan is sought the way `solve` seeks it, placement window by
  window and then the exercises (`plan_found`, about 10 s there): a plan found settles it.
  So a calendar of WARM_START_FROM_WEEKS weeks or more gets a short first probe, which
  still shows most infeasibilities at once, then that search with most of the budget, then
  the long probe with the rest. On the suite's 17 feasible calendars of 20-52 weeks, with
  30 s each, explain used to settle 7 and now settles all 17; its five infeasible
  instances explain as before. Unlike the probes, that search runs on the wall clock, so a
  slow machine may still leave the question open.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

from solver.content_spec import MAX_BLOCK_WEEKS
from solver.content_warm_start import complete_hint
from solver.model import BuiltModel, build_model
from solver.rules.base import Rule
from solver.rules.registry import RULES, all_rules
from solver.schemas import WISH_RULE_IDS, Conflict, Explanation, PlanRequest
from solver.stopping import new_solver
from solver.timeline import Timeline
from solver.warm_start import WARM_START_FROM_WEEKS, rolling_hint

ProbeStatus = Literal["feasible", "infeasible", "unknown"]

ALWAYS_ON = frozenset({"T3"})  # structural: the model's sums assume it (see module doc)
PROBE_SEED = 0
PROBE_DETERMINISTIC_S = 5.0  # CP-SAT deterministic seconds per probe
NEXT_CONFLICT_DETERMINISTIC_S = 1.5  # looking for one more conflict: give up sooner
DEFAULT_BUDGET_S = 30.0  # wall clock for a whole explanation
MAX_CONFLICTS = 3
PLACEMENT_SHARE = 0.7  # of plan_found's budget, for placing the sessions
PLAN_SEARCH_SHARE = 0.75  # of what a long calendar's short first probe leaves, for plan_found
MIN_PLAN_SEARCH_S = 1.0
# Strength content is decided per block of up to MAX_BLOCK_WEEKS weeks, and a block's
# rules are filed under its first week: a core with them needs the block's weeks too.
CONTENT_RULES = frozenset({"S6", "S7", "S8", "S9", "S10", "S12"})
_RULE_ORDER = {rule.id: i for i, rule in enumerate(RULES)}


@dataclass(frozen=True)
class Group:
    """One (rule, week) group of hard constraints; `wish` marks a wish's own group.

    A wish with a `level` is held at that many runs or sessions (what a plan gave it)
    rather than at what the athlete asked for.
    """

    rule: str
    week: int | None  # None: the whole plan
    wish: bool = False
    level: int | None = None

    def order(self) -> tuple[int, int, int, str, int]:
        """Deterministic order: safety rules before wishes, by week, by RULES.md order."""
        return (
            int(self.wish),
            -1 if self.week is None else self.week,
            _RULE_ORDER.get(self.rule, len(_RULE_ORDER)),
            self.rule,
            -1 if self.level is None else self.level,
        )


def sorted_groups(groups: Iterable[Group]) -> list[Group]:
    return sorted(set(groups), key=Group.order)


@dataclass
class Budget:
    """A wall-clock deadline for a whole explanation, shared by its probes."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @property
    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    @property
    def spent(self) -> bool:
        return self.remaining <= 0


# Probes run a quick search first: without presolve and LP, a model with most groups off
# is solved in a fraction of the time (presolve alone costs more than the search), and a
# plain infeasibility shows at once. Only when that runs out do probes fall back to a
# search with LP reasoning, which proves arithmetic conflicts (R5 chains, sets per muscle):
# without presolve (strength content: 0.08 s against 0.57 s with it, measured on a
# 24-week calendar), then CP-SAT's default search. Each gets a share of a probe's
# deterministic time; a zero share skips it.
PROBE_PROFILES: tuple[dict[str, Any], ...] = (
    {"cp_model_presolve": False, "linearization_level": 0},
    {"cp_model_presolve": False, "linearization_level": 1},
    {},
)
PROBE_SHARES = (0.5, 0.0, 0.5)


def probe_solver(budget: Budget, deterministic_s: float, profile: dict[str, Any]) -> Any:
    """A single-worker, seeded solver: the same probe gives the same answer every run."""
    solver = new_solver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = PROBE_SEED
    params.max_deterministic_time = deterministic_s
    params.max_time_in_seconds = max(0.05, budget.remaining)
    for name, value in profile.items():
        setattr(params, name, value)
    return solver


@dataclass(frozen=True)
class Probe:
    status: ProbeStatus
    core: tuple[Group, ...] = ()  # when infeasible: assumptions that suffice


@dataclass
class ExplainModel:
    """A hard-rules-only model whose every group can be switched on by assumption."""

    built: BuiltModel
    literals: dict[Group, Any]
    wanted: dict[Group, int]  # wish groups: what the athlete asked for

    @property
    def timeline(self) -> Timeline:
        return self.built.timeline

    @property
    def safety_groups(self) -> list[Group]:
        return sorted_groups(g for g in self.literals if not g.wish)

    @property
    def wish_groups(self) -> list[Group]:
        return sorted_groups(g for g in self.literals if g.wish)

    def knows(self, group: Group) -> bool:
        """Whether the group can be switched on here (a held wish: when its wish exists)."""
        asked = Group(group.rule, group.week, wish=True)
        return group in self.literals or (group.level is not None and asked in self.wanted)

    def literal(self, group: Group) -> Any:
        """The group's enforcement literal; a wish held at a `level` gets one on first use."""
        if group in self.literals:
            return self.literals[group]
        if not self.knows(group):
            raise KeyError(group)
        assert group.level is not None
        model = self.built.model
        literal = model.new_bool_var(f"wish_{group.rule}_w{group.week}_at_{group.level}")
        for term in self.built.terms:
            if term.rule == group.rule and term.week == group.week and term.wanted:
                # The term counts what is missing from what was asked.
                model.add(term.expr <= max(0, term.wanted - group.level)).only_enforce_if(literal)
        self.literals[group] = literal
        self.wanted[group] = group.level
        return literal

    def default_pool(self) -> list[Group]:
        """What the request holds hard: every safety group, and wishes when strict."""
        strict = self.timeline.request.options.strict_preferences
        return self.safety_groups + (self.wish_groups if strict else [])

    def probe(
        self,
        groups: Iterable[Group],
        budget: Budget,
        *,
        deterministic_s: float = PROBE_DETERMINISTIC_S,
        shares: Sequence[float] = PROBE_SHARES,
    ) -> Probe:
        """Is the model feasible with exactly these groups switched on (others free)?

        `shares` splits `deterministic_s` over PROBE_PROFILES, in turn.
        """
        chosen = sorted_groups(groups)
        model = self.built.model
        model.clear_assumptions()
        model.add_assumptions([self.literal(g) for g in chosen])
        code = cp_model.UNKNOWN
        for profile, share in zip(PROBE_PROFILES, shares, strict=True):
            if share <= 0:
                continue
            solver = probe_solver(budget, share * deterministic_s, profile)
            code = solver.solve(model)
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return Probe("feasible")
            if code == cp_model.INFEASIBLE or budget.spent:
                break
        if code != cp_model.INFEASIBLE:
            return Probe("unknown")
        by_index = {self.literals[g].index: g for g in chosen}
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
        # An empty core means the model is infeasible with no group on at all.
        return Probe("infeasible", tuple(sorted_groups(core)))

    def shrink(
        self,
        core: Sequence[Group],
        budget: Budget,
        *,
        keep: Iterable[Group] = (),
        deterministic_s: float = PROBE_DETERMINISTIC_S,
        shares: Sequence[float] = PROBE_SHARES,
    ) -> tuple[list[Group], bool]:
        """Deletion-based shrinking to a minimal core; `keep` members are never removed.

        Returns the core and whether it is proved minimal (False when a probe ran out of
        time or the budget ended, so a member was kept without proof that it is needed).
        """
        kept = set(keep)
        current = sorted_groups(core)
        proved = True
        i = 0
        while i < len(current):
            member = current[i]
            if member in kept:
                i += 1
                continue
            if budget.spent:
                return current, False
            rest = current[:i] + current[i + 1 :]
            result = self.probe(rest, budget, deterministic_s=deterministic_s, shares=shares)
            if result.status == "infeasible":
                # The probe's own core is a subset of `rest`: keep only it. Members before i
                # were each proved needed, so they are all still in it (monotonicity).
                smaller = set(result.core) | (kept & set(rest))
                current = [g for g in rest if g in smaller]
                continue
            if result.status == "unknown":
                proved = False
            i += 1
        return current, proved


def hard_rules(extra_rules: Sequence[Rule] = ()) -> list[Rule]:
    """The rules an explaining model encodes: every hard rule, built-in and the planner's."""
    return [rule for rule in all_rules(extra_rules) if rule.hard]


def build_explain_model(
    request: PlanRequest,
    extra_rules: Sequence[Rule] = (),
    *,
    timeline: Timeline | None = None,
    cutoff_weeks: int | None = None,
    hint_templates: bool = True,
) -> ExplainModel:
    """The explaining model: hard rules behind group literals, wishes behind their own.

    With `cutoff_weeks` only the calendar's first weeks exist (see `focus_weeks`).
    `hint_templates=False` leaves out the strength templates' hints: they cost a third of
    the build, and pay only for searches that must find a plan (suggestions).
    """
    if timeline is None:
        timeline = Timeline(request, cutoff_weeks=cutoff_weeks)
    built = build_model(
        request,
        timeline=timeline,
        strict_wishes=False,
        rules=hard_rules(extra_rules),
        explain=True,
        hint_templates=hint_templates,
    )
    return explain_model_of(built, built.context.group_literals)


def explain_model_of(built: BuiltModel, groups: dict[tuple[str, int | None], Any]) -> ExplainModel:
    """An explaining model over `built` (every hard constraint behind its group literal):
    `groups` can be switched on by assumption (T3 is switched on for good), each wish
    behind a literal of its own; the objective goes."""
    model = built.model
    model.clear_objective()  # type: ignore[no-untyped-call]
    literals: dict[Group, Any] = {}
    for (rule, week), literal in groups.items():
        if rule in ALWAYS_ON:
            model.add(literal == 1)
        else:
            literals[Group(rule, week)] = literal
    wanted: dict[Group, int] = {}
    for term in built.terms:
        if term.rule not in WISH_RULE_IDS or term.week is None:
            continue
        group = Group(term.rule, term.week, wish=True)
        if group not in literals:
            literals[group] = model.new_bool_var(f"wish_{term.rule}_w{term.week}")
        # The term counts what is missing, so "nothing missing" is the strict wish.
        model.add(term.expr == 0).only_enforce_if(literals[group])
        wanted[group] = max(wanted.get(group, 0), term.wanted or 0)
    return ExplainModel(built=built, literals=literals, wanted=wanted)


@dataclass(frozen=True, eq=False)
class Core:
    """A minimal set of groups that cannot hold together, and the model that shows it."""

    groups: tuple[Group, ...]
    minimal: bool  # False when the budget ended before every member was proved needed
    model: ExplainModel  # the whole calendar, or the weeks up to the core (focus_weeks)


def focus_weeks(
    timeline: Timeline, groups: Iterable[Group], extra_rules: Sequence[Rule] = ()
) -> int | None:
    """How many leading weeks suffice to study these groups, or None for all of them.

    Every built-in rule looks back in time, and a group's constraints reach at most into
    the week after it (S2 pairs across a weekend, P3 before a race) or to the end of a
    strength block (content rules, filed under the block's first week). With every later
    group switched off, the calendar cut after that reach is the same problem, and far
    smaller to solve. A planner's own rules may look ahead, so with them nothing is cut.
    """
    chosen = list(groups)
    if extra_rules or not chosen or any(g.week is None for g in chosen):
        return None
    last = max(g.week for g in chosen if g.week is not None)
    reach = 2 + (MAX_BLOCK_WEEKS if any(g.rule in CONTENT_RULES for g in chosen) else 0)
    cutoff = last + reach
    return cutoff if cutoff < timeline.num_weeks else None


def focused_model(
    whole: ExplainModel, groups: Sequence[Group], extra_rules: Sequence[Rule], budget: Budget
) -> ExplainModel:
    """The smaller model of `focus_weeks` when it shows the same infeasibility."""
    cutoff = focus_weeks(whole.timeline, groups, extra_rules)
    if cutoff is None:
        return whole
    focused = build_explain_model(whole.timeline.request, extra_rules, cutoff_weeks=cutoff)
    if any(g not in focused.literals for g in groups):
        return whole
    if focused.probe(groups, budget).status != "infeasible":
        return whole
    return focused


def find_cores(
    whole: ExplainModel,
    pool: Sequence[Group],
    budget: Budget,
    *,
    extra_rules: Sequence[Rule] = (),
    max_cores: int = MAX_CONFLICTS,
    first_probe_s: float = PROBE_DETERMINISTIC_S,
) -> tuple[ProbeStatus, list[Core]]:
    """Disjoint minimal cores among `pool`: find one, set its groups aside, look again.

    The status is that of the whole pool: "feasible" (no core), "infeasible" or "unknown".
    Each core is shrunk on the smallest calendar that still shows it (`focused_model`).
    `first_probe_s` bounds the first probe, on the whole pool.
    """
    remaining = sorted_groups(pool)
    cores: list[Core] = []
    status: ProbeStatus = "feasible"
    while len(cores) < max_cores and not budget.spent:
        limit = NEXT_CONFLICT_DETERMINISTIC_S if cores else first_probe_s
        result = whole.probe(remaining, budget, deterministic_s=limit)
        if result.status != "infeasible":
            if not cores:
                status = result.status
            break
        status = "infeasible"
        xm = focused_model(whole, result.core, extra_rules, budget)
        groups, minimal = xm.shrink(result.core, budget)
        cores.append(Core(tuple(groups), minimal, xm))
        if not groups:
            break  # infeasible with nothing switched on: no group to set aside
        taken = set(groups)
        remaining = [g for g in remaining if g not in taken]
    if not cores and budget.spent and status == "feasible":
        status = "unknown"
    return status, cores


def conflicts_for(
    request: PlanRequest,
    extra_rules: Sequence[Rule] = (),
    *,
    wishes_too: bool = False,
    budget_s: float = DEFAULT_BUDGET_S,
    max_conflicts: int = MAX_CONFLICTS,
    suggestions: bool = True,
    first_probe_s: float = PROBE_DETERMINISTIC_S,
) -> tuple[ProbeStatus, list[Conflict]]:
    """The request's conflicts in words: rules, dates, a sentence and suggested changes.

    The groups searched are what the request holds hard (every safety rule, and the wishes
    when `strict_preferences` is set), or with `wishes_too` every safety rule and every
    wish; `first_probe_s` bounds the first probe (see find_cores).
    """
    from solver.explain_suggest import suggest
    from solver.explain_words import describe_core, unknown_conflict

    budget = Budget(budget_s)
    whole = build_explain_model(request, extra_rules)
    chosen = whole.safety_groups + whole.wish_groups if wishes_too else whole.default_pool()
    status, cores = find_cores(
        whole,
        chosen,
        budget,
        extra_rules=extra_rules,
        max_cores=max_conflicts,
        first_probe_s=first_probe_s,
    )
    if status == "unknown":
        return status, [unknown_conflict(whole.timeline)]
    conflicts: list[Conflict] = []
    cores.sort(key=lambda c: min((g.order() for g in c.groups), default=(0, -1, 0, "")))
    for n, core in enumerate(cores):
        others = {g for c in cores if c is not core for g in c.groups}
        # Each conflict gets an even share of what is left, so all get their suggestions.
        share = Budget(max(0.0, budget.remaining) / (len(cores) - n))
        found = None
        for before in (1, 0) if suggestions else ():
            context = [
                g
                for g in chosen
                if g not in others and g in core.model.literals and _near(g, core, before)
            ]
            found = suggest(request, extra_rules, core, context, share)
            if found or share.spent:
                break
        conflicts.append(describe_core(core, found))
    return status, conflicts


def _near(group: Group, core: Core, before: int) -> bool:
    """Whether a group is in the core's weeks (or `before` weeks earlier): what a
    suggestion for this conflict must keep. Other weeks may hold conflicts of their own
    (not all are searched) that no change here could resolve; rules look back in time,
    so the weeks before matter more than those after."""
    weeks = [g.week for g in core.groups if g.week is not None]
    if group.week is None or not weeks:
        return True
    return min(weeks) - before <= group.week <= max(weeks)


def explain(
    request: PlanRequest,
    *,
    extra_rules: Sequence[Rule] = (),
    budget_s: float | None = None,
    max_conflicts: int = MAX_CONFLICTS,
) -> Explanation:
    """Why a request has no plan, or which wishes cannot all be met, without optimising.

    `status` says whether any plan keeps the request's hard rules. When it is infeasible,
    `conflicts` lists up to `max_conflicts` disjoint minimal conflicts with suggestions.
    When a plan exists but some wishes must bend (only without `strict_preferences`),
    `wish_conflicts` says which wishes collide with which safety rules.
    """
    seconds = (
        budget_s
        if budget_s is not None
        else min(DEFAULT_BUDGET_S, max(5.0, request.options.time_limit_s))
    )
    budget = Budget(seconds)
    # A long calendar gets a short first probe: it shows most infeasibilities (travel late
    # in a 52-week season: 0.6 s), and where it cannot tell, the first plan `plan_found`
    # seeks is what usually settles it (see the module doc), while a long probe would only
    # have run out. Failing that, the long probe gets what is left.
    long = Timeline(request).num_weeks >= WARM_START_FROM_WEEKS
    status, conflicts = conflicts_for(
        request,
        extra_rules,
        budget_s=seconds,
        max_conflicts=max_conflicts,
        first_probe_s=NEXT_CONFLICT_DETERMINISTIC_S if long else PROBE_DETERMINISTIC_S,
    )
    share = PLAN_SEARCH_SHARE if long else 1.0
    if status == "unknown" and plan_found(request, extra_rules, budget_s=share * budget.remaining):
        status, conflicts = "feasible", []
    if status == "unknown" and long and budget.remaining >= MIN_PLAN_SEARCH_S:
        status, conflicts = conflicts_for(
            request, extra_rules, budget_s=budget.remaining, max_conflicts=max_conflicts
        )
    wish_conflicts: list[Conflict] = []
    wishes: ProbeStatus | None = None
    if status == "feasible" and not request.options.strict_preferences:
        wishes, wish_conflicts = conflicts_for(
            request,
            extra_rules,
            wishes_too=True,
            budget_s=max(1.0, budget.remaining),
            max_conflicts=max_conflicts,
        )
        if wishes == "unknown":
            wish_conflicts = []  # not a conflict: nothing is known to collide
    return Explanation(
        status=status,
        conflicts=conflicts,
        wishes=wishes,
        wish_conflicts=wish_conflicts,
        wall_time_s=round(time.monotonic() - budget.started, 3),
    )


def plan_found(request: PlanRequest, extra_rules: Sequence[Rule], *, budget_s: float) -> bool:
    """Whether a whole plan keeping every hard rule turns up within `budget_s`, sought as
    `solve` seeks its first one on a long calendar (see the module doc); False says
    nothing either way."""
    started = time.monotonic()
    if budget_s < MIN_PLAN_SEARCH_S:
        return False
    placement = rolling_hint(request, extra_rules, budget_s=PLACEMENT_SHARE * budget_s).hint
    left = budget_s - (time.monotonic() - started)
    if placement is None or left < MIN_PLAN_SEARCH_S:
        return False
    built = build_model(request, extra_rules)
    return complete_hint(built, extra_rules, budget_s=left, placement=placement).hinted


def rule_ids(groups: Iterable[Group]) -> list[str]:
    """Distinct rule IDs of some groups, in RULES.md order."""
    ids = {g.rule for g in groups}
    return sorted(ids, key=lambda r: (_RULE_ORDER.get(r, len(_RULE_ORDER)), r))


def solve_conflicts(
    request: PlanRequest,
    extra_rules: Sequence[Rule] = (),
    *,
    max_conflicts: int = MAX_CONFLICTS,
    budget_s: float | None = None,
) -> list[Conflict]:
    """What `solve` reports for an infeasible request: its conflicts, searched within
    `budget_s` (by default the request's time limit, at most DEFAULT_BUDGET_S)."""
    budget = (
        budget_s if budget_s is not None else min(DEFAULT_BUDGET_S, request.options.time_limit_s)
    )
    _status, conflicts = conflicts_for(
        request, extra_rules, budget_s=budget, max_conflicts=max_conflicts
    )
    return conflicts
