"""The service's parts on their own: negotiation, error paths, SSE framing, the job store,
settings and the `stride serve` command."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from api_requests import small_request
from typer.testing import CliRunner

from api.errors import field_path
from api.jobs import with_limits
from api.negotiation import prefers_calendar
from api.schemas import Progress
from api.settings import Settings
from api.sse import KEEPALIVE, event_stream, format_event
from api.store import JobRecord, JobStore, utc_now
from solver.cli import app as cli
from solver.schemas import PlanRequest, SolveResult


@pytest.mark.parametrize(
    ("accept", "calendar"),
    [
        (None, False),
        ("", False),
        ("application/json", False),
        ("*/*", False),
        ("text/calendar", True),
        ("text/calendar, */*", True),
        ("text/*", True),
        ("application/json, text/calendar", False),
        ("application/json;q=0.5, text/calendar", True),
        ("text/calendar;q=0.2, application/json", False),
        ("text/calendar;q=0", False),
        ("text/calendar;q=oops", False),
    ],
)
def test_prefers_calendar(accept: str | None, calendar: bool) -> None:
    assert prefers_calendar(accept) is calendar


@pytest.mark.parametrize(
    ("loc", "message", "field"),
    [
        (("body", "athlete", "level"), "Input should be 'beginner'", "athlete.level"),
        (("body", "races", 0, "date"), "Input should be a valid date", "races[0].date"),
        (("body",), "Value error, end_date: must not be before start_date (T1)", "end_date"),
        (("body",), "Value error, races[1].date: 2027-01-01 is outside", "races[1].date"),
        (
            ("body", "athlete", "run_days"),
            "Value error, min (5) must not exceed max (3)",
            "athlete.run_days",
        ),
        (("query", "pillar"), "Input should be 'core'", "pillar"),
        (("body",), "Invalid JSON: EOF while parsing", "body"),
    ],
)
def test_field_path(loc: tuple[str | int, ...], message: str, field: str) -> None:
    assert field_path(loc, message) == field


def test_with_limits_caps_time_and_threads_only_downwards() -> None:
    request = PlanRequest.model_validate(small_request())
    capped = with_limits(request, time_limit_s=2, max_workers=1)
    assert capped.options.time_limit_s == 2 and capped.options.num_workers == 1
    assert capped.options.random_seed == request.options.random_seed
    roomy = with_limits(request, time_limit_s=600, max_workers=32)
    assert roomy.options == request.options


def test_format_event_frames_each_line() -> None:
    assert format_event("done", '{"a": 1}', 3) == 'event: done\nid: 3\ndata: {"a": 1}\n\n'
    assert format_event("x", "one\ntwo", 1).endswith("data: one\ndata: two\n\n")


def test_event_stream_keeps_an_idle_stream_alive() -> None:
    async def scenario() -> list[str]:
        release = asyncio.Event()

        async def source() -> AsyncIterator[tuple[str, str]]:
            await release.wait()
            yield ("progress", "{}")

        frames = []
        async for frame in event_stream(source(), keepalive_s=0.01):
            frames.append(frame)
            release.set()  # the first frame can only be a keep-alive: the source waits
        return frames

    frames = asyncio.run(scenario())
    assert frames[0] == KEEPALIVE
    assert frames[-1].startswith("event: progress\n")


def _record(job_id: str, status: str = "queued") -> JobRecord:
    return JobRecord.model_validate(
        {"id": job_id, "status": status, "created_at": utc_now(), "time_limit_s": 5}
    )


def test_job_store_round_trip_and_housekeeping(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    request = PlanRequest.model_validate(small_request())
    for job_id in ("a", "b", "c"):
        store.create(_record(job_id), request, owner_pid=4242)
    progress = Progress(elapsed_s=1.5, objective=10, best_bound=5, gap=0.5, solutions=2)
    store.update("a", status="running", progress=progress)
    running = store.get("a")
    assert running is not None
    assert (running.status, running.progress, running.result) == ("running", progress, None)
    assert store.request_of("a") == request
    assert store.get("missing") is None and store.request_of("missing") is None
    with pytest.raises(ValueError, match="not updatable"):
        store.update("a", request="{}")

    store.request_stop("a")
    assert store.stop_requests(4242) == ["a"]
    assert store.stop_requests(1) == []

    result = SolveResult(status="optimal", objective=10)
    for job_id, minute in (("b", 1), ("c", 2)):
        finished_at = dt.datetime(2027, 1, 1, 0, minute, tzinfo=dt.UTC)
        store.update(job_id, status="completed", result=result, finished_at=finished_at)
    store.prune(keep=1)
    assert store.get("b") is None  # the oldest finished job goes first
    kept = store.get("c")
    assert kept is not None and kept.result == result
    assert store.get("a") is not None  # unfinished jobs are never pruned

    assert store.interrupt_orphans(own_pid=1, is_alive=lambda pid: pid != 4242) == 1
    interrupted = store.get("a")
    assert interrupted is not None and interrupted.status == "interrupted"
    store.close()


def test_settings_come_from_stride_environment_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STRIDE_MAX_CONCURRENT_SOLVES", "3")
    monkeypatch.setenv("STRIDE_DB_PATH", str(tmp_path / "x.sqlite3"))
    settings = Settings()
    assert settings.max_concurrent_solves == 3
    assert settings.db_path == tmp_path / "x.sqlite3"


def test_serve_refuses_a_bad_setting_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIDE_MAX_CONCURRENT_SOLVES", "0")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "STRIDE_MAX_CONCURRENT_SOLVES" in result.output
    assert "Traceback" not in result.output


def test_serve_help_lists_its_options() -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers"):
        assert option in result.output
