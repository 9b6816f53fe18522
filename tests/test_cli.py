"""The `stride` CLI: solve and validate, exit codes, and clean errors for bad input."""

from __future__ import annotations

import _thread
import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar
import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from solver.cli import app
from solver.cli_common import InputError
from solver.cli_progress import ProgressBoard, ProgressLike, run_with_progress
from solver.cli_solve import show_result, with_overrides
from solver.schemas import Plan, PlanRequest, SolveResult

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BEGINNER = EXAMPLES / "beginner-10k.json"

# Wide enough that no message wraps inside a phrase the tests look for.
runner = CliRunner(env={"COLUMNS": "200"})


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def assert_clean(result: Result) -> None:
    """A user error: a message, no Python traceback, no escaped exception."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def beginner_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BEGINNER.read_text())
    return data


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data))
    return path


@dataclass
class Solved:
    run: Result
    result_file: Path
    ics_file: Path

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.result_file.read_text())
        return data


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    """One short solve of the beginner example, shared by the tests that read its result."""
    folder = tmp_path_factory.mktemp("cli")
    out, ics = folder / "result.json", folder / "plan.ics"
    run = invoke("solve", BEGINNER, "-o", out, "--ics", ics, "--time-limit", "8", "--workers", "8")
    return Solved(run=run, result_file=out, ics_file=ics)


# --- solve ------------------------------------------------------------------------------


def test_solve_prints_the_plan_and_writes_the_result(solved: Solved) -> None:
    assert solved.run.exit_code == 0, solved.run.output
    result = SolveResult.model_validate_json(solved.result_file.read_text())
    assert result.status in ("optimal", "feasible")
    assert result.plan is not None
    out = solved.run.output
    assert result.status.upper() in out
    assert "Weeks" in out
    assert "Week 1 · Mon 2027-03-01" in out
    assert "RACE Spring Park 10k" in out
    assert "Recovery guidance" in out
    assert "Sleep 7-9 h" in out


def test_solve_writes_the_plan_as_a_calendar(solved: Solved) -> None:
    result = SolveResult.model_validate_json(solved.result_file.read_text())
    assert result.plan is not None
    calendar = icalendar.Calendar.from_ical(solved.ics_file.read_text())
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {f"{session.id}@stride" for session in result.plan.sessions}
    assert f"Wrote {solved.ics_file}" in solved.run.output.replace("\n", "")


def test_validate_accepts_the_solved_result(solved: Solved) -> None:
    run = invoke("validate", BEGINNER, solved.result_file)
    assert run.exit_code == 0, run.output
    assert "No rule violations" in run.output
    assert "match" in run.output


def test_validate_accepts_a_bare_plan(solved: Solved, tmp_path: Path) -> None:
    plan = write_json(tmp_path / "plan.json", solved.data()["plan"])
    run = invoke("validate", BEGINNER, plan)
    assert run.exit_code == 0, run.output
    assert "Objective recomputed from the plan" in run.output


# --- validate catches tampering ---------------------------------------------------------


def test_validate_names_r1_when_a_long_run_is_removed(solved: Solved, tmp_path: Path) -> None:
    data = solved.data()
    sessions = data["plan"]["sessions"]
    long_run = next(s for s in sessions if s.get("run_type") == "long")
    sessions.remove(long_run)
    run = invoke("validate", BEGINNER, write_json(tmp_path / "tampered.json", data))
    assert run.exit_code == 1
    assert "R1" in run.output
    week_start = max(
        w["start_date"] for w in data["plan"]["weeks"] if w["start_date"] <= long_run["date"]
    )
    assert week_start in run.output


def test_validate_names_t2_for_a_session_on_a_day_without_slots(
    solved: Solved, tmp_path: Path
) -> None:
    data = solved.data()
    # The beginner's Mondays have no slot at all (no weekly `mon` entry).
    data["plan"]["sessions"].append(
        {
            "id": "2027-03-08-am-run",
            "date": "2027-03-08",
            "slot": "am",
            "start": "2027-03-08T07:00",
            "kind": "run",
            "minutes": 20,
            "run_type": "easy",
            "location": "home",
        }
    )
    run = invoke("validate", BEGINNER, write_json(tmp_path / "tampered.json", data))
    assert run.exit_code == 1
    assert "T2" in run.output
    assert "2027-03-08" in run.output


def test_validate_flags_an_objective_that_does_not_match(solved: Solved, tmp_path: Path) -> None:
    data = solved.data()
    data["objective"] += 7
    run = invoke("validate", BEGINNER, write_json(tmp_path / "tampered.json", data))
    assert run.exit_code == 1
    assert "MISMATCH" in run.output


def test_validate_rejects_a_plan_for_another_request(solved: Solved, tmp_path: Path) -> None:
    other = beginner_data()
    other["start_date"] = "2027-02-22"
    request = write_json(tmp_path / "other.json", other)
    run = invoke("validate", request, solved.result_file)
    assert run.exit_code == 2
    assert_clean(run)
    assert "not for this request" in run.output


def test_validate_rejects_a_result_without_a_plan(tmp_path: Path) -> None:
    result = write_json(tmp_path / "r.json", {"status": "infeasible", "conflicts": []})
    run = invoke("validate", BEGINNER, result)
    assert run.exit_code == 2
    assert_clean(run)
    assert "no plan" in run.output


def test_validate_names_the_invalid_field_of_a_result(tmp_path: Path) -> None:
    result = write_json(tmp_path / "r.json", {"status": "done"})
    run = invoke("validate", BEGINNER, result)
    assert run.exit_code == 2
    assert_clean(run)
    assert "status" in run.output


# --- bad input --------------------------------------------------------------------------


def test_invalid_request_lists_each_field_and_exits_2(tmp_path: Path) -> None:
    data = beginner_data()
    data["athlete"]["level"] = "elite"
    data["athlete"]["run_days"] = {"min": 4, "max": 3}
    data["races"][0]["date"] = "2027-06-01"
    run = invoke("solve", write_json(tmp_path / "bad.json", data))
    assert run.exit_code == 2
    assert_clean(run)
    assert "athlete.level" in run.output
    assert "athlete.run_days" in run.output


def test_model_level_error_names_its_field(tmp_path: Path) -> None:
    data = beginner_data()
    data["races"][0]["date"] = "2027-06-01"
    data["end_date"] = "2027-04-25"
    run = invoke("solve", write_json(tmp_path / "bad.json", data))
    assert run.exit_code == 2
    assert_clean(run)
    assert "races[0].date" in run.output
    assert "T1" in run.output


def test_bad_json_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"start_date": "2027-03-01",')
    for args in (("solve", bad), ("validate", bad, bad), ("validate", BEGINNER, bad)):
        run = invoke(*args)
        assert run.exit_code == 2, args
        assert_clean(run)
        assert "not valid JSON" in run.output or "not JSON" in run.output


def test_missing_files_are_clean_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    for args in (
        ("solve", missing),
        ("validate", missing, BEGINNER),
        ("validate", BEGINNER, missing),
    ):
        run = invoke(*args)
        assert run.exit_code == 2, args
        assert_clean(run)
        assert "no such file" in run.output


def test_out_of_range_option_names_the_option(tmp_path: Path) -> None:
    run = invoke("solve", BEGINNER, "--workers", "0")
    assert run.exit_code == 2
    assert_clean(run)
    assert "options.num_workers" in run.output


def test_overrides_replace_only_the_given_options() -> None:
    request = PlanRequest.model_validate_json(BEGINNER.read_text())
    changed = with_overrides(
        request, time_limit_s=3, num_workers=None, random_seed=7, strict=True, source="x"
    )
    assert changed.options.time_limit_s == 3
    assert changed.options.random_seed == 7
    assert changed.options.strict_preferences is True
    assert changed.options.num_workers == request.options.num_workers
    with pytest.raises(InputError) as info:
        with_overrides(
            request, time_limit_s=-1, num_workers=None, random_seed=None, strict=None, source="x"
        )
    assert info.value.problems[0][0] == "options.time_limit_s"


def test_strict_wishes_that_cannot_be_met_exit_1(tmp_path: Path) -> None:
    """Three runs wished, two free days a week, wishes made hard: infeasible, exit 1."""
    data = beginner_data()
    data["races"] = []
    data["end_date"] = "2027-03-14"
    data["availability"] = {
        "weekly": {"tue": {"am": {"minutes": 40}}, "sat": {"am": {"minutes": 60}}}
    }
    data["options"]["time_limit_s"] = 5
    ics = tmp_path / "plan.ics"
    strict = write_json(tmp_path / "strict.json", data)
    run = invoke("solve", strict, "--strict", "--no-days", "--ics", ics)
    assert run.exit_code == 1, run.output
    assert_clean(run)
    assert "INFEASIBLE" in run.output
    assert "No plan, so no calendar written" in run.output
    assert not ics.exists()


# --- rendering ------------------------------------------------------------------------


def test_the_day_lines_read_like_a_training_diary() -> None:
    request = PlanRequest.model_validate_json(BEGINNER.read_text())
    plan = Plan.model_validate(
        {
            "start_date": "2027-03-01",
            "end_date": "2027-04-25",
            "weeks": [
                {
                    "index": 0,
                    "start_date": "2027-03-01",
                    "phase": "build",
                    "recovery": True,
                    "run_minutes": 95,
                    "hard_runs": 1,
                    "strength_sessions": 1,
                    "load": 132.4,
                    "acwr": None,
                }
            ],
            "sessions": [
                session("2027-03-02", "am", "run", 45, run_type="tempo", quality_minutes=12),
                session("2027-03-03", "pm", "strength", 40, location="home", exercises=[SQUAT]),
                session("2027-03-03", "am", "run", 20, run_type="easy"),
                session("2027-03-07", "am", "race", 65, race_name="Spring Park 10k"),
            ],
        }
    )
    result = SolveResult(status="optimal", objective=12.0, best_bound=12.0, plan=plan)
    buffer = io.StringIO()
    show_result(Console(file=buffer, width=200), result, request, exercises=True)
    out = buffer.getvalue()
    assert "OPTIMAL  objective 12  bound 12  gap 0.0 %" in out
    assert "Week 1 · Mon 2027-03-01 · build · recovery week" in out
    assert "Tue 03-02  am 45' tempo (12' quality)" in out
    # Sessions of a day are listed am first, whatever their order in the plan.
    assert "Wed 03-03  am 20' easy · pm strength 40' @home" in out
    assert "Rear-foot elevated split squat 3x8 (tempo 3-1-1, RPE 7) lower_body" in out
    assert "Sun 03-07  am RACE Spring Park 10k 65'" in out
    assert "Protein 1.6-2.2 g per kg" in out  # guidance from the request: the plan has none


SQUAT = {
    "id": "rfe_split_squat",
    "name": "Rear-foot elevated split squat",
    "pillar": "lower_body",
    "unilateral": True,
    "sets": 3,
    "reps": 8,
    "tempo": "3-1-1",
    "rpe": 7,
}


def session(date: str, slot: str, kind: str, minutes: int, **extra: Any) -> dict[str, Any]:
    clock = "07:00" if slot == "am" else "18:30"
    return {
        "id": f"{date}-{slot}-{kind}",
        "date": date,
        "slot": slot,
        "start": f"{date}T{clock}",
        "kind": kind,
        "minutes": minutes,
        **extra,
    }


# --- the live progress line -------------------------------------------------------------


@dataclass(frozen=True)
class FakeProgress:
    wall_time_s: float
    objective: float | None
    best_bound: float | None
    gap: float | None
    solutions: int


def test_progress_board_shows_the_latest_report() -> None:
    board = ProgressBoard(time_limit_s=10)
    assert "searching for a first plan" in board.line().plain
    board.update(FakeProgress(1.0, 1234.0, 1000.5, 0.19, 3))
    line = board.line().plain
    assert "best 1234" in line
    assert "bound 1000.50" in line
    assert "gap 19.0 %" in line
    assert "solutions 3" in line


def test_run_with_progress_reports_from_another_thread_and_returns_the_result() -> None:
    result = SolveResult(status="unknown")
    seen: list[str] = []

    def fake_solve(
        on_progress: Callable[[ProgressLike], None], stop: threading.Event
    ) -> SolveResult:
        seen.append(threading.current_thread().name)
        on_progress(FakeProgress(0.1, 5.0, 4.0, 0.2, 1))
        assert not stop.is_set()
        return result

    console = Console(force_terminal=True, width=100, file=open_null())
    assert run_with_progress(console, 1.0, fake_solve) is result
    assert seen and seen[0] != threading.current_thread().name


def test_ctrl_c_asks_the_solve_to_stop_and_keeps_its_result() -> None:
    started = threading.Event()

    def patient_solve(
        on_progress: Callable[[ProgressLike], None], stop: threading.Event
    ) -> SolveResult:
        started.set()
        stopped = stop.wait(30)
        return SolveResult(status="feasible", stop_reason="stop" if stopped else "time")

    def press_ctrl_c() -> None:
        started.wait(30)
        time.sleep(0.2)  # let the main thread reach its wait loop
        _thread.interrupt_main()

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    result = run_with_progress(Console(file=open_null()), 30.0, patient_solve)
    assert result.stop_reason == "stop"


def test_run_with_progress_reraises_the_solver_error() -> None:
    def broken(on_progress: Callable[[ProgressLike], None], stop: threading.Event) -> SolveResult:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run_with_progress(Console(file=open_null()), 1.0, broken)


def open_null() -> io.StringIO:
    return io.StringIO()
