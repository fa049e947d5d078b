"""Phase 6a (start of the market phase): AI adoption by application sector, and GDP.

Each city's five application sectors (`model/application_sectors.py`, 二.(四)) adopt AI by
a Bass diffusion that saturates at a sector ceiling (`City.adopt`):
    a' = a + (p + q a / m) (m - a)       (monthly p, q; m = ceiling)
p rises with pilots, data opening and the patent pool (as before), with the AI
infrastructure of open platforms (三.(四)) and with the plan's push for that sector
(二.(四), one lever per sector); q with demonstration zones; m with AI-as-a-service
(二.(五).3), which makes adoption pay for small adopters.

Adoption raises the adopters' productivity, with a lag: a sector's output gain relaxes
toward `ai_productivity_gain_per_adopter` times the adoption above 2017's. City GDP is its
exogenous trend (`gdp_trend_100m_yuan`, `gdp_growth_per_year`) times the output-weighted
gain, so the AI contribution to GDP is the gap between the two. `adoption` (one number per
city) is the GDP-weighted mean of the sectors' adoption.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import application_sectors as apps
from . import policy_effects
from .dispatch import act, kernel


class AdoptionContext(NamedTuple):
    bass_p: np.ndarray       # cities x application sectors: innovation coefficient per year
    bass_q: np.ndarray       # cities x application sectors: imitation coefficient per year
    ceiling: np.ndarray      # application sectors: saturation share of potential adopters


def adopt(self) -> None:
    """City: one month of saturating Bass diffusion in each application sector. Adoption
    at or above its ceiling stays where it is (adopters do not give AI up when the ceiling
    is set below them, e.g. AI-as-a-service withdrawn or a low ceiling parameter)."""
    ctx, c = self.model.ctx, self.row
    row = self.model.state.cities.sector_adoption[c]
    for k in range(len(row)):
        a, m = row[k], ctx.ceiling[k]
        if a < m:
            row[k] = min(m, a + (ctx.bass_p[c, k] / 12.0 + ctx.bass_q[c, k] / 12.0 * a / m)
                         * (m - a))


@kernel
def adopt_kernel(sector_adoption, ctx):
    """`adopt` for every city."""
    for c in range(sector_adoption.shape[0]):
        for k in range(sector_adoption.shape[1]):
            a, m = sector_adoption[c, k], ctx.ceiling[k]
            if a < m:
                sector_adoption[c, k] = min(m, a + (ctx.bass_p[c, k] / 12.0
                                                    + ctx.bass_q[c, k] / 12.0 * a / m)
                                            * (m - a))


def sector_levers(model) -> np.ndarray:
    """The plan's push (0-1) for each application sector this month (二.(四))."""
    return np.array([model.lever(name) for name in apps.SECTOR_LEVERS])


def adoption_context(model) -> AdoptionContext:
    """Bass coefficients per city and sector, and the sectors' ceilings, this month."""
    P, cs = model.params, model.state.cities
    fx = policy_effects.effective(model)      # lagged, depreciating (二.(四), 三.(四))
    p_city = (P.bass_innovation_per_year
              + P.pilot_innovation_uplift_per_year * fx.pilots
              + P.data_opening_innovation_uplift_per_year * fx.data_opening
              + P.patent_pool_innovation_uplift_per_year * fx.patent_pool
              + P.infrastructure_innovation_uplift_per_year * model.lever("ai_infrastructure"))
    p_sector = P.sector_push_innovation_uplift_per_year * sector_levers(model)
    q_city = P.bass_imitation_per_year + P.demo_zone_imitation_uplift_per_year * fx.zones
    shape = cs.sector_adoption.shape
    return AdoptionContext(
        bass_p=np.ascontiguousarray(p_city[:, None] + p_sector[None, :]),
        bass_q=np.ascontiguousarray(np.broadcast_to(q_city[:, None], shape)),
        ceiling=apps.ceilings(P, model.lever("ai_as_a_service")))


def adopt_and_grow(model) -> None:
    """GDP trend, Bass adoption per city and sector, the lagged productivity gain, GDP."""
    P, cs = model.params, model.state.cities
    cs.gdp_trend_100m_yuan *= (1.0 + P.gdp_growth_per_year) ** (1 / 12)
    model.ctx = adoption_context(model)
    act(model, "cities", "adopt", lambda: adopt_kernel(cs.sector_adoption, model.ctx))
    target = P.ai_productivity_gain_per_adopter * np.maximum(
        cs.sector_adoption - P.adoption_2017, 0.0)
    cs.ai_productivity_gain += (target - cs.ai_productivity_gain) / max(
        12.0 * P.ai_productivity_lag_years, 1.0)
    gdp = apps.sector_gdp(cs)
    cs.gdp_100m_yuan[:] = gdp.sum(axis=1)
    cs.adoption[:] = (cs.sector_adoption * gdp).sum(axis=1) / cs.gdp_100m_yuan
