"""Race rules P3: the race on its date, a quiet day before, easy running after."""

from __future__ import annotations

from solver.rules.base import EncodeContext, PenaltyTerm
from solver.timeline import SHAKEOUT_MAX, STRENGTH_BEFORE_RACE_HOURS

HARD_TRAINING = ("tempo", "intervals", "hills")


def encode_p3(ctx: EncodeContext) -> list[PenaltyTerm]:
    """P3 - race: on its date and slot; the day before, rest or one easy shake-out <= 30 min.

    No strength in the 72 h before an A race. After an A race of half marathon or longer,
    7 (half) or 14 (marathon, ultra) days of easy running without hard runs. A race the
    athlete entered for the day before stands; it is not the plan's shake-out.
    """
    v, tl = ctx.vars, ctx.timeline
    for day, races in tl.race_days.items():
        if day > 0:
            before = day - 1
            entered = len(tl.race_days.get(before, []))
            ctx.hard("P3", tl.week_of(day), v.runs_on(before) <= 1 + entered)
            for key in v.slot_keys_on(before):
                if key in v.strength:
                    ctx.hard("P3", tl.week_of(day), v.strength[key] == 0)
                for run_type in v.run_types_at(key):
                    x = v.run[(*key, run_type)]
                    if run_type in ("easy", "recovery"):
                        ctx.hard(
                            "P3", tl.week_of(day), v.minutes_of_type(key, run_type) <= SHAKEOUT_MAX
                        )
                    else:
                        ctx.hard("P3", tl.week_of(day), x == 0)
        for race in races:
            if race.priority != "A":
                continue
            race_start = tl.slots[(day, race.slot)].start_hours
            for key in v.strength:
                start = tl.slots[key].start_hours
                if race_start - STRENGTH_BEFORE_RACE_HOURS < start <= race_start:
                    ctx.hard("P3", tl.week_of(key[0]), v.strength[key] == 0)
    for day in tl.easy_only_days:
        for key in v.slot_keys_on(day):
            for run_type in HARD_TRAINING:
                if (*key, run_type) in v.run:
                    ctx.hard("P3", tl.week_of(day), v.run[(*key, run_type)] == 0)
    return []
