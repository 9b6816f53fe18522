"""`GET /v1/rules` and `GET /v1/exercises`: what the planner knows, for clients to show."""

from __future__ import annotations

import inspect
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Query

from api.errors import RESPONSES
from api.schemas import ExerciseList, RuleInfo
from solver.exercises import Emphasis, ExerciseLibrary, Pillar, PrescriptionPhase, load_library
from solver.rules.base import Rule
from solver.rules.registry import RULES
from solver.schemas import Equipment

router = APIRouter(prefix="/v1", tags=["catalogue"], responses=RESPONSES)


def _rule_info(rule: Rule) -> RuleInfo:
    description = getattr(rule, "description", None) or inspect.getdoc(rule) or rule.title
    return RuleInfo(
        id=rule.id,
        title=rule.title,
        hard=rule.hard,
        default_weight=rule.default_weight,
        description=description,
    )


@cache
def _library() -> ExerciseLibrary:
    return load_library()


@router.get("/rules", response_model=list[RuleInfo])
async def list_rules(
    hard: Annotated[
        bool | None, Query(description="Only hard (true) or soft (false) rules.")
    ] = None,
) -> list[RuleInfo]:
    """The rule catalogue: every built-in rule with its ID, kind and default weight."""
    return [_rule_info(rule) for rule in RULES if hard is None or rule.hard == hard]


@router.get("/exercises", response_model=ExerciseList)
async def list_exercises(
    pillar: Annotated[Pillar | None, Query(description="Covers this S6 pillar.")] = None,
    equipment: Annotated[
        list[Equipment] | None,
        Query(description="Usable with this kit (repeat the parameter for several)."),
    ] = None,
    injury: Annotated[
        Emphasis | None, Query(description="Suits this injury or profile (S12).")
    ] = None,
    phase: Annotated[
        PrescriptionPhase | None, Query(description="Prescribed in this phase (§4).")
    ] = None,
) -> ExerciseList:
    """The exercise library, filtered; every filter given must match."""
    chosen = _library().filter(pillar=pillar, equipment=equipment, injury=injury, phase=phase)
    return ExerciseList(count=len(chosen), exercises=chosen)
