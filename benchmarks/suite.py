"""The suite's index: what each instance file is, why it is hard, and its known status.

PlanRequest forbids unknown fields, so the metadata lives beside the requests in
`instances/index.json` instead of inside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from benchmarks.paths import INDEX_FILE, INSTANCES_DIR
from solver.schemas import PlanRequest

Family = Literal[
    "reference",
    "long_horizon",
    "multi_race",
    "sparse",
    "injury_older",
    "hard_days_hard",
    "near_infeasible",
    "infeasible",
]
KnownStatus = Literal["feasible", "infeasible"]
SuiteName = Literal["quick", "hard"]


class UnknownInstanceError(ValueError):
    """A requested instance name is not in the suite's index."""


class InstanceInfo(BaseModel):
    """One instance's sidecar entry. `feasible` means a plan exists (optimal or not)."""

    model_config = ConfigDict(extra="forbid")

    family: Family
    why_hard: str
    expected_status: KnownStatus
    suite: SuiteName = Field(description="quick instances also belong to the hard suite")
    weeks: int
    unique_recovery_weeks: list[int] | None = Field(
        default=None,
        description="near_infeasible: the only recovery-week placement a plan can have",
    )


class Instance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path
    info: InstanceInfo

    def load(self) -> PlanRequest:
        return PlanRequest.model_validate_json(self.path.read_text(encoding="utf-8"))


def read_index(index_file: Path = INDEX_FILE) -> dict[str, InstanceInfo]:
    raw = json.loads(index_file.read_text(encoding="utf-8"))
    return {file: InstanceInfo.model_validate(entry) for file, entry in raw.items()}


def load_suite(
    suite: SuiteName,
    *,
    names: list[str] | None = None,
    instances_dir: Path = INSTANCES_DIR,
) -> list[Instance]:
    """The instances of a suite (the hard suite holds every instance), optionally filtered.

    `names` picks instances by file stem; an unknown name is an error, not an empty run.
    """
    index = read_index(instances_dir / "index.json")
    chosen = [
        Instance(name=Path(file).stem, path=instances_dir / file, info=info)
        for file, info in index.items()
        if suite == "hard" or info.suite == "quick"
    ]
    if names is not None:
        known = {i.name for i in chosen}
        unknown = sorted(set(names) - known)
        if unknown:
            raise UnknownInstanceError(
                f"unknown instance(s) {unknown} in the {suite} suite; known: {sorted(known)}"
            )
        chosen = [i for i in chosen if i.name in names]
    return chosen
