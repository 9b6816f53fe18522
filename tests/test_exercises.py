"""The exercise library: its data covers what S6-S12 and §4 ask of it, it rejects bad data
naming the exercise and field, its queries filter correctly, and `stride exercises` works."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any, get_args

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from solver.cli_exercises import exercises_command
from solver.exercises import (
    EMPHASES,
    EQUIPMENT,
    INJURIES,
    PILLARS,
    PRESCRIPTION_PHASES,
    Emphasis,
    ExerciseLibrary,
    ExerciseSpec,
    Pillar,
    PrescriptionPhase,
    UnknownValueError,
    load_library,
)
from solver.schemas import Phase
from solver.timeline import STRENGTH_MINUTES

# Phases whose sessions drop the power pillar (S6).
NO_POWER = {"return", "taper"}


@pytest.fixture(scope="module")
def library() -> ExerciseLibrary:
    return load_library()


@pytest.fixture
def raw() -> dict[str, Any]:
    """The packaged data as plain JSON, fresh for each test to modify."""
    text = (files("solver") / "data" / "exercises.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def entry(data: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in data["exercises"] if e["id"] == exercise_id)
    return found


def required_pillars(phase: str) -> set[Pillar]:
    """S6: every pillar, except power in return and taper."""
    return {p for p in PILLARS if p != "power" or phase not in NO_POWER}


# --- the packaged data ------------------------------------------------------------------


def test_library_loads_once_with_enough_exercises(library: ExerciseLibrary) -> None:
    assert load_library() is library
    assert len(library) >= 60
    assert len(set(library.ids)) == len(library)


def test_prescription_phases_are_the_schema_phases_plus_recovery() -> None:
    assert set(PRESCRIPTION_PHASES) == {*get_args(Phase), "recovery"}


@pytest.mark.parametrize("pillar", PILLARS)
def test_every_pillar_has_bodyweight_only_exercises(
    library: ExerciseLibrary, pillar: Pillar
) -> None:
    bodyweight = [e for e in library.by_pillar(pillar) if e.bodyweight_only]
    assert len(bodyweight) >= 3, f"{pillar}: {[e.id for e in bodyweight]}"


@pytest.mark.parametrize("phase", PRESCRIPTION_PHASES)
def test_bodyweight_only_week_covers_every_session_need(
    library: ExerciseLibrary, phase: PrescriptionPhase
) -> None:
    # A travel week with bodyweight only: S6's pillars and S7's unilateral leg exercise
    # must still be possible in every phase.
    usable = library.filter(equipment=["bodyweight"], phase=phase)
    covered = {p for e in usable for p in e.pillars}
    assert required_pillars(phase) <= covered
    assert any(e.meets_s7 for e in usable)


@pytest.mark.parametrize("pillar", [p for p in PILLARS if p != "power"])
def test_return_phase_has_isometric_and_eccentric_options(
    library: ExerciseLibrary, pillar: Pillar
) -> None:
    options = [
        e
        for e in library.filter(pillar=pillar, phase="return")
        if e.mode in ("isometric", "eccentric")
    ]
    assert len(options) >= 3, f"{pillar}: {[e.id for e in options]}"
    for spec in options:
        dose = spec.prescription["return"]
        assert dose is not None
        if spec.mode == "isometric":
            assert dose.hold_s is not None and 30 <= dose.hold_s <= 45
        else:
            assert dose.eccentric_s is not None and 3 <= dose.eccentric_s <= 4
        assert spec.impact in ("none", "low")


def test_return_phase_offers_a_unilateral_leg_exercise(library: ExerciseLibrary) -> None:
    assert any(e.meets_s7 and e.bodyweight_only for e in library.for_phase("return"))


def test_a_bodyweight_unilateral_lower_body_exercise_exists(library: ExerciseLibrary) -> None:
    uni = [e for e in library.usable_with(["bodyweight"]) if e.meets_s7]
    assert {"split_squat", "single_leg_glute_bridge"} <= {e.id for e in uni}


def test_progression_references_resolve(library: ExerciseLibrary) -> None:
    linked = 0
    for spec in library.exercises:
        for target in (spec.progression_of, spec.regression_of):
            if target is not None:
                linked += 1
                assert target in library
        if spec.progression_of is not None:
            assert spec.progression_of in {e.id for e in library.regressions(spec.id)}
            assert spec.id in {e.id for e in library.progressions(spec.progression_of)}
    assert linked >= 20


def test_power_is_never_prescribed_in_return_or_taper(library: ExerciseLibrary) -> None:
    power = library.by_pillar("power")
    assert power
    for spec in power:
        assert spec.prescription["return"] is None, spec.id
        assert spec.prescription["taper"] is None, spec.id
    assert not library.filter(pillar="power", phase="return")
    assert not library.filter(pillar="power", phase="taper")


def test_plyometrics_are_contraindicated_for_achilles(library: ExerciseLibrary) -> None:
    contraindicated = {
        e.id for e in library.exercises if "achilles_tendinopathy" in e.contraindicated
    }
    plyometrics = {e.id for e in library.by_pillar("power") if e.impact in ("moderate", "high")}
    assert {"box_jump", "bounding", "lateral_hops", "pogo_jumps"} <= plyometrics
    assert plyometrics <= contraindicated
    for spec in library.exercises:
        if spec.impact in ("moderate", "high"):
            assert {"plantar_fasciitis", "shin_splints"} <= set(spec.contraindicated)


@pytest.mark.parametrize("emphasis", EMPHASES)
def test_every_s12_emphasis_has_exercises(library: ExerciseLibrary, emphasis: Emphasis) -> None:
    assert len(library.suits(emphasis)) >= 3


def test_achilles_gets_bodyweight_eccentric_calf_raises_in_every_strength_phase(
    library: ExerciseLibrary,
) -> None:
    # S12: eccentric calf raises every session, wherever the athlete is.
    for phase in ("return", "base", "build", "peak", "taper", "recovery"):
        calf = [
            e
            for e in library.filter(
                equipment=["bodyweight"], injury="achilles_tendinopathy", phase=phase
            )
            if e.mode == "eccentric" and "calves" in e.muscle_groups
        ]
        assert calf, phase


def test_rotation_families_group_distinct_exercises(library: ExerciseLibrary) -> None:
    groups = library.rotation_groups()
    split = groups[library.get("split_squat").rotation_group]
    assert {"split_squat", "bulgarian_split_squat"} <= {e.id for e in split}
    # S10 swaps exercises within a pattern: most pillars need families with alternatives.
    assert sum(len(members) >= 2 for members in groups.values()) >= 20


@pytest.mark.parametrize("phase", PRESCRIPTION_PHASES)
def test_a_minimal_session_fits_the_phase_minutes(
    library: ExerciseLibrary, phase: PrescriptionPhase
) -> None:
    # The quickest exercise per required pillar, plus a 10-minute warm-up, fits §4's
    # session length, so S6 and S11 never collide on the library's account.
    def minutes(spec: ExerciseSpec) -> int:
        dose = spec.prescription[phase]
        assert dose is not None
        return dose.minutes

    usable = library.for_phase(phase)
    quickest = [
        min(minutes(e) for e in usable if pillar in e.pillars) for pillar in required_pillars(phase)
    ]
    assert sum(quickest) + 10 <= STRENGTH_MINUTES[phase][1]


def test_recovery_weeks_cut_base_sets_by_about_40_percent(library: ExerciseLibrary) -> None:
    for spec in library.exercises:
        base, recovery = spec.prescription["base"], spec.prescription["recovery"]
        assert (base is None) == (recovery is None), spec.id
        if base is not None and recovery is not None:
            assert recovery.sets < base.sets or base.sets == 1, spec.id
            assert spec.prescribe("build", recovery_week=True) == recovery


def test_recovery_week_outside_a_loading_phase_is_an_error(library: ExerciseLibrary) -> None:
    with pytest.raises(ValueError, match="P1"):
        library.get("plank").prescribe("taper", recovery_week=True)


def test_json_schema_is_available_for_the_api() -> None:
    schema = ExerciseLibrary.model_json_schema()
    assert "ExerciseSpec" in schema["$defs"]


# --- queries ----------------------------------------------------------------------------


def test_bodyweight_is_always_at_hand(library: ExerciseLibrary) -> None:
    with_dumbbells = {e.id for e in library.usable_with(["dumbbells"])}
    assert {"plank", "goblet_squat"} <= with_dumbbells
    assert "barbell_deadlift" not in with_dumbbells
    assert "dumbbell_bulgarian_split_squat" not in with_dumbbells  # needs a bench too
    assert "dumbbell_bulgarian_split_squat" in {
        e.id for e in library.usable_with(["dumbbells", "bench"])
    }


def test_return_phase_drops_contraindicated_exercises(raw: dict[str, Any]) -> None:
    entry(raw, "wall_sit")["contraindicated"] = ["runners_knee"]
    library = ExerciseLibrary.model_validate(raw)
    assert "wall_sit" in {e.id for e in library.for_phase("return")}
    returning = library.for_phase("return", returning=["runners_knee"])
    assert "wall_sit" not in {e.id for e in returning}
    assert "wall_sit" in {e.id for e in library.for_phase("base", returning=["runners_knee"])}
    assert "wall_sit" not in {e.id for e in library.filter(injury="runners_knee", phase="return")}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda lib: lib.by_pillar("legs"), "pillar"),
        (lambda lib: lib.usable_with(["kettlebell"]), "equipment"),
        (lambda lib: lib.suits("sprained_ankle"), "injury"),
        (lambda lib: lib.for_phase("offseason"), "phase"),
        (lambda lib: lib.for_phase("return", returning=["flu"]), "injury"),
    ],
)
def test_unknown_query_values_list_the_allowed_ones(
    library: ExerciseLibrary, call: Callable[[Any], object], field: str
) -> None:
    with pytest.raises(UnknownValueError) as caught:
        call(library)
    assert caught.value.field == field
    assert caught.value.allowed
    assert "allowed:" in str(caught.value)


@given(
    pillar=st.none() | st.sampled_from(PILLARS),
    equipment=st.none() | st.sets(st.sampled_from(EQUIPMENT)),
    injury=st.none() | st.sampled_from(EMPHASES),
    phase=st.none() | st.sampled_from(PRESCRIPTION_PHASES),
)
def test_filter_returns_exactly_the_matching_exercises(
    pillar: Any, equipment: set[str] | None, injury: Any, phase: Any
) -> None:
    library = load_library()

    def matches(spec: ExerciseSpec) -> bool:
        if pillar is not None and pillar not in spec.pillars:
            return False
        if equipment is not None and not set(spec.equipment) <= equipment | {"bodyweight"}:
            return False
        if injury is not None and injury not in spec.suits:
            return False
        if phase is not None:
            if spec.prescription[phase] is None:
                return False
            if phase == "return" and injury in INJURIES and injury in spec.contraindicated:
                return False
        return True

    got = library.filter(pillar=pillar, equipment=equipment, injury=injury, phase=phase)
    assert [e.id for e in got] == [e.id for e in library.exercises if matches(e)]


# --- invalid data -----------------------------------------------------------------------


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(spec: dict[str, Any]) -> None:
        target: Any = spec
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop_phase(spec: dict[str, Any]) -> None:
    del spec["prescription"]["race"]


INVALID = [
    ("box_jump", _set(["equipment"], ["kettlebell"]), "equipment"),
    ("plank", _set(["pillars"], ["cardio"]), "pillars"),
    ("plank", _set(["pillars"], []), "pillars"),
    ("plank", _set(["equipment"], []), "equipment"),
    ("plank", _set(["muscle_groups"], ["biceps"]), "muscle_groups"),
    ("plank", _set(["suits"], ["sprained_ankle"]), "suits"),
    ("plank", _set(["equipment"], ["bodyweight", "bands"]), "equipment"),
    ("plank", _set(["id"], "Front Plank"), "id"),
    ("plank", _set(["progression_of"], "no_such_exercise"), "progression_of"),
    ("plank", _set(["progression_of"], "plank"), "progression_of"),
    ("plank", _set(["prescription", "base", "reps"], 10), "prescription.base"),
    ("plank", _drop_phase, "prescription"),
    ("plank", _set(["prescription", "base", "sets"], 2), "prescription.base.sets"),
    ("plank", _set(["prescription", "return", "hold_s"], 60), "prescription.return.hold_s"),
    ("plank", _set(["prescription", "recovery", "sets"], 3), "prescription.recovery.sets"),
    ("plank", _set(["prescription", "recovery"], None), "prescription.recovery"),
    ("split_squat", _set(["prescription", "base", "rpe"], 5), "prescription.base.rpe"),
    ("split_squat", _set(["prescription", "peak", "reps"], 20), "prescription.peak.reps"),
    (
        "split_squat",
        _set(["prescription", "return"], {"sets": 3, "reps": 8, "rpe": 5, "minutes": 6}),
        "prescription.return.mode",
    ),
    (
        "calf_raise_eccentric_straight",
        _set(["prescription", "return", "tempo"], "2-0-1-0"),
        "prescription.return.tempo",
    ),
    (
        "box_jump",
        _set(["prescription", "return"], {"sets": 2, "reps": 5, "rpe": 5, "minutes": 4}),
        "prescription.return",
    ),
    (
        "goblet_squat",
        _set(["prescription", "taper"], {"sets": 1, "reps": 6, "rpe": 5, "minutes": 2}),
        "prescription.taper.equipment",
    ),
    ("pogo_jumps", _set(["contraindicated"], []), "contraindicated"),
    ("plank", _set(["prescription", "base", "tempo"], "slow"), "prescription.base.tempo"),
]


@pytest.mark.parametrize(("exercise_id", "change", "field"), INVALID)
def test_invalid_data_names_the_exercise_and_field(
    raw: dict[str, Any],
    exercise_id: str,
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    spec = entry(raw, exercise_id)
    original = copy.deepcopy(spec)
    change(spec)
    assert spec != original  # the change took effect: the test can fail
    with pytest.raises(ValidationError) as caught:
        ExerciseLibrary.model_validate(raw)
    message = str(caught.value)
    assert spec["id"] in message
    assert field in message


def test_duplicate_ids_are_named(raw: dict[str, Any]) -> None:
    raw["exercises"].append(copy.deepcopy(entry(raw, "dead_bug")))
    with pytest.raises(ValidationError, match=r"exercises: id\(s\) \['dead_bug'\]"):
        ExerciseLibrary.model_validate(raw)


def test_progression_cycles_are_rejected(raw: dict[str, Any]) -> None:
    entry(raw, "split_squat")["progression_of"] = "dumbbell_bulgarian_split_squat"
    with pytest.raises(ValidationError, match="cycle"):
        ExerciseLibrary.model_validate(raw)


def test_errors_in_an_exercise_without_id_use_its_position(raw: dict[str, Any]) -> None:
    del entry(raw, "plank")["id"]
    with pytest.raises(ValidationError, match=r"exercises\.#0\.id"):
        ExerciseLibrary.model_validate(raw)


# --- the command ------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    app = typer.Typer()
    app.command()(exercises_command)
    # A wide terminal keeps every id on one line of the table.
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def test_cli_lists_bodyweight_power_exercises() -> None:
    result = run_cli("--pillar", "power", "--equipment", "bodyweight")
    assert result.exit_code == 0, result.output
    assert "pogo_jumps" in result.output
    assert "bounding" in result.output
    assert "box_jump" not in result.output  # needs a box
    assert "dead_bug" not in result.output  # core, not power


def test_cli_without_equipment_lists_every_kit() -> None:
    result = run_cli("--pillar", "power")
    assert result.exit_code == 0, result.output
    assert "box_jump" in result.output
    assert f"of {len(load_library())} exercises" in result.output


def test_cli_equipment_is_repeatable() -> None:
    result = run_cli("--equipment", "dumbbells", "--equipment", "box")
    assert result.exit_code == 0, result.output
    assert "dumbbell_step_up" in result.output
    assert "barbell_deadlift" not in result.output
    assert "leg_press" not in result.output


def test_cli_injury_and_phase_filters() -> None:
    result = run_cli("--injury", "achilles_tendinopathy", "--phase", "return")
    assert result.exit_code == 0, result.output
    assert "calf_raise_isometric_straight" in result.output
    assert "calf_raise_eccentric_bent" in result.output
    assert "pogo_jumps" not in result.output
    assert "seated_calf_raise_machine" not in result.output  # not a return exercise


def test_cli_reports_no_match() -> None:
    result = run_cli("--pillar", "power", "--phase", "taper")
    assert result.exit_code == 0
    assert "No exercise matches" in result.output


@pytest.mark.parametrize(
    ("args", "option", "allowed"),
    [
        (["--pillar", "legs"], "--pillar", "lower_body"),
        (["--equipment", "kettlebell"], "--equipment", "gym_machines"),
        (["--injury", "sprained_ankle"], "--injury", "achilles_tendinopathy"),
        (["--phase", "offseason"], "--phase", "transition"),
    ],
)
def test_cli_rejects_unknown_values_listing_allowed_ones(
    args: list[str], option: str, allowed: str
) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert option in result.output
    assert allowed in result.output
