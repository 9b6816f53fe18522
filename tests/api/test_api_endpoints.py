"""Every endpoint through FastAPI's TestClient: solves, calendars, validation, errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import icalendar
import pytest
from api_requests import deterministic, infeasible_request, small_request
from fastapi.testclient import TestClient

from solver import PlanRequest, SolveResult, validate

# ---------------------------------------------------------------------------------------
# Service


def test_healthz_reports_capacity(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["solve_capacity"] == 2
    assert body["solves_running"] == 0


def test_openapi_lists_every_endpoint_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert operations >= {
        ("GET", "/healthz"),
        ("POST", "/v1/solve"),
        ("POST", "/v1/jobs"),
        ("GET", "/v1/jobs/{job_id}"),
        ("DELETE", "/v1/jobs/{job_id}"),
        ("GET", "/v1/jobs/{job_id}/events"),
        ("GET", "/v1/jobs/{job_id}/plan.ics"),
        ("POST", "/v1/validate"),
        ("GET", "/v1/rules"),
        ("GET", "/v1/exercises"),
    }
    # The planning contract itself is the pydantic models' schema.
    assert "PlanRequest" in schema["components"]["schemas"]
    assert "SolveResult" in schema["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


# ---------------------------------------------------------------------------------------
# POST /v1/solve


def test_solve_returns_a_plan_that_passes_the_validator(client: TestClient) -> None:
    body = small_request()
    response = client.post("/v1/solve", json=body)
    assert response.status_code == 200
    result = SolveResult.model_validate(response.json())
    assert result.status in ("optimal", "feasible")
    assert result.plan is not None and result.plan.sessions
    report = validate(PlanRequest.model_validate(body), result)
    assert report.violations == []
    assert report.objective_matches is True


def test_the_server_caps_the_time_limit(client: TestClient) -> None:
    body = small_request()
    body["options"]["time_limit_s"] = 3000  # allowed by the schema; the server caps it
    result = client.post("/v1/solve", json=body).json()
    assert result["status"] in ("optimal", "feasible")


def test_infeasible_is_a_200_whose_status_says_so(client: TestClient) -> None:
    response = client.post("/v1/solve", json=infeasible_request())
    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "infeasible"
    assert result["plan"] is None
    assert result["conflicts"]


def test_accept_text_calendar_returns_one_event_per_session(client: TestClient) -> None:
    body = deterministic(small_request())
    plan = SolveResult.model_validate(client.post("/v1/solve", json=body).json()).plan
    assert plan is not None
    response = client.post("/v1/solve", json=body, headers={"Accept": "text/calendar"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.text)
    uids = sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))
    assert uids == sorted(f"{s.id}@stride" for s in plan.sessions)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_accept_text_calendar_without_a_plan_falls_back_to_json(client: TestClient) -> None:
    response = client.post(
        "/v1/solve", json=infeasible_request(), headers={"Accept": "text/calendar"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "infeasible"


_TUESDAY_EVENINGS_BUSY = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        "BEGIN:VEVENT",
        "UID:choir@test",
        "DTSTAMP:20270101T000000Z",
        "SUMMARY:Choir",
        "DTSTART;TZID=Europe/Berlin:20270302T173000",
        "DTEND;TZID=Europe/Berlin:20270302T200000",
        "RRULE:FREQ=WEEKLY;BYDAY=TU,TH",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:trip@test",
        "DTSTAMP:20270101T000000Z",
        "SUMMARY:Trip",
        "DTSTART;VALUE=DATE:20270306",
        "DTEND;VALUE=DATE:20270308",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)
_BLOCKED_DATES = {
    dt.date(2027, 3, 2),
    dt.date(2027, 3, 4),
    dt.date(2027, 3, 6),
    dt.date(2027, 3, 7),
    dt.date(2027, 3, 9),
    dt.date(2027, 3, 11),
}


def _session_dates(result: dict[str, Any]) -> set[dt.date]:
    parsed = SolveResult.model_validate(result)
    assert parsed.plan is not None
    return {s.date for s in parsed.plan.sessions}


def test_calendar_ics_in_the_request_blocks_busy_slots(client: TestClient) -> None:
    body = small_request(calendar_ics=_TUESDAY_EVENINGS_BUSY)
    result = client.post("/v1/solve", json=body).json()
    assert result["status"] in ("optimal", "feasible")
    assert not _session_dates(result) & _BLOCKED_DATES


@pytest.mark.parametrize("request_filename", [None, "request.json"])  # a field or a file
def test_multipart_ics_upload_blocks_busy_slots(
    client: TestClient, request_filename: str | None
) -> None:
    files = {
        "request": (request_filename, json.dumps(small_request()), "application/json"),
        "calendar": ("busy.ics", _TUESDAY_EVENINGS_BUSY.encode(), "text/calendar"),
    }
    response = client.post("/v1/solve", files=files)
    assert response.status_code == 200
    result = response.json()
    assert result["status"] in ("optimal", "feasible")
    assert not _session_dates(result) & _BLOCKED_DATES


def test_multipart_refuses_two_calendars(client: TestClient) -> None:
    files = {
        "request": (None, json.dumps(small_request(calendar_ics=_TUESDAY_EVENINGS_BUSY))),
        "calendar": ("busy.ics", _TUESDAY_EVENINGS_BUSY.encode(), "text/calendar"),
    }
    response = client.post("/v1/solve", files=files)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "calendar"


def test_multipart_without_the_request_part_is_a_422(client: TestClient) -> None:
    files = {"calendar": ("busy.ics", _TUESDAY_EVENINGS_BUSY.encode(), "text/calendar")}
    response = client.post("/v1/solve", files=files)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "request"


# ---------------------------------------------------------------------------------------
# Errors


def _fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {item["field"]: item["msg"] for item in response.json()["detail"]}


def test_invalid_fields_are_each_named(client: TestClient) -> None:
    body = small_request()
    body["athlete"]["level"] = "elite"
    body["options"]["time_limit_s"] = -1
    body["surprise"] = True
    fields = _fields(client.post("/v1/solve", json=body))
    assert set(fields) == {"athlete.level", "options.time_limit_s", "surprise"}
    assert "beginner" in fields["athlete.level"]


def test_cross_field_errors_name_the_field_they_protect(client: TestClient) -> None:
    body = small_request(end_date="2027-02-01")
    fields = _fields(client.post("/v1/jobs", json=body))
    assert list(fields) == ["end_date"]
    assert "before start_date" in fields["end_date"]


def test_malformed_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/v1/solve", content=b'{"start_date": ', headers={"content-type": "application/json"}
    )
    assert _fields(response) == {"body": response.json()["detail"][0]["msg"]}
    assert "Invalid JSON" in response.json()["detail"][0]["msg"]


def test_an_unsupported_content_type_is_a_422(client: TestClient) -> None:
    response = client.post("/v1/solve", content=b"hello", headers={"content-type": "text/plain"})
    assert "unsupported content type" in _fields(response)["body"]


def test_malformed_calendar_ics_is_a_422_naming_it(client: TestClient) -> None:
    body = small_request(calendar_ics="BEGIN:VCALENDAR\r\nthis is not ics\r\n")
    for path in ("/v1/solve", "/v1/jobs"):
        fields = _fields(client.post(path, json=body))
        assert list(fields) == ["calendar_ics"]
        assert fields["calendar_ics"].startswith("calendar_ics: ")


def test_a_horizon_beyond_the_servers_cap_is_a_422(client: TestClient) -> None:
    body = small_request(end_date="2027-12-31")  # 44 weeks; the test server plans 26
    fields = _fields(client.post("/v1/solve", json=body))
    assert "STRIDE_MAX_HORIZON_WEEKS" in fields["end_date"]


def test_a_body_above_the_limit_is_a_413(client: TestClient) -> None:
    body = small_request(calendar_ics="X" * 300_000)  # the test server takes 200 kB
    response = client.post("/v1/solve", json=body)
    assert response.status_code == 413
    assert "at most 200000 bytes" in response.json()["detail"]


def test_a_chunked_body_above_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Any:
        yield b'{"calendar_ics": "'
        for _ in range(30):
            yield b"X" * 10_000
        yield b'"}'

    response = client.post(
        "/v1/jobs", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_jobs_are_404(client: TestClient) -> None:
    for method, path in (
        ("GET", "/v1/jobs/nope"),
        ("DELETE", "/v1/jobs/nope"),
        ("GET", "/v1/jobs/nope/events"),
        ("GET", "/v1/jobs/nope/plan.ics"),
    ):
        response = client.request(method, path)
        assert response.status_code == 404, (method, path)
        assert "nope" in response.json()["detail"]


def test_unexpected_errors_are_a_500_without_a_trace(client: TestClient) -> None:
    app = client.app
    boom_path = "/v1/test-only-boom"

    @app.get(boom_path)  # type: ignore[attr-defined, untyped-decorator]
    async def boom() -> None:
        raise RuntimeError("secret internals")

    try:
        quiet = TestClient(app, raise_server_exceptions=False)
        response = quiet.get(boom_path)
    finally:
        app.router.routes.pop()  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
    assert "secret" not in response.text and "Traceback" not in response.text


# ---------------------------------------------------------------------------------------
# POST /v1/validate


def test_validate_a_solved_result(client: TestClient) -> None:
    body = small_request()
    result = client.post("/v1/solve", json=body).json()
    response = client.post("/v1/validate", json={"request": body, "result": result})
    assert response.status_code == 200
    outcome = response.json()
    assert outcome["ok"] is True
    assert outcome["violations"] == []
    assert outcome["objective_matches"] is True
    assert outcome["objective"] == result["objective"]


def test_validate_a_plan_made_by_hand_reports_violations(client: TestClient) -> None:
    body = small_request()
    result = client.post("/v1/solve", json=body).json()
    plan = result["plan"]
    # Move every session onto the first Monday morning: slots overflow, runs collide.
    for session in plan["sessions"]:
        session["date"] = "2027-03-01"
        session["slot"] = "am"
        session["start"] = "2027-03-01T06:30"
    response = client.post("/v1/validate", json={"request": body, "plan": plan})
    assert response.status_code == 200
    outcome = response.json()
    assert outcome["ok"] is False
    assert {v["rule"] for v in outcome["violations"]} >= {"T3"}
    assert outcome["objective_matches"] is None


def test_validate_needs_exactly_one_of_plan_and_result(client: TestClient) -> None:
    body = small_request()
    result = client.post("/v1/solve", json=body).json()
    both = {"request": body, "plan": result["plan"], "result": result}
    assert "plan" in _fields(client.post("/v1/validate", json=both))
    assert "plan" in _fields(client.post("/v1/validate", json={"request": body}))


# ---------------------------------------------------------------------------------------
# Catalogues


def test_rules_catalogue(client: TestClient) -> None:
    rules = client.get("/v1/rules").json()
    by_id = {r["id"]: r for r in rules}
    assert {"T3", "R1", "R9", "S2", "P2"} <= set(by_id)
    assert by_id["R9"]["hard"] is False and by_id["R9"]["default_weight"] > 0
    assert by_id["S2"]["hard"] is True
    assert all(r["description"] for r in rules)
    soft = client.get("/v1/rules", params={"hard": "false"}).json()
    assert soft and all(not r["hard"] for r in soft)


def test_exercise_library_with_filters(client: TestClient) -> None:
    everything = client.get("/v1/exercises").json()
    assert everything["count"] == len(everything["exercises"]) > 0
    core = client.get("/v1/exercises", params={"pillar": "core"}).json()
    assert 0 < core["count"] < everything["count"]
    assert all("core" in e["pillars"] for e in core["exercises"])
    bodyweight = client.get("/v1/exercises", params={"equipment": ["bodyweight"]}).json()
    assert all(e["equipment"] == ["bodyweight"] for e in bodyweight["exercises"])
    taper = client.get("/v1/exercises", params={"phase": "taper"}).json()
    assert all(e["prescription"]["taper"] is not None for e in taper["exercises"])


def test_unknown_exercise_filter_is_a_422(client: TestClient) -> None:
    fields = _fields(client.get("/v1/exercises", params={"pillar": "arms"}))
    assert list(fields) == ["pillar"]


@pytest.mark.parametrize("zone", ["America", "Europe/", "x" * 300, "Mars/Olympus_Mons"])
def test_a_time_zone_that_is_no_zone_is_a_422_naming_timezone(
    client: TestClient, zone: str
) -> None:
    """A zone name is a file name to zoneinfo: a directory ("America", a common slip for
    "America/New_York") or a name too long for the file system used to be a 500."""
    fields = _fields(client.post("/v1/solve", json=small_request(timezone=zone)))
    assert list(fields) == ["timezone"]
    assert "unknown IANA time zone" in fields["timezone"]
