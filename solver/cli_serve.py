"""`stride serve`: the HTTP service (FastAPI on uvicorn), nothing else to install or run.

Settings come from `STRIDE_*` environment variables (see `api/settings.py`); they are read
here first, so a bad value is a red message naming the variable, not a worker traceback.
The web stack is imported only when the command runs: the library imports no web framework.
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError

from solver.cli_common import InputError, error_rows, exit_with_input_error, stdout_console

APP_FACTORY = "api.app:create_app"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes. Each runs STRIDE_MAX_CONCURRENT_SOLVES solver workers; "
            "jobs are shared through the SQLite store.",
        ),
    ] = 1,
    log_level: Annotated[str, typer.Option(help=f"One of {', '.join(LOG_LEVELS)}.")] = "info",
) -> None:
    """Start the HTTP service: POST a calendar to /v1/solve; API docs at /docs."""
    import uvicorn

    from api.settings import Settings

    if log_level not in LOG_LEVELS:
        raise exit_with_input_error(
            InputError("--log-level", f"must be one of {', '.join(LOG_LEVELS)}", [])
        )
    try:
        settings = Settings()
    except ValidationError as error:
        raise exit_with_input_error(
            InputError(
                "environment",
                "invalid STRIDE_* setting",
                [(f"STRIDE_{name.upper()}", reason) for name, reason in error_rows(error)],
            )
        ) from None
    stdout_console().print(
        f"stride API on [bold]http://{host}:{port}[/] (docs at /docs), "
        f"{workers} process(es) x {settings.max_concurrent_solves} solver worker(s), "
        f"jobs in {settings.db_path}"
    )
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level=log_level
    )
