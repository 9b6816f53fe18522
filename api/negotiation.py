"""Content negotiation: does the client prefer the plan as iCalendar over JSON?"""

from __future__ import annotations

from typing import Any

from fastapi import Response

CALENDAR = "text/calendar"
JSON = "application/json"

CALENDAR_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The result as JSON, or with `Accept: text/calendar` the plan as an "
        "iCalendar file (JSON when there is no plan, e.g. `infeasible`).",
        "content": {CALENDAR: {"schema": {"type": "string"}}},
    }
}


def calendar_response(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type=f"{CALENDAR}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> tuple[float, bool]:
    """The quality the client gives `media`, and whether it named it exactly."""
    kind = media.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)  # (specificity, q): the most specific range wins
    for pattern, quality in ranges:
        if pattern == media:
            specificity = 2
        elif pattern == f"{kind}/*":
            specificity = 1
        elif pattern == "*/*":
            specificity = 0
        else:
            continue
        best = max(best, (specificity, quality), key=lambda b: b[0])
    return best[1], best[0] == 2


def prefers_calendar(accept: str | None) -> bool:
    """True when `text/calendar` ranks above JSON (JSON wins ties unless only iCal is named)."""
    if not accept:
        return False
    ranges = _ranges(accept)
    calendar, calendar_named = _quality(CALENDAR, ranges)
    json, json_named = _quality(JSON, ranges)
    if calendar <= 0:
        return False
    return calendar > json or (calendar == json and calendar_named and not json_named)
