"""Schemathesis against `/openapi.json` of a real server: no 5xx, no schema violations.

A short profile for CI: 25 generated requests per operation, valid and invalid, against a
server whose limits keep every solve and job to a second or two. For a deeper run:
`STRIDE_FUZZ_EXAMPLES=500 pytest tests/api/test_schemathesis.py`. The operations are
listed from the app itself, so a new endpoint is fuzzed without touching this file.
(`schemathesis.pytest.from_fixture` breaks on pytest 9, hence the explicit strategies.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_server import Server, start_server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_app
from solver import PlanRequest
from tests.strategies import plan_requests

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OPERATIONS = [
    (method.upper(), path)
    for path, methods in create_app().openapi()["paths"].items()
    for method in methods
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
EXAMPLES = int(os.environ.get("STRIDE_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(
        tmp_path_factory.mktemp("fuzz") / "jobs.sqlite3",
        STRIDE_MAX_TIME_LIMIT_S="1",
        STRIDE_MAX_JOB_TIME_LIMIT_S="2",
        STRIDE_MAX_SOLVER_WORKERS="2",
        STRIDE_MAX_HORIZON_WEEKS="4",
        STRIDE_MAX_QUEUED_JOBS="2",
        STRIDE_STOP_WAIT_S="1",
    )
    try:
        yield server
    finally:
        assert server.stop() == 0, server.log_text()


@pytest.fixture
def api_schema(fuzz_server: Server) -> Iterator[schemathesis.BaseSchema]:
    yield schemathesis.openapi.from_url(f"{fuzz_server.base_url}/openapi.json")
    # pytest shows a failed test's output: the server's log says what went wrong inside.
    print(fuzz_server.log_text())


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_openapi_document(
    api_schema: schemathesis.BaseSchema, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method.lower()]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: schemathesis.Case[Any]) -> None:
        response = case.call_and_validate(checks=CHECKS)
        if os.environ.get("STRIDE_FUZZ_LOG"):
            with open(os.environ["STRIDE_FUZZ_LOG"], "a") as log:
                log.write(f"{method} {path} {mode.value} {response.status_code}\n")

    try:
        conforms()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip("nothing in this operation's input can be made invalid")


@pytest.mark.parametrize("path", ["/v1/solve", "/v1/jobs", "/v1/validate"])
def test_valid_plan_requests_never_break_the_server(
    api_schema: schemathesis.BaseSchema, path: str
) -> None:
    """Random bodies rarely pass PlanRequest's cross-field checks, so the fuzzing above
    seldom reaches a solve or the validator: here every request is valid (and, for
    /v1/validate, the plan beside it is whatever the schema allows)."""
    operation = api_schema[path]["post"]

    @given(
        data=st.data(),
        plan_request=plan_requests(max_weeks=3, time_limit_s=1.0),
    )
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(data: st.DataObject, plan_request: PlanRequest) -> None:
        case = data.draw(operation.as_strategy(media_type="application/json"))
        case.media_type = "application/json"
        request_body = plan_request.model_dump(mode="json")
        if path == "/v1/validate":
            generated = case.body if isinstance(case.body, dict) else {}
            case.body = {"request": request_body}
            for key in ("plan", "result"):
                if generated.get(key) is not None:
                    case.body[key] = generated[key]
                    break
        else:
            case.body = request_body
        response = case.call_and_validate(checks=CHECKS)
        if os.environ.get("STRIDE_FUZZ_LOG"):
            with open(os.environ["STRIDE_FUZZ_LOG"], "a") as log:
                log.write(f"POST {path} valid {response.status_code}\n")

    conforms()
