"""Writes the fixed benchmark suite: PlanRequest files plus the sidecar index.

Seeded and deterministic: every instance draws its random parts (blocked dates, travel
weeks) from a generator seeded by the suite seed and the instance name, so running this
again writes byte-identical files. `python -m benchmarks.generate` rewrites
`benchmarks/instances/`; `python -m benchmarks.generate --check` then solves every instance
and fails if a known status (or a near-infeasible instance's only recovery placement) no
longer holds.

Why each family is hard (../shared/MODELLING.md): long horizons chain every week to the
weeks before it (R5, R8, R11, P1), so both the first plan and the bound get harder; races
fix phases and tapers; sparse calendars leave few ways to place sessions; strict wishes
turn short weeks into hard constraints.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.blocks import (
    DOUBLE_WEEK,
    RICH_WEEK,
    Json,
    athlete,
    date_of,
    fragmented_week,
    pinned_recovery_request,
    race,
    request,
    slot,
    sparse_week,
    travel_week,
    two_day_week,
    weekday_week,
    with_blocks,
)
from benchmarks.paths import INSTANCES_DIR
from benchmarks.suite import Family, InstanceInfo, KnownStatus, SuiteName
from solver.schemas import PlanRequest

SUITE_SEED = 20270104


@dataclass(frozen=True)
class InstanceSpec:
    name: str
    family: Family
    suite: SuiteName
    expected: KnownStatus
    weeks: int
    why_hard: str
    build: Callable[[random.Random], Json]
    unique_recovery_weeks: tuple[int, ...] | None = None

    def info(self) -> InstanceInfo:
        unique = list(self.unique_recovery_weeks) if self.unique_recovery_weeks else None
        return InstanceInfo(
            family=self.family,
            why_hard=self.why_hard,
            expected_status=self.expected,
            suite=self.suite,
            weeks=self.weeks,
            unique_recovery_weeks=unique,
        )


def _specs() -> list[InstanceSpec]:
    specs: list[InstanceSpec] = []

    def add(spec: InstanceSpec) -> None:
        specs.append(spec)

    # --- quick suite: small and fast, one per family; CI runs these ----------------------
    add(
        InstanceSpec(
            "q-base-5k-8w",
            "reference",
            "quick",
            "feasible",
            8,
            "The smallest sanity case: eight weeks to a C 5k on a full working week.",
            lambda rng: request(
                weeks=8,
                athlete_json=athlete("intermediate", 180, 70, (4, 5), sex="female"),
                weekly=RICH_WEEK,
                races=[race(7, "5k", "C", "Park 5k", weekday=5)],
            ),
        )
    )
    add(
        InstanceSpec(
            "q-sparse-30min-8w",
            "sparse",
            "quick",
            "feasible",
            8,
            "Four slots a week, three of them 30 minutes: every session has exactly one home "
            "once R4, S2 and S4 have had their say.",
            lambda rng: request(
                weeks=8,
                athlete_json=athlete("beginner", 90, 40, (2, 3), strength=(2, 2)),
                weekly={
                    "mon": {"pm": slot(30, "19:00")},
                    "wed": {"am": slot(30, "06:00")},
                    "fri": {"pm": slot(30, "19:00")},
                    "sun": {"am": slot(60, "08:00")},
                },
            ),
        )
    )
    add(
        InstanceSpec(
            "q-return-knee-older-10w",
            "injury_older",
            "quick",
            "feasible",
            10,
            "Returning from runner's knee at 56: four easy-only return weeks, a 60 h strength "
            "gap, and a half marathon five weeks after the return phase.",
            lambda rng: request(
                weeks=10,
                athlete_json=athlete(
                    "intermediate",
                    150,
                    60,
                    (3, 4),
                    age=56,
                    sex="female",
                    injuries=[("runners_knee", "returning")],
                ),
                weekly=RICH_WEEK,
                races=[race(9, "half", "A", "River Half")],
            ),
        )
    )
    add(
        InstanceSpec(
            "q-hard-days-hard-8w",
            "hard_days_hard",
            "quick",
            "feasible",
            8,
            "strength_on_hard_days=after_run: strength may share a day with a hard run if it "
            "comes later, which multiplies the day layouts S3, S4 and R2 must sort out.",
            lambda rng: request(
                weeks=8,
                athlete_json=athlete("advanced", 300, 100, (5, 6)),
                weekly=RICH_WEEK,
                races=[race(7, "10k", "A", "Track 10k")],
                preferences={"strength_on_hard_days": "after_run"},
            ),
        )
    )
    add(
        InstanceSpec(
            "q-near-infeasible-12w",
            "near_infeasible",
            "quick",
            "feasible",
            12,
            "Strict wishes and 30-minute travel weeks 4 and 9 leave exactly one way to place "
            "the recovery weeks (P1); any other placement is infeasible.",
            lambda rng: pinned_recovery_request(12, (4, 9), []),
            unique_recovery_weeks=(4, 9),
        )
    )
    add(
        InstanceSpec(
            "q-infeasible-strict-strength-8w",
            "infeasible",
            "quick",
            "infeasible",
            8,
            "Strict wishes, three strength sessions a week and only two adjacent free days: "
            "S2's 48 hours cannot fit three sessions (MODELLING.md's infeasible case).",
            lambda rng: request(
                weeks=8,
                athlete_json=athlete("intermediate", 120, 60, (2, 3), strength=(3, 3)),
                weekly=two_day_week(),
                strict=True,
            ),
        )
    )
    add(
        InstanceSpec(
            "q-infeasible-strict-runs-8w",
            "infeasible",
            "quick",
            "infeasible",
            8,
            "Strict wishes of four runs a week, and week 6 has free slots on three days only "
            "(one run a day, R14): the explanation must point at that week.",
            lambda rng: request(
                weeks=8,
                athlete_json=athlete("intermediate", 200, 80, (4, 5)),
                weekly=RICH_WEEK,
                exceptions=[
                    {"date": date_of(5, d).isoformat(), "slot": "all", "minutes": 0}
                    for d in range(3, 7)
                ],
                strict=True,
            ),
        )
    )

    # --- reference 16-week plans ----------------------------------------------------------
    add(
        InstanceSpec(
            "reference-10k-16w",
            "reference",
            "hard",
            "feasible",
            16,
            "The 16-week reference: the target says proven optimal in about a second. "
            "Full availability leaves many equivalent placements to rule out for the proof.",
            lambda rng: request(
                weeks=16,
                athlete_json=athlete("intermediate", 180, 70, (4, 5), sex="female"),
                weekly=RICH_WEEK,
                races=[race(15, "10k", "A", "City 10k")],
                preferences={"preferred_strength_days": ["mon", "wed", "fri"]},
            ),
        )
    )
    add(
        InstanceSpec(
            "reference-half-16w",
            "reference",
            "hard",
            "feasible",
            16,
            "16 weeks to a half with a C 5k tune-up, long-run day Saturday and preferred "
            "strength days: the soft rules pull against each other.",
            lambda rng: request(
                weeks=16,
                athlete_json=athlete("advanced", 300, 100, (5, 6), long_run_day="sat"),
                weekly=RICH_WEEK,
                races=[race(8, "5k", "C", "Park 5k", weekday=5), race(15, "half", "A", "Half")],
                preferences={"preferred_strength_days": ["tue", "thu"]},
            ),
        )
    )
    add(
        InstanceSpec(
            "reference-beginner-5k-16w",
            "reference",
            "hard",
            "feasible",
            16,
            "A beginner's first 5k: one hard run a week at most, no intervals, a 35-minute "
            "longest run that R11 lets grow only 10 % a month.",
            lambda rng: request(
                weeks=16,
                athlete_json=athlete("beginner", 80, 35, (3, 3), strength=(2, 2)),
                weekly=RICH_WEEK,
                races=[race(15, "5k", "A", "First 5k", weekday=5)],
            ),
        )
    )

    # --- long horizons ----------------------------------------------------------------------
    add(
        InstanceSpec(
            "long-base-52w",
            "long_horizon",
            "hard",
            "feasible",
            52,
            "A year of base building with two holiday weeks and 20 random blocked days: 52 "
            "weeks of P1 recovery placement and R5/R8 chains, no race to anchor the phases.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=52,
                    athlete_json=athlete("intermediate", 200, 80, (4, 5)),
                    weekly=RICH_WEEK,
                    exceptions=[
                        {"date": date_of(w, d).isoformat(), "slot": "all"}
                        for w in (25, 50)
                        for d in range(7)
                    ],
                ),
                52,
                20,
            ),
        )
    )
    add(
        InstanceSpec(
            "long-marathon-52w",
            "long_horizon",
            "hard",
            "feasible",
            52,
            "52 weeks to an A marathon with a B half and a C 10k on the way: long base, full "
            "build, three-week taper, and a long R9 target curve to follow.",
            lambda rng: request(
                weeks=52,
                athlete_json=athlete("intermediate", 240, 90, (4, 5), sex="male"),
                weekly=RICH_WEEK,
                races=[
                    race(20, "10k", "C", "Winter 10k"),
                    race(36, "half", "B", "Summer Half"),
                    race(51, "marathon", "A", "Autumn Marathon"),
                ],
            ),
        )
    )
    add(
        InstanceSpec(
            "long-ultra-doubles-52w",
            "long_horizon",
            "hard",
            "feasible",
            52,
            "Advanced trail ultra with doubles allowed and two slots every day: the largest "
            "52-week model (two runs a day, 240-minute long-run cap).",
            lambda rng: request(
                weeks=52,
                athlete_json=athlete("advanced", 420, 150, (6, 9), terrain="trail"),
                weekly=DOUBLE_WEEK,
                races=[race(30, "marathon", "B", "Trail Marathon"), race(51, "ultra", "A", "100k")],
                preferences={"allow_doubles": True},
            ),
        )
    )
    add(
        InstanceSpec(
            "long-two-marathons-104w",
            "long_horizon",
            "hard",
            "feasible",
            104,
            "Two years, two A marathons, B halves and C 10ks: the maximum horizon, two full "
            "race cycles with transitions, every week chained to the last.",
            lambda rng: request(
                weeks=104,
                athlete_json=athlete("intermediate", 220, 85, (4, 5)),
                weekly=RICH_WEEK,
                races=[
                    race(12, "10k", "C", "Spring 10k 1"),
                    race(22, "half", "B", "Half 1"),
                    race(33, "marathon", "A", "Marathon 1"),
                    race(64, "10k", "C", "Spring 10k 2"),
                    race(74, "half", "B", "Half 2"),
                    race(86, "marathon", "A", "Marathon 2"),
                ],
            ),
        )
    )
    add(
        InstanceSpec(
            "long-travel-104w",
            "long_horizon",
            "hard",
            "feasible",
            104,
            "Two years of base with a travel week every ten weeks and 40 random blocked days: "
            "the maximum horizon with irregular weeks the recovery placement should exploit.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=104,
                    athlete_json=athlete("intermediate", 180, 70, (3, 5), age=47),
                    weekly=RICH_WEEK,
                    exceptions=[e for w in range(7, 104, 10) for e in travel_week(w, 40)],
                ),
                104,
                40,
            ),
        )
    )

    # --- multi-race seasons -----------------------------------------------------------------
    add(
        InstanceSpec(
            "season-3-races-26w",
            "multi_race",
            "hard",
            "feasible",
            26,
            "Two A races 13 weeks apart (half, then marathon) and a C 10k: two tapers, a "
            "transition, and peak weeks between the A races.",
            lambda rng: request(
                weeks=26,
                athlete_json=athlete("advanced", 320, 110, (5, 6), sex="female"),
                weekly=RICH_WEEK,
                races=[
                    race(12, "half", "A", "Spring Half"),
                    race(18, "10k", "C", "Club 10k", weekday=5),
                    race(25, "marathon", "A", "Summer Marathon"),
                ],
            ),
        )
    )
    add(
        InstanceSpec(
            "season-4-races-40w",
            "multi_race",
            "hard",
            "feasible",
            40,
            "Two A marathons 20 weeks apart with a B half and a C 5k: two 3-week tapers and "
            "two 2-week transitions in 40 weeks.",
            lambda rng: request(
                weeks=40,
                athlete_json=athlete("advanced", 360, 120, (5, 6)),
                weekly=RICH_WEEK,
                races=[
                    race(10, "half", "B", "Winter Half"),
                    race(19, "marathon", "A", "Spring Marathon"),
                    race(28, "5k", "C", "Summer 5k", weekday=5),
                    race(39, "marathon", "A", "Autumn Marathon"),
                ],
            ),
        )
    )
    add(
        InstanceSpec(
            "season-5-races-36w",
            "multi_race",
            "hard",
            "feasible",
            36,
            "Five races (A 10k, A half, B half, two C 5ks) in 36 weeks on a fragmented week: "
            "races land on days the calendar barely has room around.",
            lambda rng: request(
                weeks=36,
                athlete_json=athlete("intermediate", 200, 80, (4, 5)),
                weekly=fragmented_week() | {"sun": {"am": slot(150, "08:00")}},
                races=[
                    race(6, "5k", "C", "Park 5k 1", weekday=5),
                    race(14, "10k", "A", "City 10k"),
                    race(21, "half", "B", "Hill Half"),
                    race(26, "5k", "C", "Park 5k 2", weekday=5),
                    race(35, "half", "A", "Harbour Half"),
                ],
            ),
        )
    )
    add(
        InstanceSpec(
            "season-6-races-52w",
            "multi_race",
            "hard",
            "feasible",
            52,
            "Six races in a year: A half and A marathon only 9 weeks apart (peak weeks between "
            "them), two B and two C races, one a Saturday before a long-run Sunday.",
            lambda rng: request(
                weeks=52,
                athlete_json=athlete("advanced", 340, 115, (5, 6), sex="male"),
                weekly=RICH_WEEK,
                races=[
                    race(8, "5k", "C", "Indoor 5k", weekday=5),
                    race(16, "10k", "B", "Road 10k"),
                    race(24, "half", "B", "Lake Half"),
                    race(33, "5k", "C", "Summer 5k", weekday=5),
                    race(42, "half", "A", "Championship Half"),
                    race(51, "marathon", "A", "Big City Marathon"),
                ],
            ),
        )
    )

    add(
        InstanceSpec(
            "season-race-weekend-20w",
            "multi_race",
            "hard",
            "feasible",
            20,
            "A half (A), a race weekend (Saturday 10k C, Sunday half B: races entered on "
            "consecutive days stand, docs/rules.md R2/R4) and a marathon (A) in 20 weeks.",
            lambda rng: request(
                weeks=20,
                athlete_json=athlete("advanced", 330, 110, (5, 6)),
                weekly=RICH_WEEK,
                races=[
                    race(7, "half", "A", "Winter Half"),
                    race(12, "10k", "C", "Saturday 10k", weekday=5),
                    race(12, "half", "B", "Sunday Half"),
                    race(19, "marathon", "A", "Spring Marathon"),
                ],
            ),
        )
    )

    # --- sparse and fragmented availability -------------------------------------------------
    add(
        InstanceSpec(
            "sparse-three-slots-16w",
            "sparse",
            "hard",
            "feasible",
            16,
            "Three slots a week (two of 30 minutes) and 10 random blocked days toward a 10k: "
            "weeks with two slots left must still hold a long run and a wish-worthy week.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=16,
                    athlete_json=athlete("beginner", 90, 40, (3, 3), strength=(2, 2)),
                    weekly=sparse_week(),
                    races=[race(15, "10k", "A", "Autumn 10k")],
                ),
                16,
                10,
            ),
        )
    )
    add(
        InstanceSpec(
            "sparse-fragmented-24w",
            "sparse",
            "hard",
            "feasible",
            24,
            "30-minute weekday fragments, one longer weekend slot and 20 random blocked days "
            "toward a half: the long run has one home a week, R6 squeezes the rest.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=24,
                    athlete_json=athlete("intermediate", 160, 70, (3, 5)),
                    weekly=fragmented_week() | {"sun": {"am": slot(150, "08:00")}},
                    races=[race(23, "half", "A", "Harbour Half")],
                ),
                24,
                20,
            ),
        )
    )
    add(
        InstanceSpec(
            "sparse-travel-20w",
            "sparse",
            "hard",
            "feasible",
            20,
            "Three hotel weeks (bodyweight only, 30-minute slots) in a marathon build: the "
            "solver should make them recovery weeks, but P1 limits where those can go.",
            lambda rng: request(
                weeks=20,
                athlete_json=athlete("intermediate", 250, 90, (4, 5)),
                weekly=RICH_WEEK,
                races=[race(19, "marathon", "A", "Lakeshore Marathon")],
                exceptions=[e for w in (5, 9, 14) for e in travel_week(w)],
            ),
        )
    )
    add(
        InstanceSpec(
            "sparse-fragmented-52w",
            "sparse",
            "hard",
            "feasible",
            52,
            "A year of three short slots a week, four hotel weeks and 40 random blocked days "
            "toward a half: many weeks with two slots, where wishes go unmet.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=52,
                    athlete_json=athlete("intermediate", 120, 55, (3, 4)),
                    weekly=sparse_week() | {"sat": {"am": slot(45, "09:00")}},
                    races=[race(51, "half", "A", "Year-end Half")],
                    exceptions=[e for w in (9, 21, 33, 44) for e in travel_week(w)],
                ),
                52,
                40,
            ),
        )
    )

    # --- returning from injury, older athletes -------------------------------------------------
    add(
        InstanceSpec(
            "injury-achilles-older-16w",
            "injury_older",
            "hard",
            "feasible",
            16,
            "Achilles returning at 58: 60 h strength gap, easy-only return weeks, a long run "
            "capped at its pre-plan length, then a build to a half in 12 weeks.",
            lambda rng: request(
                weeks=16,
                athlete_json=athlete(
                    "intermediate",
                    150,
                    50,
                    (3, 4),
                    age=58,
                    sex="male",
                    injuries=[("achilles_tendinopathy", "returning"), ("shin_splints", "history")],
                ),
                weekly=RICH_WEEK,
                races=[race(15, "half", "A", "Harbour Half")],
            ),
        )
    )
    add(
        InstanceSpec(
            "injury-hamstring-older-30w",
            "injury_older",
            "hard",
            "feasible",
            30,
            "Hamstring returning at 63 with a six-week return phase, a 72 h strength gap and a "
            "marathon: R11 must grow a 60-minute long run toward 160.",
            lambda rng: request(
                weeks=30,
                athlete_json=athlete(
                    "intermediate",
                    160,
                    60,
                    (3, 5),
                    age=63,
                    sex="female",
                    injuries=[("hamstring_strain", "returning")],
                ),
                weekly=RICH_WEEK,
                races=[race(29, "marathon", "A", "Masters Marathon")],
                preferences={"return_weeks": 6, "min_strength_gap_hours": 72},
            ),
        )
    )
    add(
        InstanceSpec(
            "older-athlete-52w",
            "injury_older",
            "hard",
            "feasible",
            52,
            "A 67-year-old beginner for a year: 60 h strength gap, one hard run a week, an A 10k "
            "at week 40 and a B 5k, with random blocked days.",
            lambda rng: with_blocks(
                rng,
                request(
                    weeks=52,
                    athlete_json=athlete(
                        "beginner",
                        100,
                        45,
                        (3, 4),
                        age=67,
                        sex="female",
                        strength=(2, 2),
                        injuries=[("plantar_fasciitis", "history")],
                    ),
                    weekly=RICH_WEEK,
                    races=[
                        race(28, "5k", "B", "Summer 5k", weekday=5),
                        race(40, "10k", "A", "10k"),
                    ],
                ),
                52,
                15,
            ),
        )
    )

    # --- hard days hard ----------------------------------------------------------------------
    add(
        InstanceSpec(
            "hard-days-hard-doubles-24w",
            "hard_days_hard",
            "hard",
            "feasible",
            24,
            "after_run strength with doubles allowed and two slots a day: the most layouts per "
            "day of the suite (run + run, run + strength, hard run then strength).",
            lambda rng: request(
                weeks=24,
                athlete_json=athlete("advanced", 380, 120, (6, 9)),
                weekly=DOUBLE_WEEK,
                races=[race(23, "half", "A", "Fast Half")],
                preferences={"strength_on_hard_days": "after_run", "allow_doubles": True},
            ),
        )
    )
    add(
        InstanceSpec(
            "hard-days-hard-52w",
            "hard_days_hard",
            "hard",
            "feasible",
            52,
            "after_run strength for a year to an A marathon with C races: 52 weeks of hard-day "
            "pairings and S3/S4 ordering.",
            lambda rng: request(
                weeks=52,
                athlete_json=athlete("intermediate", 250, 90, (4, 5)),
                weekly=RICH_WEEK,
                races=[
                    race(18, "10k", "C", "Spring 10k"),
                    race(34, "half", "C", "Summer Half"),
                    race(51, "marathon", "A", "Autumn Marathon"),
                ],
                preferences={"strength_on_hard_days": "after_run"},
            ),
        )
    )

    # --- near-infeasible -----------------------------------------------------------------------
    add(
        InstanceSpec(
            "near-infeasible-22w",
            "near_infeasible",
            "hard",
            "feasible",
            22,
            "Strict wishes and 30-minute travel weeks 4, 9, 14 and 19: one recovery placement "
            "only, which the solver must discover through P1's look-back.",
            lambda rng: pinned_recovery_request(22, (4, 9, 14, 19), []),
            unique_recovery_weeks=(4, 9, 14, 19),
        )
    )
    add(
        InstanceSpec(
            "near-infeasible-race-40w",
            "near_infeasible",
            "hard",
            "feasible",
            40,
            "The pinned recovery weeks of near-infeasible-22w through base and build, ending in "
            "a marathon's peak, taper and race week.",
            lambda rng: pinned_recovery_request(
                40, (4, 9, 14, 19, 24, 29, 34), [race(39, "marathon", "A", "Pinned Marathon")]
            ),
            unique_recovery_weeks=(4, 9, 14, 19, 24, 29, 34),
        )
    )
    add(
        InstanceSpec(
            "near-infeasible-52w",
            "near_infeasible",
            "hard",
            "feasible",
            52,
            "A year of pinned recovery weeks (every fifth week): a long chain where one wrong "
            "recovery week early makes every later week infeasible.",
            lambda rng: pinned_recovery_request(52, tuple(range(4, 50, 5)), []),
            unique_recovery_weeks=tuple(range(4, 50, 5)),
        )
    )

    # --- infeasible --------------------------------------------------------------------------
    add(
        InstanceSpec(
            "infeasible-older-spacing-16w",
            "infeasible",
            "hard",
            "infeasible",
            16,
            "Strict wishes, age 58 (60 h strength gap), three strength sessions a week and "
            "weekday slots only: Mon 06:00 + 60 h + 60 h falls on Saturday.",
            lambda rng: request(
                weeks=16,
                athlete_json=athlete("intermediate", 180, 70, (3, 4), age=58, strength=(3, 3)),
                weekly=weekday_week(),
                strict=True,
            ),
        )
    )
    add(
        InstanceSpec(
            "infeasible-late-travel-52w",
            "infeasible",
            "hard",
            "infeasible",
            52,
            "A year with strict wishes of four runs a week and one two-day trip in week 40 "
            "with no other slot: infeasible late in a large model.",
            lambda rng: request(
                weeks=52,
                athlete_json=athlete("intermediate", 200, 80, (4, 5)),
                weekly=RICH_WEEK,
                exceptions=[
                    {"date": date_of(40, d).isoformat(), "slot": "all", "minutes": 0}
                    for d in range(2, 7)
                ],
                strict=True,
            ),
        )
    )
    add(
        InstanceSpec(
            "infeasible-two-trips-30w",
            "infeasible",
            "hard",
            "infeasible",
            30,
            "Strict wishes and two 30-minute hotel weeks in a row in a marathon build: only a "
            "recovery week can hold their strength (S1, S11), but P1 wants three loading weeks "
            "before each recovery week. The conflict spans four rules and two weeks.",
            lambda rng: request(
                weeks=30,
                athlete_json=athlete("intermediate", 220, 85, (3, 5)),
                weekly=RICH_WEEK,
                races=[race(29, "marathon", "A", "Autumn Marathon")],
                exceptions=[e for w in (20, 21) for e in travel_week(w)],
                strict=True,
            ),
        )
    )
    return specs


SPECS: tuple[InstanceSpec, ...] = tuple(_specs())


def instance_seed(name: str) -> int:
    """A per-instance seed that does not depend on Python's hash randomisation."""
    return SUITE_SEED ^ zlib.crc32(name.encode("utf-8"))


def build_instance(spec: InstanceSpec) -> Json:
    """The request JSON of one instance, checked by PlanRequest before it is written."""
    data = spec.build(random.Random(instance_seed(spec.name)))
    PlanRequest.model_validate(data)
    return data


def write_suite(out_dir: Path = INSTANCES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index: dict[str, Json] = {}
    for spec in SPECS:
        path = out_dir / f"{spec.name}.json"
        path.write_text(json.dumps(build_instance(spec), indent=2) + "\n", encoding="utf-8")
        index[path.name] = spec.info().model_dump(mode="json", exclude_none=True)
        written.append(path)
    index_path = out_dir / "index.json"
    index_path.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    written.append(index_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=INSTANCES_DIR, help="instances folder")
    parser.add_argument(
        "--check", action="store_true", help="solve every instance and verify its status"
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per check")
    parser.add_argument("--workers", type=int, default=4, help="CP-SAT workers per check")
    parser.add_argument("--only", nargs="*", default=None, help="instance names to check")
    args = parser.parse_args(argv)
    if not args.check:
        written = write_suite(args.out)
        sys.stderr.write(f"wrote {len(written)} files to {args.out}\n")
        return 0
    from benchmarks.check import check_suite

    return check_suite(args.out, args.time_limit, args.workers, args.only)


if __name__ == "__main__":
    raise SystemExit(main())
