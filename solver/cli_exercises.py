"""`stride exercises`: browse the exercise library from the command line.

The command checks its filters against the library's closed vocabularies, so a typo gets
a usage error listing the allowed values (exit code 2) rather than an empty table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from solver.exercises import (
    EMPHASES,
    PILLARS,
    PRESCRIPTION_PHASES,
    ExerciseSpec,
    UnknownValueError,
    check_choice,
    load_library,
)

_T = TypeVar("_T")

# Library field -> the command-line option that feeds it, for error messages.
_OPTION = {
    "pillar": "--pillar",
    "equipment": "--equipment",
    "injury": "--injury",
    "phase": "--phase",
}


def exercises_command(
    pillar: Annotated[
        str | None,
        typer.Option(help="core, lower_body, hip_ankle, upper_posture or power (S6)."),
    ] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(help="Equipment at hand; repeat for several. Bodyweight is always at hand."),
    ] = None,
    injury: Annotated[
        str | None,
        typer.Option(help="Exercises that suit this injury, or older, female, trail (S12)."),
    ] = None,
    phase: Annotated[
        str | None,
        typer.Option(help="Exercises prescribed in this phase, or in `recovery` weeks (§4)."),
    ] = None,
) -> None:
    """List the strength exercise library, filtered (every filter given must match).

    --equipment is the kit at hand (bodyweight is always available); --injury keeps
    exercises that suit an injury or emphasis (S12); --phase keeps exercises prescribed in
    that phase (§4). A bad value is a usage error (exit 2) listing the allowed values.
    """
    library = load_library()
    try:
        chosen = library.filter(
            pillar=_optional("pillar", pillar, PILLARS),
            equipment=equipment,
            injury=_optional("injury", injury, EMPHASES),
            phase=_optional("phase", phase, PRESCRIPTION_PHASES),
        )
    except UnknownValueError as error:
        raise typer.BadParameter(
            f"unknown value {error.value!r}; allowed: {', '.join(error.allowed)}",
            param_hint=_OPTION.get(error.field, error.field),
        ) from None
    console = Console(highlight=False)
    if not chosen:
        console.print("No exercise matches these filters.")
        return
    console.print(_table(chosen))
    console.print(f"{len(chosen)} of {len(library)} exercises")


def _optional(field: str, value: str | None, allowed: Sequence[_T]) -> _T | None:
    return None if value is None else check_choice(field, value, allowed)


def _table(specs: list[ExerciseSpec]) -> Table:
    table = Table(title="Exercise library")
    table.add_column("id", no_wrap=True, style="bold")
    table.add_column("name")
    table.add_column("pillars")
    table.add_column("groups")
    table.add_column("uni", justify="center")
    table.add_column("equipment")
    table.add_column("mode")
    table.add_column("impact")
    for spec in specs:
        table.add_row(
            spec.id,
            spec.name,
            ", ".join(spec.pillars),
            ", ".join(spec.muscle_groups) or "-",
            "yes" if spec.unilateral else "",
            ", ".join(spec.equipment),
            spec.mode,
            spec.impact,
        )
    return table
