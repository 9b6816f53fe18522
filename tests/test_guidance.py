"""G1-G3: sleep, protein and active-recovery guidance read off the request (RULES.md §5)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from solver.guidance import guidance_for, protein_grams
from solver.schemas import PlanRequest


def _request(**athlete: Any) -> PlanRequest:
    preferences = athlete.pop("preferences", {})
    return PlanRequest.model_validate(
        {
            "start_date": "2027-03-01",
            "athlete": {
                "level": "intermediate",
                "current_weekly_minutes": 180,
                "longest_recent_run_minutes": 70,
                "run_days": {"min": 4, "max": 5},
                **athlete,
            },
            "availability": {"weekly": {"sat": {"am": {"minutes": 90}}}},
            "preferences": preferences,
        }
    )


def test_g1_sleep_names_seven_to_nine_hours() -> None:
    sleep = guidance_for(_request()).sleep
    assert "7-9 h" in sleep


def test_g2_protein_in_grams_for_61_kg() -> None:
    protein = guidance_for(_request(body_mass_kg=61)).protein
    assert protein is not None
    assert "98-134 g a day" in protein


def test_g2_no_protein_note_without_body_mass() -> None:
    assert guidance_for(_request()).protein is None


@given(st.floats(min_value=25.5, max_value=249.5, allow_nan=False))
def test_g2_range_is_1_6_to_2_2_grams_per_kg(mass: float) -> None:
    low, high = protein_grams(mass)
    assert abs(low - 1.6 * mass) <= 0.5 + 1e-6
    assert abs(high - 2.2 * mass) <= 0.5 + 1e-6
    assert low < high


def test_g3_lists_active_recovery_options_only_when_asked() -> None:
    asked = guidance_for(_request(preferences={"active_recovery": True})).recovery
    text = " ".join(asked).lower()
    for option in ("mobility", "yoga", "cycling", "swimming"):
        assert option in text
    assert guidance_for(_request()).recovery == []


def test_returning_injury_adds_a_note_with_the_return_phase_length() -> None:
    request = _request(
        injuries=[
            {"kind": "achilles_tendinopathy", "status": "returning"},
            {"kind": "shin_splints", "status": "history"},
        ],
        preferences={"return_weeks": 5},
    )
    notes = guidance_for(request).recovery
    assert any("Achilles" in n for n in notes)
    assert not any("shin splints" in n.lower() for n in notes)
    assert any("first 5 weeks" in n for n in notes)


def test_history_injuries_add_no_return_note() -> None:
    request = _request(injuries=[{"kind": "hamstring_strain", "status": "history"}])
    assert guidance_for(request).recovery == []
