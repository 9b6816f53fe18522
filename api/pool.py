"""The bounded pool of solver processes: solves never run on the event loop.

A fixed number of worker processes (`max_concurrent_solves`) each run one solve at a time.
A solve reserves a slot first; when none is free the caller gets `PoolFullError` with a
Retry-After estimate instead of an unbounded queue. Progress travels from the worker over
one manager queue, which a relay thread drains into the event loop; a stop is a manager
event per solve, which the worker mirrors into the solver's `threading.Event`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from api import worker
from api.schemas import Progress
from api.settings import Settings
from solver.schemas import PlanRequest, SolveResult

log = logging.getLogger(__name__)

ProgressListener = Callable[[Progress], None]
RETRY_AFTER_RANGE = (1, 60)


class PoolFullError(Exception):
    """Every worker is busy (and the job queue, if any, is full)."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"all solver workers are busy; retry in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class WorkerCrashedError(Exception):
    """The worker process died mid-solve (killed, out of memory)."""


@dataclass
class _Running:
    deadline: float  # time.monotonic() by which the solve should be done
    stop: Any  # a manager Event proxy
    listener: ProgressListener | None


class SolvePool:
    """Worker processes plus the slot accounting that bounds them."""

    def __init__(self, settings: Settings) -> None:
        self.size = settings.max_concurrent_solves
        self._grace_s = settings.solve_grace_s
        self._context = multiprocessing.get_context("spawn")  # fork is unsafe with threads
        self._slots = asyncio.Semaphore(self.size)
        self._busy = 0
        self._running: dict[str, _Running] = {}
        self._manager: Any = None
        self._queue: Any = None
        self._executor: ProcessPoolExecutor | None = None
        self._relay: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the manager, the workers and the progress relay (from the event loop)."""
        self._loop = asyncio.get_running_loop()
        self._manager = self._context.Manager()
        self._queue = self._manager.Queue()
        self._executor = self._new_executor()
        self._relay = threading.Thread(target=self._relay_progress, name="progress-relay")
        self._relay.daemon = True
        self._relay.start()

    def close(self) -> None:
        """Stop every solve, then the workers, the relay and the manager (blocking)."""
        for running in list(self._running.values()):
            _set_quietly(running.stop)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        if self._queue is not None:
            # If the manager is already gone, the relay has ended with it.
            with contextlib.suppress(OSError, EOFError):
                self._queue.put(None)
        if self._relay is not None:
            self._relay.join(timeout=5)
        if self._manager is not None:
            self._manager.shutdown()

    def _new_executor(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.size, mp_context=self._context, initializer=worker.warm_up
        )
        for _ in range(self.size):
            executor.submit(worker.ready)  # one per slot: start every process now
        return executor

    # --- slots -------------------------------------------------------------------------

    @property
    def busy(self) -> int:
        return self._busy

    @property
    def full(self) -> bool:
        return self._slots.locked()

    def retry_after_s(self) -> int:
        """Seconds until the first running solve should end, within RETRY_AFTER_RANGE."""
        now = time.monotonic()
        remaining = [r.deadline - now for r in self._running.values()]
        low, high = RETRY_AFTER_RANGE
        soonest = min(remaining, default=float(low))
        return max(low, min(high, math.ceil(soonest)))

    async def reserve(self, *, wait: bool) -> None:
        """Take a slot; without `wait`, raise PoolFullError when none is free."""
        if not wait and self.full:
            raise PoolFullError(self.retry_after_s())
        await self._slots.acquire()
        self._busy += 1

    def release(self) -> None:
        self._busy -= 1
        self._slots.release()

    # --- solving -----------------------------------------------------------------------

    async def run(
        self,
        solve_id: str,
        request: PlanRequest,
        listener: ProgressListener | None = None,
        stopped: Callable[[], bool] = lambda: False,
    ) -> tuple[SolveResult, float | None]:
        """Solve in a worker: the result and its final relative gap.

        The caller holds a slot. The solve is stopped if the caller is cancelled, if
        `stopped()` is already true once it is registered (a stop that came before
        `stop(solve_id)` could reach it), and by the pool itself once it overruns its time
        limit by `solve_grace_s`.
        """
        assert self._executor is not None and self._loop is not None, "pool not started"
        limit = request.options.time_limit_s
        stop = await asyncio.to_thread(self._manager.Event)
        self._running[solve_id] = _Running(time.monotonic() + limit, stop, listener)
        if stopped():
            _set_quietly(stop)
        try:
            future = self._loop.run_in_executor(
                self._executor,
                worker.solve_request,
                solve_id,
                request.model_dump_json(),
                self._queue,
                stop,
            )
            try:
                text, gap = await asyncio.wait_for(asyncio.shield(future), limit + self._grace_s)
            except TimeoutError:
                log.warning("solve %s overran its time limit; stopping it", solve_id)
                await asyncio.to_thread(_set_quietly, stop)
                text, gap = await future
        except asyncio.CancelledError:
            await asyncio.to_thread(_set_quietly, stop)
            raise
        except BrokenProcessPool:
            log.error("a solver worker died during solve %s; restarting the pool", solve_id)
            self._replace_broken_executor()
            raise WorkerCrashedError(solve_id) from None
        finally:
            del self._running[solve_id]
        return SolveResult.model_validate_json(text), gap

    async def call(self, task: str, function: Callable[[str], str], payload: str) -> str:
        """Run `function(payload)` in a worker (the caller holds a slot): explain, replan.

        Like a solve it never runs on the event loop; unlike one it reports no progress.
        """
        assert self._executor is not None and self._loop is not None, "pool not started"
        try:
            return await self._loop.run_in_executor(self._executor, function, payload)
        except BrokenProcessPool:
            log.error("a solver worker died during %s; restarting the pool", task)
            self._replace_broken_executor()
            raise WorkerCrashedError(task) from None

    def stop(self, solve_id: str) -> bool:
        """Ask a running solve to stop and keep its best plan; False if not running here."""
        running = self._running.get(solve_id)
        if running is None:
            return False
        _set_quietly(running.stop)
        return True

    def _replace_broken_executor(self) -> None:
        broken, self._executor = self._executor, self._new_executor()
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    # --- progress relay ------------------------------------------------------------------

    def _relay_progress(self) -> None:
        """Drain the workers' progress queue into the event loop (runs in a thread)."""
        assert self._loop is not None
        while True:
            try:
                item = self._queue.get()
            except (OSError, EOFError):
                return  # the manager has shut down
            if item is None:
                return
            solve_id, fields = item
            try:
                self._loop.call_soon_threadsafe(self._deliver, solve_id, fields)
            except RuntimeError:
                return  # the loop has closed

    def _deliver(self, solve_id: str, fields: dict[str, Any]) -> None:
        running = self._running.get(solve_id)
        if running is not None and running.listener is not None:
            running.listener(Progress.model_validate(fields))


def _set_quietly(event: Any) -> None:
    # If the manager is gone, so is the worker the flag was for.
    with contextlib.suppress(OSError, EOFError):
        event.set()
