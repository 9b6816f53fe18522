"""Liveness: answered on the event loop, so it stays fast while every worker is busy."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from api.deps import RunnerDep
from api.schemas import Health

router = APIRouter(tags=["service"])


def _version() -> str:
    try:
        return version("stride")
    except PackageNotFoundError:
        return "unknown"


@router.get("/healthz", response_model=Health)
async def health(runner: RunnerDep) -> Health:
    """The service is up; how many solves run and wait in this process."""
    return Health(
        version=_version(),
        solves_running=runner.pool.busy,
        solve_capacity=runner.pool.size,
        jobs_queued=runner.queued,
    )
