"""The rule protocol: a rule is the unit of extension.

A rule has an ID (RULES.md, or a planner's own), an `encode` that adds its constraints to
the CP-SAT model and returns its penalty terms, and a `check` that reads only the request
and the finished plan. The solver runs every rule's `encode`; the validator runs every
rule's `check`. This module must not import ortools: the validator imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from solver.plan_facts import PlanFacts
from solver.schemas import Plan, PlanRequest, Violation
from solver.timeline import Timeline

if TYPE_CHECKING:
    from solver.vars import PlanVars


@dataclass(frozen=True)
class PenaltyTerm:
    """A soft rule's unweighted penalty: an integer CP-SAT expression in the rule's unit."""

    rule: str
    expr: Any  # a CP-SAT linear expression; typed loosely so this module needs no ortools
    detail: str = ""
    week: int | None = None
    wanted: int | None = None  # wishes: what the athlete asked for that week


@dataclass
class EncodeContext:
    """What an encoding reads and writes: the model, its variables and the calendar.

    Hard constraints go through `hard(rule, week, constraint)`. In an explaining model
    (`explain=True`) each (rule, week) group gets one enforcement literal, so CP-SAT can
    name the smallest set of groups that cannot hold together (`solver/explaining.py`).
    Definitions (aggregates, penalty variables) use `model.add` directly: they are not
    rules and never take part in a conflict.
    """

    model: Any  # ortools.sat.python.cp_model.CpModel
    vars: PlanVars
    timeline: Timeline
    strict_wishes: bool
    explain: bool = False
    # Off when the caller replaces every hint (a re-plan hints the plan in progress):
    # the strength templates' hints cost a small solve per block.
    hint_templates: bool = True
    group_literals: dict[tuple[str, int | None], Any] = field(default_factory=dict)
    # The proto indices of each group's constraints: a re-plan rewrites some groups.
    group_constraints: dict[tuple[str, int | None], list[int]] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # state shared by rule families

    @property
    def request(self) -> PlanRequest:
        return self.timeline.request

    def group_literal(self, rule: str, week: int | None) -> Any:
        key = (rule, week)
        if key not in self.group_literals:
            name = f"enforce_{rule}_w{'all' if week is None else week}"
            self.group_literals[key] = self.model.new_bool_var(name)
        return self.group_literals[key]

    def hard(self, rule: str, week: int | None, constraint: Any) -> Any:
        """Add a hard constraint of `rule` about `week` (None: the whole plan)."""
        return self._grouped(rule, week, self.model.add(constraint))

    def hard_or(self, rule: str, week: int | None, literals: list[Any]) -> Any:
        """Add a hard clause (at least one literal true) of `rule` about `week`."""
        return self._grouped(rule, week, self.model.add_bool_or(literals))

    def _grouped(self, rule: str, week: int | None, added: Any) -> Any:
        if self.explain:
            added.only_enforce_if(self.group_literal(rule, week))
            self.group_constraints.setdefault((rule, week), []).append(added.index)
        return added


@dataclass
class CheckContext:
    """What a check reads: the request, its calendar and the finished plan. No solver."""

    timeline: Timeline
    plan: Plan
    facts: PlanFacts = field(init=False)

    def __post_init__(self) -> None:
        self.facts = PlanFacts(self.timeline, self.plan)

    @property
    def request(self) -> PlanRequest:
        return self.timeline.request


@dataclass
class CheckOutcome:
    """A check's verdict: hard-rule violations and the unweighted soft penalty (rule units)."""

    violations: list[Violation] = field(default_factory=list)
    penalty: int = 0
    details: list[str] = field(default_factory=list)


@runtime_checkable
class Rule(Protocol):
    """A rule both the solver and the validator honour.

    `id` names the rule in violations, penalties and explanations. `hard` rules return no
    penalty terms from `encode`; soft rules return terms whose weight is looked up by `id`
    in the request's `weights`, else `default_weight`.
    """

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def hard(self) -> bool: ...

    @property
    def default_weight(self) -> float: ...

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]: ...

    def check(self, ctx: CheckContext) -> CheckOutcome: ...
