"""Shared fixtures and hypothesis profiles.

The `ci` profile (default) keeps the property tests inside CI's budget; `thorough` runs
many more examples on demand: `HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from solver.schemas import PlanRequest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract" / "request-10k.json"

settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def load_request(path: Path, **options: object) -> PlanRequest:
    data = json.loads(path.read_text())
    data.setdefault("options", {}).update(options)
    return PlanRequest.model_validate(data)


@pytest.fixture
def request_10k() -> PlanRequest:
    """The shared contract's 10k request (a plan exists for it)."""
    path = CONTRACT if CONTRACT.exists() else ROOT / "tests" / "fixtures" / "request-10k.json"
    return load_request(path, time_limit_s=20, num_workers=8)
