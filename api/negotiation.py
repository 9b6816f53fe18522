"""Content negotiation: does the client prefer the plan as iCalendar over JSON?"""

from __future__ import annotations

CALENDAR = "text/calendar"
JSON = "application/json"


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
