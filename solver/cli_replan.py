"""`stride replan REQUEST.json RESULT.json LOG.json --as-of DATE`: re-plan a plan in progress.

LOG.json is a ReplanLog: sessions done (actual minutes, RPE), missed, moved or extra, new
unavailability and pins. The past stays as logged; the future changes as little as the
rules allow (solver/replanning.py). The plan is shown like `stride solve`'s, followed by the
rule violations the logged past holds by itself (facts, not the re-plan's doing).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import BaseModel, ValidationError
from rich.markup import escape

from solver.cli_common import (
    EXIT_PROBLEM,
    IcsOption,
    InputError,
    OutputOption,
    TimeLimitOption,
    WorkersOption,
    error_rows,
    exit_with_input_error,
    load_request,
    read_text,
    stdout_console,
)
from solver.cli_progress import ProgressLike, run_with_progress
from solver.cli_render import render_violations
from solver.cli_solve import EXIT_BY_STATUS, show_result, with_overrides, write_ics, write_result
from solver.schemas import PlanRequest, ReplanLog, SolveResult

M = TypeVar("M", bound=BaseModel)


def _load(path: Path, model: type[M], what: str) -> M:
    try:
        return model.model_validate_json(read_text(path))
    except ValidationError as exc:
        rows = error_rows(exc)
        raise InputError(str(path), f"invalid {what}, {len(rows)} problem(s)", rows) from None


def load_log(path: Path) -> ReplanLog:
    """A ReplanLog from a JSON file, or an InputError naming every invalid field."""
    return _load(path, ReplanLog, "log")


def load_previous(path: Path) -> SolveResult:
    """The result under way; it must hold a plan."""
    result = _load(path, SolveResult, "solve result")
    if result.plan is None:
        raise InputError(str(path), f"holds no plan (status {result.status}) to re-plan", [])
    return result


def today_in(timezone: str) -> dt.date:
    """The athlete's today: a log written late on Sunday in Sydney is not Monday's."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def replan_command(
    request_file: Annotated[
        Path, typer.Argument(metavar="REQUEST.json", help="The PlanRequest JSON file.")
    ],
    result_file: Annotated[
        Path,
        typer.Argument(metavar="RESULT.json", help="The SolveResult whose plan is under way."),
    ],
    log_file: Annotated[Path, typer.Argument(metavar="LOG.json", help="A ReplanLog JSON file.")],
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="First day to plan again (YYYY-MM-DD); the days before are the past. "
            "Default: today, in the request's time zone.",
        ),
    ] = None,
    output: OutputOption = None,
    ics: IcsOption = None,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = None,
    days: Annotated[
        bool, typer.Option("--days/--no-days", help="Show each day's sessions.")
    ] = True,
) -> None:
    """Re-plan RESULT.json's plan from --as-of (default today) on, after what LOG.json
    says happened.

    Exit code 0 for a plan, 1 when none exists or time ran out, 2 for invalid input (a
    log that does not fit the plan names the field).
    """
    try:
        request: PlanRequest = with_overrides(
            load_request(request_file),
            time_limit_s=time_limit,
            num_workers=workers,
            random_seed=None,
            strict=None,
            source=str(request_file),
        )
        previous = load_previous(result_file)
        log = load_log(log_file)
    except InputError as error:
        raise exit_with_input_error(error) from None

    from solver.replanning import ReplanInputError, prepare, replan

    day = as_of.date() if as_of is not None else today_in(request.timezone)
    try:
        replanning = prepare(request, previous, log, day)
    except ReplanInputError as error:
        # Here as_of is an option, and maybe not one the user typed.
        option = "--as-of" if as_of is not None else "--as-of (default: today)"
        problems = [(option if f == "as_of" else f, why) for f, why in error.problems]
        raise exit_with_input_error(
            InputError(str(log_file), "the log does not fit the plan", problems)
        ) from None

    def run(on_progress: Callable[[ProgressLike], None], stop: threading.Event) -> SolveResult:
        return replan(request, previous, log, day, on_progress=on_progress, stop=stop)

    console = stdout_console()
    result = run_with_progress(console, request.options.time_limit_s, run)
    show_result(console, result, replanning.request, days=days)
    if result.changes:
        console.print(f"\n[bold]Changed from the plan in progress[/] ({len(result.changes)})")
        for change in result.changes:
            console.print(f"  - {escape(change.message)}")
    elif result.plan is not None:
        console.print("\nNo session changed from the plan in progress.")
    past = result.past_violations
    if past:
        console.print("\n[bold]What the logged past breaks by itself[/] (facts, kept as they are)")
        render_violations(console, past)
    if result.log_notes:
        console.print("\n[bold]Notes on the log[/]")
        for note in result.log_notes:
            console.print(f"  - {escape(note)}")
    if output is not None:
        write_result(console, result, output)
    if ics is not None:
        # Cancels the sessions RESULT.json had and the re-plan dropped, on re-import.
        write_ics(console, request, result, ics, replaces=previous)
    raise typer.Exit(EXIT_BY_STATUS.get(result.status, EXIT_PROBLEM))
