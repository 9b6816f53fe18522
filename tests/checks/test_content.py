"""S6-S10, S12, P4 and S11's exercise minutes: the checks of strength session content.

Plans are the builders' hand-made weeks (strength Wednesday and Friday evening at the
gym) with exercises attached by id, dosed from the library for the week's phase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from solver.checks.content import (
    check_p4,
    check_s6,
    check_s7,
    check_s8,
    check_s9,
    check_s10,
    check_s11,
    check_s12,
)
from solver.content_extract import exercises_for
from solver.content_spec import Block, strength_blocks
from solver.exercises import ExerciseSpec, load_library
from solver.rules.base import CheckContext, CheckOutcome
from solver.schemas import Exercise, Plan, PlanRequest
from solver.timeline import Timeline

from .builders import (
    FRI,
    WED,
    Spec,
    build_plan,
    day,
    make_request,
    race,
    run,
    standard_week,
    standard_weeks,
    strength,
)

# Base week, two sessions: every group gets 6-12 sets, posterior 18 against quads 6.
A = [
    "single_leg_rdl",
    "goblet_squat",
    "side_plank",
    "single_leg_calf_raise",
    "dumbbell_bent_over_row",
    "pogo_jumps",
]
# The next block: five of six exercises new.
B = [
    "dumbbell_reverse_lunge",
    "nordic_curl",
    "side_plank_knee",
    "single_leg_calf_raise",
    "band_row",
    "a_skip",
]
MINUTES = {"A": 50, "B": 50}  # 45 and 44 exercise minutes plus a 5-6 min warm-up


def dressed(
    request: PlanRequest,
    specs: Iterable[Spec],
    exercises: Mapping[int, Sequence[str]] | Sequence[str],
    recovery: Iterable[int] = (),
    *,
    by_date: Mapping[int, Sequence[str]] | None = None,
) -> Plan:
    """The plan of `specs` with each strength session's exercises: per week (a mapping)
    or the same everywhere (a list); `by_date` overrides single days by offset."""
    tl = Timeline(request)
    recovery = set(recovery)
    plan = build_plan(tl, specs, recovery)
    library = load_library()
    for session in plan.sessions:
        if session.kind != "strength":
            continue
        offset = tl.day_of(session.date)
        w = tl.week_of(offset)
        ids = exercises if not isinstance(exercises, Mapping) else exercises[w]
        if by_date and offset in by_date:
            ids = by_date[offset]
        block = Block(0, tl.weeks[w].phase, (w,))
        session.exercises = [_dosed(library.get(i), block, w in recovery) for i in ids]
    return plan


def _dosed(spec: ExerciseSpec, block: Block, recovery: bool) -> Exercise:
    """The exercise dosed for the block, or for `base` when the phase never uses it (to
    build plans that break S6)."""
    try:
        return exercises_for([spec], block, recovery)[0]
    except ValueError:
        return exercises_for([spec], Block(0, "base", block.weeks), False)[0]


def check(rule: object, request: PlanRequest, plan: Plan) -> CheckOutcome:
    ctx = CheckContext(timeline=Timeline(request), plan=plan)
    return rule(ctx)  # type: ignore[operator, no-any-return]


def messages(result: CheckOutcome) -> list[str]:
    return [v.message for v in result.violations]


def sound(
    weeks: int = 2, template: Sequence[str] = A, **kwargs: object
) -> tuple[PlanRequest, Plan]:
    request = make_request(weeks, **kwargs)
    return request, dressed(request, standard_weeks(weeks, strength_minutes=50), template)


ALL = (check_s6, check_s7, check_s8, check_s9, check_s10, check_s11, check_s12, check_p4)


def test_a_sound_template_passes_every_content_check() -> None:
    request, plan = sound(2)
    for rule in ALL:
        result = check(rule, request, plan)
        assert (messages(result), result.penalty) == ([], 0), rule.__name__


def test_sessions_without_listed_exercises_are_not_content_checked() -> None:
    request = make_request(2)
    plan = build_plan(Timeline(request), standard_weeks(2, strength_minutes=50))
    for rule in ALL:
        result = check(rule, request, plan)
        assert (messages(result), result.penalty) == ([], 0), rule.__name__


# --- S6 -------------------------------------------------------------------------------


def test_s6_a_missing_pillar_is_a_violation() -> None:
    request, plan = sound(1, [e for e in A if e != "dumbbell_bent_over_row"])
    result = check(check_s6, request, plan)
    assert [v.dates for v in result.violations] == [[day(WED)], [day(FRI)]]
    assert "no upper_posture exercise" in result.violations[0].message


def test_s6_power_is_dropped_in_the_taper() -> None:
    # A half marathon on the third Sunday: week 2 is its taper week.
    request = make_request(
        3, races=[{"date": day(20).isoformat(), "distance": "half", "priority": "A"}]
    )
    assert Timeline(request).weeks[1].phase == "taper"
    taper = ["split_squat", "plank", "single_leg_calf_raise", "band_pull_apart", "glute_bridge"]
    specs = [strength(7 + WED, 25), strength(7 + FRI, 25)]
    quiet = dressed(request, specs, taper)
    assert check(check_s6, request, quiet).violations == []
    jumpy = dressed(request, specs, [*taper, "a_skip"])
    found = messages(check(check_s6, request, jumpy))
    assert any("power work (A-skip" in m or "power work" in m for m in found), found


def test_s6_unknown_and_unprescribed_exercises_are_violations() -> None:
    request, plan = sound(1)
    wed = next(s for s in plan.sessions if s.kind == "strength")
    assert wed.exercises is not None
    wed.exercises[0] = wed.exercises[0].model_copy(update={"id": "moon_squat"})
    found = messages(check(check_s6, request, plan))
    assert any("does not know: moon_squat" in m for m in found), found


# --- S7 -------------------------------------------------------------------------------


def test_s7_needs_a_single_leg_lower_body_exercise() -> None:
    two_legs = ["romanian_deadlift_dumbbell" if e == "single_leg_rdl" else e for e in A]
    request, plan = sound(1, two_legs)
    assert check(check_s7, sound(1)[0], sound(1)[1]).violations == []
    result = check(check_s7, request, plan)
    assert [v.dates for v in result.violations] == [[day(WED)], [day(FRI)]]


# --- S8 -------------------------------------------------------------------------------


def test_s8_sets_above_the_ceiling_are_a_violation() -> None:
    # A third session takes glutes and calves to 18 sets: base allows 12.
    request = make_request(1)
    specs = [*standard_week(0, strength_minutes=50), strength(0, 50, "pm")]
    result = check(check_s8, request, dressed(request, specs, A))
    assert {m.split(" working")[0].split("give ")[1] for m in messages(result)} == {
        "glutes 18",
        "calves 18",
    }


def test_s8_sets_below_the_floor_are_a_violation() -> None:
    # One session gives every group 3 sets, half of base's floor of 6.
    request = make_request(1)
    specs = [
        s
        for s in standard_week(0, strength_minutes=50)
        if not (s.kind == "strength" and s.day == FRI)
    ]
    found = messages(check(check_s8, request, dressed(request, specs, A)))
    assert len(found) == 5  # glutes and calves have 6 from two exercises
    assert all("wants 6-12" in m for m in found)


def test_s8_recovery_weeks_use_the_recovery_row() -> None:
    # One recovery session: recovery doses cut sets to 2, so most groups get 2 sets a
    # week, inside the recovery row (2-6) but short of base's 6 if it were a loading week.
    request = make_request(4)
    specs = [
        s
        for s in standard_weeks(4, strength_minutes=50)
        if not (s.kind == "strength" and s.day == 21 + FRI)
    ]
    specs = [
        s if not (s.kind == "strength" and s.day == 21 + WED) else strength(s.day, 35)
        for s in specs
    ]
    plan = dressed(request, specs, A, recovery=[3])
    assert check(check_s8, request, plan).violations == []
    as_loading = plan.model_copy(
        update={"weeks": [w.model_copy(update={"recovery": False}) for w in plan.weeks]}
    )
    found = messages(check(check_s8, request, as_loading))
    assert found and all("week 4" in m and "wants 6-12" in m for m in found)


def test_s8_posterior_chain_at_least_quads() -> None:
    quad_heavy = [
        "split_squat",
        "goblet_squat",
        "wall_sit",
        "side_plank",
        "single_leg_calf_raise",
        "dumbbell_bent_over_row",
        "a_skip",
    ]
    request = make_request(1)
    found = messages(
        check(
            check_s8, request, dressed(request, standard_week(0, strength_minutes=60), quad_heavy)
        )
    )
    assert any("posterior chain gets 12 sets and the quads 18" in m for m in found), found


def test_s8_emphasis_raises_the_ceiling() -> None:
    # Hip abductors at 18 a week: over base's 12, inside runner's knee's raised 18.
    heavy = [*A, "side_lying_hip_abduction", "clamshell"]
    plain = make_request(1)
    knee = make_request(1, athlete={"injuries": [{"kind": "runners_knee", "status": "history"}]})
    specs = standard_week(0, strength_minutes=60)
    bad = messages(check(check_s8, plain, dressed(plain, specs, heavy)))
    assert any("hip abductors 18" in m for m in bad), bad
    assert not any(
        "hip abductors" in m for m in messages(check(check_s8, knee, dressed(knee, specs, heavy)))
    )


# --- S9 -------------------------------------------------------------------------------


def test_s9_equipment_must_be_at_the_location() -> None:
    # Wednesday evening at home (no barbell): a barbell row there breaks S9.
    request = make_request(
        1,
        availability={
            "weekly": {"wed": {"pm": {"minutes": 60, "location": "home", "time": "18:00"}}}
        },
    )
    barbell = ["barbell_bent_over_row" if e == "dumbbell_bent_over_row" else e for e in A]
    plan = dressed(request, standard_week(0, strength_minutes=55), barbell)
    result = check(check_s9, request, plan)
    assert [v.dates for v in result.violations] == [[day(WED)]]
    assert "at home, which has no barbell" in result.violations[0].message


# --- S10 ------------------------------------------------------------------------------


def test_s10_a_block_keeps_one_selection() -> None:
    request = make_request(2)
    specs = standard_weeks(2, strength_minutes=50)
    plan = dressed(request, specs, A, by_date={7 + FRI: B})
    result = check(check_s10, request, plan)
    assert [v.dates for v in result.violations] == [[day(WED), day(7 + FRI)]]


def test_s10_half_the_exercises_change_between_blocks() -> None:
    request = make_request(8)
    blocks = strength_blocks(Timeline(request))
    assert [b.weeks for b in blocks] == [(0, 1, 2, 3), (4, 5, 6, 7)]
    specs = standard_weeks(8, strength_minutes=50)
    rotated = dressed(request, specs, {w: A if w < 4 else B for w in range(8)})
    assert check(check_s10, request, rotated).violations == []
    # Three of six new is still half.
    half = [*B[:3], *A[3:]]
    assert (
        check(
            check_s10, request, dressed(request, specs, {w: A if w < 4 else half for w in range(8)})
        ).violations
        == []
    )
    kept = [*B[:2], *A[2:]]
    result = check(
        check_s10, request, dressed(request, specs, {w: A if w < 4 else kept for w in range(8)})
    )
    assert [v.dates for v in result.violations] == [[day(28 + WED)]]
    assert "keeps 4 of its 6 exercises" in result.violations[0].message


def test_s10_blocks_restart_at_a_phase_change() -> None:
    # A 10k on day 62: weeks 0-3 are build, 4-7 peak; a block boundary at week 4 either way.
    request = make_request(
        9, races=[{"date": day(62).isoformat(), "distance": "10k", "priority": "A"}]
    )
    phases = [w.phase for w in Timeline(request).weeks]
    blocks = strength_blocks(Timeline(request))
    assert all(len({phases[w] for w in b.weeks}) == 1 for b in blocks)
    assert [b.first for b in blocks] == [0, 4, 8]


# --- S11 (exercise minutes) -----------------------------------------------------------


def test_s11_minutes_are_exercises_plus_a_warm_up() -> None:
    request = make_request(1)
    fine = dressed(request, standard_week(0, strength_minutes=55), A)  # 10-min warm-up
    assert check(check_s11, request, fine).violations == []
    rushed = dressed(request, standard_week(0, strength_minutes=45), A)  # no warm-up
    found = messages(check(check_s11, request, rushed))
    assert found and all("leaving 0 min; the warm-up takes 5-10 min" in m for m in found)


# --- S12 ------------------------------------------------------------------------------


def test_s12_counts_emphasis_sets_and_exercises() -> None:
    # Runner's knee: hip abductors and glutes want 18 a week (12 raised by 50 %).
    knee = make_request(1, athlete={"injuries": [{"kind": "runners_knee", "status": "history"}]})
    plan = dressed(knee, standard_week(0, strength_minutes=50), A)
    result = check(check_s12, knee, plan)
    assert result.violations == []
    assert result.penalty == (18 - 6) + (18 - 12)
    # Achilles: calves raised to 18 (A has 12), and no eccentric calf raise: 3 points.
    achilles = make_request(
        1, athlete={"injuries": [{"kind": "achilles_tendinopathy", "status": "history"}]}
    )
    result = check(check_s12, achilles, dressed(achilles, standard_week(0, 50), A))
    assert result.penalty == (18 - 12) + 3
    eccentric = ["calf_raise_eccentric_straight" if e == "single_leg_calf_raise" else e for e in A]
    result = check(check_s12, achilles, dressed(achilles, standard_week(0, 50), eccentric))
    assert result.penalty == 18 - 12


def test_s12_no_penalty_without_a_profile() -> None:
    request, plan = sound(1)
    assert check(check_s12, request, plan).penalty == 0


RETURNING = {"injuries": [{"kind": "achilles_tendinopathy", "status": "returning"}]}
# Return phase: isometric holds and slow eccentrics, an eccentric calf raise (Achilles).
RETURN = [
    "single_leg_bridge_hold",
    "wall_sit",
    "side_plank_knee",
    "calf_raise_eccentric_straight",
    "prone_ytw_hold",
]


def test_s12_return_sessions_need_eccentric_calf_work_and_no_contraindications() -> None:
    request = make_request(2, athlete=RETURNING)
    specs = [strength(WED, 40), strength(FRI, 40)]
    assert check(check_s12, request, dressed(request, specs, RETURN)).violations == []
    isometric = ["calf_raise_isometric_straight" if e.startswith("calf") else e for e in RETURN]
    found = messages(check(check_s12, request, dressed(request, specs, isometric)))
    assert len(found) == 2 and all("has no eccentric calf raise" in m for m in found)
    jumping = [*RETURN, "box_jump"]
    found = messages(
        check(
            check_s12,
            request,
            dressed(request, [strength(WED, 45)], RETURN, by_date={WED: jumping}),
        )
    )
    assert any("Box jump, contraindicated" in m for m in found), found


# --- P4 -------------------------------------------------------------------------------


def test_p4_load_falling_within_a_block_costs_the_load_lost() -> None:
    request = make_request(2)
    specs = [
        *standard_week(0, strength_minutes=50),
        *[
            s
            for s in standard_week(1, strength_minutes=50)
            if not (s.kind == "strength" and s.day == 7 + FRI)
        ],
    ]
    plan = dressed(request, specs, A)
    # One session of A: 3 sets each at RPE 7 or 8 (goblet squat, row): 6 x 3 x 7 + 2 x 3.
    result = check(check_p4, request, plan)
    assert result.penalty == 6 * 3 * 7 + 2 * 3
    assert (
        check(
            check_p4, request, dressed(request, standard_weeks(2, strength_minutes=50), A)
        ).penalty
        == 0
    )


def test_p4_load_rising_into_a_new_block_is_penalised() -> None:
    request = make_request(8)
    specs = standard_weeks(8, strength_minutes=50)
    heavier = [*A, "side_lying_hip_abduction"]
    result = check(
        check_p4, request, dressed(request, specs, {w: A if w < 4 else heavier for w in range(8)})
    )
    assert result.penalty == 2 * 3 * 7  # one more 3-set RPE 7 exercise in both sessions
    lighter = check(
        check_p4, request, dressed(request, specs, {w: heavier if w < 4 else A for w in range(8)})
    )
    assert lighter.penalty == 0


def test_p4_recovery_weeks_are_not_compared() -> None:
    request = make_request(4)
    specs = standard_weeks(4, strength_minutes=50)
    assert check(check_p4, request, dressed(request, specs, A, recovery=[2])).penalty == 0


def test_content_checks_read_race_weeks() -> None:
    # A 10k in week 2: race-week work is activation only; the checks just read it.
    request = make_request(
        2, races=[{"date": day(13).isoformat(), "distance": "10k", "priority": "A"}]
    )
    specs = [run(7 + 1, "easy", 30), strength(7 + 2, 15), race(13, 55)]
    activation = ["single_leg_glute_bridge", "dead_bug", "short_foot", "band_pull_apart", "a_skip"]
    plan = dressed(request, specs, activation)
    for rule in ALL:
        assert check(rule, request, plan).violations == [], rule.__name__
