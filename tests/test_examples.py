"""Acceptance: every example request parses, solves to a plan, and that plan passes every rule.

The examples are what the README shows a new user, so each must stay realistic (start dates
in 2027, a solver budget of at most 20 s, 8 workers, a fixed seed) and feasible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.schemas import PlanRequest
from solver.solve import solve
from solver.validate import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))
SOLVE_LIMIT_S = 15.0  # keeps the five solves near a minute and a quarter in total


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
    assert request.options.time_limit_s <= 20
    assert request.options.num_workers == 8
    assert request.options.random_seed == 1
    assert request.athlete.body_mass_kg is not None  # every example shows G2 in grams


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_solves_to_a_plan_that_breaks_no_rule(path: Path) -> None:
    request = load(path)
    limit = min(request.options.time_limit_s, SOLVE_LIMIT_S)
    request = request.model_copy(
        update={"options": request.options.model_copy(update={"time_limit_s": limit})}
    )
    result = solve(request)
    assert result.status in ("optimal", "feasible"), (result.status, result.conflicts)
    report = validate(request, result)
    assert report.violations == []
    assert report.objective_matches is True, (report.objective, result.objective)
