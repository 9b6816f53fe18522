"""`stride explain REQUEST.json`: why a calendar has no plan, and what would change that.

No optimisation runs: a feasibility check, then minimal conflicts (solver/explaining.py), each
with the calendar facts in one sentence and the smallest changes the solver found. For a
calendar that has a plan, the wishes that cannot all be met are explained the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from solver.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    InputError,
    bullets,
    exit_with_input_error,
    load_request,
    stdout_console,
)
from solver.schemas import Conflict, Explanation

STATUS_LINE = {
    "feasible": "[bold green]FEASIBLE[/]: a plan keeps every hard rule",
    "infeasible": "[bold red]INFEASIBLE[/]: no plan keeps every hard rule",
    "unknown": "[bold red]UNKNOWN[/]: the check ran out of time",
}


WISHES_LINE = {
    "feasible": "Every wish can be met too.",
    "unknown": "Whether every wish can be met was not settled in time: [bold]stride solve[/] "
    "reports the wishes its plan bends, and why.",
}


def render_conflict_list(console: Console, title: str, conflicts: Sequence[Conflict]) -> None:
    """Each conflict: its rules and dates, its sentence, then its suggestions."""
    if not conflicts:
        return
    console.print(f"\n[bold]{title}[/]")
    for n, conflict in enumerate(conflicts, start=1):
        rules = ", ".join(conflict.rules) or "-"
        dates = ", ".join(d.isoformat() for d in conflict.dates[:4])
        console.print(f"\n [bold]{n}.[/] [red]{escape(rules)}[/]  [dim]{escape(dates)}[/]")
        console.print(bullets([escape(conflict.message)], indent=4))
        if conflict.suggestions:
            console.print("    [bold]Would resolve it:[/]")
            console.print(
                bullets([escape(s.message) for s in conflict.suggestions], style="green", indent=6)
            )


def render_explanation(console: Console, explanation: Explanation) -> None:
    console.print(f"{STATUS_LINE[explanation.status]}  [dim]({explanation.wall_time_s:.1f} s)[/]")
    render_conflict_list(console, "Conflicting rules", explanation.conflicts)
    render_conflict_list(
        console, "Wishes that cannot all be met (RULES.md §6)", explanation.wish_conflicts
    )
    if explanation.wishes in WISHES_LINE:
        console.print(f"\n{WISHES_LINE[explanation.wishes]}")


def explain_command(
    request_file: Annotated[
        Path, typer.Argument(metavar="REQUEST.json", help="A PlanRequest JSON file.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the Explanation JSON to this file."),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option("--budget", min=1.0, help="Seconds for the whole explanation."),
    ] = None,
    max_conflicts: Annotated[
        int, typer.Option("--max-conflicts", min=1, max=10, help="Conflicts to look for.")
    ] = 3,
) -> None:
    """Explain REQUEST.json: the smallest sets of colliding rules, and what would fix them.

    Exit code 0 when a plan exists, 1 when none does (or the check ran out of time), 2 for
    invalid input.
    """
    try:
        request = load_request(request_file)
    except InputError as error:
        raise exit_with_input_error(error) from None

    # Imported here: ortools loads slowly, and bad input should not wait for it.
    from solver.explaining import explain

    console = stdout_console()
    with console.status("explaining", spinner="dots"):
        explanation = explain(request, budget_s=budget, max_conflicts=max_conflicts)
    render_explanation(console, explanation)
    if output is not None:
        try:
            output.write_text(explanation.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            problem = InputError(str(output), f"cannot write ({exc.strerror})", [])
            raise exit_with_input_error(problem) from None
        console.print(f"\nWrote {escape(str(output))}")
    raise typer.Exit(EXIT_OK if explanation.status == "feasible" else EXIT_PROBLEM)
