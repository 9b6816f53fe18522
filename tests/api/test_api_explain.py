"""`POST /v1/explain` and `POST /v1/replan` through FastAPI's TestClient."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from api_requests import deterministic, infeasible_request, small_request
from fastapi.testclient import TestClient

from solver.schemas import Explanation, Plan, SolveResult


def test_explain_names_the_colliding_rules(client: TestClient) -> None:
    response = client.post("/v1/explain", json=infeasible_request())
    assert response.status_code == 200
    explanation = Explanation.model_validate(response.json())
    assert explanation.status == "infeasible"
    assert explanation.conflicts
    conflict = explanation.conflicts[0]
    # Strict wishes on a three-day week: a run or strength wish is in every conflict.
    assert {"R10", "S1"} & set(conflict.rules)
    assert conflict.message and conflict.dates


def test_explain_of_a_plannable_calendar_says_so(client: TestClient) -> None:
    response = client.post("/v1/explain", json=deterministic(small_request()))
    assert response.status_code == 200
    assert Explanation.model_validate(response.json()).status == "feasible"


def test_explain_rejects_an_invalid_request_naming_the_field(client: TestClient) -> None:
    body = small_request()
    body["athlete"]["run_days"] = {"min": 5, "max": 2}
    response = client.post("/v1/explain", json=body)
    assert response.status_code == 422
    assert "run_days" in response.text


def _plan_in_progress(client: TestClient) -> tuple[dict[str, Any], SolveResult]:
    """A deterministic request and its plan, solved through the API."""
    request = deterministic(small_request())
    previous = SolveResult.model_validate(client.post("/v1/solve", json=request).json())
    assert previous.plan is not None
    return request, previous


def _a_week_in(previous: SolveResult) -> tuple[Plan, dt.date]:
    """The plan in progress, and the day a week into it."""
    assert previous.plan is not None
    return previous.plan, previous.plan.start_date + dt.timedelta(days=7)


def _replan_body(
    request: dict[str, Any], previous: SolveResult, log: dict[str, Any], as_of: str
) -> dict[str, Any]:
    return {
        "request": request,
        "previous": previous.model_dump(mode="json"),
        "log": log,
        "as_of": as_of,
    }


def _replanned(
    client: TestClient,
    request: dict[str, Any],
    previous: SolveResult,
    log: dict[str, Any],
    as_of: str,
) -> SolveResult:
    response = client.post("/v1/replan", json=_replan_body(request, previous, log, as_of))
    assert response.status_code == 200, response.text
    return SolveResult.model_validate(response.json())


def test_replan_with_an_empty_log_keeps_the_future(client: TestClient) -> None:
    request, previous = _plan_in_progress(client)
    plan, as_of = _a_week_in(previous)
    result = _replanned(client, request, previous, {}, as_of.isoformat())
    assert result.plan is not None
    future = {
        (s.date, s.slot, s.kind, s.run_type, s.minutes)
        for s in result.plan.sessions
        if s.date >= as_of
    }
    planned = {
        (s.date, s.slot, s.kind, s.run_type, s.minutes) for s in plan.sessions if s.date >= as_of
    }
    assert future == planned
    assert result.changes == []


def test_replan_rejects_a_log_that_does_not_fit_the_plan(client: TestClient) -> None:
    request = deterministic(small_request())
    previous = client.post("/v1/solve", json=request).json()
    body = {
        "request": request,
        "previous": previous,
        "log": {"sessions": [{"plan_id": "no-such-session", "date": "2027-03-02"}]},
        "as_of": "2027-03-08",
    }
    response = client.post("/v1/replan", json=body)
    assert response.status_code == 422


def test_replan_says_where_the_past_was_counted_otherwise_than_logged(
    client: TestClient,
) -> None:
    """A 47-minute run counts as 45 (the model's 5-minute units): an app that only sees
    the JSON learns it from `log_notes`, as the CLI's reader does from its notes."""
    request, previous = _plan_in_progress(client)
    plan, as_of = _a_week_in(previous)
    taken = {(s.date, s.slot) for s in plan.sessions}
    day, slot = next(
        (s.date, other)
        for s in plan.sessions
        for other in ("am", "pm")
        if s.date < as_of and (s.date, other) not in taken
    )
    log = {
        "sessions": [
            {
                "date": day.isoformat(),
                "slot": slot,
                "kind": "run",
                "run_type": "easy",
                "minutes": 47,
            }
        ]
    }
    result = _replanned(client, request, previous, log, as_of.isoformat())
    assert result.log_notes == [
        f"{day} {slot}: 47 logged min count as 45 (the model's units and bounds)"
    ]


def test_replan_reports_what_the_logged_past_breaks_by_itself(client: TestClient) -> None:
    """Three hard runs on three days in a row break R2: a fact, which the result names in
    `past_violations` (the plan has no violation of its own)."""
    request, previous = _plan_in_progress(client)
    assert previous.plan is not None
    at = {(s.date.isoformat(), s.slot): s.id for s in previous.plan.sessions}
    hard = [
        ("2027-03-01", "am", "tempo"),
        ("2027-03-02", "pm", "intervals"),
        ("2027-03-03", "am", "tempo"),
    ]
    sessions = [
        {"date": day, "slot": slot, "kind": "run", "run_type": run_type, "minutes": 40}
        | ({"plan_id": at[(day, slot)]} if (day, slot) in at else {})
        for day, slot, run_type in hard
    ]
    result = _replanned(client, request, previous, {"sessions": sessions}, "2027-03-04")
    assert result.plan is not None
    assert "R2" in {v.rule for v in result.past_violations}


def test_replan_as_a_calendar_cancels_what_the_plan_in_progress_loses(
    client: TestClient,
) -> None:
    """With `Accept: text/calendar` a re-plan is an .ics holding the new plan, and every
    session of the plan in progress it no longer has (the missed run, anything moved)
    as a cancelled event under its old UID: a calendar app that imported the first plan
    ends up showing exactly the new one."""
    request, previous = _plan_in_progress(client)
    plan, as_of = _a_week_in(previous)
    missed = next(s for s in plan.sessions if s.date < as_of and s.kind == "run")
    body = _replan_body(request, previous, {"missed": [missed.id]}, as_of.isoformat())
    response = client.post("/v1/replan", json=body, headers={"Accept": "text/calendar"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.text)
    statuses: dict[str, set[str]] = {}
    for event in calendar.walk("VEVENT"):
        statuses.setdefault(str(event["STATUS"]), set()).add(str(event["UID"]))
    result = _replanned(client, request, previous, {"missed": [missed.id]}, as_of.isoformat())
    assert result.plan is not None
    new = {s.id for s in result.plan.sessions}
    lost = {s.id for s in plan.sessions} - new
    assert missed.id in lost
    assert statuses == {
        "CONFIRMED": {f"{i}@stride" for i in new},
        "CANCELLED": {f"{i}@stride" for i in lost},
    }


def test_a_replan_without_a_plan_answers_json_even_when_a_calendar_is_asked_for(
    client: TestClient,
) -> None:
    """A pin on a day the log makes unavailable: no plan, so the explained JSON instead."""
    request, previous = _plan_in_progress(client)
    _plan, as_of = _a_week_in(previous)
    away = (as_of + dt.timedelta(days=2)).isoformat()
    log = {
        "unavailable": [{"date": away, "slot": "all"}],
        "pins": [{"date": away, "kind": "run"}],
    }
    body = _replan_body(request, previous, log, as_of.isoformat())
    response = client.post("/v1/replan", json=body, headers={"Accept": "text/calendar"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    result = SolveResult.model_validate(response.json())
    assert result.status == "infeasible"
    assert result.conflicts and "PIN" in result.conflicts[0].rules


def test_replan_names_what_an_extra_logged_session_lacks(client: TestClient) -> None:
    """An entry without a plan_id is an extra session: its date is the athlete's to say."""
    request, previous = _plan_in_progress(client)
    _plan, as_of = _a_week_in(previous)
    log = {"sessions": [{"kind": "run", "minutes": 30}]}
    body = _replan_body(request, previous, log, as_of.isoformat())
    response = client.post("/v1/replan", json=body)
    assert response.status_code == 422
    fields = [problem["field"] for problem in response.json()["detail"]]
    assert fields == ["log.sessions[0].date"]


def test_replan_of_a_re_plan_from_an_earlier_day_is_a_422_naming_as_of(
    client: TestClient,
) -> None:
    request, previous = _plan_in_progress(client)
    _plan, as_of = _a_week_in(previous)
    first = _replanned(client, request, previous, {}, as_of.isoformat())
    assert first.replanned_from == as_of
    earlier = (as_of - dt.timedelta(days=1)).isoformat()
    response = client.post("/v1/replan", json=_replan_body(request, first, {}, earlier))
    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["detail"]] == ["as_of"]
