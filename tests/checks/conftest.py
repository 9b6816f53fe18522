"""Fixtures for the check tests; the builders themselves live in `builders.py`."""

from __future__ import annotations

import pytest

from solver.schemas import PlanRequest
from solver.timeline import Timeline

from .builders import make_request


@pytest.fixture
def base_request() -> PlanRequest:
    """Two base weeks for an intermediate runner (see builders.request_data)."""
    return make_request(2)


@pytest.fixture
def base_timeline(base_request: PlanRequest) -> Timeline:
    return Timeline(base_request)
