"""R7, R15, R16, R17: intensity distribution, quality placement, long-run growth."""

from __future__ import annotations

from solver.checks.intensity import check_r7, check_r15, check_r16, check_r17
from solver.schemas import PlanRequest
from solver.timeline import Timeline

from .builders import (
    FRI,
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    day,
    make_request,
    outcome,
    race,
    run,
    standard_week,
    standard_weeks,
)

# --- R7 -------------------------------------------------------------------------------


def test_r7_80_20_week_passes(base_request: PlanRequest) -> None:
    # 40 hard of 205 min: 205 // 5 = 41 allowed.
    result = outcome(check_r7, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_r7_hard_minutes_above_20_percent_are_penalised() -> None:
    # 190 min, 90 hard: 90 - 38 = 52 minutes above.
    specs = [
        run(TUE, "tempo", 45),
        run(THU, "intervals", 45),
        run(FRI, "easy", 40),
        run(SUN, "long", 60),
    ]
    result = outcome(check_r7, make_request(1), specs)
    assert result.penalty == 52
    assert [(v.rule, v.dates) for v in result.violations] == [("R7", [day(0)])]


def test_r7_penalty_rounds_a_fraction_of_a_minute_up() -> None:
    # 183 min: 20 % is 36.6, so 40 hard minutes are 3.4 above -> 4.
    specs = [
        run(TUE, "tempo", 40),
        run(THU, "easy", 43),
        run(SAT, "easy", 40),
        run(SUN, "long", 60),
    ]
    result = outcome(check_r7, make_request(1), specs)
    assert (result.violations, result.penalty) == ([], 4)


def test_r7_easy_floor_of_75_percent_in_loading_weeks() -> None:
    # 160 min with 40 hard: 120 easy = 75 % passes; 41 hard of 160 does not.
    ok = [run(TUE, "tempo", 40), run(THU, "easy", 40), run(SAT, "easy", 20), run(SUN, "long", 60)]
    assert outcome(check_r7, make_request(1), ok).violations == []
    bad = [run(TUE, "tempo", 41), run(THU, "easy", 39), run(SAT, "easy", 20), run(SUN, "long", 60)]
    result = outcome(check_r7, make_request(1), bad)
    assert [v.dates for v in result.violations] == [[day(0)]]
    assert "75 %" in result.violations[0].message


def test_r7_shortfall_is_the_easy_minutes_that_mend_the_week() -> None:
    """90 hard of 150 min: 60 easy, 40 %. Adding `shortfall` easy minutes reaches 75 %,
    one minute fewer does not (each easy minute adds to both sides of the share)."""
    hard = [run(TUE, "tempo", 45), run(THU, "hills", 45)]
    week = [*hard, run(SUN, "long", 60)]
    result = outcome(check_r7, make_request(1), week)
    [short] = result.violations
    assert short.shortfall == 3 * 150 - 4 * 60
    mended = [*week, run(SAT, "easy", short.shortfall)]
    assert outcome(check_r7, make_request(1), mended).violations == []
    nearly = [*week, run(SAT, "easy", short.shortfall - 1)]
    assert [v.shortfall for v in outcome(check_r7, make_request(1), nearly).violations] == [1]


def test_r7_easy_floor_does_not_apply_in_a_recovery_week() -> None:
    request = make_request(4)
    heavy = [run(21 + TUE, "tempo", 45), run(21 + THU, "hills", 45), run(21 + SUN, "long", 60)]
    result = outcome(check_r7, request, [*standard_weeks(3), *heavy], recovery=[3])
    assert result.violations == []
    assert result.penalty == 90 - 150 // 5


def test_r7_races_count_in_neither_share() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "10k", "priority": "B"}]
    )
    specs = [
        run(TUE, "tempo", 40),
        run(WED, "easy", 40),
        run(THU, "easy", 40),
        race(SAT, 52),
        run(SUN, "recovery", 40),
        run(MON, "long", 60),
    ]
    result = outcome(check_r7, request, specs)
    assert (result.violations, result.penalty) == ([], 0)


# --- R15 ------------------------------------------------------------------------------


def build_request(level: str = "intermediate") -> PlanRequest:
    """A 10k A race in week 8: weeks 1-3 are `build`, 4-7 `peak`, all of them loading."""
    request = make_request(
        end_date=None,
        athlete={"level": level},
        races=[{"date": day(7 * 7 + SUN).isoformat(), "distance": "10k", "priority": "A"}],
    )
    phases = [w.phase for w in Timeline(request).weeks]
    assert phases == ["build"] * 3 + ["peak"] * 4 + ["race"]
    return request


def test_r15_build_week_with_one_or_two_hard_runs_passes() -> None:
    one = [run(TUE, "tempo", 40), run(SUN, "long", 60)]
    two = [*one, run(THU, "intervals", 40)]
    assert outcome(check_r15, build_request(), one).penalty == 6  # 6 other weeks have none
    assert outcome(check_r15, build_request(), two).penalty == 6


def test_r15_build_week_without_quality_is_penalised() -> None:
    result = outcome(check_r15, build_request(), [run(SUN, "long", 60)])
    assert (result.violations, result.penalty) == ([], 7)
    assert len(result.details) == 7


def test_r15_build_week_with_three_hard_runs_is_penalised() -> None:
    specs = [run(MON, "hills", 40), run(WED, "tempo", 40), run(FRI, "intervals", 40)]
    assert outcome(check_r15, build_request(), specs).penalty == 1 + 6


def test_r15_beginner_build_week_wants_exactly_one() -> None:
    specs = [run(TUE, "tempo", 35), run(FRI, "hills", 35)]
    assert outcome(check_r15, build_request(level="beginner"), specs).penalty == 1 + 6


def test_r15_base_week_wants_at_most_one(base_request: PlanRequest) -> None:
    assert outcome(check_r15, base_request, []).penalty == 0
    assert outcome(check_r15, base_request, standard_weeks(2)).penalty == 0
    specs = [run(TUE, "tempo", 40), run(THU, "hills", 40)]
    assert outcome(check_r15, base_request, specs).penalty == 1


def test_r15_races_count_and_recovery_weeks_do_not() -> None:
    request = make_request(
        4, races=[{"date": day(SAT).isoformat(), "distance": "5k", "priority": "C"}]
    )
    specs = [
        race(SAT, 25),
        run(TUE, "tempo", 40),
        run(21 + TUE, "tempo", 40),
        run(21 + THU, "hills", 40),
    ]
    assert outcome(check_r15, request, specs).penalty == 2
    assert outcome(check_r15, request, specs, recovery=[3]).penalty == 1


# --- R16 ------------------------------------------------------------------------------


def test_r16_long_run_at_the_target_passes(base_request: PlanRequest) -> None:
    assert [w.long_target for w in Timeline(base_request).weeks] == [60, 60]
    result = outcome(check_r16, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_r16_minutes_short_of_the_target_are_penalised(base_request: PlanRequest) -> None:
    specs = [*standard_week(0, long=50), *standard_week(1, long=55)]
    result = outcome(check_r16, base_request, specs)
    assert result.penalty == 10 + 5
    assert len(result.details) == 2


def test_r16_only_loading_weeks_with_a_long_run_count() -> None:
    request = make_request(4)
    specs = [*standard_weeks(3), *standard_week(3, long=40)]
    assert outcome(check_r16, request, specs, recovery=[3]).penalty == 0
    assert outcome(check_r16, request, specs).penalty == 20
    assert outcome(check_r16, request, standard_weeks(3)).penalty == 0


# --- R17 ------------------------------------------------------------------------------


def test_r17_recovery_after_key_easy_elsewhere_passes(base_request: PlanRequest) -> None:
    result = outcome(check_r17, base_request, standard_weeks(2))
    assert (result.violations, result.penalty) == ([], 0)


def test_r17_misplaced_recovery_and_easy_runs_are_penalised(base_request: PlanRequest) -> None:
    specs = [
        run(MON, "recovery", 30),  # day 0: no key run before the plan -> 1
        run(TUE, "tempo", 40),
        run(WED, "easy", 35),  # after a key run -> 1
        run(THU, "recovery", 40),  # after an easy day -> 1
        run(SUN, "long", 60),
        run(7 + MON, "recovery", 30),  # after the long run: right
    ]
    result = outcome(check_r17, base_request, specs)
    assert result.penalty == 3
    assert len(result.details) == 3


def test_r17_a_race_is_a_key_run() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "10k", "priority": "C"}]
    )
    assert outcome(check_r17, request, [race(SAT, 52), run(SUN, "recovery", 30)]).penalty == 0
    assert outcome(check_r17, request, [race(SAT, 52), run(SUN, "easy", 30)]).penalty == 1
