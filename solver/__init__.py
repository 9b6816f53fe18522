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
from solver.schemas import (
    LoggedSession,
    Pin,
    Plan,
    PlanRequest,
    ReplanLog,
    SolveOptions,
    SolveResult,
    Violation,
)
from solver.validate import ValidationReport, validate

if TYPE_CHECKING:
    from solver.explaining import explain
    from solver.replanning import replan
    from solver.solving import Progress, solve

__all__ = [
    "CheckContext",
    "CheckOutcome",
    "EncodeContext",
    "LoggedSession",
    "PenaltyTerm",
    "Pin",
    "Plan",
    "PlanRequest",
    "Progress",
    "ReplanLog",
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

# The functions live in modules named otherwise (solving, not solve): the import system
# sets a package attribute per submodule it loads, which would hide a function of the
# same name from the second access on.
_LAZY = {
    "solve": "solver.solving",
    "Progress": "solver.solving",
    "explain": "solver.explaining",
    "replan": "solver.replanning",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'solver' has no attribute {name!r}")
