"""`POST /v1/solve`: a plan within a bounded time, as JSON or as an .ics calendar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from api.body import SOLVE_BODY, read_plan_request
from api.deps import RunnerDep, SettingsDep
from api.errors import BUSY_RESPONSE, RESPONSES, TOO_LARGE_RESPONSE
from api.limits import check_plan_request
from api.negotiation import CALENDAR_RESPONSE, calendar_response, prefers_calendar
from solver.calendar_io import plan_to_ics
from solver.schemas import SolveResult

router = APIRouter(prefix="/v1", tags=["solve"], responses=RESPONSES)


@router.post(
    "/solve",
    response_model=SolveResult,
    openapi_extra=SOLVE_BODY,
    responses={**CALENDAR_RESPONSE, **BUSY_RESPONSE, **TOO_LARGE_RESPONSE},
)
async def solve_plan(
    request: Request,
    runner: RunnerDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
) -> SolveResult | Response:
    """Solve a PlanRequest now, within `options.time_limit_s` capped by the server.

    The body is a PlanRequest as JSON, or a multipart form with the request in `request`
    and an .ics upload in `calendar`. Infeasible is a 200 whose `status` says so, with
    the colliding rules in `conflicts`. When every worker is busy: 429 with Retry-After.
    """
    plan_request = await read_plan_request(request, settings)
    await check_plan_request(plan_request, settings)
    result = await runner.solve_now(plan_request)
    if prefers_calendar(accept) and result.plan is not None:
        return calendar_response(plan_to_ics(plan_request, result), "stride-plan.ics")
    return result
