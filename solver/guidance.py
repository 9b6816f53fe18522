"""Recovery guidance reported beside the plan, never scheduled (RULES.md §5).

G1 sleep, G2 protein and G3 active recovery are advice: they read only the request, so a
planner can show them before a solve finishes or when a calendar is infeasible.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from solver.schemas import Guidance, InjuryKind, PlanRequest

SLEEP_HOURS = (7, 9)  # G1
PROTEIN_G_PER_KG = (1.6, 2.2)  # G2, per day

SLEEP_NOTE = (
    f"Sleep {SLEEP_HOURS[0]}-{SLEEP_HOURS[1]} h a night, at regular times: deep sleep is "
    "when muscle and tendon repair after training (G1)."
)

ACTIVE_RECOVERY_OPTIONS: tuple[str, ...] = (
    "mobility (hips, ankles, thoracic spine), 15-30 min",
    "yoga, 20-45 min, gentle flow rather than power yoga",
    "easy cycling, 20-45 min at a conversational effort",
    "easy swimming or pool running, 20-40 min",
)

# What a returning runner should watch for: the signal that says the load was too much.
_RETURN_NOTES: dict[InjuryKind, str] = {
    "achilles_tendinopathy": (
        "Returning from Achilles tendinopathy: keep the calf raises slow, and hold the next "
        "run back if the tendon is stiffer the morning after than before."
    ),
    "runners_knee": (
        "Returning from runner's knee: keep downhill running and deep knee bends easy, and "
        "hold the next run back if the kneecap aches on stairs the day after."
    ),
    "it_band_syndrome": (
        "Returning from IT-band syndrome: run on flat, even ground, vary the side of the "
        "road, and stop a run when the outside of the knee starts to ache."
    ),
    "plantar_fasciitis": (
        "Returning from plantar fasciitis: wear supportive shoes between runs and hold the "
        "next run back if the first steps in the morning hurt more than before."
    ),
    "shin_splints": (
        "Returning from shin splints: prefer soft, even surfaces and hold the next run back "
        "if the inner shin is tender to touch the day after."
    ),
    "hamstring_strain": (
        "Returning from a hamstring strain: no sprints or steep hills yet, and stop a run at "
        "the first tightness high in the back of the thigh."
    ),
}

_RETURN_PHASE_NOTE = (
    "The first {weeks} weeks are a return phase (R13): every run stays easy and no run is "
    "longer than your longest recent run; pain up to 3/10 that settles by the next morning "
    "is acceptable, more is a reason to rest."
)


def protein_grams(body_mass_kg: float) -> tuple[int, int]:
    """G2: the daily protein range in whole grams for a body mass."""
    # Decimal arithmetic: in binary floats 61 x 1.6 is 97.60000000000001, and a mass
    # such as 25.25 kg would round a .5 gram the wrong way.
    mass = Decimal(str(body_mass_kg))
    low, high = (
        int((mass * Decimal(str(rate))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for rate in PROTEIN_G_PER_KG
    )
    return low, high


def protein_note(body_mass_kg: float | None) -> str | None:
    """G2 in words, or None when the request gives no body mass."""
    if body_mass_kg is None:
        return None
    low, high = protein_grams(body_mass_kg)
    low_rate, high_rate = PROTEIN_G_PER_KG
    return (
        f"Protein {low_rate}-{high_rate} g per kg of body mass a day: at "
        f"{body_mass_kg:g} kg that is {low}-{high} g a day, spread over 3-4 meals (G2)."
    )


def recovery_notes(request: PlanRequest) -> list[str]:
    """G3 options when the athlete asks for them, then notes for returning injuries."""
    notes: list[str] = []
    if request.preferences.active_recovery:
        options = "; ".join(ACTIVE_RECOVERY_OPTIONS)
        notes.append(
            "On days without a run or strength session, pick one active-recovery option "
            f"(G3): {options}."
        )
    returning = [i.kind for i in request.athlete.injuries if i.status == "returning"]
    for kind in dict.fromkeys(returning):  # one note per kind, in request order
        notes.append(_RETURN_NOTES[kind])
    if returning:
        notes.append(_RETURN_PHASE_NOTE.format(weeks=request.preferences.return_weeks))
    return notes


def guidance_for(request: PlanRequest) -> Guidance:
    """Sleep, protein and recovery guidance for the request's athlete (G1-G3)."""
    return Guidance(
        sleep=SLEEP_NOTE,
        protein=protein_note(request.athlete.body_mass_kg),
        recovery=recovery_notes(request),
    )
