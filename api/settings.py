"""Service settings, read from the environment with the `STRIDE_` prefix.

Every limit that protects the server from one heavy client lives here, e.g.
`STRIDE_MAX_CONCURRENT_SOLVES=4 STRIDE_DB_PATH=/var/lib/stride/jobs.sqlite3 stride serve`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from solver.schemas import MAX_HORIZON_WEEKS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIDE_", frozen=True)

    max_time_limit_s: float = Field(
        default=30.0,
        gt=0,
        description="Cap on a request's `options.time_limit_s` for `POST /v1/solve`.",
    )
    max_job_time_limit_s: float = Field(
        default=600.0, gt=0, description="Cap on `options.time_limit_s` for a job."
    )
    max_solver_workers: int = Field(
        default=8, ge=1, description="Cap on a request's CP-SAT `options.num_workers`."
    )
    max_concurrent_solves: int = Field(
        default=2,
        ge=1,
        description="Worker processes, so solves running at once (per server process).",
    )
    max_queued_jobs: int = Field(
        default=8,
        ge=0,
        description="Jobs that may wait for a worker; beyond that new work gets 429.",
    )
    max_body_bytes: int = Field(
        default=3_000_000, ge=1024, description="Largest request body; larger gets 413."
    )
    max_horizon_weeks: int = Field(
        default=MAX_HORIZON_WEEKS,
        ge=1,
        le=MAX_HORIZON_WEEKS,
        description="Longest plan this server accepts, in weeks; longer gets 422.",
    )
    db_path: Path = Field(
        default=Path("stride-jobs.sqlite3"),
        description="SQLite file holding jobs and their results across restarts.",
    )
    max_stored_jobs: int = Field(
        default=1000, ge=1, description="Finished jobs kept; the oldest are deleted first."
    )
    solve_grace_s: float = Field(
        default=10.0,
        ge=0,
        description="Time past its limit after which the server stops a solve itself.",
    )
    stop_wait_s: float = Field(
        default=5.0, ge=0, description="How long `DELETE /v1/jobs/{id}` waits for the plan."
    )
    shutdown_grace_s: float = Field(
        default=5.0, ge=0, description="How long shutdown waits for stopped jobs' plans."
    )
    sse_keepalive_s: float = Field(
        default=15.0, gt=0, description="Comment lines that keep idle event streams open."
    )
    sse_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="Poll interval for a job run by another server process (`--workers`).",
    )
