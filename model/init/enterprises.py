"""AI enterprises in January 2017: register firms as quantiles of a truncated Pareto that
sum to the backcast revenue, smaller firms log-uniform below the register threshold,
placed in cities (Hangzhou's observed shares), sectors, knowledge, age, patents; and the
demand side this implies (local purchases, sector mix, the external market)."""

from __future__ import annotations

import numpy as np

from .. import rules
from ..application_sectors import purchases_by_product
from ..initial import SECTOR_CORE_SHARE, SECTOR_FIRM_MIX, SECTOR_REVENUE_MIX, pareto_quantile_sizes
from ..phases.rivals import init_national_market
from ..state import N_SECTORS


def place_firms(model, revenue: np.ndarray, n_reg: int, rev_reg: np.ndarray) -> np.ndarray:
    """City of each firm: Hangzhou's observed share of register firms, the rest by GDP.

    The larger half of the register firms is placed by error diffusion, largest first, so
    that Hangzhou holds `hangzhou_revenue_share` of their revenue (the largest AI firm is in
    Hangzhou; a random draw would let a few large firms decide the share); of the smaller
    half, as many drawn at random are in Hangzhou as make up `hangzhou_firm_share` of all
    register firms."""
    init, rng, hz, n = model.initial, model.rng, model.hangzhou, len(revenue)
    other = model.gdp_share.copy()
    other[hz] = 0.0
    city_p = other / other.sum() * (1.0 - init.hangzhou_firm_share)
    city_p[hz] = init.hangzhou_firm_share
    city = rng.choice(model.n_cities, size=n, p=city_p)
    other_city = rng.choice(model.n_cities, size=n, p=other / other.sum())
    order = np.argsort(-rev_reg, kind="stable")
    larger, smaller = order[: max(1, n_reg // 2)], order[max(1, n_reg // 2):]
    hz_revenue = placed = 0.0
    for i in larger:
        placed += revenue[i]
        if hz_revenue < init.hangzhou_revenue_share * placed:
            city[i] = hz
            hz_revenue += revenue[i]
        else:
            city[i] = other_city[i]
    if len(smaller):
        missing = init.hangzhou_firm_share * n_reg - (city[larger] == hz).sum()
        k = min(len(smaller), rules.stochastic_round(max(0.0, missing), rng.random()))
        city[smaller] = other_city[smaller]
        city[rng.permutation(smaller)[:k]] = hz
    return city


def register_firm_sizes(model, n_agents: int) -> tuple[np.ndarray, float]:
    """Revenues of `n_agents` register-firm agents (largest first) and the tail exponent.

    The 1:1 register is the deterministic quantiles of a truncated Pareto whose exponent
    makes them sum to the backcast revenue. A scaled run is a stratified sample of it: each
    agent is a firm drawn from its own stratum of 1/scale consecutive firms (largest first),
    so agents have real firms' sizes, and the largest agent takes what makes the total the
    1:1 total x scale (it stands for the largest firms). Above 1:1 the agents are the
    quantiles of the same distribution."""
    init, P, s = model.initial, model.params, model.scale
    xmin, total = P.register_threshold_100m_yuan_per_year, init.register_revenue_100m_yuan
    n_full = max(1, int(round(init.register_firms)))
    if s >= 1.0 or n_agents >= n_full:
        return pareto_quantile_sizes(n_agents, xmin, init.largest_firm_revenue_100m_yuan,
                                     total * n_agents / n_full)
    full, alpha = pareto_quantile_sizes(n_full, xmin, init.largest_firm_revenue_100m_yuan,
                                        total)
    # one firm drawn from each stratum of the 1:1 register; the top stratum's agent takes
    # the rest of the total (its stratum's mean, give or take the other draws' noise)
    groups = np.array_split(full, n_agents)
    u = model.rng.random(n_agents)
    sizes = np.array([g[min(int(x * len(g)), len(g) - 1)] for g, x in zip(groups, u)])
    sizes[0] = max(total * n_agents / n_full - sizes[1:].sum(), xmin)
    return sizes, alpha


def init_enterprises(model) -> None:
    """Firms of January 2017 and the demand they imply (`model.economy`)."""
    init, P, rng, s = model.initial, model.params, model.rng, model.scale
    n_reg = max(1, rules.stochastic_round(init.register_firms * s, rng.random()))
    rev_reg, model.initial_tail_exponent = register_firm_sizes(model, n_reg)
    n_small = rules.stochastic_round(
        init.register_firms * init.small_firms_per_register_firm * s, rng.random())
    thr = P.register_threshold_100m_yuan_per_year
    rev_small = np.exp(rng.uniform(np.log(0.005), np.log(thr), n_small))
    revenue = np.concatenate([rev_reg, rev_small])
    n = len(revenue)
    is_largest = np.zeros(n, dtype=bool)
    is_largest[np.argmax(revenue)] = True
    city = place_firms(model, revenue, n_reg, rev_reg)
    # sectors: large firms follow the revenue mix, small ones the firm-count mix
    sector = np.where(revenue >= 1.0,
                      rng.choice(N_SECTORS, size=n, p=SECTOR_REVENUE_MIX),
                      rng.choice(N_SECTORS, size=n, p=SECTOR_FIRM_MIX))
    # the largest firm (Hikvision's scale) is in smart security; an agent of a scaled run
    # stands for 1/scale firms of which that is one, so it is in smart security with
    # probability scale (so is the rest of its stratum, by the revenue mix)
    if rng.random() < min(1.0, s):
        sector[is_largest] = 0
    knowledge = np.exp(init.knowledge_dispersion * rng.standard_normal(n))
    age_years = np.where(revenue >= thr, rng.uniform(1, init.firm_age_max_years, n),
                         rng.uniform(0, 4, n))
    rd_year = P.rd_intensity * revenue
    patents = rng.poisson(P.patents_per_100m_yuan_rd * rd_year * np.minimum(age_years, 3))
    core = rng.binomial(patents, P.core_patent_share_factor * SECTOR_CORE_SHARE[sector])
    e = model.state.enterprises
    e.add(n, alive=True, city=city, sector=sector,
          # founded before January 2017: at least a month old (birth 0 is a 2017 start-up)
          birth_month=-np.maximum(np.ceil(age_years * 12), 1).astype(np.int64), exit_month=-1,
          knowledge=knowledge,
          core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
          revenue_month_100m_yuan=revenue / 12, revenue_year_100m_yuan=revenue,
          revenue_prev_year_100m_yuan=revenue,
          cash_100m_yuan=np.maximum(revenue * init.cash_months_of_revenue / 12,
                                    P.startup_seed_cash_100m_yuan),
          invention_patents=patents, core_patents=core, incubated_until=-1)
    sector_total = np.bincount(sector, weights=revenue, minlength=N_SECTORS)
    e.market_share[:n] = revenue / sector_total[sector]
    # demand: local adopters buy `local_sales_share_2017` of 2017 sales
    cs, economy = model.state.cities, model.economy
    total = revenue.sum() / s
    local = P.local_sales_share_2017 * total
    # the sample's 2017 sales mix; a sector with no sampled sales (possible at small scales)
    # gets its 1:1 share, or it would have no demand ever and firms founded in it no sales
    mix = np.where(sector_total > 0, sector_total / sector_total.sum(), SECTOR_REVENUE_MIX)
    economy.sector_mix = mix / mix.sum()
    # per product sector, so that the 2017 local purchases have the 2017 sales mix; later
    # the mix follows the application sectors' adoption (application_sectors.PURCHASE_MIX)
    economy.purchase_share_of_gdp = local * economy.sector_mix / np.maximum(
        purchases_by_product(cs, np.ones(cs.n)), 1e-300)
    init_national_market(model, local, (1 - P.local_sales_share_2017) * total)
