"""`stride validate REQUEST.json RESULT.json`: check a plan against every rule.

The validator reads only the request and the plan, never the solver, so this catches a
hand-edited plan as well as a solver bug. Exit 1 on any violation or objective mismatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solver.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    InputError,
    exit_with_input_error,
    load_request,
    load_result,
    stdout_console,
)
from solver.cli_progress import format_number
from solver.cli_render import render_penalties, render_violations
from solver.schemas import Plan, PlanRequest
from solver.validate import validate


def check_same_horizon(request: PlanRequest, plan: Plan, source: str) -> None:
    """A plan made for another request is a mix-up of files, not a rule violation."""
    if (plan.start_date, plan.end_date) != (request.start_date, request.last_day):
        raise InputError(
            source,
            "this plan is not for this request",
            [
                (
                    "plan.start_date..end_date",
                    f"the plan runs {plan.start_date}..{plan.end_date}, the request "
                    f"{request.start_date}..{request.last_day} (T1)",
                )
            ],
        )


def validate_command(
    request_file: Annotated[
        Path, typer.Argument(metavar="REQUEST.json", help="The PlanRequest JSON file.")
    ],
    result_file: Annotated[
        Path,
        typer.Argument(metavar="RESULT.json", help="A SolveResult JSON or a bare Plan JSON."),
    ],
) -> None:
    """Check RESULT.json's plan against every rule for REQUEST.json.

    Exit code 0 when no rule is broken and the objective recomputed from the plan equals
    the result's, 1 otherwise, 2 for invalid input.
    """
    try:
        request = load_request(request_file)
        plan, result = load_result(result_file)
        check_same_horizon(request, plan, str(result_file))
    except InputError as error:
        raise exit_with_input_error(error) from None

    report = validate(request, result if result is not None else plan)
    console = stdout_console()
    render_violations(console, report.violations)
    render_penalties(console, report.penalties, "Recomputed penalties by rule")
    console.print()
    if result is None:
        console.print(f"Objective recomputed from the plan: {format_number(report.objective)}")
    else:
        verdict = "[green]match[/]" if report.objective_matches else "[bold red]MISMATCH[/]"
        console.print(
            f"Objective recomputed from the plan: {format_number(report.objective)}; "
            f"the result says {format_number(result.objective)}: {verdict}"
        )
    failed = bool(report.violations) or report.objective_matches is False
    raise typer.Exit(EXIT_PROBLEM if failed else EXIT_OK)
