"""Writes a benchmark run's results folder: CSV, traces, markdown tables and plots."""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import plots
from benchmarks.metrics import RunRecord
from benchmarks.paths import REPO_DIR
from benchmarks.tables import results_markdown
from benchmarks.targets import evaluate_targets

if TYPE_CHECKING:
    from benchmarks.runner import BenchOutcome

CSV_FIELDS = [name for name in RunRecord.model_fields if name != "trace"]


def _load_text(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def machine_info(load_at_start: tuple[float, float, float]) -> dict[str, str]:
    """Where the figures came from: they mean little without it."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text(encoding="utf-8").splitlines()[0].split()
        memory = f"{int(first[1]) / 1024 / 1024:.1f} GB"
    return {
        "cpu": cpu,
        "logical cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "ortools": _version("ortools"),
        "stride": f"{_version('stride')} ({_git_commit()})",
        # A loaded machine slows every figure; the load says how far to trust them.
        "load average 1/5/15 min at the start": _load_text(load_at_start),
        "at the end": _load_text(os.getloadavg()),
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "no git"
    dirty = ""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    if status.stdout.strip():
        dirty = ", uncommitted changes"
    return (done.stdout.strip() or "no git") + dirty


def write_csv(records: Sequence[RunRecord], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in records:
            writer.writerow(r.model_dump(exclude={"trace"}))
    return path


def write_traces(records: Sequence[RunRecord], path: Path) -> Path:
    traces = {
        f"{r.instance} [{r.config}]": [p.model_dump() for p in r.trace]
        for r in records
        if r.is_solver
    }
    path.write_text(json.dumps(traces, indent=1) + "\n", encoding="utf-8")
    return path


def write_results(outcome: BenchOutcome) -> list[Path]:
    out = outcome.out_dir
    out.mkdir(parents=True, exist_ok=True)
    records = outcome.records
    files = [
        write_csv(records, out / "results.csv"),
        write_traces(records, out / "traces.json"),
        plots.cactus(records, out / "cactus.png"),
        plots.gap_over_time(records, out / "gap_over_time.png"),
    ]
    sweep = plots.worker_sweep(records, out / "workers.png")
    if sweep is not None:
        files.append(sweep)
    markdown = results_markdown(
        outcome, machine_info(outcome.load_at_start), evaluate_targets(records)
    )
    md = out / "results.md"
    md.write_text(markdown, encoding="utf-8")
    files.append(md)
    return files
