"""Acceptance: every example request parses, solves to a plan, and that plan passes every rule.

The examples are what the README shows a new user, so each must stay realistic (start dates
in 2027, a solver budget of at most 20 s, or 60 s for a year-long season, 4 workers, a fixed
seed) and feasible. Each solves with its own budget, as `stride solve` would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.schemas import PlanRequest
from solver.solving import solve
from solver.validate import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))
LONG_HORIZON_WEEKS = 40


def load(path: Path) -> PlanRequest:
    return PlanRequest.model_validate_json(path.read_text())


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    assert {
        "beginner-10k.json",
        "marathon-travel.json",
        "season-three-races.json",
        "achilles-return.json",
        "older-athlete.json",
    } <= names


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_parses_with_sensible_options(path: Path) -> None:
    request = load(path)
    assert request.start_date.year == 2027
    weeks = ((request.last_day - request.start_date).days + 6) // 7
    assert request.options.time_limit_s <= (60 if weeks >= LONG_HORIZON_WEEKS else 20)
    assert request.options.num_workers == 4
    assert request.options.random_seed == 1
    assert request.athlete.body_mass_kg is not None  # every example shows G2 in grams


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_solves_to_a_plan_that_breaks_no_rule(path: Path) -> None:
    request = load(path)
    result = solve(request)
    assert result.status in ("optimal", "feasible"), (result.status, result.conflicts)
    report = validate(request, result)
    assert report.violations == []
    assert report.objective_matches is True, (report.objective, result.objective)
