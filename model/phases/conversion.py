"""Incumbents turning to AI (二.(五).2 "充分发挥浙江在信息经济领域的产业优势"): firms of
Zhejiang's information economy (software, electronics, equipment, security) that are not
yet AI firms start an AI business line as AI use spreads among their customers, and so
enter the AI industry with revenue, not as start-ups.

Each city holds a stock of such incumbents (real firms, `cities.adjacent_incumbents`,
initialised from the province's high-tech enterprises, init/cities.py). Every month a
city's incumbents convert at `incumbent_conversion_rate_per_year` x the city's AI
adoption / 12: demand pull, so conversions follow diffusion (Bass) and the plan's pilots and
zones act on them through adoption. The number of agents that convert is Poisson with mean
scale x real conversions, so a scaled run is a sample of the 1:1 flow. A converted firm's
AI line starts at `converted_ai_revenue_100m_yuan_per_year` (2017 yuan, moved to this
month's with the trend wage like a founder's seed money, phases/entry_exit.py) with the city's mean
technology level (dispersed like start-ups'), cash of `converted_cash_years_of_revenue`
from its parent's owners (booked households -> firms, like founders' money), and no AI
staff: it hires them in the labour market the next month.
"""

from __future__ import annotations

import math

import numpy as np

from .. import rules
from ..aggregates import Census, csr_by_city, pool_memo, pool_sum
from ..initial import SECTOR_CORE_SHARE
from ..ledger import FIRMS, HOUSEHOLDS, book_each
from ..state import N_SECTORS
from .dispatch import numpy_kernel
from .wages import income_trend

# product sectors (state.SECTORS) of the incumbents that convert: security and electronics
# makers, equipment (robots), software and IT services; an assumption, from the plan's
# 二.(二).1 security and 二.(五).2 information-economy strengths
CONVERTED_SECTOR_MIX = np.array([0.15, 0.05, 0.15, 0.10, 0.20, 0.20, 0.15])


def conversions_due(model) -> np.ndarray:
    """Agents that convert in each city this month: Poisson(scale x real conversions),
    taken from the city's stock of incumbents."""
    P, cs = model.params, model.state.cities
    real = (cs.adjacent_incumbents * P.incumbent_conversion_rate_per_year
            * np.clip(cs.adoption, 0.0, 1.0) / 12.0)
    # never more agents than the stock holds (its last, fractional agent included)
    agents = np.minimum(model.rng.poisson(real * model.scale),
                        np.ceil(cs.adjacent_incumbents * model.scale - 1e-9)).astype(np.int64)
    cs.adjacent_incumbents = np.maximum(cs.adjacent_incumbents - agents / model.scale, 0.0)
    return agents


@numpy_kernel
def conversion_kernel(agents, alive, city_ptr, by_city, sector_ptr, by_sector, knowledge,
                      market_share, revenue_month, dispersion, entrant_revenue, sector_demand,
                      mix, rng):
    """The converting incumbents, city by city in order (`agents` per city): each draws its
    sector (`mix`) and its knowledge from two uniforms of the model's Generator, around the
    mean knowledge of its city's firms alive before this month's conversions (all firms'
    where the city has none), and gets the market share that gives `entrant_revenue` of its
    sector's sales. Means and sums are numpy's pairwise sums (`pool_sum`), so the numbers are
    those of the numpy expressions. Returns city, sector, knowledge and share per agent."""
    total = agents.sum()
    city = np.empty(total, dtype=np.int64)
    sector = np.empty(total, dtype=np.int64)
    k_out = np.empty(total)
    share = np.empty(total)
    none = np.empty(0, dtype=np.int64)
    k_memo, share_memo, revenue_memo = pool_memo(), pool_memo(), pool_memo()
    sector_sums = np.full((len(mix), 2), np.nan)
    j = 0
    for c in range(len(agents)):
        if agents[c] == 0:
            continue
        in_city = by_city[city_ptr[c]:city_ptr[c + 1]]
        if len(in_city):
            mean_k = pool_sum(knowledge, in_city, none, k_memo, c) / len(in_city)
        else:               # numpy's mean of no firm at all is 0 / 0, a NaN, here too
            mean_k = pool_sum(knowledge, alive, none, k_memo, -1) / len(alive)
        for _ in range(agents[c]):
            u0, u1 = rng.random(), rng.random()
            s = rules.choose_index(mix, u0)
            if math.isnan(sector_sums[s, 0]):
                rows = by_sector[sector_ptr[s]:sector_ptr[s + 1]]
                if len(rows):
                    sector_sums[s, 0] = pool_sum(market_share, rows, none, share_memo, s)
                    sector_sums[s, 1] = pool_sum(revenue_month, rows, none, revenue_memo, s)
                else:
                    sector_sums[s, 0] = sector_sums[s, 1] = 1.0
            city[j], sector[j] = c, s
            k_out[j] = rules.entrant_knowledge(mean_k, dispersion, u1)
            share[j] = rules.entrant_share(entrant_revenue, sector_sums[s, 0],
                                           sector_sums[s, 1], sector_demand[s])
            j += 1
    return city, sector, k_out, share


def convert_incumbents(model, census: Census | None) -> Census | None:
    """This month's converting incumbents enter the AI industry (new enterprise rows, both
    engines); returns `census` with a row of no staff for each (None stays None)."""
    P, e = model.params, model.state.enterprises
    agents = conversions_due(model)
    total = int(agents.sum())
    if total == 0:
        return census
    alive = e.alive_rows()
    # in this month's yuan (as a founder's seed money)
    revenue_year = P.converted_ai_revenue_100m_yuan_per_year * income_trend(model)
    revenue_month = revenue_year / 12.0
    cash = P.converted_cash_years_of_revenue * revenue_year
    dispersion = model.initial.knowledge_dispersion
    # the firms alive before this month's conversions by city and by sector, in row order
    # (one pass each: a filter per city and per conversion grew with scale squared)
    city_ptr, by_city = csr_by_city(alive, e.city[alive], model.n_cities)
    sector_ptr, by_sector = csr_by_city(alive, e.sector[alive], N_SECTORS)
    city, sector, knowledge, share = conversion_kernel(
        agents, alive, city_ptr, by_city, sector_ptr, by_sector, e.knowledge, e.market_share,
        e.revenue_month_100m_yuan, float(dispersion), float(revenue_month),
        np.asarray(model.economy.sector_demand_100m_yuan, dtype=np.float64), CONVERTED_SECTOR_MIX,
        model.rng)
    # one append for the month's conversions (an append per firm was most of the phase)
    e.add(total, alive=True, city=city, sector=sector, birth_month=model.month,
          exit_month=-1, knowledge=knowledge,
          core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
          market_share=share, cash_100m_yuan=cash, inflow_month_100m_yuan=cash,
          incubated_until=-1)
    # each parent's owners' money
    book_each(model.ledger.month, model.ledger.year, HOUSEHOLDS, FIRMS, float(cash), total)
    model.tally.year_counts["conversions"] += agents
    model.tally.firm_flows["entries"] += total
    if census is None:
        return None
    return Census(np.concatenate([census.heads, np.zeros((total, census.heads.shape[1]),
                                                         dtype=census.heads.dtype)]),
                  census.by_city)

