"""Where the suite and the results live (imported by module, so that it resolves even when
an older editable install registered `benchmarks` as a namespace package)."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCHMARKS_DIR.parent
INSTANCES_DIR = BENCHMARKS_DIR / "instances"
INDEX_FILE = INSTANCES_DIR / "index.json"
RESULTS_DIR = BENCHMARKS_DIR / "results"
