"""PNG plots of a benchmark run: cactus plot, gap over time, worker sweep (matplotlib, Agg)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on CI or servers

import matplotlib.pyplot as plt  # after use(): the backend must be chosen first
from matplotlib.ticker import MaxNLocator

from benchmarks.metrics import RunRecord
from solver.solving import relative_gap

HARDEST_SHOWN = 4
DPI = 120


def _solver_configs(records: Sequence[RunRecord]) -> list[str]:
    """Solver configurations with runs of their own (a reused sweep entry would overlap)."""
    seen: dict[str, None] = {}
    for r in records:
        if r.is_solver and not r.same_run_as:
            seen.setdefault(r.config)
    return list(seen)


def cactus(records: Sequence[RunRecord], path: Path) -> Path:
    """Instances proved (optimal or infeasible) by each time, one line per configuration."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    limit = max((r.time_limit_s for r in records), default=0.0)
    for config in _solver_configs(records):
        times = sorted(r.proof_s for r in records if r.config == config and r.proof_s)
        runs = sum(1 for r in records if r.config == config)
        xs = [0.0, *times, limit]
        ys = [0, *range(1, len(times) + 1), len(times)]
        ax.step(xs, ys, where="post", label=f"{config} ({len(times)}/{runs})")
    if limit:
        ax.axvline(limit, color="grey", linestyle=":", linewidth=1)
    ax.set_xlabel("time (s, end to end)")
    ax.set_ylabel("instances proved")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Cactus plot: instances proved optimal or infeasible by time t")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def hardest_instances(records: Sequence[RunRecord], n: int = HARDEST_SHOWN) -> list[str]:
    """Feasible instances where the tuned run left the most: primal integral, then gap."""
    tuned = [r for r in records if r.config == "tuned" and r.found_plan]

    def hardness(r: RunRecord) -> tuple[float, float]:
        return (r.gap_integral or 0.0, r.wall_s or 0.0)

    return [r.instance for r in sorted(tuned, key=hardness, reverse=True)[:n]]


def _gap_steps(record: RunRecord) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for point in sorted(record.trace, key=lambda p: p.t):
        gap = relative_gap(point.objective, point.bound)
        if gap is not None:
            xs.append(point.t)
            ys.append(100 * gap)
    if xs and record.wall_s is not None:
        xs.append(max(record.wall_s, xs[-1]))
        ys.append(ys[-1])
    return xs, ys


def gap_over_time(records: Sequence[RunRecord], path: Path) -> Path:
    """Relative gap over time on the hardest instances: tuned solid, untuned dashed."""
    names = hardest_instances(records)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, name in enumerate(names):
        colour = colours[i % len(colours)]
        for config, style in (("tuned", "-"), ("untuned", "--")):
            run = next((r for r in records if r.instance == name and r.config == config), None)
            if run is None:
                continue
            xs, ys = _gap_steps(run)
            if xs:
                ax.step(
                    xs, ys, where="post", linestyle=style, color=colour, label=f"{name} [{config}]"
                )
    ax.set_xlabel("time (s, end to end)")
    ax.set_ylabel("gap (%)")
    ax.set_title("Gap over time, hardest instances (solid: tuned, dashed: untuned)")
    ax.grid(alpha=0.3)
    if names:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def worker_sweep(records: Sequence[RunRecord], path: Path) -> Path | None:
    """Area score sum and instances proved per worker count, when the run had a sweep."""
    by_workers: dict[int, list[RunRecord]] = defaultdict(list)
    for r in records:
        if r.config.startswith("workers-"):
            by_workers[r.workers].append(r)
    if not by_workers:
        return None
    counts = sorted(by_workers)
    areas = [sum(r.area_score or 0.0 for r in by_workers[n]) for n in counts]
    proved = [sum(r.proved for r in by_workers[n]) for n in counts]
    fig, ax = plt.subplots(figsize=(6, 4))
    labels = [str(n) for n in counts]
    ax.bar(labels, areas, color="tab:blue", label="area score (sum)")
    ax.set_xlabel("CP-SAT workers")
    ax.set_ylabel("area score, sum over instances")
    twin = ax.twinx()
    twin.plot(labels, proved, "o-", color="tab:red", label="instances proved")
    twin.set_ylabel("instances proved")
    ax.set_title("Worker-count sweep")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
