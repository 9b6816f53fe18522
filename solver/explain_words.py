"""Conflicts in a runner's words: the calendar facts, then what each rule asks.

A sentence reads "<calendar facts>, but <rule> <asks>, <rule> <asks> and <rule> <asks>.",
e.g. "Week 3 (from Mon 2027-03-15) has slots only on Mon (am 60', pm 60') and Tue (am 60'),
but S1 asks for 3 strength sessions, S2 needs 48 h between two of them and P1 allows no
recovery week yet." Facts come from the request's calendar (solver/timeline.py), the rule
phrases from the rules' own numbers, so the words say what the model enforced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from solver.schemas import SLOT_NAMES, WEEKDAYS, Conflict, Suggestion
from solver.timeline import (
    ACWR_CAP_TENTHS,
    EASY_FLOOR_PERCENT,
    HARD_RUN_MINUTES,
    LONG_RUN_CAP,
    SHAKEOUT_MAX,
    TAPER_CAPS,
    Timeline,
)

if TYPE_CHECKING:
    from solver.explaining import Core, Group

MAX_WEEKS_DESCRIBED = 3
MAX_DAYS_DETAILED = 4

Phrase = Callable[[Timeline, int | None, int | None], str]


def _week_label(tl: Timeline, week: int) -> str:
    return f"Week {week + 1} (from {tl.weeks[week].start:%a %Y-%m-%d})"


def _day_name(tl: Timeline, day: int) -> str:
    return tl.weekday(day).capitalize()


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _slots_text(tl: Timeline, day: int) -> str:
    return ", ".join(f"{s.name} {s.capacity}'" for s in tl.slots_on(day) if s.race is None)


def _template_has_slot(tl: Timeline, day: int) -> bool:
    weekly = tl.request.availability.weekly.get(tl.weekday(day))  # type: ignore[call-overload]
    if weekly is None:
        return False
    slots = [getattr(weekly, name) for name in SLOT_NAMES]
    return any(slot is not None and slot.minutes > 0 for slot in slots)


def week_facts(tl: Timeline, week: int, label: str | None = None) -> str:
    """What the calendar offers in a week: which days have slots, what is blocked, races."""
    days = list(tl.days_of_week(week))
    free = [d for d in days if any(s.race is None for s in tl.slots_on(d))]
    label = label or _week_label(tl, week)
    if not free:
        text = f"{label} has no free slot"
    elif len(free) == len(days):
        text = f"{label} has slots on all {len(days)} days"
    elif len(free) <= MAX_DAYS_DETAILED:
        detailed = [f"{_day_name(tl, d)} ({_slots_text(tl, d)})" for d in free]
        text = f"{label} has slots only on {_join(detailed)}"
    else:
        missing = [_day_name(tl, d) for d in days if d not in free]
        text = f"{label} has no slot on {_join(missing)}"
    blocked = [d for d in days if d not in free and _template_has_slot(tl, d)]
    if blocked:
        text += f" ({_join([_day_name(tl, d) for d in blocked])} blocked by exceptions or events)"
    races = [
        f"the {race.distance} race on {race.date:%a %Y-%m-%d}" for race in tl.weeks[week].races
    ]
    if races:
        text += f", with {_join(races)}"
    return text


# --- what each rule asks, in a week ----------------------------------------------------


def _r1(tl: Timeline, week: int | None, wanted: int | None) -> str:
    return f"R1 needs one long run of at least {tl.long_run_floor} min, 1.25 x every other run"


def _r3(tl: Timeline, week: int | None, wanted: int | None) -> str:
    if week is None:
        return "R3 caps hard runs"
    return f"R3 allows at most {tl.hard_cap(week, recovery=False)} hard runs a week"


def _r5(tl: Timeline, week: int | None, wanted: int | None) -> str:
    if week == 0:
        current = tl.request.athlete.current_weekly_minutes
        return f"R5 caps run minutes at 110 % of your current {current} min a week"
    return "R5 caps run minutes at 110 % of the last loading week"


def _r6(tl: Timeline, week: int | None, wanted: int | None) -> str:
    cap = tl.long_run_cap if week is not None else LONG_RUN_CAP
    return f"R6 keeps the long run within 35-60 % of the week's minutes and {cap} min"


def _r8(tl: Timeline, week: int | None, wanted: int | None) -> str:
    ratio = ACWR_CAP_TENTHS / 10
    return f"R8 caps the week's load at {ratio:g} x the mean of the 4 weeks before"


def _r10(tl: Timeline, week: int | None, wanted: int | None) -> str:
    return f"R10 allows at most {tl.request.athlete.run_days.max} runs a week"


def _r10_wish(tl: Timeline, week: int | None, wanted: int | None) -> str:
    return f"R10 asks for {wanted} runs"


def _r11(tl: Timeline, week: int | None, wanted: int | None) -> str:
    longest = tl.request.athlete.longest_recent_run_minutes
    if week is not None and week < 5:
        return (
            "R11 keeps every run within 110 % of the longest run of the 30 days before "
            f"({longest} min before the plan)"
        )
    return "R11 keeps every run within 110 % of the longest run of the 30 days before"


def _r12(tl: Timeline, week: int | None, wanted: int | None) -> str:
    lo, hi = HARD_RUN_MINUTES
    return f"R12 makes a hard run last {lo}-{hi} min"


def _r13(tl: Timeline, week: int | None, wanted: int | None) -> str:
    longest = tl.request.athlete.longest_recent_run_minutes
    return f"R13 allows only easy runs of at most {longest} min while you return from injury"


def _s1(tl: Timeline, week: int | None, wanted: int | None) -> str:
    if week is None:
        return "S1 caps strength sessions"
    return f"S1 allows at most {tl.strength_bounds(week, recovery=False)[1]} strength sessions"


def _s1_wish(tl: Timeline, week: int | None, wanted: int | None) -> str:
    return f"S1 asks for {wanted} strength sessions"


def _s2(tl: Timeline, week: int | None, wanted: int | None) -> str:
    return f"S2 needs {tl.strength_gap_hours} h between two strength sessions"


def _s11(tl: Timeline, week: int | None, wanted: int | None) -> str:
    if week is None:
        return "S11 bounds strength session minutes"
    lo, hi = tl.strength_minutes(week, recovery=False)
    return f"S11 needs strength sessions of {lo}-{hi} min ({tl.weeks[week].phase} phase)"


def _p2(tl: Timeline, week: int | None, wanted: int | None) -> str:
    info = tl.weeks[week] if week is not None else None
    if info is None or info.goal is None or info.taper_position is None:
        return "P2 cuts run minutes in the taper"
    cap = round(100 * TAPER_CAPS[info.goal][info.taper_position])
    return f"P2 caps taper run minutes at {cap} % of the last loading week"


def _fixed(text: str) -> Phrase:
    def phrase(tl: Timeline, week: int | None, wanted: int | None) -> str:
        return text

    return phrase


PHRASES: dict[str, Phrase] = {
    "R1": _r1,
    "R2": _fixed("R2 keeps key runs (long, tempo, intervals, hills, races) off consecutive days"),
    "R3": _r3,
    "R4": _fixed("R4 allows only a recovery run and no strength the day after a long run or race"),
    "R5": _r5,
    "R6": _r6,
    "R7": _fixed(f"R7 keeps easy running at {EASY_FLOOR_PERCENT} % or more of a loading week"),
    "R8": _r8,
    "R10": _r10,
    "R11": _r11,
    "R12": _r12,
    "R13": _r13,
    "R14": _fixed("R14 allows one run a day"),
    "S1": _s1,
    "S2": _s2,
    "S3": _fixed("S3 keeps strength off hard-run days"),
    "S4": _fixed("S4 wants the run first when a run and strength share a day less than 6 h apart"),
    "S11": _s11,
    "P1": _fixed(
        "P1 allows a recovery week only after 3 loading weeks and needs one in every 6 weeks"
    ),
    "P2": _p2,
    "P3": _fixed(
        f"P3 keeps the day before a race to rest or one easy run of at most {SHAKEOUT_MAX} min, "
        "no strength 72 h before an A race and easy running after a long A race"
    ),
}
WISH_PHRASES: dict[str, Phrase] = {"R10": _r10_wish, "S1": _s1_wish}


def _held_wish(tl: Timeline, rule: str, week: int, level: int) -> str:
    """A wish held at what the plan gave it: "the 2 runs planned (R10 asks for 3)"."""
    what = "run" if rule == "R10" else "strength session"
    asked = tl.wish_of(rule, week)
    return f"the {level} {what}{'' if level == 1 else 's'} planned ({rule} asks for {asked})"


def rule_phrase(tl: Timeline, group: Group, wanted: int | None = None) -> str:
    """What one group's rule asks, in words."""
    if group.level is not None and group.week is not None:
        return _held_wish(tl, group.rule, group.week, group.level)
    table = WISH_PHRASES if group.wish else PHRASES
    phrase = table.get(group.rule)
    if phrase is not None:
        return phrase(tl, group.week, wanted)
    return f"{group.rule} holds"  # a planner's own rule: its ID is all we know


def _phrases(tl: Timeline, groups: Sequence[Group], wanted: dict[Group, int]) -> list[str]:
    """One phrase per distinct statement, in the core's order, with weeks where they differ."""
    weeks = sorted({g.week for g in groups if g.week is not None})
    seen: dict[str, list[int]] = {}
    for group in groups:
        text = rule_phrase(tl, group, wanted.get(group))
        seen.setdefault(text, [])
        if group.week is not None:
            seen[text].append(group.week)
    out = []
    for text, in_weeks in seen.items():
        if len(weeks) > 1 and in_weeks:
            text += " in " + _weeks_text(sorted(set(in_weeks)))
        out.append(text)
    return out


def _weeks_text(weeks: Sequence[int]) -> str:
    if len(weeks) == 1:
        return f"week {weeks[0] + 1}"
    if weeks == list(range(weeks[0], weeks[-1] + 1)):
        return f"weeks {weeks[0] + 1}-{weeks[-1] + 1}"
    return "weeks " + _join([str(w + 1) for w in weeks])


def core_weeks(groups: Iterable[Group]) -> list[int]:
    return sorted({g.week for g in groups if g.week is not None})


def calendar_facts(tl: Timeline, weeks: Sequence[int]) -> str:
    if not weeks:
        return "Across the plan"
    if len(weeks) > MAX_WEEKS_DESCRIBED:
        return f"In {_weeks_text(list(weeks))}"
    return "; ".join(week_facts(tl, w) for w in weeks)


def conflict_sentence(tl: Timeline, groups: Sequence[Group], wanted: dict[Group, int]) -> str:
    phrases = _phrases(tl, groups, wanted)
    facts = calendar_facts(tl, core_weeks(groups))
    if not phrases:
        return f"{facts}: no plan fits the calendar itself (T2)."
    return f"{facts}, but {_join(phrases)}."


def conflict_dates(tl: Timeline, groups: Sequence[Group]) -> list[dt.date]:
    """Week start dates, plus the days that could hold a session where they are few."""
    dates: set[dt.date] = set()
    for week in core_weeks(groups):
        dates.add(tl.weeks[week].start)
        days = list(tl.days_of_week(week))
        free = [d for d in days if tl.slots_on(d)]
        if len(free) <= MAX_DAYS_DETAILED:
            dates.update(tl.date(d) for d in free)
        dates.update(race.date for race in tl.weeks[week].races)
    return sorted(dates)


def describe_core(core: Core, suggestions: Sequence[Suggestion] | None) -> Conflict:
    """A core as the public Conflict: rule IDs, dates, one sentence and the suggestions."""
    from solver.explaining import rule_ids

    xm = core.model
    tl = xm.timeline
    groups = list(core.groups)
    rules = rule_ids(groups)
    found = list(suggestions or [])
    if any(s.kind in ("add_slot", "extend_slot") for s in found):
        rules = ["T2", *[r for r in rules if r != "T2"]]
    message = conflict_sentence(tl, groups, xm.wanted)
    if not core.minimal:
        message += " (The search ran out of time: this set may not be the smallest.)"
    return Conflict(
        rules=rules, dates=conflict_dates(tl, groups), message=message, suggestions=found
    )


def unknown_conflict(tl: Timeline) -> Conflict:
    return Conflict(
        rules=[],
        dates=[tl.start],
        message="The explanation ran out of time before it could show which rules collide.",
    )


def wish_reason(
    tl: Timeline,
    week: int,
    blockers: Sequence[Group],
    rules: Sequence[str],
    wanted: dict[Group, int],
) -> str:
    """Why a week's wish bent: "the week has slots only on Mon (am 60') and Thu (pm 45'),
    and R14 allows one run a day and S4 wants the run first ..."."""
    weeks = sorted({week, *core_weeks(blockers)})
    facts = "; ".join(
        week_facts(tl, w, label="the week" if w == week else None)
        for w in weeks[:MAX_WEEKS_DESCRIBED]
    )
    if "T2" not in rules and not blockers:
        facts = ""
    phrases = _phrases(tl, blockers, wanted)
    return ", and ".join(p for p in (facts, _join(phrases)) if p)


def weekday_of(date: dt.date) -> str:
    return WEEKDAYS[date.weekday()].capitalize()
