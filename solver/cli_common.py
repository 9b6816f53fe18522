"""What every `stride` subcommand shares: consoles, reading input files, clean errors.

A user's mistake (a missing file, bad JSON, an invalid field) ends in one red message that
names the file, the field path and the reason, and exit code 2, never in a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from solver.schemas import Plan, PlanRequest, SolveResult

# Options shared by the commands that solve (solve, replan).
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the SolveResult JSON to this file.")
]
IcsOption = Annotated[
    Path | None,
    typer.Option("--ics", help="Write the plan as an iCalendar file, to import in a calendar app."),
]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Wall-clock limit, seconds.")
]
WorkersOption = Annotated[int | None, typer.Option("--workers", help="CP-SAT workers.")]

EXIT_OK = 0
EXIT_PROBLEM = 1  # infeasible, unknown, or a plan that breaks a rule
EXIT_INVALID_INPUT = 2  # the same code click uses for usage errors

# A model-level check names its field at the start of the message: "races[0].date: ...".
_FIELD_PREFIX = re.compile(r"^(?P<field>[A-Za-z_][\w.\[\]]*): (?P<reason>.+)$", re.DOTALL)
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """A user's input cannot be used; `problems` lists (field path, reason) pairs."""

    def __init__(self, source: str, summary: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(summary)
        self.source = source
        self.summary = summary
        self.problems = problems


def stdout_console() -> Console:
    # Made per command, not at import: the console must write to the sys.stdout of the
    # moment (test runners swap it).
    return Console(highlight=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def exit_with_input_error(error: InputError) -> typer.Exit:
    """Print the error in red on stderr; return the Exit to raise (code 2)."""
    console = stderr_console()
    console.print(f"[bold red]Error:[/] {escape(error.source)}: {escape(error.summary)}")
    if error.problems:
        rows = [f"[bold]{escape(field)}[/]: {escape(reason)}" for field, reason in error.problems]
        console.print(bullets(rows, style="red"))
    return typer.Exit(EXIT_INVALID_INPUT)


def bullets(items: Sequence[str], *, style: str = "", indent: int = 2) -> RenderableType:
    """Markup strings as a bulleted list whose wrapped lines hang under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column()
    for item in items:
        grid.add_row("•", item)
    return Padding(grid, (0, 0, 0, indent), expand=False)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "no such file", []) from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a JSON file", []) from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})", []) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})", []) from None


def field_path(loc: tuple[int | str, ...]) -> str:
    """pydantic's error location as a JSON path: ('races', 0, 'date') -> races[0].date."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def error_rows(error: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """One (field path, reason) row per pydantic error, model-level ones included."""
    rows: list[tuple[str, str]] = []
    for detail in error.errors(include_url=False):
        rows.append(_error_row(detail, prefix))
    return rows


def _error_row(detail: ErrorDetails, prefix: str) -> tuple[str, str]:
    reason = detail["msg"]
    for noise in _PYDANTIC_PREFIXES:
        reason = reason.removeprefix(noise)
    path = field_path(tuple(detail["loc"]))
    if not path:
        match = _FIELD_PREFIX.match(reason)
        if match is not None:
            path, reason = match["field"], match["reason"]
    if detail["type"] == "json_invalid":
        return "(file)", reason
    if not path:
        return prefix.rstrip(".") or "(request)", reason
    return prefix + path, reason


def _parse(model: type[M], text: str, source: str, what: str) -> M:
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        rows = error_rows(exc)
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise InputError(source, "not valid JSON", rows) from None
        noun = "problem" if len(rows) == 1 else "problems"
        raise InputError(source, f"invalid {what}, {len(rows)} {noun}", rows) from None


def load_request(path: Path) -> PlanRequest:
    """A PlanRequest from a JSON file, or an InputError naming every invalid field."""
    return _parse(PlanRequest, read_text(path), str(path), "request")


def load_result(path: Path) -> tuple[Plan, SolveResult | None]:
    """A result file: a SolveResult JSON (with its plan) or a bare Plan JSON."""
    text = read_text(path)
    source = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, "not JSON", [("(file)", str(exc))]) from None
    if isinstance(data, dict) and ("status" in data or "plan" in data):
        result = _parse(SolveResult, text, source, "solve result")
        if result.plan is None:
            raise InputError(
                source,
                f"the result holds no plan (status {result.status}); nothing to validate",
                [],
            )
        return result.plan, result
    return _parse(Plan, text, source, "plan"), None
