"""A real server: `stride serve` on a loopback port, spoken to with httpx.

Covers what the TestClient cannot: uvicorn itself, events streamed while the solve runs,
an early stop sent mid-stream, and the health check answering while every worker is busy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import icalendar
import pytest
from api_requests import long_request, small_request
from api_server import start_server

from solver import PlanRequest, SolveResult, validate

PATIENCE_S = 90


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = start_server(tmp_path_factory.mktemp("server") / "jobs.sqlite3")
    try:
        yield server.base_url
    finally:
        assert server.stop() == 0, server.log_text()


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=PATIENCE_S) as client:
        yield client


def sse_events(response: httpx.Response) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event name, JSON data) as each event arrives."""
    name, data = "", ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data += line.removeprefix("data: ")
        elif not line and name:
            yield name, json.loads(data)
            name, data = "", ""


def test_solve_over_http(http: httpx.Client) -> None:
    body = small_request()
    response = http.post("/v1/solve", json=body)
    assert response.status_code == 200
    result = SolveResult.model_validate(response.json())
    assert result.status in ("optimal", "feasible")
    assert validate(PlanRequest.model_validate(body), result).violations == []


def test_job_events_stream_live_and_an_early_stop_keeps_the_plan(
    http: httpx.Client, server: str
) -> None:
    created = http.post("/v1/jobs", json=long_request()).json()
    progress_seen = 0
    done: dict[str, Any] | None = None
    with (
        httpx.Client(base_url=server, timeout=PATIENCE_S) as controller,
        http.stream("GET", created["links"]["events"]) as stream,
    ):
        assert stream.headers["content-type"].startswith("text/event-stream")
        for name, data in sse_events(stream):
            if name == "done":
                done = data
                break
            assert data["status"] in ("queued", "running")
            progress = data["progress"]
            if progress is not None and progress["solutions"] >= 1:
                progress_seen += 1
                if progress_seen == 1:  # stop as soon as there is a plan to keep
                    assert controller.delete(created["links"]["self"]).status_code in (200, 202)
    assert progress_seen >= 1
    assert done is not None and done["status"] == "stopped"
    assert done["result"]["plan"] is not None
    assert http.get(created["links"]["self"]).json()["status"] == "stopped"


def test_ics_round_trip(http: httpx.Client) -> None:
    created = http.post("/v1/jobs", json=small_request()).json()
    with http.stream("GET", created["links"]["events"]) as stream:
        final = [data for name, data in sse_events(stream) if name == "done"][-1]
    assert final["status"] == "completed"
    sessions = final["result"]["plan"]["sessions"]
    exported = http.get(created["links"]["plan_ics"])
    assert exported.status_code == 200
    calendar = icalendar.Calendar.from_ical(exported.text)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(sessions)
    for session in sessions:
        event = events[f"{session['id']}@stride"]
        start = event.decoded("DTSTART")
        local = start.strftime("%Y-%m-%dT%H:%M")  # wall clock in the athlete's zone
        if session["kind"] == "mini_circuit":
            assert local > session["start"]  # placed after the run it follows
        else:
            assert local == session["start"]
        assert str(start.tzinfo) == "Europe/Berlin"
        assert (event.decoded("DTEND") - start).total_seconds() == 60 * session["minutes"]


def test_healthz_answers_while_every_worker_is_busy(http: httpx.Client) -> None:
    jobs = [http.post("/v1/jobs", json=long_request()).json() for _ in range(2)]
    try:
        for created in jobs:
            deadline = time.monotonic() + PATIENCE_S
            while http.get(created["links"]["self"]).json()["status"] != "running":
                assert time.monotonic() < deadline, "a job never started"
                time.sleep(0.1)
        for _ in range(5):
            health = http.get("/healthz", timeout=5)
            assert health.status_code == 200
            assert health.json()["solves_running"] == 2
        busy = http.post("/v1/solve", json=small_request())
        assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1
    finally:
        for created in jobs:
            http.delete(created["links"]["self"])


def test_a_restarted_server_keeps_finished_jobs(tmp_path: Path) -> None:
    db_path = tmp_path / "jobs.sqlite3"
    first = start_server(db_path)
    try:
        created = httpx.post(f"{first.base_url}/v1/jobs", json=small_request(), timeout=30).json()
        events_url = f"{first.base_url}{created['links']['events']}"
        with httpx.stream("GET", events_url, timeout=30) as stream:
            before = [data for name, data in sse_events(stream) if name == "done"][-1]
    finally:
        assert first.stop() == 0, first.log_text()
    second = start_server(db_path)
    try:
        after = httpx.get(f"{second.base_url}{created['links']['self']}", timeout=30).json()
        assert after == before
    finally:
        assert second.stop() == 0, second.log_text()
