"""`stride solve REQUEST.json`: plan a request file and show the plan to the runner."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from solver.cli_common import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_PROBLEM,
    IcsOption,
    InputError,
    OutputOption,
    TimeLimitOption,
    WorkersOption,
    error_rows,
    exit_with_input_error,
    load_request,
    stdout_console,
)
from solver.cli_progress import ProgressLike, run_with_progress
from solver.cli_render import (
    render_conflicts,
    render_days,
    render_guidance,
    render_penalties,
    render_status,
    render_unmet_wishes,
    render_weeks,
)
from solver.guidance import guidance_for
from solver.schemas import PlanRequest, SolveOptions, SolveResult

EXIT_BY_STATUS = {
    "optimal": EXIT_OK,
    "feasible": EXIT_OK,
    "infeasible": EXIT_PROBLEM,
    "unknown": EXIT_PROBLEM,
    "invalid": EXIT_INVALID_INPUT,
}


def with_overrides(
    request: PlanRequest,
    *,
    time_limit_s: float | None,
    num_workers: int | None,
    random_seed: int | None,
    strict: bool | None,
    source: str,
) -> PlanRequest:
    """The request with command-line options over request.options, checked like the file."""
    changes = {
        key: value
        for key, value in {
            "time_limit_s": time_limit_s,
            "num_workers": num_workers,
            "random_seed": random_seed,
            "strict_preferences": strict,
        }.items()
        if value is not None
    }
    if not changes:
        return request
    try:
        options = SolveOptions.model_validate({**request.options.model_dump(), **changes})
    except ValidationError as exc:
        rows = error_rows(exc, "options.")
        raise InputError(source, "invalid command-line option", rows) from None
    return request.model_copy(update={"options": options})


def solve_command(
    request_file: Annotated[
        Path, typer.Argument(metavar="REQUEST.json", help="A PlanRequest JSON file.")
    ],
    output: OutputOption = None,
    ics: IcsOption = None,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = None,
    seed: Annotated[int | None, typer.Option("--seed", help="CP-SAT random seed.")] = None,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--no-strict",
            help="Make wishes (R10, S1 lower bounds) hard: infeasible instead of unmet.",
        ),
    ] = None,
    days: Annotated[
        bool, typer.Option("--days/--no-days", help="Show each day's sessions.")
    ] = True,
    exercises: Annotated[
        bool, typer.Option("--exercises", help="List each strength session's exercises.")
    ] = False,
) -> None:
    """Plan REQUEST.json and show the plan week by week.

    Exit code 0 for an optimal or feasible plan, 1 when infeasible or unknown (time ran
    out before a first plan), 2 for invalid input. Ctrl-C stops early with the best plan.
    """
    try:
        request = with_overrides(
            load_request(request_file),
            time_limit_s=time_limit,
            num_workers=workers,
            random_seed=seed,
            strict=strict,
            source=str(request_file),
        )
    except InputError as error:
        raise exit_with_input_error(error) from None

    # Imported here, not at the top: ortools loads slowly, and bad input should not wait.
    from solver.solving import solve

    def run(on_progress: Callable[[ProgressLike], None], stop: threading.Event) -> SolveResult:
        return solve(request, on_progress=on_progress, stop=stop)

    console = stdout_console()
    result = run_with_progress(console, request.options.time_limit_s, run)
    show_result(console, result, request, days=days, exercises=exercises)
    if output is not None:
        write_result(console, result, output)
    if ics is not None:
        write_ics(console, request, result, ics)
    raise typer.Exit(EXIT_BY_STATUS.get(result.status, EXIT_PROBLEM))


def show_result(
    console: Console,
    result: SolveResult,
    request: PlanRequest,
    *,
    days: bool = True,
    exercises: bool = False,
) -> None:
    """Status, weeks, days, penalties, unmet wishes, conflicts and guidance, in that order."""
    render_status(console, result)
    plan = result.plan
    if plan is not None:
        console.print()
        render_weeks(console, plan)
        if days:
            render_days(console, plan, exercises=exercises)
        render_penalties(console, result.penalties, "Penalties by rule")
    render_unmet_wishes(console, result.unmet_wishes, plan)
    render_conflicts(console, result.conflicts)
    if plan is not None:
        render_guidance(console, plan.guidance or guidance_for(request))


def write_result(console: Console, result: SolveResult, output: Path) -> None:
    _write(console, output, result.model_dump_json(indent=2) + "\n", "the result")


def write_ics(
    console: Console,
    request: PlanRequest,
    result: SolveResult,
    output: Path,
    *,
    replaces: SolveResult | None = None,
) -> None:
    """The plan as an .ics file (with `replaces`' dropped sessions cancelled); with no plan,
    a note that nothing was written."""
    if result.plan is None:
        console.print(f"\nNo plan, so no calendar written to {escape(str(output))}")
        return
    # Here: the iCalendar libraries load slowly, and only --ics needs them.
    from solver.calendar_io import plan_to_ics

    _write(console, output, plan_to_ics(request, result, replaces=replaces), "the calendar")


def _write(console: Console, output: Path, text: str, what: str) -> None:
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        error = InputError(str(output), f"cannot write {what} ({exc.strerror})", [])
        raise exit_with_input_error(error) from None
    console.print(f"\nWrote {escape(str(output))}")
