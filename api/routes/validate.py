"""`POST /v1/validate`: check any plan, made by stride, by hand or by another tool."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.deps import SettingsDep
from api.errors import RESPONSES, TOO_LARGE_RESPONSE
from api.limits import check_plan_request
from api.schemas import ValidateBody, ValidationOutcome
from solver.validate import validate

router = APIRouter(prefix="/v1", tags=["validate"], responses={**RESPONSES, **TOO_LARGE_RESPONSE})


@router.post("/validate", response_model=ValidationOutcome)
async def validate_plan(body: ValidateBody, settings: SettingsDep) -> ValidationOutcome:
    """Every rule's check on the plan, and its objective recomputed from the plan alone."""
    await check_plan_request(body.request, settings, loc=("body", "request"))
    given = body.result if body.result is not None else body.plan
    assert given is not None  # ValidateBody requires one of them
    report = await asyncio.to_thread(validate, body.request, given)
    return ValidationOutcome(
        ok=report.ok,
        violations=report.violations,
        penalties=report.penalties,
        objective=report.objective,
        objective_matches=report.objective_matches,
    )
