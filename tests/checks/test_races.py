"""P3: the race on its date and slot, a quiet day before, easy days after."""

from __future__ import annotations

from typing import Any

from solver.checks.races import check_p3
from solver.schemas import PlanRequest

from .builders import (
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    day,
    make_request,
    mini,
    outcome,
    race,
    run,
    strength,
)

RACE_DAY = 7 + SUN  # Sunday of week 2, am slot at 07:00


def race_request(
    distance: str = "10k", priority: str = "A", weeks: int = 2, **overrides: Any
) -> PlanRequest:
    races = [
        {
            "date": day(RACE_DAY).isoformat(),
            "distance": distance,
            "priority": priority,
            "name": "Riverside",
        }
    ]
    return make_request(weeks, races=races, **overrides)


def test_p3_race_with_a_shakeout_the_day_before_passes() -> None:
    specs = [strength(7 + WED, 30), run(7 + SAT, "easy", 20), race(RACE_DAY, 52)]
    assert outcome(check_p3, race_request(), specs).violations == []


def test_p3_missing_race_is_a_violation() -> None:
    result = outcome(check_p3, race_request(), [run(RACE_DAY, "long", 60)])
    assert [(v.rule, v.dates) for v in result.violations] == [("P3", [day(RACE_DAY)])]
    assert "Riverside" in result.violations[0].message


def test_p3_race_in_the_wrong_slot_is_missing_and_extra() -> None:
    result = outcome(check_p3, race_request(), [race(RACE_DAY, 52, slot="pm")])
    assert [v.dates for v in result.violations] == [[day(RACE_DAY)], [day(RACE_DAY)]]
    assert "entered no race" in result.violations[1].message


def test_p3_race_session_must_be_of_kind_race() -> None:
    result = outcome(check_p3, race_request(), [run(RACE_DAY, "tempo", 52)])
    assert [v.dates for v in result.violations] == [[day(RACE_DAY)]]


def test_p3_long_or_hard_run_the_day_before_is_a_violation() -> None:
    for eve in (run(7 + SAT, "easy", 31), run(7 + SAT, "tempo", 30)):
        result = outcome(check_p3, race_request(), [eve, race(RACE_DAY, 52)])
        assert [(v.rule, v.dates) for v in result.violations] == [("P3", [day(7 + SAT)])]
        assert "shake-out" in result.violations[0].message


def test_p3_strength_the_day_before_is_a_violation() -> None:
    # A B race has no 72-hour rule, so only the day before speaks.
    request = race_request(priority="B")
    for lift in (strength(7 + SAT, 30, slot="am"), mini(7 + SAT, 15)):
        result = outcome(check_p3, request, [lift, race(RACE_DAY, 52)])
        assert [v.dates for v in result.violations] == [[day(7 + SAT)]]


def test_p3_two_runs_the_day_before_are_a_violation() -> None:
    request = race_request(athlete={"level": "advanced"}, preferences={"allow_doubles": True})
    specs = [run(7 + SAT, "easy", 20), run(7 + SAT, "easy", 20, slot="pm"), race(RACE_DAY, 42)]
    result = outcome(check_p3, request, specs)
    assert [v.dates for v in result.violations] == [[day(7 + SAT)]]


def test_p3_no_strength_within_72_h_of_an_a_race() -> None:
    # Thursday 18:00 -> Sunday 07:00 is 61 h.
    specs = [strength(7 + THU, 30), race(RACE_DAY, 52)]
    result = outcome(check_p3, race_request(), specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("P3", [day(7 + THU), day(RACE_DAY)])]
    assert "61 h" in result.violations[0].message
    assert outcome(check_p3, race_request(priority="B"), specs).violations == []


def test_p3_easy_days_after_an_a_half_marathon() -> None:
    request = race_request("half", weeks=4)
    # Seven easy days follow the race (days 14-20); day 21 may hold a hard run again.
    ok = [race(RACE_DAY, 115), run(RACE_DAY + 3, "easy", 30), run(RACE_DAY + 8, "tempo", 40)]
    assert outcome(check_p3, request, ok).violations == []
    bad = [race(RACE_DAY, 115), run(RACE_DAY + 7, "hills", 40)]
    result = outcome(check_p3, request, bad)
    assert [v.dates for v in result.violations] == [[day(RACE_DAY + 7)]]


def test_p3_marathon_keeps_14_days_easy() -> None:
    request = race_request("marathon", weeks=5)
    specs = [race(RACE_DAY, 245), run(RACE_DAY + 14, "tempo", 40)]
    result = outcome(check_p3, request, specs)
    assert [v.dates for v in result.violations] == [[day(RACE_DAY + 14)]]
    specs = [race(RACE_DAY, 245), run(RACE_DAY + 15, "tempo", 40)]
    assert outcome(check_p3, request, specs).violations == []


def test_p3_a_race_entered_in_the_easy_days_stands() -> None:
    request = make_request(
        4,
        races=[
            {"date": day(RACE_DAY).isoformat(), "distance": "half", "priority": "A"},
            {"date": day(RACE_DAY + 6).isoformat(), "distance": "5k", "priority": "C"},
        ],
    )
    specs = [race(RACE_DAY, 115), race(RACE_DAY + 6, 25)]
    assert outcome(check_p3, request, specs).violations == []


def test_p3_no_easy_days_after_a_10k_or_a_b_race() -> None:
    for request in (race_request("10k", weeks=3), race_request("half", "B", weeks=3)):
        specs = [race(RACE_DAY, 52), run(RACE_DAY + 2, "tempo", 40)]
        assert outcome(check_p3, request, specs).violations == []


def test_p3_race_on_the_first_day_has_no_day_before() -> None:
    request = make_request(
        1, races=[{"date": day(0).isoformat(), "distance": "5k", "priority": "C"}]
    )
    assert outcome(check_p3, request, [race(0, 25), run(TUE, "easy", 30)]).violations == []
