"""Race rules P3: the race on its date, a quiet day before, easy running after."""

from __future__ import annotations

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.timeline import SHAKEOUT_MAX, STRENGTH_BEFORE_RACE_HOURS
from solver.timeline import UNIT

HARD_TRAINING = ("tempo", "intervals", "hills")


def encode_p3(ctx: EncodeContext) -> list[PenaltyTerm]:
    """P3 - race: on its date and slot; the day before, rest or one easy shake-out <= 30 min.

    No strength in the 72 h before an A race. After an A race of half marathon or longer,
    7 (half) or 14 (marathon, ultra) days of easy running without hard runs.
    """
    v, m, tl = ctx.vars, ctx.model, ctx.timeline
    for day, races in tl.race_days.items():
        if day > 0:
            before = day - 1
            m.add(v.runs_on(before) <= 1)
            for key in v.slot_keys_on(before):
                if key in v.strength:
                    m.add(v.strength[key] == 0)
                for run_type in v.run_types_at(key):
                    x = v.run[(*key, run_type)]
                    if run_type in ("easy", "recovery"):
                        m.add(v.units[(*key, run_type)] <= SHAKEOUT_MAX // UNIT)
                    else:
                        m.add(x == 0)
        for race in races:
            if race.priority != "A":
                continue
            race_start = tl.slots[(day, race.slot)].start_hours
            for key in v.strength:
                start = tl.slots[key].start_hours
                if race_start - STRENGTH_BEFORE_RACE_HOURS < start <= race_start:
                    m.add(v.strength[key] == 0)
    for day in tl.easy_only_days:
        for key in v.slot_keys_on(day):
            for run_type in HARD_TRAINING:
                if (*key, run_type) in v.run:
                    m.add(v.run[(*key, run_type)] == 0)
    return []
