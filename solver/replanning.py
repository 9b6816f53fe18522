"""Re-planning a plan in progress: the past as logged, the future changed as little as possible.

`replan(request, previous, log, as_of)` solves the same model as `solve`, with:

- **The past fixed as logged** (solver/replan_log.py): every decision before `as_of` is a
  constant, so actual minutes and loads count in R5 (progression), R8 (acute:chronic load)
  and R11 (single-run spike), and weeks before `as_of` keep their recovery flags.
- **Past facts never make the future infeasible.** The rules apply to what the solver
  decides. Every hard constraint filed under a week up to `as_of`'s week (from the first
  week the log changes; up to the week before when `as_of` is the first day of its week,
  which then holds decisions only) gets counted slack; a first, small solve over those
  weeks only, with nothing new planned for the rest of `as_of`'s week, finds the slack
  the facts force (three runs on three days in a row, two strength sessions 24 h apart, a week
  already over R10's cap). The real solve then keeps every constraint either whole or
  broken exactly as the facts broke it: no decision adds to a broken rule (no seventh
  run in a week that already has six), and every rule the facts leave whole holds
  (solver/replan_model.py); R7's easy share may shrink. What the rest of `as_of`'s week
  can still keep, it keeps: a long run still to come is moved if need be, never
  dropped (solver/replan_mend.py). Only if that leaves no plan does it drop the
  mending, then allow partial repairs ("never worse"). A missed long run is therefore
  never crammed into a day where it would break R2, R4 or R11.
- **The future changes as little as possible**: the soft rule CHANGE (solver/replan_rules.py,
  weight `CHANGE_WEIGHT` per changed slot) and the previous plan as the solver's hint,
  first repaired near `as_of` with the later weeks' sessions kept where they were
  (solver/replan_repair.py).
  With an empty log an optimal plan in progress comes back unchanged; one that stopped
  at its time limit may be improved, where the gain outweighs what CHANGE counts.
- **Pins** (PIN, hard): a session forced onto a date or slot, or forbidden there.

Weeks after `as_of`'s week are planned under every hard rule, exactly as `solve` would.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from solver.replan_log import ReplanInputError, Replanning, read_log
from solver.replan_mend import mendable
from solver.replan_model import (
    Reference,
    bound_slack,
    broken_groups,
    build_replan_model,
    hint_previous,
    last_touched_week,
    reference_slack,
)
from solver.replan_repair import repair_hint
from solver.replan_rules import CHANGE_WEIGHT, ChangeRule, PinRule
from solver.rules.base import Rule
from solver.schemas import (
    Conflict,
    Plan,
    PlanRequest,
    ReplanLog,
    ReplanRequest,
    SolveResult,
    UnmetWish,
    Violation,
)
from solver.validate import validate

if TYPE_CHECKING:
    from solver.explaining import ExplainModel
    from solver.solving import Progress

__all__ = [
    "CHANGE_WEIGHT",
    "ReplanInputError",
    "prepare",
    "replan",
    "replan_from",
    "replan_rules",
    "split_violations",
]

PAST_SHARE = 0.25  # of the time limit, at most, for the first (past-only) solve
REPAIR_SHARE = 0.3  # of what is left, at most, for repairing the plan in progress
MIN_SOLVE_S = 1.0


def prepare(
    request: PlanRequest, previous: SolveResult | Plan, log: ReplanLog, as_of: dt.date
) -> Replanning:
    """The re-plan's inputs read together; raises ReplanInputError naming each bad field."""
    if isinstance(previous, SolveResult):
        return read_log(request, previous.plan, log, as_of, previous.replanned_from)
    return read_log(request, previous, log, as_of)


def replan_rules(rp: Replanning, extra_rules: Sequence[Rule] = ()) -> list[Rule]:
    """The rules a re-plan solves (and a validator checks) on top of the built-in ones."""
    return [*extra_rules, ChangeRule(rp.baseline, rp.as_of), PinRule(rp.log.pins)]


def replan(
    request: PlanRequest,
    previous: SolveResult | Plan,
    log: ReplanLog,
    as_of: dt.date,
    *,
    extra_rules: Sequence[Rule] = (),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    warm_start: bool = True,
) -> SolveResult:
    """Re-plan from `as_of` on, keeping the past as `log` says (see the module doc).

    `warm_start=False` leaves out the previous plan as the solver's hint: the same problem
    solved cold, which only benchmarks want.

    The result's plan covers the whole calendar: past sessions as the model counted them,
    then the new future. Validate it against `prepare(...).request` with `replan_rules`
    (`split_violations` tells the past's own violations from the future's).
    Raises ReplanInputError (a ValueError) when the log does not fit the plan.
    """
    # Here: replan_log users need no ortools.
    from solver.solving import explain_reserve, run_model

    started = time.monotonic()
    rp = prepare(request, previous, log, as_of)
    rules = replan_rules(rp, extra_rules)
    options = request.options
    reference: Reference = {}
    reference_started = time.monotonic()
    if rp.as_of_day > 0:
        found = reference_slack(
            rp,
            rules,
            time_limit_s=max(PAST_SHARE * options.time_limit_s, MIN_SOLVE_S),
            seed=options.random_seed,
        )
        if found is None:
            return _undecided(rp, started)
        if isinstance(found, str):
            return _infeasible(rp, rules, started)
        reference = found
    limit_s, seed = PAST_SHARE * options.time_limit_s, options.random_seed
    mended = mendable(rp, rules, reference, time_limit_s=limit_s, seed=seed)
    reference_s = time.monotonic() - reference_started
    result = SolveResult(status="infeasible")
    # First: what the rest of as_of's week can keep is kept, and every other broken rule
    # repaired or left exactly as the facts left it. Should that leave no plan (the weeks
    # ahead need more), the same without the mending; then: never worse.
    build_s = 0.0
    for allowed, exact in _attempts(reference, mended):
        build_started = time.monotonic()
        model = build_replan_model(
            rp, rules, relax=broken_groups(allowed), hint_templates=not warm_start
        )
        build_s += time.monotonic() - build_started
        bound_slack(model, allowed, exact=exact)
        if warm_start:
            hint_previous(model.built, rp)
            budget = REPAIR_SHARE * (options.time_limit_s - (time.monotonic() - started))
            # Each repaired plan is a whole plan: a stop from then on returns the best
            # (it becomes the hint, which run_model reads back).
            repair_hint(
                model.built, rp, budget_s=budget, stop=stop, on_plan=_reporter(on_progress, started)
            )
        deadline = started + options.time_limit_s
        remaining = deadline - explain_reserve(options.time_limit_s) - time.monotonic()
        result = run_model(
            model.built,
            on_progress=on_progress,
            stop=stop,
            started=started,
            time_limit_s=max(remaining, MIN_SOLVE_S),
            explain_until=deadline,
            # The weeks before as_of's are over: their wishes are not worth a search.
            wishes_from_week=rp.as_of_day // 7,
            known_wishes=_known_wishes(previous, rp),
            wish_models=partial(_explaining_model, rp, rules, allowed),
        )
        if result.status != "infeasible":
            break
    if result.status == "infeasible":
        return _infeasible(rp, rules, started, reference)
    _stamp(result, rp)
    stages = result.stages
    stages.build_s = round(build_s, 3)
    stages.reference_s = round(reference_s, 3)
    # The repair, and any attempt that found no plan.
    stages.warm_start_s = round(
        max(0.0, result.wall_time_s - stages.search_s - stages.explain_s - build_s - reference_s),
        3,
    )
    # What the logged past breaks by itself, for clients that see only the JSON (the
    # re-plan's own violations are none: bound_slack never lets a decision add to them).
    checked = time.monotonic()
    result.past_violations, _own = split_violations(rp, result, extra_rules)
    if result.plan is not None:
        change = next(rule for rule in rules if isinstance(rule, ChangeRule))
        result.changes = change.changes(model.built.timeline, result.plan.sessions)
    stages.check_s = round(time.monotonic() - checked, 3)
    result.wall_time_s = round(time.monotonic() - started, 3)
    return result


def _attempts(reference: Reference, mended: Reference) -> list[tuple[Reference, bool]]:
    """(the slack each attempt keeps, whether exactly), in turn: see replan()."""
    attempts = [(mended, True)]
    if mended != reference:
        attempts.append((reference, True))
    if reference:
        attempts.append((reference, False))
    return attempts


def _known_wishes(previous: SolveResult | Plan, rp: Replanning) -> list[UnmetWish]:
    """The plan in progress's explained wishes, when it was solved on this very calendar.
    Its reasons were found on the calendar alone; a collision stays one with the past
    fixed as logged, so they still hold (solving.py takes them only when the new plan
    kept every wish as that one did)."""
    if isinstance(previous, Plan) or previous.request_digest != rp.request_digest:
        return []
    return previous.unmet_wishes


def _reporter(
    on_progress: Callable[[Progress], None] | None, started: float
) -> Callable[[float], None] | None:
    if on_progress is None:
        return None
    from solver.solving import first_plan

    return lambda objective: on_progress(first_plan(started, objective))


# --- when no plan exists ----------------------------------------------------------------


def _infeasible(
    rp: Replanning, rules: Sequence[Rule], started: float, reference: Reference | None = None
) -> SolveResult:
    """No future keeps the rules given the past: say which rules collide, and where.

    The explanation searches the groups after as_of's week, the pins, and the groups of
    as_of's week the facts leave whole when it falls mid-week; the groups the facts break
    keep their slack, so only what the solver decides is in question.
    """
    from solver.explain_words import describe_core
    from solver.explaining import Budget, find_cores

    xm = _explaining_model(rp, rules, reference or {}, None, hint_templates=True)
    built = xm.built
    from solver.solving import EXPLAIN_FLOOR_S

    limit = rp.request.options.time_limit_s
    budget = Budget(max(EXPLAIN_FLOOR_S, limit - (time.monotonic() - started)))
    _status, cores = find_cores(xm, xm.default_pool(), budget)
    conflicts = [describe_core(core, None) for core in cores]
    if not conflicts:
        conflicts = [
            Conflict(
                rules=[],
                dates=[rp.as_of],
                message="No future plan keeps the rules after what happened; the search "
                "could not tell in time which rules collide.",
            )
        ]
    result = SolveResult(
        status="infeasible",
        wall_time_s=round(time.monotonic() - started, 3),
        stop_reason="proved infeasible",
        conflicts=conflicts,
        model_size=built.size(),
    )
    return _stamp(result, rp)


def _explaining_model(
    rp: Replanning,
    rules: Sequence[Rule],
    reference: Reference,
    cutoff: int | None,
    *,
    hint_templates: bool = False,
) -> ExplainModel:
    """The re-plan as an explaining model (solver/explaining.py): the past as logged, the
    weeks it touches held as the re-plan holds them (a broken rule never worse, what
    `reference` leaves out whole), every later group, the whole groups of a mid-week
    as_of's week and each wish behind a literal of its own."""
    from solver.explaining import explain_model_of

    model = build_replan_model(
        rp,
        _hard(rules),
        cutoff,
        relax=broken_groups(reference),
        explaining=True,
        hint_templates=hint_templates,
    )
    if reference:
        bound_slack(model, reference, exact=False)
    return explain_model_of(model.built, model.open_groups)


def _undecided(rp: Replanning, started: float) -> SolveResult:
    result = SolveResult(
        status="unknown",
        wall_time_s=round(time.monotonic() - started, 3),
        stop_reason="time limit: the weeks the log touches were not solved in time",
    )
    return _stamp(result, rp)


def _stamp(result: SolveResult, rp: Replanning) -> SolveResult:
    """`result` with what every re-plan result carries of its log: the calendar it was
    solved on (its digest) and how the log was read."""
    result.request_digest = rp.request_digest
    result.log_notes = list(rp.notes)
    result.replanned_from = rp.as_of
    return result


def _hard(rules: Sequence[Rule]) -> list[Rule]:
    """The hard rules among the re-plan's extras (built-in soft rules stay: they only
    define penalties, harmless once the objective is cleared)."""
    return [rule for rule in rules if rule.hard]


# --- checking a re-planned plan ---------------------------------------------------------


def split_violations(
    rp: Replanning,
    result: SolveResult | Plan,
    extra_rules: Sequence[Rule] = (),
) -> tuple[list[Violation], list[Violation]]:
    """(the past's own violations, the re-plan's) for a re-planned plan.

    The plan is validated against the re-plan calendar with the re-plan rules. A violation
    is the past's own when the past alone causes it: validating the plan without the
    sessions from as_of to the end of its week (the decisions the facts share a week
    with) gives the very same violation, dated before the next week starts, or (for a
    rule that measures its violations, `Violation.shortfall`) one of the same rule and
    dates that is at least as large. Every other violation is the re-plan's, and a
    correct re-plan has none.
    """
    plan = result.plan if isinstance(result, SolveResult) else result
    if plan is None:
        return [], []
    rules = replan_rules(rp, extra_rules)
    report = validate(rp.request, plan, extra_rules=rules)
    week_end = rp.request.start_date + dt.timedelta(days=7 * (last_touched_week(rp) + 1))
    trimmed = plan.model_copy(
        update={
            "sessions": [
                s for s in plan.sessions if not rp.as_of <= s.date < week_end or s.kind == "race"
            ]
        }
    )
    alone = validate(rp.request, trimmed, extra_rules=rules).violations
    same = {(v.rule, v.message) for v in alone}
    measured = {(v.rule, tuple(v.dates)): v.shortfall for v in alone if v.shortfall is not None}
    past: list[Violation] = []
    future: list[Violation] = []
    for violation in report.violations:
        early = all(d < week_end for d in violation.dates) if violation.dates else False
        caused = (violation.rule, violation.message) in same or _no_larger(violation, measured)
        if rp.as_of_day > 0 and early and caused:
            past.append(violation)
        else:
            future.append(violation)
    return past, future


def _no_larger(violation: Violation, measured: dict[tuple[str, tuple[dt.date, ...]], int]) -> bool:
    """A measured violation (R7's easy minutes short) the past alone causes at least as
    badly: the re-plan shrank it, which bound_slack allows for MAY_SHRINK rules."""
    before = measured.get((violation.rule, tuple(violation.dates)))
    return violation.shortfall is not None and before is not None and violation.shortfall <= before


def replan_from(
    body: ReplanRequest,
    *,
    extra_rules: Sequence[Rule] = (),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """`replan` for a checked ReplanRequest (the body of POST /v1/replan)."""
    return replan(
        body.request,
        body.previous,
        body.log,
        body.as_of,
        extra_rules=extra_rules,
        on_progress=on_progress,
        stop=stop,
    )
