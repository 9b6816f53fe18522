"""stride: multi-week training plans for runners, runs and strength, solved with CP-SAT.

The library API: `solve` a PlanRequest, `validate` a plan, and add rules of your own with
the `Rule` protocol. The solver is imported lazily so that `import solver` (and the
validator) work without loading OR-tools.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm, Rule
from solver.schemas import Plan, PlanRequest, SolveOptions, SolveResult, Violation
from solver.validate import ValidationReport, validate

if TYPE_CHECKING:
    from solver.solve import Progress, solve

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
    "solve",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in ("solve", "Progress"):
        # Importing the submodule binds `solver.solve` to the module; rebind the names to
        # the function and class so `from solver import solve` always gives the function.
        module = importlib.import_module("solver.solve")
        globals()["solve"] = module.solve
        globals()["Progress"] = module.Progress
        return globals()[name]
    raise AttributeError(f"module 'solver' has no attribute {name!r}")
