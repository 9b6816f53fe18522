"""The FastAPI application: routers, limits, error handlers and the solver pool's lifetime.

Run it with `stride serve`, or `uvicorn --factory api.app:create_app`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.errors import install_error_handlers
from api.jobs import JobRunner
from api.limits import BodySizeLimit
from api.pool import SolvePool
from api.routes import catalogue, explain, health, jobs, solve, validate
from api.routes.health import _version
from api.settings import Settings
from api.store import JobStore

DESCRIPTION = """Multi-week training plans for runners, runs and full-body strength, solved
exactly with CP-SAT. Post a calendar to `/v1/solve` (or start a job at `/v1/jobs` for long
solves); check any plan at `/v1/validate`."""


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; `settings` default to the `STRIDE_*` environment."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await asyncio.to_thread(JobStore, settings.db_path)
        pool = SolvePool(settings)
        pool.start()
        runner = JobRunner(settings, pool, store)
        await runner.start()
        app.state.runner = runner
        try:
            yield
        finally:
            await runner.close()
            await asyncio.to_thread(pool.close)
            await asyncio.to_thread(store.close)

    app = FastAPI(
        title="stride",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        separate_input_output_schemas=False,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    for module in (health, solve, jobs, validate, explain, catalogue):
        app.include_router(module.router)
    return app
