"""Jobs: long solves that run in the pool, report progress, stop early and outlive restarts.

A job is written to the store when it is accepted and whenever it changes state, so
another server process (and this one after a restart) reads it from there. While it runs
in this process it is also *live*: subscribers get every improving solution as it
arrives, and a stop reaches the worker directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from api.pool import PoolFullError, SolvePool, WorkerCrashedError
from api.schemas import JobStatus, Progress
from api.settings import Settings
from api.store import JobRecord, JobStore, utc_now
from solver.schemas import PlanRequest, SolveResult

log = logging.getLogger(__name__)

EventName = Literal["progress", "done"]
JobEvent = tuple[EventName, JobRecord]
# Progress is saved at most this often while a job runs (the last one is always saved).
PROGRESS_SAVE_INTERVAL_S = 0.5
WORKER_DIED = "the solver's worker process stopped unexpectedly"
INTERNAL_ERROR = "internal error while solving; the job could not finish"


@dataclass
class _LiveJob:
    record: JobRecord
    request: PlanRequest
    task: asyncio.Task[None] | None = None
    stop_requested: bool = False
    finishing: bool = False  # the final state is being written: progress is stale now
    done: asyncio.Event = field(default_factory=asyncio.Event)
    subscribers: set[asyncio.Queue[JobEvent]] = field(default_factory=set)
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_saved: float = 0.0
    pending_saves: set[asyncio.Task[None]] = field(default_factory=set)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def with_limits(request: PlanRequest, *, time_limit_s: float, max_workers: int) -> PlanRequest:
    """The request with its time limit and CP-SAT workers capped by the server's settings."""
    options = request.options.model_copy(
        update={
            "time_limit_s": min(request.options.time_limit_s, time_limit_s),
            "num_workers": min(request.options.num_workers, max_workers),
        }
    )
    return request.model_copy(update={"options": options})


class JobRunner:
    """Runs solves now (`solve_now`) or as jobs (`submit`), over one pool and one store."""

    def __init__(self, settings: Settings, pool: SolvePool, store: JobStore) -> None:
        self.settings = settings
        self.pool = pool
        self.store = store
        self._pid = os.getpid()
        self._live: dict[str, _LiveJob] = {}
        self._queued = 0
        self._closing = False
        self._stop_poller: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        interrupted = await asyncio.to_thread(self.store.interrupt_orphans, self._pid, _is_alive)
        if interrupted:
            log.warning("marked %d unfinished job(s) of a stopped server interrupted", interrupted)
        self._stop_poller = asyncio.create_task(self._poll_stop_requests())

    async def close(self) -> None:
        """Stop every job, keep what plans they return, mark the rest interrupted."""
        self._closing = True
        if self._stop_poller is not None:
            self._stop_poller.cancel()
        tasks = [live.task for live in self._live.values() if live.task is not None]
        for live in list(self._live.values()):
            self._stop_live(live)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=self.settings.shutdown_grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    # --- counts for /healthz -------------------------------------------------------------

    @property
    def queued(self) -> int:
        return self._queued

    # --- solving now ---------------------------------------------------------------------

    async def solve_now(self, request: PlanRequest) -> SolveResult:
        """Solve within the sync time cap; PoolFullError when no worker is free right now."""
        bounded = with_limits(
            request,
            time_limit_s=self.settings.max_time_limit_s,
            max_workers=self.settings.max_solver_workers,
        )
        await self.pool.reserve(wait=False)
        try:
            result, _ = await self.pool.run(f"solve-{uuid.uuid4().hex}", bounded)
            return result
        finally:
            self.pool.release()

    # --- jobs ----------------------------------------------------------------------------

    async def submit(self, request: PlanRequest) -> JobRecord:
        """Accept a job, or raise PoolFullError when every worker is busy and the queue is full."""
        if self.pool.full and self._queued >= self.settings.max_queued_jobs:
            raise PoolFullError(self.pool.retry_after_s())
        bounded = with_limits(
            request,
            time_limit_s=self.settings.max_job_time_limit_s,
            max_workers=self.settings.max_solver_workers,
        )
        record = JobRecord(
            id=uuid.uuid4().hex,
            status="queued",
            created_at=utc_now(),
            time_limit_s=bounded.options.time_limit_s,
        )
        self._queued += 1  # counted before any await, so concurrent submits see it
        try:
            await asyncio.to_thread(self.store.create, record, bounded, self._pid)
        except BaseException:
            self._queued -= 1
            raise
        live = _LiveJob(record=record, request=bounded)
        self._live[record.id] = live
        live.task = asyncio.create_task(self._run(live), name=f"job-{record.id}")
        return record.model_copy()

    async def get(self, job_id: str) -> JobRecord | None:
        live = self._live.get(job_id)
        if live is not None:
            return live.record.model_copy()
        return await asyncio.to_thread(self.store.get, job_id)

    async def request_of(self, job_id: str) -> PlanRequest | None:
        live = self._live.get(job_id)
        if live is not None:
            return live.request
        return await asyncio.to_thread(self.store.request_of, job_id)

    async def stop(self, job_id: str) -> JobRecord | None:
        """Stop a job early, waiting up to `stop_wait_s` for its best plan; None if unknown."""
        live = self._live.get(job_id)
        if live is None:
            record = await asyncio.to_thread(self.store.get, job_id)
            if record is not None and not record.finished:
                # Another server process runs it; that process polls for this flag.
                await asyncio.to_thread(self.store.request_stop, job_id)
            return record
        self._stop_live(live)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(live.done.wait(), self.settings.stop_wait_s)
        return live.record.model_copy()

    async def events(self, job_id: str) -> AsyncIterator[JobEvent]:
        """The job's state now, then each change until it finishes (`done` comes last)."""
        live = self._live.get(job_id)
        if live is None:
            async for event in self._poll_events(job_id):
                yield event
            return
        queue: asyncio.Queue[JobEvent] = asyncio.Queue()
        live.subscribers.add(queue)
        try:
            if live.done.is_set():
                yield ("done", live.record.model_copy())
                return
            yield ("progress", live.record.model_copy())
            while True:
                event = await queue.get()
                yield event
                if event[0] == "done":
                    return
        finally:
            live.subscribers.discard(queue)

    # --- internals -----------------------------------------------------------------------

    def _stop_live(self, live: _LiveJob) -> None:
        live.stop_requested = True
        if live.record.status == "queued" and live.task is not None:
            live.task.cancel()  # waiting for a slot: nothing to keep
        else:
            self.pool.stop(live.record.id)

    async def _run(self, live: _LiveJob) -> None:
        job_id = live.record.id
        try:
            try:
                await self.pool.reserve(wait=True)
            finally:
                self._queued -= 1
        except asyncio.CancelledError:
            await self._finish(live, "stopped" if not self._closing else "interrupted")
            return
        result: SolveResult | None = None
        gap: float | None = None
        error: str | None = None
        try:
            await self._save(live, status="running", started_at=utc_now())
            result, gap = await self.pool.run(
                job_id,
                live.request,
                lambda p: self._progress(live, p),
                stopped=lambda: live.stop_requested,
            )
            status = self._final_status(live)
        except asyncio.CancelledError:
            status = "interrupted"
        except WorkerCrashedError:
            status, error = "failed", WORKER_DIED
        except Exception:
            log.exception("job %s failed", job_id)
            status, error = "failed", INTERNAL_ERROR
        finally:
            # Free before anyone can see the job end: a client that sends its next solve
            # as soon as this one ends must not be told that every worker is busy.
            self.pool.release()
        await self._finish(live, status, result=result, gap=gap, error=error)

    def _final_status(self, live: _LiveJob) -> JobStatus:
        if self._closing:
            return "interrupted"
        return "stopped" if live.stop_requested else "completed"

    def _progress(self, live: _LiveJob, progress: Progress) -> None:
        if live.finishing:
            return
        live.record.progress = progress
        self._publish(live, ("progress", live.record.model_copy()))
        now = time.monotonic()
        if now - live.last_saved >= PROGRESS_SAVE_INTERVAL_S:
            live.last_saved = now
            task = asyncio.create_task(self._save_progress(live, progress))
            live.pending_saves.add(task)
            task.add_done_callback(live.pending_saves.discard)

    async def _finish(
        self,
        live: _LiveJob,
        status: JobStatus,
        *,
        result: SolveResult | None = None,
        gap: float | None = None,
        error: str | None = None,
    ) -> None:
        live.finishing = True
        record = live.record
        if result is not None:
            record.progress = Progress(
                elapsed_s=result.wall_time_s,
                objective=result.objective,
                best_bound=result.best_bound,
                gap=gap,
                solutions=record.progress.solutions if record.progress is not None else 0,
            )
        if status == "interrupted" and error is None:
            error = "the server stopped before the job finished"
        changes: dict[str, Any] = {
            "status": status,
            "finished_at": utc_now(),
            "result": result,
            "error": error,
            "progress": record.progress,
        }
        try:
            await self._save(live, **changes)
        finally:
            live.done.set()
            self._publish(live, ("done", live.record.model_copy()))
            self._live.pop(record.id, None)
        with contextlib.suppress(Exception):  # pruning is housekeeping; never fail a job on it
            await asyncio.to_thread(self.store.prune, self.settings.max_stored_jobs)

    async def _save(self, live: _LiveJob, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(live.record, name, value)
        async with live.write_lock:  # one writer at a time per job
            await asyncio.to_thread(self.store.update, live.record.id, **changes)

    async def _save_progress(self, live: _LiveJob, progress: Progress) -> None:
        async with live.write_lock:
            if not live.finishing:  # never let a late progress write follow the final state
                await asyncio.to_thread(self.store.update, live.record.id, progress=progress)

    def _publish(self, live: _LiveJob, event: JobEvent) -> None:
        for queue in live.subscribers:
            queue.put_nowait(event)

    async def _poll_events(self, job_id: str) -> AsyncIterator[JobEvent]:
        """Events of a job run by another server process, read from the store."""
        last: JobRecord | None = None
        while True:
            record = await asyncio.to_thread(self.store.get, job_id)
            if record is None:
                return
            if record.finished:
                yield ("done", record)
                return
            if last is None or record.progress != last.progress or record.status != last.status:
                yield ("progress", record)
            last = record
            await asyncio.sleep(self.settings.sse_poll_s)

    async def _poll_stop_requests(self) -> None:
        """Stop this process's jobs that another server process was asked to stop."""
        while True:
            await asyncio.sleep(self.settings.sse_poll_s)
            try:
                wanted = await asyncio.to_thread(self.store.stop_requests, self._pid)
            except Exception:
                log.exception("could not read stop requests")
                continue
            for job_id in wanted:
                live = self._live.get(job_id)
                if live is not None and not live.stop_requested:
                    self._stop_live(live)
