"""Runs a benchmark suite: every instance under every configuration, one process per run.

Runs are sequential on purpose: two solves at once on a 2-core machine would time each
other. Each solver run is a child process (`benchmarks/measure.py`) so that its peak memory
is its own; the template baseline is pure Python and runs in this process.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from benchmarks.measure import WORKERS_PREFIX, RunSpec
from benchmarks.metrics import RunRecord, score_runs
from benchmarks.paths import INSTANCES_DIR, REPO_DIR, RESULTS_DIR
from benchmarks.suite import Instance, SuiteName, load_suite
from solver.schemas import SolveOptions

ConfigGroup = Literal["tuned", "untuned", "sweep", "template"]
CONFIG_GROUPS: tuple[ConfigGroup, ...] = ("tuned", "untuned", "sweep", "template")
SWEEP_WORKERS: tuple[int, ...] = (1, 2, 4, 8, 16)
DEFAULT_CONFIGS: dict[SuiteName, tuple[ConfigGroup, ...]] = {
    "quick": ("tuned", "template"),
    "hard": CONFIG_GROUPS,
}
DEFAULT_TIME_LIMIT_S: dict[SuiteName, float] = {"quick": 10.0, "hard": 30.0}
# A child gets the time limit three times over (warm start, build, search) plus room for
# what solve() does after the search (explaining unmet wishes or an infeasible calendar,
# which the time limit does not bound today); past that it is recorded as an error.
CHILD_TIMEOUT_FACTOR = 3.0
CHILD_TIMEOUT_EXTRA_S = 300.0


@dataclass(frozen=True)
class BenchSettings:
    suite: SuiteName = "quick"
    time_limit_s: float | None = None
    workers: int | None = None  # the tuned configuration's workers; None = product default
    out: Path | None = None
    configs: tuple[ConfigGroup, ...] | None = None
    instances: tuple[str, ...] | None = None
    random_seed: int = 0
    instances_dir: Path = INSTANCES_DIR

    @property
    def limit(self) -> float:
        return self.time_limit_s or DEFAULT_TIME_LIMIT_S[self.suite]

    @property
    def groups(self) -> tuple[ConfigGroup, ...]:
        return self.configs or DEFAULT_CONFIGS[self.suite]

    @property
    def tuned_workers(self) -> int:
        return self.workers or SolveOptions().num_workers

    def out_dir(self) -> Path:
        return self.out or RESULTS_DIR / dt.date.today().isoformat()


@dataclass
class BenchOutcome:
    settings: BenchSettings
    records: list[RunRecord]
    out_dir: Path
    started: dt.datetime
    seconds: float
    load_at_start: tuple[float, float, float] = (0.0, 0.0, 0.0)
    files: list[Path] = field(default_factory=list)

    def failures(self) -> list[str]:
        """Wrong answers: crashed runs, rule violations, an objective the validator does not
        recompute, a status that contradicts the instance's known status."""
        problems: list[str] = []
        for r in self.records:
            where = f"{r.instance} [{r.config}]"
            if r.status == "error":
                problems.append(f"{where}: run failed: {r.error}")
            elif not r.is_solver:
                continue
            elif r.violations:
                problems.append(f"{where}: {r.violations} violations ({r.violated_rules})")
            elif r.objective_matches is False:
                problems.append(f"{where}: the validator recomputes another objective")
            elif r.status_contradicts():
                problems.append(f"{where}: status {r.status}, known {r.expected_status}")
        return problems

    def unanswered(self) -> list[str]:
        """Slow answers: no plan and no proof within the time limit (status unknown)."""
        return [
            f"{r.instance} [{r.config}]: no answer within {r.time_limit_s:g} s "
            f"(known {r.expected_status})"
            for r in self.records
            if r.is_solver and r.status == "unknown"
        ]

    def passed(self) -> bool:
        """The quick suite (CI) asks for every known status; the hard suite for no wrong
        answer, since an unknown there is a time limit, not a bug."""
        if self.failures():
            return False
        return self.settings.suite != "quick" or not self.unanswered()


def solver_configs(settings: BenchSettings) -> list[str]:
    """Solver configuration names in run order; the sweep reuses the tuned run's count."""
    names: list[str] = []
    groups = settings.groups
    if "tuned" in groups:
        names.append("tuned")
    if "untuned" in groups:
        names.append("untuned")
    if "sweep" in groups:
        reused = settings.tuned_workers if "tuned" in groups else None
        names.extend(f"{WORKERS_PREFIX}{n}" for n in SWEEP_WORKERS if n != reused)
    return names


def run_child(spec: RunSpec, instance: Instance) -> RunRecord:
    """One solver run in a fresh Python process; a crash or timeout becomes an error row."""
    timeout = CHILD_TIMEOUT_FACTOR * spec.time_limit_s + CHILD_TIMEOUT_EXTRA_S
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.measure"],
            input=spec.model_dump_json(),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO_DIR,  # so `benchmarks` resolves to this checkout
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _error_record(spec, instance, f"no answer within {timeout:.0f} s")
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return _error_record(spec, instance, f"exit {done.returncode}: {tail}")
    record = RunRecord.model_validate_json(done.stdout.strip().splitlines()[-1])
    return _with_instance_info(record, instance)


def run_template(instance: Instance, time_limit_s: float) -> RunRecord:
    """The template baseline: its plan, the validator's violations and objective."""
    from benchmarks.template import template_plan
    from solver.validate import validate

    request = instance.load()
    started = time.monotonic()
    plan = template_plan(request)
    seconds = time.monotonic() - started
    report = validate(request, plan)
    record = RunRecord(
        instance=instance.name,
        config="template",
        time_limit_s=time_limit_s,
        status="template",
        objective=report.objective,
        wall_s=round(seconds, 4),
        violations=len(report.violations),
        violated_rules=" ".join(sorted({v.rule for v in report.violations})),
    )
    return _with_instance_info(record, instance)


def _with_instance_info(record: RunRecord, instance: Instance) -> RunRecord:
    return record.model_copy(
        update={
            "family": instance.info.family,
            "weeks": instance.info.weeks,
            "expected_status": instance.info.expected_status,
        }
    )


def _error_record(spec: RunSpec, instance: Instance, message: str) -> RunRecord:
    record = RunRecord(
        instance=spec.instance,
        config=spec.config,
        time_limit_s=spec.time_limit_s,
        status="error",
        error=message,
    )
    return _with_instance_info(record, instance)


def _reused_sweep(records: Sequence[RunRecord], settings: BenchSettings) -> list[RunRecord]:
    """The sweep's entry at the tuned worker count is the tuned run itself."""
    if "sweep" not in settings.groups or "tuned" not in settings.groups:
        return []
    if settings.tuned_workers not in SWEEP_WORKERS:
        return []
    name = f"{WORKERS_PREFIX}{settings.tuned_workers}"
    return [
        r.model_copy(update={"config": name, "same_run_as": "tuned"})
        for r in records
        if r.config == "tuned"
    ]


def run_bench(
    settings: BenchSettings,
    *,
    console: Console | None = None,
    on_record: Callable[[RunRecord], None] | None = None,
) -> BenchOutcome:
    """Run the suite, score it and write the results folder."""
    from benchmarks.report import write_results

    console = console or Console(stderr=True)
    instances = load_suite(
        settings.suite,
        names=list(settings.instances) if settings.instances else None,
        instances_dir=settings.instances_dir,
    )
    configs = solver_configs(settings)
    with_template = "template" in settings.groups
    total = len(instances) * (len(configs) + with_template)
    started_at = dt.datetime.now().astimezone()
    load_at_start = os.getloadavg()
    started = time.monotonic()
    records: list[RunRecord] = []
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("benchmark", total=total)
        for instance in instances:
            for config in configs:
                progress.update(task, description=f"{instance.name} [{config}]")
                spec = RunSpec(
                    instance=instance.name,
                    path=instance.path,
                    config=config,
                    time_limit_s=settings.limit,
                    workers=settings.workers if config == "tuned" else None,
                    random_seed=settings.random_seed,
                )
                record = run_child(spec, instance)
                records.append(record)
                if on_record is not None:
                    on_record(record)
                progress.advance(task)
            if with_template:
                progress.update(task, description=f"{instance.name} [template]")
                record = run_template(instance, settings.limit)
                records.append(record)
                if on_record is not None:
                    on_record(record)
                progress.advance(task)
    records.extend(_reused_sweep(records, settings))
    score_runs(records)
    outcome = BenchOutcome(
        settings=settings,
        records=records,
        out_dir=settings.out_dir(),
        started=started_at,
        seconds=time.monotonic() - started,
        load_at_start=load_at_start,
    )
    outcome.files = write_results(outcome)
    return outcome
