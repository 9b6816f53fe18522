"""The two rules a re-plan adds: CHANGE (soft) and PIN (hard).

Both are ordinary `Rule` objects passed as `extra_rules`, so the solver encodes them and
the validator checks them the same way as the built-in rules.

- **CHANGE** counts the slots from `as_of` on whose session differs from the plan in
  progress: a session added, dropped, moved, or changed in kind, run type or minutes. A
  moved session counts twice (gone here, new there). Weight `CHANGE_WEIGHT` per changed
  slot: above the small everyday penalties (R9 minutes, R17, S5, PREF), so the plan does
  not churn for a few minutes of volume target, and far below a wish.
- **PIN** forces a kind of session (or a run type) onto a date, or a slot, or forbids it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from solver.plan_facts import run_type as session_run_type
from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm
from solver.schemas import SLOT_NAMES, Pin, Session, SessionChange, SlotName
from solver.timeline import TRAINING_RUN_TYPES, Timeline
from solver.vars import PlanVars

CHANGE_WEIGHT = 15.0
SlotDate = tuple[dt.date, SlotName]


def _same(a: Session, b: Session) -> bool:
    return (a.kind, session_run_type(a), a.minutes) == (b.kind, session_run_type(b), b.minutes)


class ChangeRule:
    """CHANGE - the future changes as little as possible: changed slots from `as_of` on."""

    id = "CHANGE"
    title = "Changed sessions"
    hard = False

    def __init__(
        self, baseline: dict[SlotDate, Session], as_of: dt.date, weight: float = CHANGE_WEIGHT
    ) -> None:
        self.baseline = {k: s for k, s in baseline.items() if s.kind in ("run", "strength")}
        self.as_of = as_of
        self.default_weight = weight

    def _positions(self, tl: Timeline) -> list[SlotDate]:
        first = tl.day_of(self.as_of)
        here = {
            (tl.date(day), name)
            for (day, name), slot in tl.slots.items()
            if day >= first and slot.race is None
        }
        return sorted(here | {k for k in self.baseline if tl.start <= k[0] <= tl.end})

    def encode(self, ctx: EncodeContext) -> list[PenaltyTerm]:
        tl, v, m = ctx.timeline, ctx.vars, ctx.model
        by_week: dict[int, list[Any]] = {}
        for date, name in self._positions(tl):
            day = tl.day_of(date)
            if day >= tl.num_days:
                continue
            changed = _changed_literal(v, (day, name), self.baseline.get((date, name)))
            by_week.setdefault(tl.week_of(day), []).append(changed)
        terms = []
        for week, changed in sorted(by_week.items()):
            total = m.new_int_var(0, len(changed), f"changed_w{week}")
            m.add(total == sum(changed, start=0))
            terms.append(PenaltyTerm(self.id, total, f"week {week + 1}", week=week))
        return terms

    def check(self, ctx: CheckContext) -> CheckOutcome:
        out = CheckOutcome()
        for change in self.changes(ctx.timeline, ctx.plan.sessions):
            out.penalty += 1
            out.details.append(change.message)
        return out

    def changes(self, tl: Timeline, sessions: Sequence[Session]) -> list[SessionChange]:
        """The slots from as_of on whose session differs from the plan in progress."""
        now: dict[SlotDate, Session] = {
            (s.date, s.slot): s
            for s in sessions
            if s.kind in ("run", "strength") and s.date >= self.as_of
        }
        out = []
        for key in sorted(set(now) | set(self.baseline)):
            if not tl.start <= key[0] <= tl.end or key[0] < self.as_of:
                continue
            before, after = self.baseline.get(key), now.get(key)
            if before is not None and after is not None and _same(before, after):
                continue
            out.append(
                SessionChange(
                    date=key[0],
                    slot=key[1],
                    before=before.id if before else None,
                    after=after.id if after else None,
                    message=f"{key[0]:%a %Y-%m-%d} {key[1]}: {_describe(before)} -> "
                    f"{_describe(after)}",
                )
            )
        return out


def _describe(session: Session | None) -> str:
    if session is None:
        return "nothing"
    what = session_run_type(session) or session.kind
    return f"{session.minutes}' {what}"


def _changed_literal(v: PlanVars, key: tuple[int, SlotName], before: Session | None) -> Any:
    """A literal that is true exactly when the slot's session differs from `before`."""
    m = v.model
    if key not in v.timeline.slots:
        return m.new_constant(0 if before is None else 1)
    day, name = key
    if before is None:
        things = [v.run[(day, name, t)] for t in v.run_types_at(key)]
        if key in v.strength:
            things.append(v.strength[key])
        if not things:
            return m.new_constant(0)
        changed = m.new_bool_var(f"changed_{day}_{name}")
        m.add_max_equality(changed, things)
        return changed
    if before.kind == "strength":
        chosen, minutes = v.strength.get(key), v.strength_minutes_at(key)
    else:
        kind = session_run_type(before) or ""
        chosen, minutes = v.run.get((day, name, kind)), v.minutes_of_type(key, kind)
    if chosen is None:
        return m.new_constant(1)  # that session cannot be held here any more
    length = m.new_bool_var(f"same_minutes_{day}_{name}")
    m.add(minutes == before.minutes).only_enforce_if(length)
    m.add(minutes != before.minutes).only_enforce_if(~length)
    same = m.new_bool_var(f"same_{day}_{name}")
    m.add_bool_and([chosen, length]).only_enforce_if(same)
    m.add_bool_or([~chosen, ~length]).only_enforce_if(~same)
    return ~same


def _pin_text(pin: Pin) -> str:
    what = pin.run_type + " run" if pin.run_type else pin.kind
    where = f"{pin.date:%a %Y-%m-%d}" + (f" {pin.slot}" if pin.slot else "")
    return f"{'no ' if pin.forbid else 'a '}{what} on {where}"


def _pin_matches(pin: Pin, session: Session) -> bool:
    if session.date != pin.date or (pin.slot is not None and session.slot != pin.slot):
        return False
    if pin.kind == "strength":
        return session.kind == "strength"
    if pin.kind == "run":
        kind = session_run_type(session)
        return session.kind == "run" and (pin.run_type is None or kind == pin.run_type)
    return session.kind in ("run", "strength")


class PinRule:
    """PIN - the athlete's pins: a session forced onto a date or slot, or forbidden there."""

    id = "PIN"
    title = "Pinned sessions"
    hard = True
    default_weight = 0.0

    def __init__(self, pins: Sequence[Pin]) -> None:
        self.pins = list(pins)

    def _literals(self, v: PlanVars, pin: Pin) -> list[Any]:
        tl = v.timeline
        day = tl.day_of(pin.date)
        names = (pin.slot,) if pin.slot is not None else SLOT_NAMES
        out: list[Any] = []
        for name in names:
            key = (day, name)
            if pin.kind in ("run", "session"):
                kinds = (pin.run_type,) if pin.run_type else TRAINING_RUN_TYPES
                out += [v.run[(day, name, t)] for t in kinds if (day, name, t) in v.run]
            if pin.kind in ("strength", "session") and key in v.strength:
                out.append(v.strength[key])
        return out

    def encode(self, ctx: EncodeContext) -> list[PenaltyTerm]:
        tl = ctx.timeline
        for pin in self.pins:
            day = tl.day_of(pin.date)
            if not 0 <= day < tl.num_days:
                continue
            literals = self._literals(ctx.vars, pin)
            week = tl.week_of(day)
            if pin.forbid:
                for literal in literals:
                    ctx.hard(self.id, week, literal == 0)
            else:
                # No literal at all (no slot that day) makes the clause empty: infeasible,
                # and explained as PIN against the calendar.
                ctx.hard_or(self.id, week, literals)
        return []

    def check(self, ctx: CheckContext) -> CheckOutcome:
        out = CheckOutcome()
        for pin in self.pins:
            hits = [s for s in ctx.plan.sessions if _pin_matches(pin, s)]
            if pin.forbid and hits:
                out.violations.append(_violation(pin, "the plan has one there"))
            if not pin.forbid and not hits:
                out.violations.append(_violation(pin, "the plan has none there"))
        return out


def _violation(pin: Pin, why: str) -> Any:
    from solver.schemas import Violation

    return Violation(
        rule="PIN", dates=[pin.date], message=f"You pinned {_pin_text(pin)}, but {why}."
    )
