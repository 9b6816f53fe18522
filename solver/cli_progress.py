"""A live line for a running solve: best objective, bound, gap, solutions, elapsed time.

CP-SAT reports progress from its own thread; the display refreshes from rich's thread;
the solve itself runs in a worker thread so that Ctrl-C in the main thread can ask it to
stop early and still print the best plan found so far.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Protocol

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

from solver.schemas import SolveResult

SHOW_AFTER_S = 1.0  # short solves print their result without a flicker of progress


class ProgressLike(Protocol):
    """What the display reads from solver.solving.Progress."""

    @property
    def wall_time_s(self) -> float: ...
    @property
    def objective(self) -> float | None: ...
    @property
    def best_bound(self) -> float | None: ...
    @property
    def gap(self) -> float | None: ...
    @property
    def solutions(self) -> int: ...


def format_number(value: float | None) -> str:
    """An objective or bound as a runner reads it: no '.0', two decimals otherwise."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


def format_gap(gap: float | None) -> str:
    return "-" if gap is None else f"{100 * gap:.1f} %"


class ProgressBoard:
    """The latest progress report, written by the solver's thread, read by rich's."""

    def __init__(self, time_limit_s: float) -> None:
        self._lock = threading.Lock()
        self._latest: ProgressLike | None = None
        self._started = time.monotonic()
        self._time_limit_s = time_limit_s
        self._stopping = False
        self._spinner = Spinner("dots")

    def update(self, progress: ProgressLike) -> None:
        with self._lock:
            self._latest = progress

    def mark_stopping(self) -> None:
        with self._lock:
            self._stopping = True

    def line(self) -> Text:
        with self._lock:
            latest, stopping = self._latest, self._stopping
        elapsed = time.monotonic() - self._started
        text = Text()
        text.append("stopping, keeping the best plan so far" if stopping else "solving", "bold")
        text.append(f"  {elapsed:5.1f} s / {format_number(self._time_limit_s)} s")
        if latest is None:
            text.append("  searching for a first plan", "dim")
            return text
        text.append(f"  best {format_number(latest.objective)}")
        text.append(f"  bound {format_number(latest.best_bound)}")
        text.append(f"  gap {format_gap(latest.gap)}")
        text.append(f"  solutions {latest.solutions}")
        return text

    def __rich__(self) -> RenderableType:
        if time.monotonic() - self._started < SHOW_AFTER_S:
            return Text("")
        self._spinner.update(text=self.line())
        return self._spinner


SolveFn = Callable[[Callable[[ProgressLike], None], threading.Event], SolveResult]


@contextmanager
def _live(console: Console, board: ProgressBoard) -> Iterator[None]:
    # Only an interactive terminal gets the live line; pipes and files get the result only.
    context = (
        Live(board, console=console, transient=True, refresh_per_second=8)
        if console.is_terminal
        else nullcontext()
    )
    with context:
        yield


@contextmanager
def _ctrl_c_raises() -> Iterator[None]:
    """Python's own Ctrl-C handling while the CLI waits: a library that installed a SIGINT
    handler of its own (servers, CP-SAT) must not swallow the stop."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_with_progress(console: Console, time_limit_s: float, solve: SolveFn) -> SolveResult:
    """Run `solve(on_progress, stop)` in a worker thread with a live progress line."""
    board = ProgressBoard(time_limit_s)
    stop = threading.Event()
    outcome: list[SolveResult] = []
    failure: list[BaseException] = []

    finished = threading.Event()

    def work() -> None:
        try:
            outcome.append(solve(board.update, stop))
        except BaseException as exc:  # re-raised in the main thread below
            failure.append(exc)
        finally:
            finished.set()

    worker = threading.Thread(target=work, name="stride-solve", daemon=True)
    with _live(console, board), _ctrl_c_raises():
        worker.start()
        # Waiting on an Event, not Thread.join: on Python 3.11 a Ctrl-C that interrupts
        # join() marks the still-running thread as stopped (CPython bpo-45274's fix).
        try:
            while not finished.wait(0.1):
                pass
        except KeyboardInterrupt:
            board.mark_stopping()
            stop.set()
            finished.wait()
    if failure:
        raise failure[0]
    return outcome[0]
