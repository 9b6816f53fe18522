"""stride: multi-week training plans for runners, runs and strength, solved with CP-SAT.

The library API: `solve` a PlanRequest, `validate` a plan, `explain` a calendar with no
plan, `replan` a plan in progress, and add rules of your own with the `Rule` protocol. The
solver is imported lazily, so that `import solver` (and the validator) work without
loading OR-tools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm, Rule
from solver.schemas import Plan, PlanRequest, SolveOptions, SolveResult, Violation
from solver.validate import ValidationReport, validate

if TYPE_CHECKING:
    from solver.explain import explain
    from solver.replan import replan
    from solver.solving import Progress, solve

__all__ = [
    "CheckContext",
    "CheckOutcome",
    "EncodeContext",
    "PenaltyTerm",
    "Plan",
    "PlanRequest",
    "Progress",
    "Rule",
    "SolveOptions",
    "SolveResult",
    "ValidationReport",
    "Violation",
    "explain",
    "replan",
    "solve",
    "validate",
]

_LAZY = {
    "solve": "solver.solving",
    "Progress": "solver.solving",
    "explain": "solver.explain",
    "replan": "solver.replan",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'solver' has no attribute {name!r}")
