"""Independent checks of every rule on a finished plan.

Each check reads only the request (through `Timeline`) and the plan (through `PlanFacts`);
none imports ortools or the model, so a bug in the CP-SAT encoding shows up here as a
violation or as a penalty that differs from the solver's. Hard-rule checks return
violations and penalty 0; soft-rule checks return the unweighted penalty in the units of
docs/rules.md; R1, R7, R10, S1 and S12 return both.
"""

from __future__ import annotations

from collections.abc import Callable

from solver.checks.content import (
    check_p4,
    check_s6,
    check_s7,
    check_s8,
    check_s9,
    check_s10,
    check_s11,
    check_s12,
)
from solver.checks.intensity import check_r7, check_r15, check_r16, check_r17
from solver.checks.preferences import check_pref
from solver.checks.races import check_p3
from solver.checks.running import (
    check_r1,
    check_r2,
    check_r3,
    check_r4,
    check_r6,
    check_r10,
    check_r12,
    check_r13,
    check_r14,
)
from solver.checks.strength import (
    check_s1,
    check_s2,
    check_s3,
    check_s4,
    check_s5,
)
from solver.checks.time import check_t1, check_t2, check_t3
from solver.checks.volume import check_p1, check_p2, check_r5, check_r8, check_r9, check_r11
from solver.rules.base import CheckContext, CheckOutcome

Check = Callable[[CheckContext], CheckOutcome]

# Rule ID -> check, in the order of RULES.md.
CHECKS: dict[str, Check] = {
    "T1": check_t1,
    "T2": check_t2,
    "T3": check_t3,
    "R1": check_r1,
    "R2": check_r2,
    "R3": check_r3,
    "R4": check_r4,
    "R5": check_r5,
    "R6": check_r6,
    "R7": check_r7,
    "R8": check_r8,
    "R9": check_r9,
    "R10": check_r10,
    "R11": check_r11,
    "R12": check_r12,
    "R13": check_r13,
    "R14": check_r14,
    "R15": check_r15,
    "R16": check_r16,
    "R17": check_r17,
    "S1": check_s1,
    "S2": check_s2,
    "S3": check_s3,
    "S4": check_s4,
    "S5": check_s5,
    "S6": check_s6,
    "S7": check_s7,
    "S8": check_s8,
    "S9": check_s9,
    "S10": check_s10,
    "S11": check_s11,  # placement (checks/strength.py) plus exercise minutes (checks/content.py)
    "S12": check_s12,
    "P1": check_p1,
    "P2": check_p2,
    "P3": check_p3,
    "P4": check_p4,
    "PREF": check_pref,
}

__all__ = ["CHECKS", "Check"]
