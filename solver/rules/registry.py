"""The ordered list of rule families: every rule's encoding bound to its independent check.

Order matters once: `T3` (one thing per slot) comes first so later families can assume a
slot holds at most one session when they read day-level sums. Encodings live in the family
modules beside this one; checks live in `solver/checks/` and never touch the solver.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from solver.rules import content, intensity, preferences, races, running, strength, volume
from solver.rules.base import CheckContext, CheckOutcome, EncodeContext, PenaltyTerm, Rule
from solver.schemas import DEFAULT_WEIGHTS

Encoder = Callable[[EncodeContext], Sequence[PenaltyTerm]]


@dataclass(frozen=True)
class RuleSpec:
    """A built-in rule: ID, title, its CP-SAT encoding and its plan check."""

    id: str
    title: str
    hard: bool
    encoder: Encoder

    @property
    def default_weight(self) -> float:
        return DEFAULT_WEIGHTS.get(self.id, 0.0)

    @property
    def description(self) -> str:
        return inspect.getdoc(self.encoder) or self.title

    def encode(self, ctx: EncodeContext) -> Sequence[PenaltyTerm]:
        return self.encoder(ctx)

    def check(self, ctx: CheckContext) -> CheckOutcome:
        from solver.checks import CHECKS

        return CHECKS[self.id](ctx)


RULES: tuple[Rule, ...] = (
    RuleSpec("T1", "Horizon", True, running.encode_t1),
    RuleSpec("T2", "Slots", True, running.encode_t2),
    RuleSpec("T3", "One thing per slot", True, running.encode_t3),
    RuleSpec("R1", "Long run", True, running.encode_r1),
    RuleSpec("R2", "No back-to-back key days", True, running.encode_r2),
    RuleSpec("R3", "Quality cap", True, running.encode_r3),
    RuleSpec("R4", "After the long run", True, running.encode_r4),
    RuleSpec("R5", "Progression", True, volume.encode_r5),
    RuleSpec("R6", "Long-run share", True, running.encode_r6),
    RuleSpec("R7", "Intensity distribution", True, intensity.encode_r7),
    RuleSpec("R8", "Acute:chronic load", True, volume.encode_r8),
    RuleSpec("R9", "Volume target", False, volume.encode_r9),
    RuleSpec("R10", "Run count", True, running.encode_r10),
    RuleSpec("R11", "Single-run spike", True, volume.encode_r11),
    RuleSpec("R12", "Quality session size", True, running.encode_r12),
    RuleSpec("R13", "Running while returning from injury", True, running.encode_r13),
    RuleSpec("R14", "One run a day", True, running.encode_r14),
    RuleSpec("R15", "Quality where it belongs", False, intensity.encode_r15),
    RuleSpec("R16", "Long-run progression", False, intensity.encode_r16),
    RuleSpec("R17", "Recovery runs after key days", False, intensity.encode_r17),
    RuleSpec("S1", "Strength frequency", True, strength.encode_s1),
    RuleSpec("S2", "48-hour spacing", True, strength.encode_s2),
    RuleSpec("S3", "Not with hard runs", True, strength.encode_s3),
    RuleSpec("S4", "After the run", True, strength.encode_s4),
    RuleSpec("S5", "Protect key sessions", False, strength.encode_s5),
    RuleSpec("S6", "Session content: five pillars", True, content.encode_s6),
    RuleSpec("S7", "Unilateral", True, content.encode_s7),
    RuleSpec("S8", "Muscle-group volume", True, content.encode_s8),
    RuleSpec("S9", "Equipment", True, content.encode_s9),
    RuleSpec("S10", "Rotation", True, content.encode_s10),
    RuleSpec("S11", "Strength duration", True, strength.encode_s11),
    RuleSpec("S12", "Emphasis", True, content.encode_s12),
    RuleSpec("P1", "Recovery weeks", True, volume.encode_p1),
    RuleSpec("P2", "Taper", True, volume.encode_p2),
    RuleSpec("P3", "Race", True, races.encode_p3),
    RuleSpec("P4", "Phase progression", False, content.encode_p4),
    RuleSpec("PREF", "Preferred days", False, preferences.encode_pref),
)


# Exercise content (S6-S10, S12, P4): what happens inside a strength session. The warm
# starts place sessions without it first (solver/warm_start.py, content_warm_start.py).
CONTENT_RULE_IDS = frozenset({"S6", "S7", "S8", "S9", "S10", "S12", "P4"})


def placement_rules(extra: Sequence[Rule] = ()) -> tuple[Rule, ...]:
    """Every rule but the content family: what goes where, and for how long."""
    return tuple(r for r in all_rules(extra) if r.id not in CONTENT_RULE_IDS)


def all_rules(extra: Sequence[Rule] = ()) -> tuple[Rule, ...]:
    """The built-in rules followed by a planner's own; IDs must be unique."""
    rules = (*RULES, *extra)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ValueError(f"extra_rules: rule ID {rule.id!r} is already taken")
        seen.add(rule.id)
    return rules
