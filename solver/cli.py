"""The `stride` command line.

Each subcommand lives in its own `solver/cli_<name>.py` module; adding one is one
registration line below. Subcommands share input loading and error reporting through
`solver/cli_common.py` (bad input: a red message naming each field, exit code 2).
"""

from __future__ import annotations

import typer

from solver.cli_bench import bench_command
from solver.cli_exercises import exercises_command
from solver.cli_explain import explain_command
from solver.cli_replan import replan_command
from solver.cli_serve import serve_command
from solver.cli_solve import solve_command
from solver.cli_validate import validate_command

app = typer.Typer(
    name="stride",
    help="Training plans for runners (runs + full-body strength), solved with CP-SAT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

app.command("solve")(solve_command)
app.command("validate")(validate_command)
app.command("serve")(serve_command)
app.command("exercises")(exercises_command)
app.command("explain")(explain_command)
app.command("replan")(replan_command)
app.command("bench")(bench_command)


def main() -> None:
    """Console-script entry point (`stride = "solver.cli:main"`)."""
    app(prog_name="stride")


if __name__ == "__main__":
    main()
