"""Error responses: 422 names each field and why, 429 says when to retry, 500 says nothing.

No stack trace ever reaches a client: unexpected errors are logged here and answered with
a fixed message. A full worker pool is a 429 with Retry-After rather than a 503: the
server is healthy, only busy, and proxies and load balancers read a 5xx as a sick backend.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from api.pool import PoolFullError
from api.schemas import ErrorBody, ValidationErrorBody, ValidationErrorItem

log = logging.getLogger(__name__)

# Cross-field checks in solver.schemas start their message with the field they protect:
# "end_date: must not be before start_date (T1)", "races[0].date: ...".
_FIELD_PREFIX = re.compile(r"^(?:Value error, )?([A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*): ")
_WHERE = {"body", "query", "path", "header", "cookie"}

RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_422_UNPROCESSABLE_CONTENT: {
        "model": ValidationErrorBody,
        "description": "Invalid input: each entry names a field and why it is refused.",
    },
}
TOO_LARGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_413_CONTENT_TOO_LARGE: {
        "model": ErrorBody,
        "description": "The body is larger than the server accepts.",
    },
}
BUSY_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_429_TOO_MANY_REQUESTS: {
        "model": ErrorBody,
        "description": "Every solver worker is busy; retry after `Retry-After` seconds.",
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        },
    }
}
NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"model": ErrorBody, "description": "No job with this id."}
}


def field_path(loc: Sequence[str | int], message: str) -> str:
    """The field an error is about, as `races[0].date`: its location, refined by the
    field a cross-field check names at the start of its message."""
    parts = list(loc)
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    match = _FIELD_PREFIX.match(message)
    if match:
        named = match.group(1)
        path = f"{path}.{named}" if path and not path.endswith(named) else named
    return path or "body"


def validation_items(errors: Sequence[Any]) -> list[ValidationErrorItem]:
    items = []
    for error in errors:
        loc = [p if isinstance(p, int) else str(p) for p in error.get("loc", ())]
        message = str(error.get("msg", "invalid value"))
        items.append(
            ValidationErrorItem(
                loc=loc,
                field=field_path(loc, message),
                msg=message,
                type=str(error.get("type", "value_error")),
            )
        )
    return items


def _unprocessable(errors: Sequence[Any]) -> JSONResponse:
    body = ValidationErrorBody(detail=validation_items(errors))
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content=jsonable_encoder(body)
    )


async def _invalid(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _unprocessable(error.errors())


async def _http_error(request: Request, error: Exception) -> Response:
    """HTTP errors as FastAPI sends them, except a body that is not even text.

    FastAPI answers a body it cannot decode (not UTF-8) with a bare 400; to a client that
    is malformed JSON like any other, so it gets the same 422.
    """
    assert isinstance(error, HTTPException)
    if error.status_code == status.HTTP_400_BAD_REQUEST and isinstance(
        error.__cause__, UnicodeDecodeError
    ):
        reason = f"Invalid JSON: the body is not UTF-8 text ({error.__cause__.reason})"
        return _unprocessable([{"loc": ("body",), "msg": reason, "type": "json_invalid"}])
    return await http_exception_handler(request, error)


async def _busy(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, PoolFullError)
    return JSONResponse(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        content={"detail": str(error)},
        headers={"Retry-After": str(error.retry_after_s)},
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "internal server error"},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(PoolFullError, _busy)
    app.add_exception_handler(Exception, _unexpected)
