"""Clients for the API tests.

Each app start spawns its solver worker processes, so most tests share one module-scoped
client; tests that need other limits (a full pool, a restart) start their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_requests import api_settings
from fastapi.testclient import TestClient

from api import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db_path = tmp_path_factory.mktemp("api") / "jobs.sqlite3"
    with TestClient(create_app(api_settings(db_path))) as shared:
        yield shared
