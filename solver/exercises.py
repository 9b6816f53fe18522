"""The exercise library: every strength exercise the planner can prescribe (RULES.md §3, §4).

The library lives in `solver/data/exercises.json` and checks itself on load, so a typo in
the data fails loudly, naming the exercise and the field, instead of quietly producing
plans that break S6-S12. Beyond field types it enforces the §4 table (sets, reps, holds,
RPE per phase), the `return` phase's isometric-or-slow-eccentric rule, "no power in
`return` and `taper`", light kit only in `taper`/`race`/`transition`, and that impact work
is barred for the tendon and bone-stress injuries while they are coming back.

Conventions the data follows:

- `reps` and `hold_s` are per side for unilateral exercises; for plyometrics `reps` counts
  ground contacts per side.
- `tempo` is eccentric-pause-concentric-pause in seconds (`X` = explosive), e.g. `4-0-1-0`.
- S7's unilateral lower-body exercise is one with `unilateral` and `lower_body` both true;
  `lower_body` marks hip- or knee-dominant leg work (squat, lunge, step, hinge, bridge,
  jump), not calf, foot or balance drills.
- `bodyweight` is always at hand: an exercise needing only bodyweight fits every location,
  and one needing `["dumbbells"]` fits any location that has dumbbells (S9).
- Exercises tagged `mobility` are unloaded range-of-motion drills: they are prescribed by
  range (1-3 easy sets at RPE 2-5 in any phase), not by the §4 load table.
- `recovery` is the recovery-week prescription (P1): the same exercise with the base sets
  cut by ~40 %, used whatever loading phase the recovery week falls in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any, Final, Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from solver.schemas import Equipment, InjuryKind, Phase

Pillar = Literal["core", "lower_body", "hip_ankle", "upper_posture", "power"]
MuscleGroup = Literal[
    "glutes", "hamstrings", "quads", "calves", "hip_abductors", "core", "upper_back"
]
# Finer tags than S8's groups, for S12 emphasis (tibialis, foot, lateral chain, ...) and
# for the prescription rules (`mobility`).
Tag = Literal[
    "adductors",
    "ankle",
    "anti_rotation",
    "balance",
    "bone_loading",
    "chest",
    "coordination",
    "foot",
    "glute_medius",
    "hip_flexors",
    "lateral_chain",
    "lower_back",
    "mobility",
    "obliques",
    "shoulders",
    "soleus",
    "tibialis",
]
Impact = Literal["none", "low", "moderate", "high"]
Mode = Literal["dynamic", "isometric", "eccentric"]
# What an exercise is good for: the injuries of S12 plus its profile emphases.
Emphasis = Literal[InjuryKind, "older", "female", "trail"]
# The §4 phases plus the recovery-week row of the same table.
PrescriptionPhase = Literal[Phase, "recovery"]

PILLARS: Final[tuple[Pillar, ...]] = get_args(Pillar)
MUSCLE_GROUPS: Final[tuple[MuscleGroup, ...]] = get_args(MuscleGroup)
TAGS: Final[tuple[Tag, ...]] = get_args(Tag)
EQUIPMENT: Final[tuple[Equipment, ...]] = get_args(Equipment)
IMPACTS: Final[tuple[Impact, ...]] = get_args(Impact)
MODES: Final[tuple[Mode, ...]] = get_args(Mode)
INJURIES: Final[tuple[InjuryKind, ...]] = get_args(InjuryKind)
EMPHASES: Final[tuple[Emphasis, ...]] = get_args(Emphasis)
PRESCRIPTION_PHASES: Final[tuple[PrescriptionPhase, ...]] = get_args(PrescriptionPhase)

LOADING_PHASES: Final[frozenset[str]] = frozenset({"base", "build", "peak"})
# §4: taper primes with bodyweight or bands; race week and transition are mobility,
# activation and light bodyweight only.
LIGHT_KIT_PHASES: Final[frozenset[str]] = frozenset({"taper", "race", "transition"})
LIGHT_KIT: Final[frozenset[str]] = frozenset({"bodyweight", "bands"})
# Tendon and bone-stress injuries that impact work aggravates while they come back.
IMPACT_SENSITIVE: Final[tuple[InjuryKind, ...]] = (
    "achilles_tendinopathy",
    "plantar_fasciitis",
    "shin_splints",
)
RECOVERY_SET_FACTOR = 0.6  # P1: recovery weeks cut strength sets by ~40 %

# §4 table, as inclusive ranges per phase. Recovery reps/holds equal the base ones.
SETS: Final[Mapping[str, tuple[int, int]]] = {
    "return": (2, 3),
    "base": (3, 4),
    "build": (2, 3),
    "peak": (1, 2),
    "taper": (1, 2),
    "race": (1, 2),
    "transition": (1, 2),
}
RPE: Final[Mapping[str, tuple[float, float]]] = {
    "return": (4, 6),  # low load
    "base": (7, 8),  # heavy
    "build": (7, 7),
    "peak": (6, 6),  # lighter maintenance
    "taper": (4, 6),  # priming, no sets to fatigue
    "race": (3, 5),  # activation only
    "transition": (3, 5),  # light bodyweight
    "recovery": (5, 8),  # and never above the base RPE
}
REPS: Final[Mapping[str, tuple[int, int]]] = {
    "return": (5, 15),  # slow eccentrics
    "base": (6, 10),
    "build": (6, 10),
    "peak": (8, 12),
    "taper": (5, 8),
    "race": (5, 10),
    "transition": (6, 12),
}
RETURN_HOLD_S: Final[tuple[int, int]] = (30, 45)
HOLD_S: Final[tuple[int, int]] = (15, 60)
RETURN_ECCENTRIC_S: Final[tuple[int, int]] = (3, 4)
MIN_ECCENTRIC_S = 3
POWER_CONTACTS: Final[tuple[int, int]] = (3, 20)
MOBILITY_SETS: Final[tuple[int, int]] = (1, 3)
MOBILITY_RPE: Final[tuple[float, float]] = (2, 5)
MOBILITY_REPS: Final[tuple[int, int]] = (5, 15)

_SNAKE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
_TEMPO = r"^\d-\d-(\d|X)-\d$"
_T = TypeVar("_T")


class UnknownValueError(ValueError):
    """A query named a pillar, phase, injury or equipment the library does not know."""

    def __init__(self, field: str, value: str, allowed: Sequence[str]) -> None:
        self.field = field
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(f"unknown {field} {value!r}; allowed: {', '.join(self.allowed)}")


def check_choice(field: str, value: str, allowed: Sequence[_T]) -> _T:
    """`value` as one of `allowed` (e.g. a str narrowed to a Pillar), or an
    UnknownValueError naming `field` and listing the allowed values."""
    for option in allowed:
        if option == value:
            return option
    raise UnknownValueError(field, value, [str(a) for a in allowed])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhasePrescription(_Frozen):
    """How an exercise is dosed in one phase: sets of reps or holds, tempo, effort, time."""

    sets: int = Field(ge=1, le=6, description="Working sets.")
    reps: int | None = Field(
        default=None,
        ge=1,
        le=30,
        description="Reps per set, per side when unilateral; ground contacts for plyometrics.",
    )
    hold_s: int | None = Field(
        default=None, ge=5, le=120, description="Isometric hold per set (per side), seconds."
    )
    tempo: str | None = Field(
        default=None,
        pattern=_TEMPO,
        description="Seconds eccentric-pause-concentric-pause, X = explosive, e.g. `4-0-1-0`.",
    )
    rpe: float = Field(ge=1, le=10, description="Target effort, rate of perceived exertion.")
    minutes: int = Field(
        ge=1, le=20, description="Time the exercise takes in a session, rest included."
    )

    @model_validator(mode="after")
    def _reps_or_hold(self) -> PhasePrescription:
        if (self.reps is None) == (self.hold_s is None):
            raise ValueError("give exactly one of reps and hold_s")
        return self

    @property
    def eccentric_s(self) -> int | None:
        """Seconds of the lowering phase, from the tempo; None without a tempo."""
        return None if self.tempo is None else int(self.tempo[0])


class ExerciseSpec(_Frozen):
    """One exercise: what it trains (S6-S8), what it needs (S9), how it is dosed (§4)."""

    id: str = Field(pattern=_SNAKE, description="Stable snake_case id.")
    name: str = Field(min_length=3, max_length=80, description="Display name.")
    cue: str = Field(default="", max_length=240, description="One coaching cue.")
    pillars: tuple[Pillar, ...] = Field(description="S6 pillars the exercise covers in a session.")
    muscle_groups: tuple[MuscleGroup, ...] = Field(
        default=(), description="S8 groups whose weekly working sets this exercise adds to."
    )
    tags: tuple[Tag, ...] = Field(
        default=(), description="Finer targets for S12 emphasis; `mobility` = unloaded drill."
    )
    unilateral: bool = Field(description="One side at a time (reps and holds are per side).")
    lower_body: bool = Field(
        description="A hip- or knee-dominant leg exercise (squat, lunge, step, hinge, bridge, "
        "jump); with `unilateral` it meets S7. Calf, foot and balance work are not."
    )
    equipment: tuple[Equipment, ...] = Field(
        description='Everything needed; `["bodyweight"]` when nothing is (S9).',
    )
    impact: Impact = Field(description="Ground-reaction impact.")
    mode: Mode = Field(description="Muscle action: dynamic, isometric (holds) or eccentric.")
    suits: tuple[Emphasis, ...] = Field(
        default=(), description="Injuries and profiles this exercise serves (S12 emphasis)."
    )
    contraindicated: tuple[InjuryKind, ...] = Field(
        default=(), description="Injuries for which it is never used in the `return` phase."
    )
    progression_of: str | None = Field(
        default=None, description="Id of the easier exercise this one progresses."
    )
    regression_of: str | None = Field(
        default=None, description="Id of the harder exercise this one regresses."
    )
    rotation_group: str = Field(
        pattern=_SNAKE,
        description="Movement family. Exercises of a family share a pattern but are distinct "
        "exercises for S10's rotation.",
    )
    prescription: dict[PrescriptionPhase, PhasePrescription | None] = Field(
        description="Per phase (and `recovery` weeks): the dose, or null when not used."
    )

    @field_validator("pillars", "muscle_groups", "tags", "equipment", "suits", "contraindicated")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise ValueError(f"listed more than once: {repeated}")
        return value

    @field_validator("pillars", "equipment")
    @classmethod
    def _not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # A validator rather than min_length: pydantic would add a second, confusing
        # "too short" error whenever an item is misspelt.
        if not value:
            raise ValueError("give at least one")
        return value

    @field_validator("equipment")
    @classmethod
    def _bodyweight_alone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "bodyweight" in value and len(value) > 1:
            raise ValueError(
                "`bodyweight` is implied; list it only for exercises that need nothing else"
            )
        return value

    @field_validator("prescription")
    @classmethod
    def _every_phase(
        cls, value: dict[PrescriptionPhase, PhasePrescription | None]
    ) -> dict[PrescriptionPhase, PhasePrescription | None]:
        missing = [p for p in PRESCRIPTION_PHASES if p not in value]
        if missing:
            raise ValueError(f"missing phase(s) {missing}; give null for a phase not used")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ExerciseSpec:
        problems = _spec_problems(self)
        if problems:
            raise ValueError(f"exercise {self.id!r}: " + "; ".join(problems))
        return self

    @property
    def is_power(self) -> bool:
        """A power (plyometric) exercise: dropped in `return` and `taper` (S6)."""
        return "power" in self.pillars

    @property
    def is_mobility(self) -> bool:
        """An unloaded range-of-motion drill (tagged `mobility`)."""
        return "mobility" in self.tags

    @property
    def meets_s7(self) -> bool:
        """Counts as the unilateral lower-body exercise every session needs (S7)."""
        return self.unilateral and self.lower_body

    @property
    def bodyweight_only(self) -> bool:
        """Needs no equipment at all."""
        return self.equipment == ("bodyweight",)

    def usable_with(self, equipment: Iterable[str]) -> bool:
        """Whether a location with `equipment` has everything this exercise needs (S9).

        Bodyweight is always at hand, whether or not the location lists it.
        """
        return set(self.equipment) <= {*equipment, "bodyweight"}

    def prescribe(
        self, phase: PrescriptionPhase, *, recovery_week: bool = False
    ) -> PhasePrescription | None:
        """The dose in `phase`; in a recovery week of a loading phase, the recovery dose.

        None when the exercise is not used then.
        """
        if recovery_week:
            if phase not in LOADING_PHASES:
                raise ValueError(
                    f"recovery weeks fall in base, build or peak weeks only (P1), not {phase!r}"
                )
            return self.prescription["recovery"]
        return self.prescription[phase]

    def allowed_in(self, phase: PrescriptionPhase, returning: Iterable[InjuryKind] = ()) -> bool:
        """Prescribed in `phase`, and in `return` not contraindicated for `returning`."""
        if self.prescription[phase] is None:
            return False
        return phase != "return" or not set(self.contraindicated) & set(returning)


def _spec_problems(spec: ExerciseSpec) -> list[str]:
    """Every way `spec` breaks the library's rules, as `field: reason` strings."""
    problems: list[str] = []
    if spec.progression_of is not None and spec.progression_of == spec.regression_of:
        problems.append("regression_of: cannot equal progression_of")
    if spec.id in (spec.progression_of, spec.regression_of):
        problems.append("progression_of/regression_of: an exercise cannot refer to itself")
    if spec.impact in ("moderate", "high"):
        missing = [i for i in IMPACT_SENSITIVE if i not in spec.contraindicated]
        if missing:
            problems.append(
                f"contraindicated: {spec.impact}-impact work must list {missing} "
                "(impact loads the tendon and bone while it comes back)"
            )
    if all(p is None for p in spec.prescription.values()):
        problems.append("prescription: used in no phase")
    for phase, dose in spec.prescription.items():
        if dose is not None:
            problems += [
                f"prescription.{phase}.{reason}" for reason in _dose_problems(spec, phase, dose)
            ]
    problems += _phase_set_problems(spec)
    return problems


def _phase_set_problems(spec: ExerciseSpec) -> list[str]:
    """Which phases an exercise is used in, and how recovery weeks relate to base."""
    used = {phase for phase, dose in spec.prescription.items() if dose is not None}
    problems: list[str] = []
    if spec.is_power:
        problems += [
            f"prescription.{p}: power is dropped in return and taper (S6); give null"
            for p in ("return", "taper")
            if p in used
        ]
    if used & {"build", "peak"} and "base" not in used:
        problems.append(
            "prescription.base: an exercise used in build or peak needs a base dose too, "
            "so its recovery-week dose has something to cut"
        )
    base, recovery = spec.prescription["base"], spec.prescription["recovery"]
    if (base is None) != (recovery is None):
        problems.append(
            "prescription.recovery: recovery weeks keep the same exercises (P1): give a "
            "recovery dose exactly when there is a base dose"
        )
    if base is not None and recovery is not None:
        want = max(1, round(base.sets * RECOVERY_SET_FACTOR))
        if recovery.sets != want:
            problems.append(
                f"prescription.recovery.sets: base sets cut by ~40 % gives {want}, "
                f"got {recovery.sets} (P1)"
            )
        if (recovery.reps, recovery.hold_s) != (base.reps, base.hold_s):
            problems.append("prescription.recovery: keep the base reps/hold, cut only sets")
        if recovery.rpe > base.rpe:
            problems.append("prescription.recovery.rpe: must not exceed the base RPE")
    return problems


def _dose_problems(spec: ExerciseSpec, phase: str, dose: PhasePrescription) -> list[str]:
    """How one phase's dose breaks §4 for this exercise (reasons prefixed by the field)."""
    problems: list[str] = []
    if spec.mode == "isometric" and dose.hold_s is None:
        problems.append("hold_s: an isometric exercise is dosed in holds, not reps")
    if spec.mode != "isometric" and dose.reps is None:
        problems.append(f"reps: a {spec.mode} exercise is dosed in reps, not holds")
    if spec.mode == "isometric" and dose.tempo is not None:
        problems.append("tempo: an isometric hold has no tempo")
    if spec.mode == "eccentric" and (dose.eccentric_s or 0) < MIN_ECCENTRIC_S:
        problems.append(f"tempo: an eccentric exercise lowers for at least {MIN_ECCENTRIC_S} s")
    if phase in LIGHT_KIT_PHASES and not set(spec.equipment) <= LIGHT_KIT:
        problems.append(f"equipment: {phase} work uses bodyweight or bands only (§4)")
    if phase == "return":
        problems += _return_problems(spec, dose)
    problems += _range_problems(spec, phase, dose)
    return problems


def _return_problems(spec: ExerciseSpec, dose: PhasePrescription) -> list[str]:
    """§4 `return`: isometric holds 30-45 s or slow eccentrics (3-4 s), low load, no impact."""
    problems: list[str] = []
    if spec.impact not in ("none", "low"):
        problems.append(f"impact: {spec.impact}-impact work has no place in return")
    if spec.mode == "dynamic" and not spec.is_mobility:
        problems.append("mode: return uses isometric holds, slow eccentrics or mobility only")
    lo, hi = RETURN_ECCENTRIC_S
    if spec.mode == "eccentric" and not lo <= (dose.eccentric_s or 0) <= hi:
        problems.append(f"tempo: return eccentrics lower for {lo}-{hi} s")
    return problems


def _outside(value: float, bounds: tuple[float, float]) -> bool:
    return not bounds[0] <= value <= bounds[1]


def _range_problems(spec: ExerciseSpec, phase: str, dose: PhasePrescription) -> list[str]:
    """Sets, RPE, reps and holds within the §4 ranges for the phase."""
    problems: list[str] = []
    if spec.is_mobility:
        sets, rpe, reps = MOBILITY_SETS, MOBILITY_RPE, MOBILITY_REPS
    else:
        sets, rpe = SETS.get(phase, (1, 6)), RPE[phase]
        reps = POWER_CONTACTS if spec.is_power else REPS.get(phase, (1, 30))
    if phase != "recovery" and _outside(dose.sets, sets):
        problems.append(f"sets: {phase} uses {sets[0]}-{sets[1]} sets, got {dose.sets}")
    if _outside(dose.rpe, rpe):
        problems.append(f"rpe: {phase} works at RPE {rpe[0]:g}-{rpe[1]:g}, got {dose.rpe:g}")
    if dose.reps is not None and phase != "recovery" and _outside(dose.reps, reps):
        problems.append(f"reps: {phase} uses {reps[0]}-{reps[1]} reps, got {dose.reps}")
    if dose.hold_s is not None:
        holds = RETURN_HOLD_S if phase == "return" else HOLD_S
        if _outside(dose.hold_s, holds):
            problems.append(f"hold_s: {phase} holds last {holds[0]}-{holds[1]} s")
    return problems


class ExerciseLibrary(_Frozen):
    """All exercises, checked as a whole (unique ids, resolvable references) and queryable.

    Query results keep the file's order, so selections built from them are deterministic.
    """

    version: int = Field(default=1, ge=1, description="Data format version.")
    exercises: tuple[ExerciseSpec, ...] = Field(min_length=1, description="The exercises.")
    _by_id: dict[str, ExerciseSpec] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _name_exercises_by_id(
        cls, data: Any, handler: ModelWrapValidatorHandler[ExerciseLibrary]
    ) -> ExerciseLibrary:
        # pydantic locates errors by list index (`exercises.41.equipment.0`); a person
        # editing the file needs the id (`exercises.box_jump.equipment.0`).
        try:
            return handler(data)
        except ValidationError as error:
            raise _errors_by_id(error, data, cls.__name__) from None

    @model_validator(mode="after")
    def _cross_references(self) -> ExerciseLibrary:
        ids = [e.id for e in self.exercises]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"exercises: id(s) {repeated} used more than once")
        known = set(ids)
        for spec in self.exercises:
            for field in ("progression_of", "regression_of"):
                target = getattr(spec, field)
                if target is not None and target not in known:
                    raise ValueError(f"exercises.{spec.id}.{field}: unknown exercise id {target!r}")
        _check_progressions_acyclic(self.exercises)
        self._by_id = {e.id: e for e in self.exercises}
        return self

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    @property
    def ids(self) -> list[str]:
        """Every exercise id, in file order."""
        return list(self._by_id)

    def get(self, exercise_id: str) -> ExerciseSpec:
        """The exercise with this id; KeyError naming it otherwise."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise KeyError(f"no exercise with id {exercise_id!r}") from None

    def by_pillar(self, pillar: Pillar) -> list[ExerciseSpec]:
        """Exercises covering `pillar` (S6)."""
        wanted = check_choice("pillar", pillar, PILLARS)
        return [e for e in self.exercises if wanted in e.pillars]

    def usable_with(self, equipment: Iterable[str]) -> list[ExerciseSpec]:
        """Exercises a location with `equipment` can host (S9; bodyweight always at hand)."""
        kit = {check_choice("equipment", item, EQUIPMENT) for item in equipment}
        return [e for e in self.exercises if e.usable_with(kit)]

    def for_phase(
        self, phase: PrescriptionPhase, *, returning: Iterable[InjuryKind] = ()
    ) -> list[ExerciseSpec]:
        """Exercises prescribed in `phase`; in `return`, minus those contraindicated for
        any injury in `returning`."""
        wanted = check_choice("phase", phase, PRESCRIPTION_PHASES)
        injuries = [check_choice("injury", i, INJURIES) for i in returning]
        return [e for e in self.exercises if e.allowed_in(wanted, injuries)]

    def suits(self, emphasis: Emphasis) -> list[ExerciseSpec]:
        """Exercises serving an injury or profile emphasis (S12)."""
        wanted = check_choice("injury", emphasis, EMPHASES)
        return [e for e in self.exercises if wanted in e.suits]

    def filter(
        self,
        pillar: Pillar | None = None,
        equipment: Iterable[str] | None = None,
        injury: Emphasis | None = None,
        phase: PrescriptionPhase | None = None,
    ) -> list[ExerciseSpec]:
        """Exercises matching every filter given (None = no filter).

        `injury` keeps exercises that suit it; with `phase="return"` an injury also drops
        exercises contraindicated for it.
        """
        chosen = list(self.exercises)
        if pillar is not None:
            chosen = _keep(chosen, self.by_pillar(pillar))
        if equipment is not None:
            chosen = _keep(chosen, self.usable_with(equipment))
        if injury is not None:
            chosen = _keep(chosen, self.suits(injury))
        if phase is not None:
            returning = [i for i in INJURIES if i == injury]
            chosen = _keep(chosen, self.for_phase(phase, returning=returning))
        return chosen

    def rotation_groups(self) -> dict[str, list[ExerciseSpec]]:
        """Exercises by movement family (S10), families in order of first appearance."""
        groups: dict[str, list[ExerciseSpec]] = {}
        for spec in self.exercises:
            groups.setdefault(spec.rotation_group, []).append(spec)
        return groups

    def progressions(self, exercise_id: str) -> list[ExerciseSpec]:
        """The next-harder exercises: those progressing it, or it regresses."""
        spec = self.get(exercise_id)
        harder = [e for e in self.exercises if e.progression_of == spec.id]
        if spec.regression_of is not None:
            harder.append(self.get(spec.regression_of))
        return _unique(harder)

    def regressions(self, exercise_id: str) -> list[ExerciseSpec]:
        """The next-easier exercises: those regressing it, or it progresses."""
        spec = self.get(exercise_id)
        easier = [e for e in self.exercises if e.regression_of == spec.id]
        if spec.progression_of is not None:
            easier.append(self.get(spec.progression_of))
        return _unique(easier)


def _keep(chosen: list[ExerciseSpec], allowed: list[ExerciseSpec]) -> list[ExerciseSpec]:
    ids = {e.id for e in allowed}
    return [e for e in chosen if e.id in ids]


def _unique(specs: list[ExerciseSpec]) -> list[ExerciseSpec]:
    seen: dict[str, ExerciseSpec] = {}
    for spec in specs:
        seen.setdefault(spec.id, spec)
    return list(seen.values())


def _check_progressions_acyclic(exercises: Sequence[ExerciseSpec]) -> None:
    """No exercise may end up harder than itself through progression/regression links."""
    harder: dict[str, set[str]] = {e.id: set() for e in exercises}
    for spec in exercises:
        if spec.progression_of is not None:
            harder[spec.progression_of].add(spec.id)
        if spec.regression_of is not None:
            harder[spec.id].add(spec.regression_of)
    done: set[str] = set()
    for start in harder:
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, bool]] = [(start, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                on_path.discard(node)
                path.pop()
                done.add(node)
                continue
            if node in on_path:
                cycle = [*path[path.index(node) :], node]
                raise ValueError(
                    f"exercises.{node}.progression_of: progressions form a cycle "
                    f"{' -> '.join(cycle)}"
                )
            if node in done:
                continue
            on_path.add(node)
            path.append(node)
            stack.append((node, False))
            stack.extend((nxt, True) for nxt in sorted(harder[node]))


def _errors_by_id(error: ValidationError, data: Any, title: str) -> ValidationError:
    """`error` with exercise list indices in its locations replaced by exercise ids."""
    raw = data.get("exercises") if isinstance(data, Mapping) else None
    items: Sequence[Any] = raw if isinstance(raw, Sequence) else ()
    details: list[InitErrorDetails] = []
    for err in error.errors():
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] == "exercises" and isinstance(loc[1], int):
            index = loc[1]
            item = items[index] if index < len(items) else None
            ex_id = item.get("id") if isinstance(item, Mapping) else None
            loc[1] = ex_id if isinstance(ex_id, str) and ex_id else f"#{index}"
        detail = InitErrorDetails(type=err["type"], loc=tuple(loc), input=err["input"])
        if "ctx" in err:
            detail["ctx"] = err["ctx"]
        details.append(detail)
    return ValidationError.from_exception_data(title, details)


def parse_library(text: str) -> ExerciseLibrary:
    """Parse and check a library from JSON text (ValidationError names id and field)."""
    data = json.loads(text)
    return ExerciseLibrary.model_validate(data)


@cache
def load_library() -> ExerciseLibrary:
    """The packaged library (`solver/data/exercises.json`), parsed and checked once."""
    resource = files("solver") / "data" / "exercises.json"
    return parse_library(resource.read_text(encoding="utf-8"))


# Public names, re-exported for `from solver.exercises import *` users and the API.
__all__ = [
    "EMPHASES",
    "EQUIPMENT",
    "IMPACTS",
    "INJURIES",
    "MODES",
    "MUSCLE_GROUPS",
    "PILLARS",
    "PRESCRIPTION_PHASES",
    "TAGS",
    "Emphasis",
    "ExerciseLibrary",
    "ExerciseSpec",
    "Impact",
    "Mode",
    "MuscleGroup",
    "PhasePrescription",
    "Pillar",
    "PrescriptionPhase",
    "Tag",
    "UnknownValueError",
    "check_choice",
    "load_library",
    "parse_library",
]
