"""What `zjai appraise` and `zjai optimize` share: editing a scenario's lever schedules from
a year on, and one model run reduced to its public cost and the target indicators.

A run here is a task for an executor (`executors.py`): a top-level function of plain,
picklable arguments that returns a small dict, so thousands of runs fit in memory.
"""

from __future__ import annotations

import math
import os
import socket
import time
from dataclasses import dataclass

from .data import PROVINCE
from .data import cities as city_table
from .ecosystem import AIEcosystemModel
from .levers import LEVERS, LeverSettings, schedule_value
from .targets import COST_INDICATORS, Target


@dataclass(frozen=True)
class LeverSlot:
    """A decision variable: a lever for the province (`city` None) or one city's value of a
    spatial lever (written `lever@City`)."""

    lever: str
    city: str | None = None

    @property
    def name(self) -> str:
        return self.lever if self.city is None else f"{self.lever}@{self.city}"


def target_key(indicator: str, year: int) -> str:
    """The outcome key of a target indicator in a year, e.g. "talent_engineers@2022"."""
    return f"{indicator}@{year}"


def hold_from(spec, year: int, value: float) -> dict:
    """A schedule that keeps `spec` (constant or {year: value}) before `year` and holds
    `value` from `year` on."""
    early = ({int(y): float(v) for y, v in spec.items() if int(y) < year}
             if isinstance(spec, dict) else {})
    if not early:       # a schedule's first value also holds before its first year
        early = {year - 1: schedule_value(spec, year - 1)}
    return {**dict(sorted(early.items())), year: float(value)}


def shift_from(spec, year: int, delta: float, low: float, high: float) -> dict:
    """A schedule that keeps `spec` before `year` and adds `delta` to every value from
    `year` on, clipped to [low, high]."""
    out = hold_from(spec, year, schedule_value(spec, year))
    later = sorted({int(y) for y in spec if int(y) >= year}) if isinstance(spec, dict) else []
    for y in {year, *later}:
        out[y] = min(high, max(low, schedule_value(spec, y) + delta))
    return dict(sorted(out.items()))


def layout_value(kwargs: dict, lever: str, city: str, year: int) -> float:
    """What the regional layout (or the city's own schedule) gives `city` of a spatial
    lever in `year` under the model keyword arguments `kwargs`."""
    table = city_table()
    settings = LeverSettings(kwargs["levers"], kwargs["city_levers"], list(table.city))
    gdp = table.gdp_100m_yuan.to_numpy(dtype=float)
    values = settings.city_values(lever, year, gdp / gdp.sum(), table.is_core.to_numpy())
    return float(values[list(table.city).index(city)])


def set_slot(kwargs: dict, slot: LeverSlot, year: int, value: float) -> None:
    """Hold `slot` at `value` from `year` on in model keyword arguments (edited in place);
    a city slot keeps what the layout gave the city in the years before."""
    lever = LEVERS[slot.lever]
    if lever.integer:
        value = float(round(value))
    value = min(lever.high, max(lever.low, float(value)))
    if slot.city is None:
        levers = dict(kwargs["levers"])
        levers[slot.lever] = hold_from(levers.get(slot.lever, lever.default), year, value)
        kwargs["levers"] = levers
        return
    start = int(kwargs.get("start_year", 2017))
    early = {y: layout_value(kwargs, slot.lever, slot.city, y) for y in range(start, year)}
    city_levers = {c: dict(v) for c, v in kwargs["city_levers"].items()}
    city_levers.setdefault(slot.city, {})[slot.lever] = {**early, year: value}
    kwargs["city_levers"] = city_levers


def outcome_run(kwargs: dict, seed: int, scale: float, targets: tuple[Target, ...],
                cost_years: tuple[int, int]) -> dict:
    """Run the model once (in a worker); its public cost over `cost_years` (spending plus
    tax expenditure, 1e8 yuan) and each target indicator in its year (`target_key`)."""
    started = time.perf_counter()
    model = AIEcosystemModel(**kwargs, seed=int(seed), scale=float(scale))
    while model.running:
        model.step()
    df = model.recorder.frame()
    df = df[df.region == PROVINCE]
    first, last = cost_years
    window = df[df.year.between(first, last)]
    spending, tax = (float(window[window.indicator == name].value.sum())
                     for name in COST_INDICATORS)
    values = {}
    for t in targets:
        v = df[(df.indicator == t.indicator) & (df.year == t.year)].value
        values[target_key(t.indicator, t.year)] = float(v.iloc[-1]) if len(v) else math.nan
    return {"cost": spending + tax, "spending": spending, "tax_expenditure": tax,
            "values": values, "seconds": time.perf_counter() - started,
            "host": socket.gethostname(), "worker": os.getpid()}
