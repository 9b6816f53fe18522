"""Small request builders and solve helpers for the "one request where it bites" tests.

A request here is a Monday-start calendar of a few weeks for one runner, written as a
weekly template (`week(...)` of `slot(...)`s) plus whatever the rule under test needs;
races and availability exceptions are placed by day offset (`race(...)`, `blocked(...)`).
`solve_rules` solves a request with a chosen rule list, so a test can compare the plan
with a rule and the plan without it; the planner's own rules at the end press against
built-in rules that nothing built in presses against.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from solver import solve, validate
from solver.extract import extract_plan, summarise_weeks
from solver.model import build_model
from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm, Rule
from solver.rules.registry import RULES
from solver.schemas import WEEKDAYS, Plan, PlanRequest, Session, SolveResult
from solver.solving import configure, run_model
from solver.timeline import Timeline
from solver.validate import ValidationReport
from solver.weights import scaled

START = dt.date(2027, 3, 1)  # a Monday
SOLVE_OPTIONS: dict[str, Any] = {
    "time_limit_s": 10,
    "num_workers": 4,
    "random_seed": 0,
}


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def slot(minutes: int, time: str | None = None, location: str = "home") -> dict[str, Any]:
    """One slot of the weekly template; the clock defaults to the am/pm default."""
    out: dict[str, Any] = {"minutes": minutes, "location": location}
    if time is not None:
        out["time"] = time
    return out


def week(
    am: Mapping[str, Mapping[str, Any] | int] | None = None,
    pm: Mapping[str, Mapping[str, Any] | int] | None = None,
) -> dict[str, dict[str, Any]]:
    """A weekly template from per-weekday am and pm slots; an int is a slot's minutes.

    `week(am={"mon": 60, "sun": 120}, pm={"wed": slot(60, "18:00", "gym")})`
    """
    template: dict[str, dict[str, Any]] = {}
    for name, slots in (("am", am or {}), ("pm", pm or {})):
        for weekday, value in slots.items():
            assert weekday in WEEKDAYS, weekday
            spec = slot(value) if isinstance(value, int) else dict(value)
            if name == "pm" and "time" not in spec:
                spec = {**spec, "time": "18:00"}
            template.setdefault(weekday, {})[name] = spec
    return template


def every_day(minutes: int, **overrides: int) -> dict[str, int]:
    """`minutes` on every weekday, with per-weekday overrides (`sun=120`)."""
    return {name: overrides.get(name, minutes) for name in WEEKDAYS}


def athlete(**overrides: Any) -> dict[str, Any]:
    """An intermediate runner: 200 min a week, longest recent run 60 min, 4-5 runs."""
    base: dict[str, Any] = {
        "level": "intermediate",
        "age": 35,
        "current_weekly_minutes": 200,
        "longest_recent_run_minutes": 60,
        "run_days": {"min": 4, "max": 5},
        "strength_sessions": {"min": 2, "max": 3},
    }
    return {**base, **copy.deepcopy(overrides)}


def make_request(
    weeks: int,
    weekly: dict[str, dict[str, Any]],
    *,
    runner: dict[str, Any] | None = None,
    races: Sequence[dict[str, Any]] = (),
    exceptions: Sequence[dict[str, Any]] = (),
    preferences: dict[str, Any] | None = None,
    weights: dict[str, float] | None = None,
) -> PlanRequest:
    """A `weeks`-week request from START (a Monday), solved within 10 s on 4 workers."""
    return PlanRequest.model_validate(
        {
            "start_date": START.isoformat(),
            "end_date": day(7 * weeks - 1).isoformat(),
            "athlete": runner or athlete(),
            "races": list(races),
            "locations": {
                "home": ["bodyweight", "bands"],
                "gym": ["bodyweight", "bands", "dumbbells", "barbell", "box", "bench"],
            },
            "availability": {"weekly": weekly, "exceptions": list(exceptions)},
            "preferences": preferences or {},
            "weights": weights or {},
            "options": SOLVE_OPTIONS,
        }
    )


def race(offset: int, distance: str, priority: str = "A", **extra: Any) -> dict[str, Any]:
    return {"date": day(offset).isoformat(), "distance": distance, "priority": priority, **extra}


def blocked(offset: int, slot_name: str = "all", minutes: int = 0) -> dict[str, Any]:
    """An availability exception: 0 minutes removes the day's slot(s) (travel, illness)."""
    return {"date": day(offset).isoformat(), "slot": slot_name, "minutes": minutes}


# --- solving -----------------------------------------------------------------------


def solve_and_validate(request: PlanRequest) -> tuple[SolveResult, ValidationReport]:
    """Plan a request through the public API and validate what comes back."""
    result = solve(request)
    return result, validate(request, result)


@dataclass(frozen=True)
class Solved:
    status: str
    plan: Plan
    objective: float


def solve_rules(
    request: PlanRequest, rules: Sequence[Rule], *, every_session: bool = False
) -> Solved:
    """Solve `request` with exactly `rules` (the registry's, minus or plus some).

    `every_session` reads every session the model placed in a slot: `extract_plan` reads
    one per slot (a run before a strength session), as T3 allows, so only this plan shows
    a model without T3 putting two things in one slot.
    """
    built = build_model(request, rules=rules)
    if not every_session:
        result = run_model(built)
        assert result.plan is not None, f"no plan: {result.status} ({result.stop_reason})"
        assert result.objective is not None
        return Solved(status=result.status, plan=result.plan, objective=result.objective)
    solver = cp_model.CpSolver()
    configure(solver, request)
    code = solver.solve(built.model)
    assert code in (cp_model.OPTIMAL, cp_model.FEASIBLE), solver.status_name(code)

    def value(expr: Any) -> int:
        return int(solver.value(expr))

    is_recovery = {w: bool(value(x)) for w, x in built.vars.recovery.items()}
    plan = extract_plan(built.vars, value, is_recovery)
    tl = built.timeline
    hidden = [
        Session(
            id=f"{tl.slots[key].date.isoformat()}-{key[1]}-strength-behind-a-run",
            date=tl.slots[key].date,
            slot=key[1],
            start=tl.slots[key].start_text,
            kind="strength",
            minutes=value(built.vars.strength_minutes_at(key)),
            location=tl.slots[key].location,
        )
        for key, x in built.vars.strength.items()
        if value(x) and value(built.vars.run_at(key))
    ]
    sessions = sorted([*plan.sessions, *hidden], key=lambda s: (s.date, s.slot))
    every = plan.model_copy(update={"sessions": sessions})
    every = every.model_copy(update={"weeks": summarise_weeks(tl, every, is_recovery)})
    scaled_total = sum(scaled(built.weight(t.rule)) * value(t.expr) for t in built.terms)
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return Solved(status=status, plan=every, objective=scaled_total / 100)


@dataclass(frozen=True)
class Capped:
    """A soft rule's penalty turned into a hard cap, its weight out of the objective.

    Solving without a soft rule but with `Capped(rule, p)` answers: can a plan as good as
    the best one without the rule keep the rule's penalty at p or below? If not, every
    best plan without the rule costs the rule more than p: the bite is no tie-break.
    """

    rule: Rule
    most: int
    hard: bool = True
    default_weight: float = 0.0

    @property
    def id(self) -> str:
        return f"{self.rule.id}-CAPPED"

    @property
    def title(self) -> str:
        return f"{self.rule.title}, capped"

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        terms = self.rule.encode(ctx)
        ctx.model.add(sum((t.expr for t in terms), start=0) <= self.most)
        return []

    def check(self, ctx: CheckContext) -> CheckOutcome:
        del ctx
        return CheckOutcome()


# The strength-content family: which exercises a session holds (RULES.md S6-S10, S12, P4).
CONTENT_IDS = frozenset({"S6", "S7", "S8", "S9", "S10", "S12", "P4"})


def placement_rules() -> list[Rule]:
    """The registry without the content family: what goes where, and for how long."""
    return [r for r in RULES if r.id not in CONTENT_IDS]


def without(rule_id: str, rules: Sequence[Rule] = RULES) -> list[Rule]:
    """`rules` (the registry's by default) without `rule_id`."""
    assert any(r.id == rule_id for r in rules), rule_id
    return [r for r in rules if r.id != rule_id]


def violations(request: PlanRequest, plan: Plan, rules: Sequence[Rule]) -> list[str]:
    """Every violation the checks of `rules` find in a plan, as `rule: message`."""
    ctx = CheckContext(timeline=Timeline(request), plan=plan)
    return [f"{v.rule}: {v.message}" for r in rules for v in r.check(ctx).violations]


def check_rule(rule_id: str, request: PlanRequest, plan: Plan) -> CheckOutcome:
    """The rule's own independent check on a plan."""
    rule = next(r for r in RULES if r.id == rule_id)
    return rule.check(CheckContext(timeline=Timeline(request), plan=plan))


# --- pushes: a planner's own soft rules that press against a built-in rule ---------------


@dataclass(frozen=True)
class WantsHardRuns:
    """A quality-hungry coach: every week should hold `wanted` hard runs (races count).

    No built-in soft rule asks for more hard runs than R3 allows (R15 wants at most 2), so
    a test of R3 needs a planner's own rule to press against it.
    """

    wanted: int
    only_intervals: bool = False  # count only `intervals` runs
    id: str = "X-QUALITY"
    title: str = "Coach wants quality"
    hard: bool = False
    default_weight: float = 100.0

    def _types(self) -> tuple[str, ...]:
        return ("intervals",) if self.only_intervals else ("tempo", "intervals", "hills", "race")

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        terms: list[PenaltyTerm] = []
        for info in ctx.timeline.weeks:
            count = ctx.vars.count_in_week(info.index, self._types())
            short = ctx.model.new_int_var(0, self.wanted, f"x_quality_short_{info.index}")
            ctx.model.add_max_equality(short, [0, self.wanted - count])
            terms.append(PenaltyTerm(self.id, short, f"week {info.index + 1}", week=info.index))
        return terms

    def check(self, ctx: CheckContext) -> CheckOutcome:
        out = CheckOutcome()
        for info in ctx.timeline.weeks:
            runs = ctx.facts.week_runs(info.index)
            count = sum(
                1 for s in runs if (s.run_type if s.kind == "run" else "race") in self._types()
            )
            out.penalty += max(0, self.wanted - count)
        return out


@dataclass(frozen=True)
class DislikesRecoveryRuns:
    """A runner who finds recovery jogs pointless: each `recovery` run costs a little.

    Nothing built in tells `recovery` from `easy` but R17 (R4 aside), so without R17 the
    choice would be arbitrary; this rule makes it deterministic and presses against R17.
    """

    id: str = "X-NO-JOGS"
    title: str = "Prefers easy runs to recovery jogs"
    hard: bool = False
    default_weight: float = 3.0  # below R17's 5: R17 wins where it applies

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        jogs = [x for (_d, _n, t), x in ctx.vars.run.items() if t == "recovery"]
        return [PenaltyTerm(self.id, sum(jogs, start=0), "recovery runs")]

    def check(self, ctx: CheckContext) -> CheckOutcome:
        jogs = [s for s in ctx.plan.sessions if s.kind == "run" and s.run_type == "recovery"]
        return CheckOutcome(penalty=len(jogs))


@dataclass(frozen=True)
class WantsStrength:
    """A lifter: every week should hold `wanted` strength sessions, more than S1 allows."""

    wanted: int
    id: str = "X-LIFTER"
    title: str = "Wants more strength"
    hard: bool = False
    default_weight: float = 100.0

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        terms: list[PenaltyTerm] = []
        for info in ctx.timeline.weeks:
            count = ctx.vars.strength_count(info.index)
            short = ctx.model.new_int_var(0, self.wanted, f"x_lifter_short_{info.index}")
            ctx.model.add_max_equality(short, [0, self.wanted - count])
            terms.append(PenaltyTerm(self.id, short, f"week {info.index + 1}", week=info.index))
        return terms

    def check(self, ctx: CheckContext) -> CheckOutcome:
        out = CheckOutcome()
        for info in ctx.timeline.weeks:
            count = len(ctx.facts.strength_sessions(info.index))
            out.penalty += max(0, self.wanted - count)
        return out
