"""A solve result as a runner reads it: status, weeks, days, penalties, wishes, guidance."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from solver.cli_common import bullets
from solver.cli_progress import format_gap, format_number
from solver.schemas import (
    HARD_RUN_TYPES,
    SLOT_NAMES,
    Conflict,
    Exercise,
    Guidance,
    Penalty,
    Plan,
    Session,
    SolveResult,
    UnmetWish,
    Violation,
)

STATUS_STYLE = {
    "optimal": "bold green",
    "feasible": "bold yellow",
    "infeasible": "bold red",
    "unknown": "bold red",
    "invalid": "bold red",
}
_MAX_DATES_SHOWN = 4
WEEK_COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("wk", "right"),
    ("starts", "left"),
    ("phase", "left"),
    ("rec", "center"),
    ("run min", "right"),
    ("hard", "right"),
    ("strength", "right"),
    ("load", "right"),
    ("ACWR", "right"),
)


def week_label(index: int) -> str:
    """Weeks are 0-based in the JSON and counted from 1 for the runner."""
    return f"{index + 1}"


def render_status(console: Console, result: SolveResult) -> None:
    # Imported here: only a solve prints a status, and the solver module loads ortools.
    from solver.solving import relative_gap

    style = STATUS_STYLE.get(result.status, "bold")
    parts = [
        f"[{style}]{result.status.upper()}[/]",
        f"objective {format_number(result.objective)}",
        f"bound {format_number(result.best_bound)}",
        f"gap {format_gap(relative_gap(result.objective, result.best_bound))}",
        f"wall {result.wall_time_s:.1f} s",
    ]
    if result.stop_reason:
        parts.append(f"({escape(result.stop_reason)})")
    console.print("  ".join(parts))


def render_weeks(console: Console, plan: Plan) -> None:
    table = Table(title="Weeks", title_justify="left", show_edge=False, pad_edge=False)
    for name, justify in WEEK_COLUMNS:
        table.add_column(name, justify=justify)
    for week in plan.weeks:
        table.add_row(
            week_label(week.index),
            week.start_date.isoformat(),
            week.phase,
            "yes" if week.recovery else "",
            str(week.run_minutes),
            str(week.hard_runs),
            str(week.strength_sessions),
            f"{week.load:.0f}",
            "-" if week.acwr is None else f"{week.acwr:.2f}",
        )
    console.print(table)


def describe_session(session: Session) -> str:
    """One compact, markup-styled phrase: "45' easy", "50' tempo (12' quality)"."""
    minutes = f"{session.minutes}'"
    if session.kind == "race":
        name = f" {escape(session.race_name)}" if session.race_name else ""
        return f"[bold magenta]RACE{name} {minutes}[/]"
    if session.kind == "run":
        run_type = session.run_type or "run"
        text = f"{minutes} {run_type}"
        if session.quality_minutes:
            text += f" ({session.quality_minutes}' quality)"
        if run_type in HARD_RUN_TYPES:
            return f"[bold yellow]{text}[/]"
        if run_type == "long":
            return f"[bold cyan]{text}[/]"
        return text
    label = session.kind.replace("_", "-")
    where = f" @{escape(session.location)}" if session.location else ""
    if session.kind == "strength":
        return f"[green]strength {minutes}{where}[/]" + _exercises_in_brief(session)
    return f"{label} {minutes}{where}"


EXERCISES_IN_BRIEF = 3


def _exercises_in_brief(session: Session) -> str:
    """The first few exercises by name: ` (Single-leg RDL, Goblet squat, Side plank +3)`."""
    names = [escape(e.name) for e in session.exercises or []]
    if not names:
        return ""
    shown = ", ".join(names[:EXERCISES_IN_BRIEF])
    more = len(names) - EXERCISES_IN_BRIEF
    return f" [dim]({shown}{f' +{more}' if more > 0 else ''})[/]"


def describe_exercise(exercise: Exercise) -> str:
    if exercise.reps is not None:
        dose = f"{exercise.sets}x{exercise.reps}"
    elif exercise.hold_s is not None:
        dose = f"{exercise.sets}x{exercise.hold_s} s hold"
    else:
        dose = f"{exercise.sets} sets"
    extras = [f"tempo {exercise.tempo}" if exercise.tempo else "", _rpe(exercise.rpe)]
    extra = ", ".join(e for e in extras if e)
    return (
        f"{escape(exercise.name)} {dose}"
        + (f" ({extra})" if extra else "")
        + (f" [dim]{escape(exercise.pillar)}[/]")
    )


def _rpe(rpe: float | None) -> str:
    return "" if rpe is None else f"RPE {format_number(rpe)}"


def render_days(console: Console, plan: Plan, *, exercises: bool = False) -> None:
    """Per week, each day with sessions on one line: "Tue 03-02  am 45' easy · pm ..."."""
    by_date: dict[dt.date, list[Session]] = defaultdict(list)
    for session in plan.sessions:
        by_date[session.date].append(session)
    slot_order = {name: i for i, name in enumerate(SLOT_NAMES)}
    for week in plan.weeks:
        heading = f"Week {week_label(week.index)} · {week.start_date:%a %Y-%m-%d} · {week.phase}"
        if week.recovery:
            heading += " · recovery week"
        console.print(f"\n[bold]{heading}[/]")
        days = [week.start_date + dt.timedelta(days=i) for i in range(7)]
        shown = False
        for date in days:
            sessions = sorted(by_date.get(date, []), key=lambda s: slot_order[s.slot])
            if not sessions:
                continue
            shown = True
            parts = [f"{s.slot} {describe_session(s)}" for s in sessions]
            console.print(f"  {date:%a %m-%d}  " + " · ".join(parts))
            if exercises:
                for session in sessions:
                    if session.prescription:
                        label = session.kind.replace("_", "-")
                        console.print(f"      [dim]{label}: {escape(session.prescription)}[/]")
                    for exercise in session.exercises or []:
                        console.print(f"      - {describe_exercise(exercise)}")
        if not shown:
            console.print("  [dim]rest week: no sessions[/]")


def render_penalties(console: Console, penalties: Sequence[Penalty], title: str) -> None:
    if not penalties:
        console.print(f"\n[bold]{title}:[/] none")
        return
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("detail")
    for penalty in penalties:
        table.add_row(penalty.rule, format_number(penalty.value), escape(penalty.detail))
    table.add_row("[bold]total[/]", f"[bold]{format_number(sum(p.value for p in penalties))}[/]")
    console.print()
    console.print(table)


def render_unmet_wishes(console: Console, wishes: Sequence[UnmetWish], plan: Plan | None) -> None:
    if not wishes:
        return
    starts = {w.index: w.start_date for w in plan.weeks} if plan is not None else {}
    table = Table(
        title="Unmet wishes (RULES.md §6)", title_justify="left", show_edge=False, pad_edge=False
    )
    for name in ("wk", "starts", "rule", "wanted", "planned", "blocked by"):
        table.add_column(name, no_wrap=True)
    table.add_column("why")
    for wish in wishes:
        start = starts.get(wish.week)
        table.add_row(
            week_label(wish.week),
            start.isoformat() if start else "",
            wish.rule,
            str(wish.wanted),
            str(wish.planned),
            ", ".join(wish.blocked_by),
            escape(wish.message),
        )
    console.print()
    console.print(table)


def format_dates(dates: Sequence[dt.date]) -> str:
    shown = ", ".join(d.isoformat() for d in dates[:_MAX_DATES_SHOWN])
    more = len(dates) - _MAX_DATES_SHOWN
    return shown + (f" (+{more} more)" if more > 0 else "")


def render_conflicts(console: Console, conflicts: Sequence[Conflict]) -> None:
    if not conflicts:
        return
    table = Table(
        title="[red]Conflicting rules[/]", title_justify="left", show_edge=False, pad_edge=False
    )
    table.add_column("rules", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("why")
    for conflict in conflicts:
        table.add_row(
            ", ".join(conflict.rules), format_dates(conflict.dates), escape(conflict.message)
        )
    console.print()
    console.print(table)


def render_violations(console: Console, violations: Sequence[Violation]) -> None:
    if not violations:
        console.print("[bold green]No rule violations.[/]")
        return
    table = Table(
        title=f"[red]{len(violations)} rule violation(s)[/]",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("rule", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("message")
    for violation in violations:
        table.add_row(violation.rule, format_dates(violation.dates), escape(violation.message))
    console.print(table)


def render_guidance(console: Console, guidance: Guidance) -> None:
    notes = [guidance.sleep, *([guidance.protein] if guidance.protein else []), *guidance.recovery]
    console.print("\n[bold]Recovery guidance[/]")
    console.print(bullets([escape(note) for note in notes]))
