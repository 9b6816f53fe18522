"""Suggestions: the smallest change that resolves a conflict, found by the solver.

Two kinds of change are searched, each by one optimisation with counted slack:

- **Availability** (T2): every free or short slot position in the conflict's weeks is
  opened at `OPEN_MINUTES`; the solver keeps the conflict's rules (and every rule not in
  another conflict) hard and minimises what it uses of the new room: a fixed cost per new
  or extended slot plus its minutes. The slots it uses become the suggestion ("add a
  45-minute am slot on Thu 2027-03-18"), checked by re-solving the patched request. The
  next alternatives come from forbidding the previous answer.
- **Wishes**: the conflict's wishes are made soft and their shortfall minimised ("lower
  strength sessions to 2 in week 3").

Safety rules are never offered as a change: they do not bend (RULES.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from solver.explaining import (
    PROBE_DETERMINISTIC_S,
    Budget,
    Core,
    ExplainModel,
    Group,
    build_explain_model,
    focus_weeks,
    probe_solver,
)
from solver.rules.base import Rule
from solver.schemas import (
    SLOT_NAMES,
    AvailabilityException,
    PlanRequest,
    SlotName,
    Suggestion,
    WishChange,
)
from solver.timeline import DEFAULT_SLOT_TIME, Timeline

OPEN_MINUTES = 120  # room offered in each free position; the solver uses what it needs
NEW_SLOT_COST = 60  # minutes-equivalent of asking for one more slot at all
EXTEND_COST = 15  # ... or of lengthening one that exists
MAX_ALTERNATIVES = 2
# Presolve costs more than it saves on a few weeks, and far less than it saves on many
# (measured: a 42-week suggestion search went from 95 s to 26 s with it).
PRESOLVE_FROM_WEEKS = 12


@dataclass(frozen=True)
class Position:
    """A slot position that can be opened or lengthened: its day, name and where/when."""

    day: int
    name: SlotName
    date: dt.date
    capacity: int  # today's capacity, 0 when the slot does not exist
    time: str
    location: str

    @property
    def key(self) -> tuple[int, SlotName]:
        return (self.day, self.name)


def _template(tl: Timeline, day: int, name: SlotName) -> tuple[str | None, str | None]:
    weekly = tl.request.availability.weekly.get(tl.weekday(day))  # type: ignore[call-overload]
    slot = getattr(weekly, name) if weekly is not None else None
    if slot is None:
        return None, None
    return slot.time, slot.location


def open_positions(tl: Timeline, weeks: Iterable[int]) -> list[Position]:
    """Positions in `weeks` shorter than OPEN_MINUTES that an exception can change.

    Race slots and slots blocked by imported calendar events are left alone.
    """
    default_location = next(iter(tl.request.locations))
    out: list[Position] = []
    for week in sorted(set(weeks)):
        for day in tl.days_of_week(week):
            date = tl.date(day)
            for name in SLOT_NAMES:
                existing = tl.slots.get((day, name))
                if existing is not None and (
                    existing.race is not None or existing.capacity >= OPEN_MINUTES
                ):
                    continue
                if (date, name) in tl.blocked:
                    continue
                time, location = _template(tl, day, name)
                if existing is not None:
                    clock = f"{existing.clock // 60:02d}:{existing.clock % 60:02d}"
                    time, location = clock, existing.location
                out.append(
                    Position(
                        day=day,
                        name=name,
                        date=date,
                        capacity=existing.capacity if existing is not None else 0,
                        time=time or DEFAULT_SLOT_TIME[name],
                        location=location or default_location,
                    )
                )
    return out


def with_exceptions(
    request: PlanRequest, exceptions: Sequence[AvailabilityException]
) -> PlanRequest:
    """The request with extra dated exceptions; later exceptions win (timeline.py)."""
    availability = request.availability.model_copy(
        update={"exceptions": [*request.availability.exceptions, *exceptions]}
    )
    return request.model_copy(update={"availability": availability})


def _exception(position: Position, minutes: int) -> AvailabilityException:
    return AvailabilityException(
        date=position.date,
        slot=position.name,
        minutes=minutes,
        location=position.location,
        time=position.time,
    )


def _enforce(xm: ExplainModel, on: Iterable[Group]) -> None:
    """Switch groups on for good (not as assumptions) in a model used once."""
    for group in on:
        if xm.knows(group):
            xm.built.model.add(xm.literal(group) == 1)


def _held(xm: ExplainModel, off: set[Group], wishes: set[Group]) -> list[Group]:
    """The groups a suggestion must keep: every safety group not set aside, these wishes."""
    return [g for g in xm.literals if (g.wish and g in wishes) or (not g.wish and g not in off)]


def _solver(budget: Budget, xm: ExplainModel) -> Any:
    """Single-worker and seeded like every probe; presolve only on long calendars."""
    profile: dict[str, Any] = {}
    if xm.timeline.num_weeks < PRESOLVE_FROM_WEEKS:
        profile["cp_model_presolve"] = False
    return probe_solver(budget, PROBE_DETERMINISTIC_S, profile)


def _used_minutes(xm: ExplainModel, key: tuple[int, SlotName]) -> Any:
    v = xm.built.vars
    return v.minutes_at(key) + v.strength_minutes_at(key)


def _used(xm: ExplainModel, key: tuple[int, SlotName]) -> Any:
    v = xm.built.vars
    return v.run_at(key) + v.strength_at(key)


def _cutoff(xm: ExplainModel) -> int | None:
    return xm.timeline.cutoff_weeks


def _opened(request: PlanRequest, positions: Sequence[Position]) -> PlanRequest:
    return with_exceptions(
        request, [_exception(p, max(OPEN_MINUTES, p.capacity)) for p in positions]
    )


def availability_blocks(base: ExplainModel, core: Sequence[Group], budget: Budget) -> bool:
    """Whether the calendar is part of the reason: with the core's weeks opened, it holds."""
    weeks = {g.week for g in core if g.week is not None}
    positions = open_positions(base.timeline, weeks)
    if not positions or budget.spent:
        return False
    relaxed = _opened(base.timeline.request, positions)
    # Only the core is switched on: the weeks up to its reach are the same question.
    cutoffs = [c for c in (_cutoff(base), focus_weeks(base.timeline, core)) if c is not None]
    xm = build_explain_model(relaxed, cutoff_weeks=min(cutoffs, default=None))
    _enforce(xm, core)
    code = _solver(budget, xm).solve(xm.built.model)
    return code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def slot_suggestions(
    request: PlanRequest,
    extra_rules: Sequence[Rule],
    core: Core,
    off: set[Group],
    wishes: set[Group],
    budget: Budget,
) -> list[Suggestion]:
    """Up to MAX_ALTERNATIVES smallest availability changes that resolve the conflict."""
    tl_weeks = {g.week for g in core.groups if g.week is not None}
    cutoff = _cutoff(core.model)
    positions = open_positions(core.model.timeline, tl_weeks)
    if not positions or budget.spent:
        return []
    xm = build_explain_model(_opened(request, positions), extra_rules, cutoff_weeks=cutoff)
    model = xm.built.model
    _enforce(xm, _held(xm, off, wishes))
    changed: dict[tuple[int, SlotName], Any] = {}
    extra: dict[tuple[int, SlotName], Any] = {}
    cost: list[Any] = []
    for p in positions:
        if p.key not in xm.timeline.slots:
            continue
        minutes = _used_minutes(xm, p.key)
        flag = model.new_bool_var(f"changed_{p.day}_{p.name}")
        more = model.new_int_var(0, OPEN_MINUTES, f"extra_{p.day}_{p.name}")
        # more = max(0, minutes - capacity); flag = "this position is asked for".
        model.add_max_equality(more, [0, minutes - p.capacity])
        if p.capacity == 0:
            model.add(flag == _used(xm, p.key))
        else:
            model.add(more <= OPEN_MINUTES * flag)
            model.add(more >= 1).only_enforce_if(flag)
        changed[p.key] = flag
        extra[p.key] = more
        cost.append((NEW_SLOT_COST if p.capacity == 0 else EXTEND_COST) * flag + more)
    model.minimize(sum(cost, start=0))
    by_key = {p.key: p for p in positions}
    found: list[Suggestion] = []
    while len(found) < MAX_ALTERNATIVES and not budget.spent:
        solver = _solver(budget, xm)
        code = solver.solve(model)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        chosen = [k for k, flag in changed.items() if solver.value(flag)]
        if not chosen:
            break  # resolved without any new room: the calendar was not the reason
        patch = [(by_key[k], by_key[k].capacity + int(solver.value(extra[k]))) for k in chosen]
        suggestion = _availability_suggestion(patch)
        patched = with_exceptions(request, suggestion.exceptions)
        if _resolves(patched, extra_rules, cutoff, off, wishes, budget):
            found.append(suggestion)
        # Next alternative: not this same set of positions again.
        model.add(sum((changed[k] for k in chosen), start=0) <= len(chosen) - 1)
    return found


def _availability_suggestion(patch: Sequence[tuple[Position, int]]) -> Suggestion:
    week_of = {p.day // 7 for p, _ in patch}
    parts: list[str] = []
    for p, minutes in sorted(patch, key=lambda pm: (pm[0].day, pm[0].name)):
        when = f"{p.date:%a %Y-%m-%d}"
        if p.capacity == 0:
            parts.append(f"add a {minutes}-minute {p.name} slot ({p.time}) on {when}")
        else:
            parts.append(f"extend the {p.name} slot on {when} from {p.capacity} to {minutes} min")
    in_weeks = ", ".join(str(w + 1) for w in sorted(week_of))
    text = " and ".join(parts)
    message = f"{text[:1].upper()}{text[1:]} (week {in_weeks})."
    size = sum(minutes - p.capacity for p, minutes in patch)
    kind = "add_slot" if any(p.capacity == 0 for p, _ in patch) else "extend_slot"
    return Suggestion(
        kind=kind,
        message=message,
        size=size,
        exceptions=[_exception(p, minutes) for p, minutes in patch],
    )


def _resolves(
    patched: PlanRequest,
    extra_rules: Sequence[Rule],
    cutoff: int | None,
    off: set[Group],
    wishes: set[Group],
    budget: Budget,
) -> bool:
    xm = build_explain_model(patched, extra_rules, cutoff_weeks=cutoff)
    return xm.probe(_held(xm, off, wishes), budget).status == "feasible"


def wish_suggestion(
    request: PlanRequest,
    extra_rules: Sequence[Rule],
    core: Core,
    off: set[Group],
    wishes: set[Group],
    budget: Budget,
) -> list[Suggestion]:
    """The fewest sessions to wish for less, in the conflict's wish weeks, that resolve it."""
    soft = {g for g in core.groups if g.wish}
    if not soft or budget.spent:
        return []
    xm = build_explain_model(request, extra_rules, cutoff_weeks=_cutoff(core.model))
    model = xm.built.model
    _enforce(xm, _held(xm, off, wishes - soft))
    shortfall = [
        t for t in xm.built.terms if t.week is not None and Group(t.rule, t.week, True) in soft
    ]
    model.minimize(sum((t.expr for t in shortfall), start=0))
    solver = _solver(budget, xm)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    changes: list[WishChange] = []
    for term in shortfall:
        short = int(solver.value(term.expr))
        if short > 0 and term.week is not None:
            wanted = term.wanted or short
            changes.append(
                WishChange(rule=term.rule, week=term.week, wanted=wanted, value=wanted - short)
            )
    if not changes:
        return []
    parts = [
        f"{'runs' if c.rule == 'R10' else 'strength sessions'} to {c.value} in week {c.week + 1}"
        for c in changes
    ]
    return [
        Suggestion(
            kind="lower_wish",
            message="Lower " + " and ".join(parts) + ".",
            size=sum(c.wanted - c.value for c in changes),
            wishes=changes,
        )
    ]


def suggest(
    request: PlanRequest,
    extra_rules: Sequence[Rule],
    core: Core,
    context: Sequence[Group],
    budget: Budget,
) -> list[Suggestion]:
    """Changes that resolve `core` while every group of `context` keeps holding.

    `context` is what the request holds hard minus the other conflicts' groups, so a
    suggestion fixes this conflict without claiming to fix the others. The changes are
    searched and checked on the core's calendar (`Core.model`: the weeks up to the core's
    reach, see solver.explaining.focus_weeks); adding room or lowering a wish only relaxes
    what later weeks see.
    """
    held = set(context) | set(core.groups)
    off = {g for g in core.model.literals if not g.wish and g not in held}
    wishes = {g for g in held if g.wish}
    found = slot_suggestions(request, extra_rules, core, off, wishes, budget)
    found += wish_suggestion(request, extra_rules, core, off, wishes, budget)
    order = {"lower_wish": 1, "extend_slot": 0, "add_slot": 0}
    return sorted(found, key=lambda s: (len(s.exceptions) + len(s.wishes), order[s.kind], s.size))
