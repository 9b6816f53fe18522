"""`POST /v1/explain` and `POST /v1/replan`: why a calendar has no plan; a plan re-planned.

Both run in a solver worker like a solve (never on the event loop), within the server's
time cap, and answer 429 with Retry-After when every worker is busy. A re-plan comes as
iCalendar too, like a solve, with the sessions it dropped as cancelled events.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from api import worker
from api.deps import RunnerDep, SettingsDep
from api.errors import BUSY_RESPONSE, RESPONSES, TOO_LARGE_RESPONSE
from api.jobs import with_limits
from api.limits import check_plan_request
from api.negotiation import CALENDAR_RESPONSE, calendar_response, prefers_calendar
from solver.calendar_io import plan_to_ics
from solver.schemas import Explanation, PlanRequest, ReplanRequest, SolveResult

router = APIRouter(
    prefix="/v1",
    tags=["explain"],
    responses={**RESPONSES, **BUSY_RESPONSE, **TOO_LARGE_RESPONSE},
)


@router.post("/explain", response_model=Explanation)
async def explain_calendar(
    body: PlanRequest, runner: RunnerDep, settings: SettingsDep
) -> Explanation:
    """The minimal sets of rules that collide, on which dates, in plain sentences, with the
    smallest changes that would make the calendar plannable; for a calendar that has a
    plan, the wishes that cannot all be met and what stands in their way."""
    await check_plan_request(body, settings)
    bounded = with_limits(
        body, time_limit_s=settings.max_time_limit_s, max_workers=settings.max_solver_workers
    )
    text = await _in_worker(runner, "explain", worker.explain_request, bounded.model_dump_json())
    return Explanation.model_validate_json(text)


@router.post("/replan", response_model=SolveResult, responses=CALENDAR_RESPONSE)
async def replan_plan(
    body: ReplanRequest,
    runner: RunnerDep,
    settings: SettingsDep,
    accept: Annotated[str | None, Header()] = None,
) -> SolveResult | Response:
    """Re-plan a plan in progress: the past fixed as logged (done, missed, moved, extra
    sessions, new unavailability), the future changed as little as possible, with pins.

    With `Accept: text/calendar`, the new plan as an .ics file, in which each session of
    `previous` that the new plan no longer has is a cancelled event with the same UID:
    re-imported, it replaces the calendar of the plan in progress."""
    await check_plan_request(body.request, settings, loc=("body", "request"))
    bounded = body.model_copy(
        update={
            "request": with_limits(
                body.request,
                time_limit_s=settings.max_time_limit_s,
                max_workers=settings.max_solver_workers,
            )
        }
    )
    text = await _in_worker(runner, "replan", worker.replan_request, bounded.model_dump_json())
    result = SolveResult.model_validate_json(text)
    if prefers_calendar(accept) and result.plan is not None:
        ics = plan_to_ics(body.request, result, replaces=body.previous)
        return calendar_response(ics, "stride-replan.ics")
    return result


async def _in_worker(runner: RunnerDep, task: str, function: worker.Task, payload: str) -> str:
    await runner.pool.reserve(wait=False)
    try:
        return await runner.pool.call(task, function, payload)
    finally:
        runner.pool.release()
