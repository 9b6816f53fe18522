"""Soft-rule weights: the request's overrides over the documented defaults (RULES.md §6)."""

from __future__ import annotations

from solver.content_spec import soft_week_ceilings
from solver.schemas import DEFAULT_WEIGHTS, WISH_RULE_IDS
from solver.timeline import Timeline

# Largest unweighted penalty one week can carry per soft rule, used only to size the wish
# weight so that one missing session outweighs everything else a week can cost.
_RUNS_PER_WEEK = 14


def _week_ceiling(timeline: Timeline, week: int) -> dict[str, int]:
    info = timeline.weeks[week]
    return {
        **soft_week_ceilings(timeline, week),
        "R1": 1,
        "R7": info.available_run_minutes,
        "R9": max(info.volume_target, info.available_run_minutes),
        "R15": 2,
        "R16": info.long_target or 0,
        "R17": _RUNS_PER_WEEK,
        "S5": 7,
        "PREF": _RUNS_PER_WEEK,
    }


def resolve_weights(timeline: Timeline) -> dict[str, float]:
    """Every soft rule's weight for this request; wishes derived unless overridden."""
    request = timeline.request
    weights = {**DEFAULT_WEIGHTS, **request.weights}
    heaviest_week = max(
        (
            sum(weights[rule] * ceiling for rule, ceiling in _week_ceiling(timeline, w).items())
            for w in range(timeline.num_weeks)
        ),
        default=0.0,
    )
    wish = float(int(heaviest_week) + 1)
    for rule in WISH_RULE_IDS:
        if rule not in request.weights:
            weights[rule] = wish
    return weights


def scaled(weight: float) -> int:
    """CP-SAT needs integer coefficients: weights are kept to hundredths."""
    return round(weight * 100)
