"""The job store: one SQLite file, so finished results survive a restart.

Plain `sqlite3` behind a lock; the service calls it from a worker thread, never on the
event loop. Several server processes (`stride serve --workers N`) share the file: each job
names the process running it (`owner_pid`), a stop request for a job another process runs
is a flag that process polls, and a process starting up marks the unfinished jobs of dead
processes `interrupted` rather than dropping them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from api.schemas import FINISHED, JobStatus, Progress
from solver.schemas import PlanRequest, SolveResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    time_limit_s REAL NOT NULL,
    progress TEXT,
    result TEXT,
    error TEXT,
    request TEXT NOT NULL,
    owner_pid INTEGER NOT NULL,
    stop_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, finished_at);
"""
_UNFINISHED = ("queued", "running")
_UPDATABLE = frozenset({"status", "started_at", "finished_at", "progress", "result", "error"})
_COLUMNS = "id, status, created_at, started_at, finished_at, time_limit_s, progress, result, error"


class JobRecord(BaseModel):
    """A job as stored, without its (possibly large) request."""

    id: str
    status: JobStatus
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    time_limit_s: float
    progress: Progress | None = None
    result: SolveResult | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class JobStore:
    """Jobs in SQLite. Every method is blocking: call it from a thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=10.0)
        self._db.row_factory = sqlite3.Row
        with self._transaction() as db:
            db.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    # --- writes ------------------------------------------------------------------------

    def create(self, record: JobRecord, request: PlanRequest, owner_pid: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO jobs (id, status, created_at, time_limit_s, request, owner_pid) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.status,
                    record.created_at.isoformat(),
                    record.time_limit_s,
                    request.model_dump_json(),
                    owner_pid,
                ),
            )

    def update(self, job_id: str, **fields: Any) -> None:
        """Set columns of one job; models are stored as JSON, datetimes as ISO text."""
        names = sorted(fields)
        unknown = set(names) - _UPDATABLE
        if unknown:
            raise ValueError(f"not updatable job columns: {sorted(unknown)}")
        values = [_to_column(fields[name]) for name in names]
        assignments = ", ".join(f"{name} = ?" for name in names)
        with self._transaction() as db:
            db.execute(f"UPDATE jobs SET {assignments} WHERE id = ?", (*values, job_id))

    def request_stop(self, job_id: str) -> None:
        """Ask whichever process runs the job to stop it (see `stop_requests`)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET stop_requested = 1 WHERE id = ? AND status IN (?, ?)",
                (job_id, *_UNFINISHED),
            )

    def interrupt_orphans(self, own_pid: int, is_alive: Callable[[int], bool]) -> int:
        """Mark `interrupted` the unfinished jobs whose process is gone; return how many.

        Called at start-up, when this process runs no job yet: its own pid on a job means
        a previous process had the same pid.
        """
        with self._transaction() as db:
            rows = db.execute(
                "SELECT id, owner_pid FROM jobs WHERE status IN (?, ?)", _UNFINISHED
            ).fetchall()
            orphans = [
                row["id"]
                for row in rows
                if row["owner_pid"] == own_pid or not is_alive(row["owner_pid"])
            ]
            db.executemany(
                "UPDATE jobs SET status = 'interrupted', finished_at = ?, "
                "error = 'the server stopped before the job finished' WHERE id = ?",
                [(utc_now().isoformat(), job_id) for job_id in orphans],
            )
        return len(orphans)

    def prune(self, keep: int) -> None:
        """Delete the oldest finished jobs beyond the newest `keep`."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status NOT IN (?, ?) "
                "ORDER BY finished_at DESC LIMIT -1 OFFSET ?)",
                (*_UNFINISHED, keep),
            )

    # --- reads -------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        with self._transaction() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else _record(row)

    def request_of(self, job_id: str) -> PlanRequest | None:
        with self._transaction() as db:
            row = db.execute("SELECT request FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else PlanRequest.model_validate_json(row["request"])

    def stop_requests(self, owner_pid: int) -> list[str]:
        """Unfinished jobs of this process that a stop was asked for."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT id FROM jobs WHERE owner_pid = ? AND stop_requested = 1 "
                "AND status IN (?, ?)",
                (owner_pid, *_UNFINISHED),
            ).fetchall()
        return [row["id"] for row in rows]


def _to_column(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _record(row: sqlite3.Row) -> JobRecord:
    data = dict(row)
    for name in ("progress", "result"):
        if data[name] is not None:
            data[name] = json.loads(data[name])
    return JobRecord.model_validate(data)
