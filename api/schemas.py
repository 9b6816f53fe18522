"""The API's own envelope models; everything inside them is `solver.schemas`.

`solver.schemas` stays the one source of the planning contract; this module adds only what
the service needs around it: jobs, their progress, validation bodies and catalogues.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from solver.exercises import ExerciseSpec
from solver.schemas import Penalty, Plan, PlanRequest, SolveResult, Violation

JobStatus = Literal["queued", "running", "completed", "stopped", "failed", "interrupted"]
FINISHED: frozenset[str] = frozenset({"completed", "stopped", "failed", "interrupted"})


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str = Field(description="The stride package version.")
    solves_running: int = Field(description="Solves running in this server process.")
    solve_capacity: int = Field(description="Solves this server process runs at once.")
    jobs_queued: int = Field(description="Jobs waiting for a worker in this process.")


class Progress(BaseModel):
    """The search so far: the best plan's objective, the proven bound and their gap."""

    elapsed_s: float = Field(description="Seconds since the solve started.")
    objective: float | None = Field(default=None, description="Best plan's objective.")
    best_bound: float | None = Field(default=None, description="Proven lower bound.")
    gap: float | None = Field(default=None, description="Relative gap; 0 = proven optimal.")
    solutions: int = Field(default=0, description="Improving plans found so far.")


class JobLinks(BaseModel):
    self: str
    events: str
    plan_ics: str


class Job(BaseModel):
    """A long solve: its state, the search's progress and, once finished, the result."""

    id: str
    status: JobStatus = Field(
        description="`completed`: the solve ended by itself (see `result.status`); "
        "`stopped`: stopped early on request, best plan kept; `interrupted`: the server "
        "stopped before it finished; `failed`: the worker broke (see `error`)."
    )
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    time_limit_s: float = Field(description="The time limit the solve runs under.")
    progress: Progress | None = Field(
        default=None, description="The latest progress; the final numbers once finished."
    )
    result: SolveResult | None = Field(
        default=None, description="The best result, once the job is finished."
    )
    error: str | None = None
    links: JobLinks


class ValidateBody(BaseModel):
    """A request and a plan to check against it: a bare `plan` or a whole `result`."""

    model_config = ConfigDict(extra="forbid")

    request: PlanRequest
    plan: Plan | None = Field(default=None, description="A plan made by hand or elsewhere.")
    result: SolveResult | None = Field(
        default=None,
        description="A solve result; its objective is compared with the recomputed one.",
    )

    @model_validator(mode="after")
    def _one_plan(self) -> ValidateBody:
        if (self.plan is None) == (self.result is None):
            raise ValueError("plan: give exactly one of `plan` and `result`")
        return self


class ValidationOutcome(BaseModel):
    ok: bool = Field(description="No violations, and the objective matches if one was given.")
    violations: list[Violation]
    penalties: list[Penalty]
    objective: float = Field(description="The objective recomputed from the plan alone.")
    objective_matches: bool | None = Field(
        default=None, description="Whether `result.objective` equals the recomputed one."
    )


class RuleInfo(BaseModel):
    id: str
    title: str
    hard: bool
    default_weight: float
    description: str


class ValidationErrorItem(BaseModel):
    """One invalid field: where it is (`loc`, and `field` as a dotted path) and why."""

    loc: list[str | int]
    field: str
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    detail: list[ValidationErrorItem]


class ErrorBody(BaseModel):
    detail: str


class ExerciseList(BaseModel):
    count: int = Field(description="Exercises matching the filters.")
    exercises: list[ExerciseSpec]
