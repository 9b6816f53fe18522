"""Server-sent events: a job's updates as a `text/event-stream`.

Each message is `event: <name>`, `id: <n>` and one `data:` line of JSON. While nothing
happens a comment line goes out every `keepalive_s`, so proxies keep the stream open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

log = logging.getLogger(__name__)

MEDIA_TYPE = "text/event-stream"
KEEPALIVE = ": keepalive\n\n"


def format_event(name: str, data: str, event_id: int) -> str:
    # JSON from pydantic has no raw newlines; splitting keeps the frame valid regardless.
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\nid: {event_id}\n{lines}\n"


async def event_stream(
    events: AsyncIterator[tuple[str, str]], keepalive_s: float
) -> AsyncIterator[str]:
    """Frame `(name, json)` pairs as SSE, with keep-alive comments while idle.

    A pump task reads the events into a queue, so waiting with a timeout never cancels
    the source iterator mid-step.
    """
    queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()

    async def pump() -> None:
        try:
            async for item in events:
                await queue.put(item)
        except Exception:
            log.exception("event source failed")
        finally:
            await queue.put(None)

    task = asyncio.create_task(pump())
    try:
        count = 0
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), keepalive_s)
            except TimeoutError:
                yield KEEPALIVE
                continue
            if item is None:
                return
            count += 1
            yield format_event(item[0], item[1], count)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
