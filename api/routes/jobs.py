"""Jobs: `POST /v1/jobs` starts a long solve; watch it, stream it, stop it, export it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.responses import StreamingResponse

from api.deps import RunnerDep, SettingsDep
from api.errors import BUSY_RESPONSE, NOT_FOUND_RESPONSE, RESPONSES, TOO_LARGE_RESPONSE
from api.jobs import JobEvent
from api.limits import check_plan_request
from api.negotiation import CALENDAR, calendar_response
from api.schemas import ErrorBody, Job, JobLinks
from api.sse import MEDIA_TYPE, event_stream
from api.store import JobRecord
from solver.calendar_io import plan_to_ics
from solver.schemas import PlanRequest

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=RESPONSES)


def job_view(record: JobRecord) -> Job:
    base = f"/v1/jobs/{record.id}"
    return Job(
        **record.model_dump(),
        links=JobLinks(self=base, events=f"{base}/events", plan_ics=f"{base}/plan.ics"),
    )


def _not_found(job_id: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no job with id {job_id!r}")


@router.post(
    "",
    response_model=Job,
    status_code=status.HTTP_202_ACCEPTED,
    responses={**BUSY_RESPONSE, **TOO_LARGE_RESPONSE},
)
async def create_job(
    plan_request: PlanRequest, runner: RunnerDep, settings: SettingsDep, response: Response
) -> Job:
    """Start a solve that may run up to the server's job time cap; watch it by its id.

    When every worker is busy the job waits in a bounded queue; when that is full too:
    429 with Retry-After.
    """
    await check_plan_request(plan_request, settings)
    record = await runner.submit(plan_request)
    job = job_view(record)
    response.headers["Location"] = job.links.self
    return job


@router.get("/{job_id}", response_model=Job, responses=NOT_FOUND_RESPONSE)
async def get_job(job_id: str, runner: RunnerDep) -> Job:
    """The job's status, its latest progress (objective, bound, gap, elapsed) and result."""
    record = await runner.get(job_id)
    if record is None:
        raise _not_found(job_id)
    return job_view(record)


@router.delete(
    "/{job_id}",
    response_model=Job,
    responses={
        status.HTTP_202_ACCEPTED: {"model": Job, "description": "Still stopping."},
        **NOT_FOUND_RESPONSE,
    },
)
async def stop_job(job_id: str, runner: RunnerDep, response: Response) -> Job:
    """Stop the job early and keep its best plan; the record stays.

    200 with the final job once it has stopped (at once if it had already finished), or
    202 if it is still stopping after a few seconds.
    """
    record = await runner.stop(job_id)
    if record is None:
        raise _not_found(job_id)
    if not record.finished:
        response.status_code = status.HTTP_202_ACCEPTED
    return job_view(record)


@router.get(
    "/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-sent events: `progress` for each improving solution "
            "(data: the Job), then `done` with the finished Job.",
            "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
        },
        **NOT_FOUND_RESPONSE,
    },
)
async def job_events(job_id: str, runner: RunnerDep, settings: SettingsDep) -> StreamingResponse:
    """Stream the job's progress as server-sent events until it finishes."""
    if await runner.get(job_id) is None:
        raise _not_found(job_id)

    async def frames() -> AsyncIterator[tuple[str, str]]:
        event: JobEvent
        async for event in runner.events(job_id):
            name, record = event
            yield name, job_view(record).model_dump_json()

    return StreamingResponse(
        event_stream(frames(), settings.sse_keepalive_s),
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/{job_id}/plan.ics",
    response_class=Response,
    responses={
        200: {
            "description": "The job's plan as an iCalendar file.",
            "content": {CALENDAR: {"schema": {"type": "string"}}},
        },
        status.HTTP_409_CONFLICT: {
            "model": ErrorBody,
            "description": "The job has no plan (yet): still running, infeasible, or failed.",
        },
        **NOT_FOUND_RESPONSE,
    },
)
async def job_plan_ics(job_id: str, runner: RunnerDep) -> Response:
    """The job's plan, one calendar event per session, in the athlete's time zone."""
    record = await runner.get(job_id)
    plan_request = await runner.request_of(job_id)
    if record is None or plan_request is None:
        raise _not_found(job_id)
    if record.result is None or record.result.plan is None:
        state = record.result.status if record.result is not None else record.status
        raise HTTPException(status.HTTP_409_CONFLICT, f"job {job_id} has no plan ({state})")
    return calendar_response(plan_to_ics(plan_request, record.result), f"stride-{job_id}.ics")
