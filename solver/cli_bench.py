"""`stride bench`: run the benchmark suite and write benchmarks/results/<date>/.

The suite, runner and baselines live in `benchmarks/` (see benchmarks/README.md); this
module only reads the options, shows progress and a summary, and sets the exit code:
0 when no solver run broke a rule or contradicted its instance's known status (and, for the
quick suite that CI runs, every run reached its known status within the limit), 1 when one
did, 2 for bad options.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast, get_args

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from solver.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    InputError,
    exit_with_input_error,
    stderr_console,
    stdout_console,
)

if TYPE_CHECKING:
    from benchmarks.metrics import RunRecord

SuiteOption = Literal["quick", "hard"]


def _names(text: str | None, option: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    names = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    if not names:
        raise InputError(option, "give at least one name, separated by commas", [])
    if allowed is not None:
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise InputError(option, f"unknown name(s) {unknown}; choose from {list(allowed)}", [])
    return names


def bench_command(
    suite: Annotated[
        str, typer.Option("--suite", help="quick (CI, small instances) or hard (all).")
    ] = "quick",
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds per solve; default 10 (quick), 30 (hard)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Workers of the tuned configuration (default: product)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Results folder; default benchmarks/results/<date>/."),
    ] = None,
    configs: Annotated[
        str | None,
        typer.Option(
            "--configs",
            help="Comma-separated: tuned, untuned, sweep, template. Default: tuned,template "
            "(quick); all four (hard).",
        ),
    ] = None,
    instances: Annotated[
        str | None,
        typer.Option("--instances", help="Comma-separated instance names (file stems)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="CP-SAT random seed.")] = 0,
) -> None:
    """Benchmark the solver on the fixed suite, with the template and untuned baselines."""
    from benchmarks.runner import CONFIG_GROUPS, BenchSettings, ConfigGroup, run_bench
    from benchmarks.suite import UnknownInstanceError

    try:
        if suite not in get_args(SuiteOption):
            raise InputError("--suite", f"must be quick or hard, got {suite!r}", [])
        if time_limit is not None and time_limit <= 0:
            raise InputError("--time-limit", "must be above 0 seconds", [])
        if workers is not None and not 1 <= workers <= 32:
            raise InputError("--workers", "must be between 1 and 32 (SolveOptions)", [])
        groups = None if configs is None else _names(configs, "--configs", CONFIG_GROUPS)
        picked = None if instances is None else _names(instances, "--instances", None)
        settings = BenchSettings(
            suite=cast(SuiteOption, suite),
            time_limit_s=time_limit,
            workers=workers,
            out=out,
            configs=cast("tuple[ConfigGroup, ...] | None", groups),
            instances=picked,
            random_seed=seed,
        )
        outcome = run_bench(settings, console=stderr_console())
    except InputError as error:
        raise exit_with_input_error(error) from None
    except UnknownInstanceError as error:
        raise exit_with_input_error(InputError("--instances", str(error), [])) from None

    console = stdout_console()
    _summary(console, outcome.records)
    console.print(f"\nWrote {len(outcome.files)} files to {escape(str(outcome.out_dir))}")
    for problem in outcome.failures():
        console.print(f"[red]{escape(problem)}[/]")
    for slow in outcome.unanswered():
        console.print(f"[yellow]{escape(slow)}[/]")
    raise typer.Exit(EXIT_OK if outcome.passed() else EXIT_PROBLEM)


def _summary(console: Console, records: list[RunRecord]) -> None:
    """One line per instance (the tuned run, the template's violations), then per config.

    The full figures are in results.md; a terminal gets what decides pass or fail.
    """
    template = {r.instance: r for r in records if r.config == "template"}
    first_config = next((r.config for r in records if r.is_solver), None)
    shown = "tuned" if any(r.config == "tuned" for r in records) else first_config
    table = Table(
        title=f"stride bench ({shown}; seconds; violations of the solver and the template)",
        box=box.SIMPLE,
        pad_edge=False,
    )
    table.add_column("instance", no_wrap=True)
    for header in ("status", "first", "proof", "viol", "tmpl"):
        table.add_column(header, no_wrap=True, justify="right")
    for r in records:
        if r.config != shown:
            continue
        t = template.get(r.instance)
        table.add_row(
            r.instance,
            r.status,
            _seconds(r.first_feasible_s),
            _seconds(r.proof_s),
            "-" if r.violations is None else str(r.violations),
            "-" if t is None or t.violations is None else str(t.violations),
        )
    console.print(table)
    configs = Table(title="configurations", box=box.SIMPLE)
    for header in ("config", "proved", "area (sum)", "viol.", "errors"):
        configs.add_column(header, no_wrap=True)
    for config in dict.fromkeys(r.config for r in records if r.is_solver):
        runs = [r for r in records if r.config == config]
        configs.add_row(
            config,
            f"{sum(r.proved for r in runs)}/{len(runs)}",
            f"{sum(r.area_score or 0.0 for r in runs):.2f}",
            str(sum(r.violations or 0 for r in runs)),
            str(sum(r.status == "error" for r in runs)),
        )
    console.print(configs)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
