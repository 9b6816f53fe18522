"""The markdown report of a benchmark run: targets, per-instance table, baselines, sweep."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from benchmarks.metrics import RunRecord, geometric_mean, median
from benchmarks.targets import TargetRow

if TYPE_CHECKING:
    from benchmarks.runner import BenchOutcome


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _command(outcome: BenchOutcome) -> str:
    s = outcome.settings
    parts = ["stride bench", f"--suite {s.suite}", f"--time-limit {s.limit:g}"]
    if s.workers is not None:
        parts.append(f"--workers {s.workers}")
    if s.configs is not None:
        parts.append("--configs " + ",".join(s.configs))
    if s.instances is not None:
        parts.append("--instances " + ",".join(s.instances))
    return " ".join(parts)


def _by(records: Sequence[RunRecord], config: str) -> dict[str, RunRecord]:
    return {r.instance: r for r in records if r.config == config}


def _instance_rows(records: Sequence[RunRecord]) -> list[list[str]]:
    tuned = _by(records, "tuned")
    template = _by(records, "template")
    rows: list[list[str]] = []
    for name, r in tuned.items():
        t = template.get(name)
        rows.append(
            [
                name,
                r.family,
                str(r.weeks),
                r.status,
                _s(r.build_s),
                _s(r.first_feasible_s),
                _s(r.best_s),
                _s(r.proof_s),
                _s(r.post_s),
                _pct(r.final_gap),
                _s(r.gap_integral),
                _s(r.area_score),
                _mb(r.peak_rss_mb),
                str(r.violations),
                _num(r.objective),
                "-" if t is None else str(t.violations),
                "-" if t is None else _num(t.objective),
            ]
        )
    return rows


def _config_rows(records: Sequence[RunRecord]) -> list[list[str]]:
    grouped: dict[str, list[RunRecord]] = defaultdict(list)
    for r in records:
        if r.is_solver:
            grouped[r.config].append(r)
    ranked = sorted(grouped.items(), key=lambda kv: -sum(r.area_score or 0 for r in kv[1]))
    rows: list[list[str]] = []
    for config, runs in ranked:
        reused = runs[0].same_run_as
        rows.append(
            [
                f"{config} (= {reused})" if reused else config,
                ", ".join(sorted({str(r.workers) for r in runs})),
                f"{sum(r.found_plan for r in runs)}/{len(runs)}",
                f"{sum(r.proved for r in runs)}/{len(runs)}",
                _s(median(r.first_feasible_s for r in runs if r.first_feasible_s is not None)),
                _s(median(r.proof_s for r in runs if r.proof_s is not None)),
                _s(sum(r.area_score or 0 for r in runs)),
                _s(sum(r.gap_integral or 0 for r in runs)),
                str(sum(r.violations or 0 for r in runs)),
                str(sum(r.status == "error" for r in runs)),
            ]
        )
    return rows


def censored_time(r: RunRecord) -> tuple[float, bool]:
    """Time to proof, or the time limit when unproved (a lower bound, flagged)."""
    if r.proof_s is not None:
        return r.proof_s, False
    return r.time_limit_s, True


def _ratio_rows(records: Sequence[RunRecord]) -> tuple[list[list[str]], str]:
    tuned, untuned = _by(records, "tuned"), _by(records, "untuned")
    rows: list[list[str]] = []
    ratios: list[float] = []
    first_ratios: list[float] = []
    for name, t in tuned.items():
        u = untuned.get(name)
        if u is None:
            continue
        t_time, t_cut = censored_time(t)
        u_time, u_cut = censored_time(u)
        ratio = u_time / t_time if t_time > 0 else None
        if ratio is not None:
            ratios.append(ratio)
        if t.first_feasible_s and u.first_feasible_s:
            first_ratios.append(u.first_feasible_s / t.first_feasible_s)
        rows.append(
            [
                name,
                ("≥ " if t_cut else "") + _s(t_time),
                ("≥ " if u_cut else "") + _s(u_time),
                _s(ratio),
                _s(t.first_feasible_s),
                _s(u.first_feasible_s),
                _s(t.area_score),
                _s(u.area_score),
            ]
        )
    summary = (
        f"Geometric mean of untuned / tuned time to proof: {_s(geometric_mean(ratios))} "
        f"(unproved runs count at the time limit, so ratios with ≥ are bounds); "
        f"of time to first plan: {_s(geometric_mean(first_ratios))}."
    )
    return rows, summary


def _sweep_rows(records: Sequence[RunRecord]) -> tuple[list[list[str]], str]:
    by_workers: dict[int, list[RunRecord]] = defaultdict(list)
    for r in records:
        if r.config.startswith("workers-"):
            by_workers[r.workers].append(r)
    rows: list[list[str]] = []
    for n in sorted(by_workers):
        runs = by_workers[n]
        rows.append(
            [
                str(n),
                f"{sum(r.proved for r in runs)}/{len(runs)}",
                _s(median(r.proof_s for r in runs if r.proof_s is not None)),
                _s(median(r.first_feasible_s for r in runs if r.first_feasible_s is not None)),
                _s(sum(r.area_score or 0 for r in runs)),
                _s(sum(r.gap_integral or 0 for r in runs)),
                _mb(max((r.peak_rss_mb or 0 for r in runs), default=0)),
            ]
        )
    if not by_workers:
        return rows, ""
    best = max(by_workers, key=lambda n: sum(r.area_score or 0 for r in by_workers[n]))
    note = (
        f"Best worker count by area score: **{best}**. The product default "
        "(`SolveOptions.num_workers`) should follow it when a quiet-machine run agrees."
    )
    return rows, note


def _target_rows(targets: Sequence[TargetRow]) -> list[list[str]]:
    return [[t.target, t.figure, t.verdict] for t in targets]


def results_markdown(
    outcome: BenchOutcome, machine: dict[str, str], targets: Sequence[TargetRow]
) -> str:
    records = outcome.records
    s = outcome.settings
    lines = [
        f"# Benchmark results: {s.suite} suite, {outcome.started:%Y-%m-%d %H:%M %Z}",
        "",
        f"Command: `{_command(outcome)}` — {outcome.seconds / 60:.1f} min in all.",
        "",
        "Machine: " + "; ".join(f"{k}: {v}" for k, v in machine.items()) + ".",
        "",
        "Times are end to end (model build included) and in seconds; `post` is what solve() "
        "did after the search (reading the plan, explaining unmet wishes or infeasibility); "
        "`gap` is the final relative gap in %; `gap int.` is CP-SAT's gap integral; `area` "
        "is the area score (1 = proved at once, 0 = no plan); a template objective is the "
        "validator's.",
        "",
        "## Targets",
        "",
        *_table(("target", "figure", "verdict"), _target_rows(targets)),
        "## Tuned solver per instance (template baseline on the right)",
        "",
        *_table(
            (
                "instance",
                "family",
                "weeks",
                "status",
                "build",
                "first plan",
                "best",
                "proof",
                "post",
                "gap %",
                "gap int.",
                "area",
                "peak MB",
                "violations",
                "objective",
                "template violations",
                "template objective",
            ),
            _instance_rows(records),
        ),
        "## Configurations, ranked by area score",
        "",
        *_table(
            (
                "config",
                "workers",
                "plans",
                "proved",
                "median first plan",
                "median proof",
                "area (sum)",
                "gap int. (sum)",
                "violations",
                "errors",
            ),
            _config_rows(records),
        ),
    ]
    ratio_rows, ratio_note = _ratio_rows(records)
    if ratio_rows:
        lines += [
            "## Untuned (default CP-SAT parameters, no warm start) vs tuned",
            "",
            *_table(
                (
                    "instance",
                    "tuned proof",
                    "untuned proof",
                    "ratio",
                    "tuned first plan",
                    "untuned first plan",
                    "tuned area",
                    "untuned area",
                ),
                ratio_rows,
            ),
            ratio_note,
            "",
        ]
    sweep_rows, sweep_note = _sweep_rows(records)
    if sweep_rows:
        lines += [
            "## Worker-count sweep",
            "",
            *_table(
                (
                    "workers",
                    "proved",
                    "median proof",
                    "median first plan",
                    "area (sum)",
                    "gap int. (sum)",
                    "peak MB",
                ),
                sweep_rows,
            ),
            sweep_note,
            "",
            "![worker sweep](workers.png)",
            "",
        ]
    lines += [
        "## Plots",
        "",
        "![cactus plot](cactus.png)",
        "",
        "![gap over time](gap_over_time.png)",
        "",
    ]
    failures = outcome.failures()
    lines += ["## Problems (wrong answers)", ""]
    lines += (
        [f"- {p}" for p in failures]
        if failures
        else ["None: 0 violations, objectives recomputed, no status contradicts a known one."]
    )
    unanswered = outcome.unanswered()
    if unanswered:
        lines += ["", "## No answer within the time limit", "", *[f"- {u}" for u in unanswered]]
    return "\n".join(lines) + "\n"
