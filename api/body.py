"""Reading a PlanRequest from `POST /v1/solve`: a JSON body, or a multipart ICS upload.

The multipart form has a `request` part (the PlanRequest as JSON, text or file) and a
`calendar` part (an .ics file) that becomes `calendar_ics`. Either way, errors are 422s
located like FastAPI's own (`body`, then the field path).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.limits import field_error
from api.settings import Settings
from solver.schemas import PlanRequest

JSON_TYPES = ("application/json",)
MULTIPART = "multipart/form-data"

# The OpenAPI description of the two bodies (FastAPI cannot infer a body read by hand).
SOLVE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/PlanRequest"}},
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["request"],
                    "properties": {
                        "request": {
                            "type": "string",
                            "description": "The PlanRequest as JSON.",
                        },
                        "calendar": {
                            "type": "string",
                            "format": "binary",
                            "description": "An iCalendar (.ics) file; its busy events block "
                            "slots, as `calendar_ics` would.",
                        },
                    },
                }
            },
        },
    }
}


async def read_plan_request(request: Request, settings: Settings) -> PlanRequest:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == MULTIPART:
        return await _from_multipart(request, settings)
    if media_type and media_type not in JSON_TYPES and not media_type.endswith("+json"):
        raise field_error(
            ("body",), f"unsupported content type {media_type!r}: send JSON or {MULTIPART}"
        )
    return _parse(await request.body(), ("body",))


async def _from_multipart(request: Request, settings: Settings) -> PlanRequest:
    try:
        form = await request.form(max_files=2, max_fields=4, max_part_size=settings.max_body_bytes)
    except Exception as error:  # starlette raises several types for malformed forms
        if getattr(error, "status_code", None) == 413:
            raise
        reason = getattr(error, "detail", None) or str(error)
        raise field_error(("body",), f"malformed multipart form: {reason}") from None
    raw = form.get("request")
    if raw is None:
        raise field_error(("body", "request"), "request: the PlanRequest part is missing")
    text = await raw.read() if isinstance(raw, UploadFile) else raw
    plan_request = _parse(text, ("body", "request"))
    calendar = form.get("calendar")
    if calendar is None:
        return plan_request
    if plan_request.calendar_ics:
        raise field_error(
            ("body", "calendar"),
            "calendar: give the calendar either as `calendar_ics` or as the upload, not both",
        )
    content = await calendar.read() if isinstance(calendar, UploadFile) else calendar
    try:
        ics = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        raise field_error(("body", "calendar"), "calendar: not UTF-8 text") from None
    try:
        return PlanRequest.model_validate({**plan_request.model_dump(), "calendar_ics": ics})
    except ValidationError as error:
        raise RequestValidationError(_located(error, ("body", "calendar"))) from None


def _parse(payload: bytes | str, loc: tuple[str | int, ...]) -> PlanRequest:
    if not payload:
        raise field_error(loc, "the body is empty: send a PlanRequest")
    try:
        return PlanRequest.model_validate_json(payload)
    except ValidationError as error:
        raise RequestValidationError(_located(error, loc)) from None


def _located(error: ValidationError, loc: tuple[str | int, ...]) -> list[dict[str, Any]]:
    return [
        {"type": e["type"], "loc": (*loc, *e["loc"]), "msg": e["msg"]}
        for e in error.errors(include_url=False)
    ]
