"""Requests and settings for the API tests (imported by name: tests/api is no package,
so that it cannot shadow the `api` package under test)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from api import Settings

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT.parent / "shared" / "contract" / "request-10k.json"

_SMALL: dict[str, Any] = {
    "start_date": "2027-03-01",
    "end_date": "2027-03-14",
    "timezone": "Europe/Berlin",
    "athlete": {
        "level": "intermediate",
        "current_weekly_minutes": 150,
        "longest_recent_run_minutes": 60,
        "run_days": {"min": 3, "max": 4},
        "strength_sessions": {"min": 2, "max": 2},
        "long_run_day": "sun",
    },
    "locations": {"home": ["bodyweight", "bands", "dumbbells"]},
    "availability": {
        "weekly": {
            "mon": {"am": {"minutes": 45, "time": "06:30"}},
            "tue": {"pm": {"minutes": 60, "time": "18:00"}},
            "wed": {"am": {"minutes": 45, "time": "06:30"}},
            "thu": {"pm": {"minutes": 60, "time": "18:00"}},
            "fri": {"am": {"minutes": 45, "time": "06:30"}},
            "sat": {"am": {"minutes": 90, "time": "08:00"}},
            "sun": {"am": {"minutes": 120, "time": "08:00"}},
        }
    },
    "options": {"time_limit_s": 5, "num_workers": 2, "random_seed": 1},
}


def small_request(**overrides: Any) -> dict[str, Any]:
    """Two weeks that CP-SAT solves to optimality well inside a second."""
    body = copy.deepcopy(_SMALL)
    body.update(overrides)
    return body


def deterministic(body: dict[str, Any]) -> dict[str, Any]:
    """Same input, same plan: one worker, a fixed seed, a deterministic-time limit."""
    return {
        **body,
        "options": {
            "time_limit_s": 10,
            "num_workers": 1,
            "random_seed": 7,
            "deterministic_time": 5,
        },
    }


def infeasible_request() -> dict[str, Any]:
    """Five runs a week as a hard wish, but only three days with time to run."""
    body = small_request()
    body["athlete"]["run_days"] = {"min": 5, "max": 5}
    body["availability"]["weekly"] = {
        "mon": {"am": {"minutes": 60}},
        "sat": {"am": {"minutes": 90}},
        "sun": {"am": {"minutes": 90}},
    }
    body["options"]["strict_preferences"] = True
    return body


def long_request(time_limit_s: float = 60) -> dict[str, Any]:
    """Twelve weeks towards a 10k: CP-SAT keeps improving it for many seconds."""
    body: dict[str, Any] = json.loads(CONTRACT.read_text())
    body["options"] = {"time_limit_s": time_limit_s, "num_workers": 2, "random_seed": 1}
    return body


def api_settings(db_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "db_path": db_path,
        "max_time_limit_s": 10,
        "max_job_time_limit_s": 120,
        "max_concurrent_solves": 2,
        "max_queued_jobs": 2,
        "max_body_bytes": 200_000,
        "max_horizon_weeks": 26,
        "stop_wait_s": 10,
        "sse_keepalive_s": 1,
        "sse_poll_s": 0.2,
        **overrides,
    }
    return Settings(**values)
