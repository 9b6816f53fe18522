"""What the service refuses before it solves: oversized bodies, horizons, bad calendars."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings
from solver.calendar_io import busy_slots
from solver.schemas import PlanRequest

TOO_LARGE = status.HTTP_413_CONTENT_TOO_LARGE


class BodySizeLimit:
    """ASGI middleware: a body above `max_bytes` gets 413 before anything parses it.

    A declared Content-Length is checked up front; a chunked body is counted as it
    arrives, and the read that crosses the limit raises a 413 HTTPException (FastAPI
    passes HTTPExceptions raised while reading a body through unchanged).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _send_too_large(send, self.max_bytes)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(TOO_LARGE, _too_large_detail(self.max_bytes))
            return message

        await self.app(scope, counted_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large_detail(max_bytes: int) -> str:
    return f"request body too large: at most {max_bytes} bytes (STRIDE_MAX_BODY_BYTES)"


async def _send_too_large(send: Send, max_bytes: int) -> None:
    body = ('{"detail": "' + _too_large_detail(max_bytes) + '"}').encode()
    await send(
        {
            "type": "http.response.start",
            "status": TOO_LARGE,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def field_error(loc: tuple[str | int, ...], message: str) -> RequestValidationError:
    """A 422 for one field, shaped like pydantic's errors (see api.errors)."""
    error: dict[str, Any] = {"type": "value_error", "loc": loc, "msg": message}
    return RequestValidationError([error])


async def check_plan_request(
    request: PlanRequest, settings: Settings, loc: tuple[str | int, ...] = ("body",)
) -> None:
    """Refuse what the schema allows but this server will not plan: 422 naming the field.

    The calendar is parsed here, in a thread, so a broken `calendar_ics` is the client's
    422 now rather than a failed solve later.
    """
    weeks = (request.last_day - request.start_date).days // 7 + 1
    if weeks > settings.max_horizon_weeks:
        raise field_error(
            (*loc, "end_date"),
            f"end_date: the horizon is {weeks} weeks; this server plans at most "
            f"{settings.max_horizon_weeks} (STRIDE_MAX_HORIZON_WEEKS)",
        )
    if request.calendar_ics:
        try:
            await asyncio.to_thread(busy_slots, request)
        except ValueError as error:
            raise field_error((*loc, "calendar_ics"), str(error)) from None
