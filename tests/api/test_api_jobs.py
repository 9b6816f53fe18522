"""Jobs through the TestClient: lifecycle, events, early stop, a full pool, restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import icalendar
import pytest
from api_requests import api_settings, infeasible_request, long_request, small_request
from fastapi.testclient import TestClient

from api import create_app
from api.jobs import WORKER_DIED
from api.store import JobRecord, JobStore, utc_now
from solver import PlanRequest

# A bound on polling loops so a broken server fails the test instead of hanging it.
PATIENCE_S = 90


def wait_for(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def job(client: TestClient, job_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def has_a_plan_so_far(client: TestClient, job_id: str) -> bool:
    progress = job(client, job_id)["progress"]
    return progress is not None and progress["solutions"] >= 1


def parse_sse(text: str) -> list[tuple[str, str]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append((fields["event"], fields["data"]))
    return events


def test_job_lifecycle_with_events_and_calendar(client: TestClient) -> None:
    response = client.post("/v1/jobs", json=small_request())
    assert response.status_code == 202
    created = response.json()
    assert created["status"] in ("queued", "running")
    assert response.headers["location"] == f"/v1/jobs/{created['id']}"

    stream = client.get(created["links"]["events"])  # the TestClient reads it to the end
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(stream.text)
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("done") == 1
    assert "progress" in names

    final = job(client, created["id"])
    assert final["status"] == "completed"
    assert final["result"]["status"] in ("optimal", "feasible")
    assert final["progress"]["objective"] == final["result"]["objective"]
    assert final["started_at"] and final["finished_at"]

    ics = client.get(created["links"]["plan_ics"])
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    events_in_calendar = icalendar.Calendar.from_ical(ics.text).walk("VEVENT")
    sessions = final["result"]["plan"]["sessions"]
    assert sorted(str(e["UID"]) for e in events_in_calendar) == sorted(
        f"{s['id']}@stride" for s in sessions
    )


def test_stopping_a_job_early_keeps_its_best_plan(client: TestClient) -> None:
    created = client.post("/v1/jobs", json=long_request()).json()
    wait_for(lambda: has_a_plan_so_far(client, created["id"]), "a first solution")
    assert client.get(created["links"]["plan_ics"]).status_code == 409  # still running

    stopped = client.delete(f"/v1/jobs/{created['id']}")
    assert stopped.status_code == 200
    body = stopped.json()
    assert body["status"] == "stopped"
    assert body["result"]["plan"] is not None
    assert "stop" in body["result"]["stop_reason"]
    assert client.get(created["links"]["plan_ics"]).status_code == 200
    again = client.delete(f"/v1/jobs/{created['id']}")  # stopping twice changes nothing
    assert again.status_code == 200 and again.json()["status"] == "stopped"


def test_an_infeasible_job_completes_without_a_plan(client: TestClient) -> None:
    created = client.post("/v1/jobs", json=infeasible_request()).json()
    final = wait_for(
        lambda: (body := job(client, created["id"]))["status"] == "completed" and body,
        "the job to finish",
    )
    assert final["result"]["status"] == "infeasible"
    assert client.get(created["links"]["plan_ics"]).status_code == 409


def test_a_full_pool_answers_429_with_retry_after(tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "jobs.sqlite3", max_concurrent_solves=1, max_queued_jobs=1)
    with TestClient(create_app(settings)) as client:
        running = client.post("/v1/jobs", json=long_request()).json()
        wait_for(lambda: job(client, running["id"])["status"] == "running", "a running job")
        queued = client.post("/v1/jobs", json=small_request())
        assert queued.status_code == 202 and queued.json()["status"] == "queued"

        for path in ("/v1/jobs", "/v1/solve"):
            refused = client.post(path, json=small_request())
            assert refused.status_code == 429, path
            assert int(refused.headers["retry-after"]) >= 1
            assert "busy" in refused.json()["detail"]

        health = client.get("/healthz").json()
        assert health["solves_running"] == 1 and health["jobs_queued"] == 1

        cancelled = client.delete(f"/v1/jobs/{queued.json()['id']}").json()
        assert cancelled["status"] == "stopped" and cancelled["result"] is None
        assert client.delete(f"/v1/jobs/{running['id']}").json()["status"] == "stopped"
        assert client.post("/v1/solve", json=small_request()).status_code == 200


def test_finished_results_survive_a_restart(tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "jobs.sqlite3")
    with TestClient(create_app(settings)) as client:
        finished = client.post("/v1/jobs", json=small_request()).json()
        before = wait_for(
            lambda: (body := job(client, finished["id"]))["status"] == "completed" and body,
            "the job to finish",
        )
        unfinished = client.post("/v1/jobs", json=long_request()).json()
        wait_for(lambda: job(client, unfinished["id"])["status"] == "running", "a running job")
    # The first server has shut down; a new one opens the same store.
    with TestClient(create_app(settings)) as client:
        assert job(client, finished["id"]) == before
        assert client.get(f"/v1/jobs/{finished['id']}/plan.ics").status_code == 200
        events = parse_sse(client.get(f"/v1/jobs/{finished['id']}/events").text)
        assert [name for name, _ in events] == ["done"]
        interrupted = job(client, unfinished["id"])
        assert interrupted["status"] == "interrupted"
        assert interrupted["finished_at"] is not None


def test_jobs_of_a_dead_server_are_marked_interrupted_at_start_up(tmp_path: Path) -> None:
    db_path = tmp_path / "jobs.sqlite3"
    dead = subprocess.Popen(["true"])
    dead.wait()
    store = JobStore(db_path)
    orphan = JobRecord(id="orphan", status="running", created_at=utc_now(), time_limit_s=5)
    request = PlanRequest.model_validate(small_request())
    store.create(orphan, request, owner_pid=dead.pid)
    store.close()
    with TestClient(create_app(api_settings(db_path))) as client:
        record = job(client, "orphan")
        assert record["status"] == "interrupted"
        assert "server stopped" in record["error"]


def test_a_job_is_watched_and_stopped_from_another_server_process(tmp_path: Path) -> None:
    """`stride serve --workers N`: any process answers for a job; the owner stops it."""
    settings = api_settings(tmp_path / "jobs.sqlite3", max_concurrent_solves=1)
    with (
        TestClient(create_app(settings)) as owner,
        TestClient(create_app(settings)) as other,
    ):
        created = owner.post("/v1/jobs", json=long_request()).json()
        wait_for(lambda: has_a_plan_so_far(other, created["id"]), "progress in the store")
        assert other.get(f"/v1/jobs/{created['id']}").json()["status"] == "running"

        asked = other.delete(f"/v1/jobs/{created['id']}")
        assert asked.status_code == 202  # the owner stops it when it next polls
        events = parse_sse(other.get(f"/v1/jobs/{created['id']}/events").text)
        assert events[-1][0] == "done"
        final = job(other, created["id"])
        assert final["status"] == "stopped"
        assert final["result"]["plan"] is not None


def test_a_worker_that_dies_fails_its_job_and_the_pool_recovers(tmp_path: Path) -> None:
    app = create_app(api_settings(tmp_path / "jobs.sqlite3", max_concurrent_solves=1))
    with TestClient(app) as client:
        created = client.post("/v1/jobs", json=long_request()).json()
        wait_for(lambda: job(client, created["id"])["status"] == "running", "a running job")
        executor = app.state.runner.pool._executor  # the test reaches in to kill a worker
        for pid in list(executor._processes):
            os.kill(pid, signal.SIGKILL)
        failed = wait_for(
            lambda: (body := job(client, created["id"]))["status"] == "failed" and body,
            "the job to fail",
        )
        assert failed["error"] == WORKER_DIED
        assert client.post("/v1/solve", json=small_request()).status_code == 200


def test_a_job_frees_its_worker_before_it_is_seen_to_end(tmp_path: Path) -> None:
    # A client that sends its next solve the moment a job ends (failed, stopped or done)
    # must find the worker free, not a 429: the slot is released before the end is stored.
    app = create_app(api_settings(tmp_path / "jobs.sqlite3", max_concurrent_solves=1))
    with TestClient(app) as client:
        runner = app.state.runner
        finish = runner._finish  # the test reaches in to see the pool as the job ends
        full_at_end: list[bool] = []

        async def spy(*args: Any, **kwargs: Any) -> None:
            full_at_end.append(runner.pool.full)
            await finish(*args, **kwargs)

        runner._finish = spy
        created = client.post("/v1/jobs", json=small_request()).json()
        wait_for(lambda: job(client, created["id"])["status"] == "completed", "the job to end")
        assert full_at_end == [False]
        assert client.post("/v1/solve", json=small_request()).status_code == 200
