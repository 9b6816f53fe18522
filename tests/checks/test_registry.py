"""The check registry: every rule of RULES.md has one check, and a sound plan passes all."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from solver.checks import CHECKS
from solver.rules.base import CheckContext
from solver.schemas import SOFT_RULE_IDS, RunType, SessionKind
from solver.timeline import Timeline

from .builders import (
    FRI,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    Spec,
    build_plan,
    make_request,
    run,
    standard_week,
    strength,
)

RULES_MD_ORDER = [
    "T1",
    "T2",
    "T3",
    "R1",
    "R2",
    "R3",
    "R4",
    "R5",
    "R6",
    "R7",
    "R8",
    "R9",
    "R10",
    "R11",
    "R12",
    "R13",
    "R14",
    "R15",
    "R16",
    "R17",
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S6",
    "S7",
    "S8",
    "S9",
    "S10",
    "S11",
    "S12",
    "P1",
    "P2",
    "P3",
    "P4",
    "PREF",
]


def test_one_check_per_rule_in_rules_md_order() -> None:
    assert list(CHECKS) == RULES_MD_ORDER
    assert set(SOFT_RULE_IDS) <= set(CHECKS)


def test_every_check_states_its_rule() -> None:
    for rule, check in CHECKS.items():
        assert check.__name__ == f"check_{rule.lower()}"
        assert check.__doc__ and rule in check.__doc__


def test_checks_do_not_load_the_solver() -> None:
    code = "import sys, solver.checks; sys.exit('ortools' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def recovery_week(week: int) -> list[Spec]:
    first = 7 * week
    return [
        run(first + TUE, "tempo", 30),
        run(first + WED, "recovery", 30),
        strength(first + WED, 35),
        run(first + THU, "easy", 30),
        strength(first + FRI, 35),
        run(first + SAT, "easy", 20),
        run(first + SUN, "long", 50),
    ]


def test_a_sound_six_week_plan_breaks_no_rule() -> None:
    request = make_request(
        6, athlete={"long_run_day": "sun"}, preferences={"preferred_strength_days": ["wed", "fri"]}
    )
    specs = [
        *standard_week(0),
        *standard_week(1),
        *standard_week(2),
        *recovery_week(3),
        *standard_week(4),
        *standard_week(5),
    ]
    tl = Timeline(request)
    ctx = CheckContext(timeline=tl, plan=build_plan(tl, specs, recovery=[3]))
    outcomes = {rule: check(ctx) for rule, check in CHECKS.items()}
    assert [v for o in outcomes.values() for v in o.violations] == []
    penalised = {rule for rule, o in outcomes.items() if o.penalty}
    assert penalised == {"R9"}  # 205-min weeks against a growing target
    for rule, o in outcomes.items():
        if rule not in SOFT_RULE_IDS:
            assert o.penalty == 0


KINDS: list[SessionKind] = ["run", "run", "run", "strength", "mini_circuit", "mobility"]
TRAINING_TYPES: list[RunType] = ["recovery", "easy", "long", "tempo", "intervals", "hills"]


@st.composite
def any_spec(draw: st.DrawFn, days: int) -> Spec:
    """Any session at all, sound or not: the checks must read it without failing."""
    kind = draw(st.sampled_from(KINDS))
    run_type = draw(st.sampled_from(TRAINING_TYPES)) if kind == "run" else None
    return Spec(
        day=draw(st.integers(0, days - 1)),
        kind=kind,
        minutes=draw(st.integers(0, 200)),
        slot=draw(st.sampled_from(["am", "pm"])),
        run_type=run_type,
        quality=draw(st.none() | st.integers(-5, 60)),
    )


@given(
    specs=st.lists(any_spec(days=21), max_size=25),
    recovery=st.sets(st.integers(0, 2), max_size=2),
)
def test_checks_read_any_plan_without_failing(specs: list[Spec], recovery: set[int]) -> None:
    request = make_request(
        3,
        races=[{"date": "2027-03-14", "distance": "10k", "priority": "A"}],
        availability={"weekly": {"wed": {"pm": None}}},
    )
    tl = Timeline(request)
    ctx = CheckContext(timeline=tl, plan=build_plan(tl, specs, recovery))
    for rule, check in CHECKS.items():
        result = check(ctx)
        assert all(v.rule == rule and v.message for v in result.violations)
        assert result.penalty >= 0
        assert len(result.details) <= result.penalty
        if rule not in SOFT_RULE_IDS:
            assert result.penalty == 0
