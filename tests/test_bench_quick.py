"""The quick benchmark suite as a CI check: every solver plan keeps every rule, and every
instance ends in its known status (a plan for feasible ones, a proof for infeasible ones).

Short limits keep the whole file well under two minutes on a quiet 2-core machine; nothing
here asserts a timing. The suite's metadata, the template baseline and the scoring are
checked on their own, without the solver, below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks.generate import SPECS, build_instance
from benchmarks.metrics import RunRecord, TracePoint, primal_integral, score_runs
from benchmarks.paths import INDEX_FILE, INSTANCES_DIR
from benchmarks.runner import BenchOutcome, BenchSettings, run_bench, solver_configs
from benchmarks.suite import load_suite, read_index
from benchmarks.template import template_plan
from solver.schemas import PlanRequest
from solver.validate import validate

QUICK_TIME_LIMIT_S = 8.0


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> BenchOutcome:
    out = tmp_path_factory.mktemp("bench-quick")
    settings = BenchSettings(suite="quick", time_limit_s=QUICK_TIME_LIMIT_S, out=out)
    return run_bench(settings)


def test_quick_suite_keeps_every_rule_and_known_status(quick_run: BenchOutcome) -> None:
    solver_runs = [r for r in quick_run.records if r.is_solver]
    instances = load_suite("quick")
    assert {r.instance for r in solver_runs} == {i.name for i in instances}
    for record in solver_runs:
        assert record.status != "error", record.error
        assert record.violations == 0, f"{record.instance}: {record.violated_rules}"
        assert record.status_matches(), (
            f"{record.instance}: {record.status}, known {record.expected_status}"
        )
        if record.found_plan:
            assert record.objective_matches is True, record.instance
            assert record.first_feasible_s is not None
    assert quick_run.failures() == []
    assert quick_run.unanswered() == []
    assert quick_run.passed()


def test_quick_run_writes_results(quick_run: BenchOutcome) -> None:
    names = {p.name for p in quick_run.files}
    assert {"results.csv", "results.md", "traces.json", "cactus.png", "gap_over_time.png"} <= names
    for path in quick_run.files:
        assert path.stat().st_size > 0
    csv_rows = (quick_run.out_dir / "results.csv").read_text().splitlines()
    assert len(csv_rows) == 1 + len(quick_run.records)
    markdown = (quick_run.out_dir / "results.md").read_text()
    assert "## Targets" in markdown and "template violations" in markdown


def test_template_baseline_breaks_rules_the_solver_keeps(quick_run: BenchOutcome) -> None:
    template = [r for r in quick_run.records if r.config == "template"]
    assert len(template) == len(load_suite("quick"))
    assert sum(r.violations or 0 for r in template) > 0


def test_index_matches_the_generator() -> None:
    """The committed suite is what the seeded generator writes, byte for byte."""
    index = json.loads(INDEX_FILE.read_text())
    assert len(index) >= 24
    assert set(index) == {f"{spec.name}.json" for spec in SPECS}
    for spec in SPECS:
        written = json.loads((INSTANCES_DIR / f"{spec.name}.json").read_text())
        assert written == build_instance(spec), spec.name
        assert index[f"{spec.name}.json"] == spec.info().model_dump(mode="json", exclude_none=True)


def test_index_covers_every_family_and_both_statuses() -> None:
    infos = read_index().values()
    families = {info.family for info in infos}
    assert families >= {
        "long_horizon",
        "multi_race",
        "sparse",
        "injury_older",
        "hard_days_hard",
        "near_infeasible",
        "infeasible",
    }
    assert {info.weeks for info in infos} >= {52, 104}
    assert {"feasible", "infeasible"} <= {info.expected_status for info in infos}
    for info in infos:
        assert info.why_hard


@pytest.mark.parametrize("name", ["reference-10k-16w", "season-6-races-52w"])
def test_template_plan_is_a_plan_on_the_calendar(name: str) -> None:
    request = PlanRequest.model_validate_json((INSTANCES_DIR / f"{name}.json").read_text())
    plan = template_plan(request)
    report = validate(request, plan)
    # Every session sits in an existing slot that holds it, one per slot (T2, T3): the
    # template breaks training rules, never the calendar.
    assert not [v for v in report.violations if v.rule in ("T1", "T2", "T3")]
    assert {s.run_type for s in plan.sessions if s.kind == "run"} >= {"long", "easy"}
    assert sum(s.kind == "race" for s in plan.sessions) == len(request.races)


def test_unknown_instance_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown instance"):
        load_suite("quick", names=["no-such-instance"])


def test_sweep_reuses_the_tuned_run() -> None:
    settings = BenchSettings(suite="hard", workers=8)
    assert solver_configs(settings) == [
        "tuned",
        "untuned",
        "workers-1",
        "workers-2",
        "workers-4",
        "workers-16",
    ]


def _run(status: str, trace: list[TracePoint], wall: float, objective: float | None) -> RunRecord:
    return RunRecord(
        instance="i",
        config="tuned",
        status=status,
        time_limit_s=10.0,
        wall_s=wall,
        objective=objective,
        trace=trace,
    )


def test_primal_integral_and_area_score() -> None:
    # No plan for 2 s, then 20 % worse than the best for 3 s, then the best: 2 + 0.6 = 2.6.
    trace = [
        TracePoint(t=2.0, objective=125.0, bound=50.0),
        TracePoint(t=5.0, objective=100.0, bound=100.0),
    ]
    run = _run("optimal", trace, 5.0, 100.0)
    assert primal_integral(run, 100.0) == pytest.approx(2.6)
    never = _run("unknown", [], 10.0, None)
    proved_infeasible = _run("infeasible", [], 1.5, None)
    score_runs([run, never, proved_infeasible])
    assert run.area_score == pytest.approx(0.74)
    assert never.area_score == 0.0
    assert proved_infeasible.area_score == pytest.approx(0.85)


@pytest.mark.parametrize(
    ("expected", "status", "contradicts", "matches"),
    [
        ("feasible", "optimal", False, True),
        ("feasible", "unknown", False, False),  # slow, not wrong
        ("feasible", "infeasible", True, False),
        ("infeasible", "infeasible", False, True),
        ("infeasible", "feasible", True, False),
    ],
)
def test_status_is_judged_against_the_known_status(
    expected: str, status: str, contradicts: bool, matches: bool
) -> None:
    run = RunRecord(instance="i", config="tuned", status=status, expected_status=expected)
    assert run.status_contradicts() is contradicts
    assert run.status_matches() is matches


def test_bench_command_rejects_bad_options(tmp_path: Path) -> None:
    import typer

    from solver.cli_bench import bench_command

    app = typer.Typer()
    app.command()(bench_command)
    result = CliRunner().invoke(app, ["--configs", "tuned,fastest", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "fastest" in result.output
    result = CliRunner().invoke(app, ["--instances", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown instance" in result.output


def test_replan_timings_take_medians_and_count_a_miss_as_slowest() -> None:
    from benchmarks.explain_replan import Timed, _runs_row, replan_instances

    runs = [
        Timed(3.0, 10.0, "optimal", trace=[(0.5, 12.0), (0.9, 10.0)], setup=0.3, wishes=4),
        Timed(4.0, 11.0, "feasible", trace=[(0.4, 11.0)], setup=0.2, wishes=5, unexplained=1),
        Timed(5.0, 10.0, "optimal", trace=[(1.5, 10.0)], setup=0.4, explain_s=2.0),
    ]
    row = _runs_row(runs, target=10.0)
    assert row["to_objective_runs"] == [0.9, None, 1.5]
    assert row["to_objective_s"] == 1.5  # the miss is the slowest of three
    assert row["setup_s"] == 0.3 and row["after_setup_s"] == 1.1  # 1.5 - 0.4
    assert row["seconds"] == 4.0 and row["objective"] == 10.0
    assert row["status"] == "feasible/optimal"
    # Wishes: the most any run reported or left unexplained; the median explaining time.
    assert (row["wishes"], row["unexplained"], row["explain_s"]) == (5, 1, 0.0)
    assert _runs_row(runs[1:2], target=10.0)["to_objective_s"] is None
    names = replan_instances()
    assert "reference-10k-16w.json" in names
    index = read_index()
    assert all(index[n].weeks == 16 for n in names)


def test_stored_plans_in_progress_belong_to_their_calendars() -> None:
    # The re-plan benchmark re-plans stored plans: each must be a plan of its calendar as
    # the suite has it now (a regenerated instance needs `--new-plans`), valid as solved.
    from benchmarks.explain_replan import load, plan_in_progress, replan_instances

    for name in replan_instances():
        stored = plan_in_progress(name)
        request = load(name)
        assert stored.plan is not None, name
        assert stored.request_digest == request.digest(), f"{name}: stale plan in progress"
        assert validate(request, stored).violations == [], name
