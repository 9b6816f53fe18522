"""stride's HTTP service: FastAPI routes over the solver, a worker pool and a job store.

The names below load lazily: a solver worker process imports `api.worker`, and with it
this package, but must not pay for (or depend on) the web stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.app import create_app
    from api.settings import Settings

__all__ = ["Settings", "create_app"]
_HOMES = {"create_app": "api.app", "Settings": "api.settings"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'api' has no attribute {name!r}")
