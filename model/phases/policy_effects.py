"""Effective stocks of the plan's diffusion measures: lagged and depreciating.

Application pilots and demonstration zones (二.(四), 二.(三)) are counted as delivered
(`cities.application_pilots`, `cities.demonstration_zones`, the indicators); what speeds
adoption is their *effective* stock per city. An item delivered in month t starts to act
in month t + `policy_effect_lag_months` (the lag between designation and effect that
event studies of China's pilot policies show) and then depreciates at
`pilot_effect_decay_per_year` / `demo_zone_effect_decay_per_year` (continuous rates, as
knowledge capital depreciates; Hall 2007). Public-data opening (三.(四)) and the patent
pool (四.(四)) are maintained levels, not stocks: they act with the same lag and do not
depreciate while maintained.

`init_effects` runs when the cities are initialised (the 2017 stock counts as matured),
`advance` once a month at the end of the policy phase, `effective` wherever an effect is
used (the market phase's adoption). City-level code shared by both engines.
"""

from __future__ import annotations

import math
from collections import deque
from typing import NamedTuple

import numpy as np


class Effective(NamedTuple):
    pilots: np.ndarray        # cities: effective application pilots
    zones: np.ndarray         # cities: effective demonstration zones
    data_opening: np.ndarray  # cities: public-data opening in effect (0-1)
    patent_pool: float        # province: patent pool in effect (0/1)


class EffectHistory:
    """The last lag + 2 months of delivered counts and levels (oldest first)."""

    def __init__(self, lag_months: int, pilots, zones, data_opening, patent_pool: float):
        self.lag_months = lag_months
        n = lag_months + 2
        self.pilots = deque([np.array(pilots, dtype=float)] * n, maxlen=n)
        self.zones = deque([np.array(zones, dtype=float)] * n, maxlen=n)
        self.data_opening = deque([np.array(data_opening, dtype=float)] * n, maxlen=n)
        self.patent_pool = deque([float(patent_pool)] * n, maxlen=n)


def lag_months(P) -> int:
    """The lag as a whole number of months (a parameter may be drawn as a real)."""
    lag = P.policy_effect_lag_months
    if not lag >= 0:
        raise ValueError(f"parameter policy_effect_lag_months: expected a value >= 0, got {lag}")
    return round(lag)


def init_effects(model) -> None:
    """January 2017: the stocks already delivered count in full (they are matured)."""
    cs = model.state.cities
    cs.effective_pilots[:] = cs.application_pilots
    cs.effective_zones[:] = cs.demonstration_zones
    cs.effective_data_opening[:] = cs.data_opening
    model.effect_history = EffectHistory(lag_months(model.params), cs.application_pilots,
                                         cs.demonstration_zones, cs.data_opening,
                                         model.lever("patent_pool"))
    model.effective_patent_pool = float(model.lever("patent_pool"))


def advance(model) -> None:
    """One month: the deliveries of `lag` months ago enter the effective stocks, which
    depreciate; levels in effect are those of `lag` months ago."""
    P, cs, h = model.params, model.state.cities, model.effect_history
    h.pilots.append(cs.application_pilots.copy())
    h.zones.append(cs.demonstration_zones.copy())
    h.data_opening.append(cs.data_opening.copy())
    h.patent_pool.append(float(model.lever("patent_pool")))
    # h[0] is month t - lag - 1 and h[1] month t - lag: h[1] - h[0] matures now
    pilot_keep = math.exp(-P.pilot_effect_decay_per_year / 12.0)
    zone_keep = math.exp(-P.demo_zone_effect_decay_per_year / 12.0)
    cs.effective_pilots[:] = cs.effective_pilots * pilot_keep + (h.pilots[1] - h.pilots[0])
    cs.effective_zones[:] = cs.effective_zones * zone_keep + (h.zones[1] - h.zones[0])
    cs.effective_data_opening[:] = h.data_opening[1]
    model.effective_patent_pool = h.patent_pool[1]


def effective(model) -> Effective:
    """Per-city effective pilots, zones and data opening, and the patent pool in effect."""
    cs = model.state.cities
    return Effective(cs.effective_pilots, cs.effective_zones, cs.effective_data_opening,
                     model.effective_patent_pool)
