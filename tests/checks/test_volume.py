"""R5, R8, R9, R11, P1, P2: weekly volume, load, single-run spikes, recovery and taper."""

from __future__ import annotations

from solver.checks.volume import check_p1, check_p2, check_r5, check_r8, check_r9, check_r11
from solver.plan_facts import PlanFacts
from solver.schemas import PlanRequest
from solver.timeline import Timeline

from .builders import (
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    Spec,
    build_plan,
    check_plan,
    day,
    make_request,
    outcome,
    race,
    run,
    standard_week,
    standard_weeks,
)


def easy_week(week: int, minutes: int) -> list[Spec]:
    """One week of `minutes` training minutes: a long run of 60 and easy runs of <= 40."""
    first, rest, specs = 7 * week, minutes - 60, [run(7 * week + SUN, "long", 60)]
    for offset in (TUE, THU, SAT, WED, MON):
        if rest <= 0:
            break
        specs.append(run(first + offset, "easy", min(40, rest)))
        rest -= min(40, rest)
    return specs


# --- R5 -------------------------------------------------------------------------------


def test_r5_first_week_up_to_110_percent_of_current_volume_passes() -> None:
    # current_weekly_minutes 200 -> at most 220.
    assert outcome(check_r5, make_request(1), easy_week(0, 220)).violations == []


def test_r5_first_week_above_110_percent_is_a_violation() -> None:
    result = outcome(check_r5, make_request(1), easy_week(0, 221))
    assert [(v.rule, v.dates) for v in result.violations] == [("R5", [day(0)])]
    assert "220" in result.violations[0].message


def test_r5_compares_with_the_last_loading_week_not_a_recovery_week() -> None:
    request = make_request(5)
    loading = [spec for w in range(3) for spec in easy_week(w, 200)]
    calm = easy_week(3, 140)
    ok = [*loading, *calm, *easy_week(4, 220)]
    assert outcome(check_r5, request, ok, recovery=[3]).violations == []
    too_much = [*loading, *calm, *easy_week(4, 225)]
    result = outcome(check_r5, request, too_much, recovery=[3])
    assert [v.dates for v in result.violations] == [[day(28)]]
    assert "week 3" in result.violations[0].message


def test_r5_leaves_race_minutes_out() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "half", "priority": "B"}]
    )
    specs = [*easy_week(0, 200), race(SAT, 115)]
    assert outcome(check_r5, request, specs).violations == []


# --- R8 -------------------------------------------------------------------------------

# The standard week: tempo 40 x 1.6 + recovery 35 + easy 40 + easy 30 + long 60 x 1.2
# + 2 x 45 min strength x 0.8 = 313 load units; 1.3 x 313 = 406.9 is the week-5 cap.
STANDARD_LOAD_TENTHS = 3130


def heavy_week(week: int, extra_easy: bool) -> list[Spec]:
    first = 7 * week
    specs = [s for s in standard_week(week) if s.run_type not in ("tempo", "long")]
    specs += [run(first + TUE, "tempo", 60), run(first + SUN, "long", 90)]
    if extra_easy:
        specs.append(run(first + MON, "easy", 30))
    return specs


def test_r8_load_within_13_times_the_chronic_mean_passes() -> None:
    request = make_request(5)
    specs = [*standard_weeks(4), *heavy_week(4, extra_easy=False)]
    tl = Timeline(request)
    facts = PlanFacts(tl, build_plan(tl, specs))
    assert facts.load_tenths(0) == STANDARD_LOAD_TENTHS
    assert facts.load_tenths(4) == 3810
    assert outcome(check_r8, request, specs).violations == []


def test_r8_load_spike_is_a_violation() -> None:
    request = make_request(5)
    specs = [*standard_weeks(4), *heavy_week(4, extra_easy=True)]  # 411 > 406.9
    result = outcome(check_r8, request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("R8", [day(28)])]
    assert "411" in result.violations[0].message


def test_r8_starts_in_week_5() -> None:
    request = make_request(4)
    specs = [*standard_weeks(3), *heavy_week(3, extra_easy=True), run(21 + SAT, "easy", 90)]
    assert outcome(check_r8, request, specs).violations == []


def test_r8_a_week_with_a_race_is_exempt() -> None:
    request = make_request(
        5, races=[{"date": day(28 + SAT).isoformat(), "distance": "5k", "priority": "C"}]
    )
    specs = [*standard_weeks(4), *heavy_week(4, extra_easy=True), race(28 + SAT, 25)]
    assert outcome(check_r8, request, specs).violations == []


# --- R9 -------------------------------------------------------------------------------


def test_r9_penalty_is_the_deviation_from_the_target(base_request: PlanRequest) -> None:
    tl = Timeline(base_request)
    assert [w.volume_target for w in tl.weeks] == [210, 220]
    result = outcome(check_r9, base_request, standard_weeks(2))  # 205 min each
    assert (result.violations, result.penalty) == ([], 5 + 15)
    assert len(result.details) == 2


def test_r9_meeting_the_targets_costs_nothing(base_request: PlanRequest) -> None:
    specs = [*easy_week(0, 210), *easy_week(1, 220)]
    assert outcome(check_r9, base_request, specs).penalty == 0


def test_r9_counts_minutes_above_the_target_too(base_request: PlanRequest) -> None:
    specs = [*easy_week(0, 215), *easy_week(1, 220)]
    assert outcome(check_r9, base_request, specs).penalty == 5


def test_r9_recovery_week_aims_at_its_recovery_target() -> None:
    request = make_request(4)
    tl = Timeline(request)
    assert (tl.weeks[3].volume_target, tl.weeks[3].recovery_target) == (240, 170)
    specs = [*easy_week(0, 210), *easy_week(1, 220), *easy_week(2, 230), *easy_week(3, 160)]
    assert outcome(check_r9, request, specs, recovery=[3]).penalty == 10
    assert outcome(check_r9, request, specs).penalty == 80


def test_r9_race_minutes_are_left_out() -> None:
    request = make_request(
        1, races=[{"date": day(SAT).isoformat(), "distance": "half", "priority": "C"}]
    )
    target = Timeline(request).weeks[0].volume_target
    assert outcome(check_r9, request, [*easy_week(0, target), race(SAT, 115)]).penalty == 0


# --- R11 ------------------------------------------------------------------------------


def test_r11_run_up_to_110_percent_of_the_recent_longest_passes() -> None:
    # longest_recent_run_minutes 60 -> 66 allowed in the first 30 days.
    assert outcome(check_r11, make_request(1), [run(SUN, "long", 66)]).violations == []


def test_r11_spike_above_110_percent_is_a_violation() -> None:
    result = outcome(check_r11, make_request(1), [run(SUN, "long", 67)])
    assert [(v.rule, v.dates) for v in result.violations] == [("R11", [day(SUN)])]
    assert "60 min" in result.violations[0].message


def test_r11_window_is_the_previous_30_days() -> None:
    request = make_request(6)
    short = [run(d, "easy", 30) for d in range(0, 42, 3)]
    # Day 28's window still holds the pre-plan 60 min; day 31's holds only 30-min runs.
    assert outcome(check_r11, request, [*short, run(28, "long", 66)]).violations == []
    result = outcome(check_r11, request, [*short, run(31, "long", 34)])
    assert [v.dates for v in result.violations] == [[day(31)]]
    assert outcome(check_r11, request, [*short, run(31, "long", 33)]).violations == []


def test_r11_growth_compounds_run_by_run() -> None:
    specs = [run(SUN, "long", 66), run(7 + SUN, "long", 72), run(14 + SUN, "long", 79)]
    assert outcome(check_r11, make_request(3), specs).violations == []
    specs[-1] = run(14 + SUN, "long", 80)
    result = outcome(check_r11, make_request(3), specs)
    assert [v.dates for v in result.violations] == [[day(14 + SUN)]]


def test_r11_races_are_exempt_but_count_as_the_earlier_run() -> None:
    request = make_request(
        2, races=[{"date": day(SAT).isoformat(), "distance": "half", "priority": "B"}]
    )
    specs = [race(SAT, 120), run(7 + SUN, "long", 132)]
    assert outcome(check_r11, request, specs).violations == []
    specs = [race(SAT, 120), run(7 + SUN, "long", 133)]
    assert [v.dates for v in outcome(check_r11, request, specs).violations] == [[day(7 + SUN)]]


# --- P1 -------------------------------------------------------------------------------


def test_p1_recovery_week_after_three_loading_weeks_passes() -> None:
    request = make_request(6)
    specs = [*standard_weeks(3), *easy_week(3, 160), *standard_week(4), *standard_week(5)]
    # ref = 205 (week 3), so the recovery week may hold 164 min.
    assert outcome(check_p1, request, specs, recovery=[3]).violations == []


def test_p1_six_loading_weeks_in_a_row_are_a_violation() -> None:
    result = outcome(check_p1, make_request(6), standard_weeks(6))
    assert [(v.rule, v.dates) for v in result.violations] == [("P1", [day(0), day(35)])]


def test_p1_seven_loading_weeks_hold_two_six_week_windows() -> None:
    result = outcome(check_p1, make_request(7), standard_weeks(7))
    assert [v.dates for v in result.violations] == [[day(0), day(35)], [day(7), day(42)]]


def test_p1_recovery_week_too_early_is_a_violation() -> None:
    request = make_request(4)
    specs = [*standard_weeks(2), *easy_week(2, 150), *standard_week(3)]
    result = outcome(check_p1, request, specs, recovery=[2])
    assert [(v.rule, v.dates) for v in result.violations] == [("P1", [day(14)])]
    assert "3 loading weeks" in result.violations[0].message


def test_p1_break_week_resets_the_loading_count() -> None:
    request = make_request(
        5,
        availability={
            "exceptions": [{"date": day(i).isoformat(), "slot": "all"} for i in range(7)]
        },
    )
    # Week 1 is a break week: weeks 2-4 are loading, so week 5 (index 4) may recover.
    loading = [spec for w in (1, 2, 3) for spec in standard_week(w)]
    assert outcome(check_p1, request, [*loading, *easy_week(4, 160)], recovery=[4]).violations == []
    early = [*loading[:-7], *easy_week(3, 160)]
    result = outcome(check_p1, request, early, recovery=[3])
    assert [v.dates for v in result.violations] == [[day(21)]]


def test_p1_recovery_week_above_80_percent_is_a_violation() -> None:
    request = make_request(4)
    specs = [*standard_weeks(3), *easy_week(3, 165)]  # 165 > 0.8 x 205 = 164
    result = outcome(check_p1, request, specs, recovery=[3])
    assert [v.dates for v in result.violations] == [[day(21)]]
    assert "80 %" in result.violations[0].message


def test_p1_week_list_must_match_the_calendar(base_request: PlanRequest) -> None:
    tl = Timeline(base_request)
    plan = build_plan(tl, standard_weeks(2))
    result = check_plan(check_p1, base_request, plan.model_copy(update={"weeks": plan.weeks[:1]}))
    assert [v.dates for v in result.violations] == [[day(0)]]
    wrong_phase = [plan.weeks[0].model_copy(update={"phase": "build"}), plan.weeks[1]]
    result = check_plan(check_p1, base_request, plan.model_copy(update={"weeks": wrong_phase}))
    assert [v.dates for v in result.violations] == [[day(0)]]
    assert "base week" in result.violations[0].message
    shifted = [plan.weeks[0], plan.weeks[1].model_copy(update={"start_date": day(8)})]
    result = check_plan(check_p1, base_request, plan.model_copy(update={"weeks": shifted}))
    assert [v.dates for v in result.violations] == [[day(8)]]


def test_p1_recovery_only_where_a_recovery_week_may_fall() -> None:
    request = make_request(
        5, races=[{"date": day(28 + SUN).isoformat(), "distance": "10k", "priority": "A"}]
    )
    assert Timeline(request).weeks[4].phase == "race"
    specs = [*standard_weeks(4), race(28 + SUN, 52)]
    result = outcome(check_p1, request, specs, recovery=[4])
    assert [(v.rule, v.dates) for v in result.violations] == [("P1", [day(28)])]
    assert "race week" in result.violations[0].message


# --- P2 -------------------------------------------------------------------------------


def a_race(week: int, distance: str) -> list[dict[str, str]]:
    return [{"date": day(7 * week + SUN).isoformat(), "distance": distance, "priority": "A"}]


def test_p2_10k_race_week_up_to_65_percent_passes() -> None:
    request = make_request(2, races=a_race(1, "10k"))
    specs = [*standard_week(0), *easy_week(1, 133), race(7 + SUN, 52)]
    assert outcome(check_p2, request, specs).violations == []


def test_p2_10k_race_week_above_65_percent_is_a_violation() -> None:
    request = make_request(2, races=a_race(1, "10k"))
    specs = [*standard_week(0), *easy_week(1, 134), race(7 + SUN, 52)]  # 0.65 x 205 = 133.25
    result = outcome(check_p2, request, specs)
    assert [(v.rule, v.dates) for v in result.violations] == [("P2", [day(7)])]
    assert "65 %" in result.violations[0].message


def test_p2_marathon_taper_steps_down_80_60_45() -> None:
    request = make_request(4, races=a_race(3, "marathon"))
    weeks = [standard_week(0), easy_week(1, 164), easy_week(2, 123), easy_week(3, 92)]
    specs = [spec for week in weeks for spec in week] + [race(21 + SUN, 245)]
    assert outcome(check_p2, request, specs).violations == []
    weeks[2] = easy_week(2, 124)
    specs = [spec for week in weeks for spec in week] + [race(21 + SUN, 245)]
    result = outcome(check_p2, request, specs)
    assert [v.dates for v in result.violations] == [[day(14)]]
    assert "60 %" in result.violations[0].message


def test_p2_half_taper_75_55() -> None:
    request = make_request(3, races=a_race(2, "half"))
    specs = [*standard_week(0), *standard_week(1), *easy_week(2, 112), race(14 + SUN, 115)]
    # Week 2 is the taper week (75 % of 205 = 153.75): 205 is far above it.
    result = outcome(check_p2, request, specs)
    assert [v.dates for v in result.violations] == [[day(7)]]
    specs = [*standard_week(0), *easy_week(1, 153), *easy_week(2, 112), race(14 + SUN, 115)]
    assert outcome(check_p2, request, specs).violations == []
    # Race week: 55 % of 205 = 112.75.
    specs = [*standard_week(0), *easy_week(1, 153), *easy_week(2, 113), race(14 + SUN, 115)]
    assert [v.dates for v in outcome(check_p2, request, specs).violations] == [[day(14)]]
