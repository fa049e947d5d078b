"""Phase 3b, wages: each city's AI wage per talent tier, set in its matching market.

After the month's matching (phases/labour_market.py) every city and tier has vacancies V,
job seekers U and employed talent E. The target wage moves its 2017 level with

- the city's income (GDP per head relative to 2017, elasticity `wage_income_elasticity`):
  the trend along which nominal wages grow;
- tightness, vacancies per job seeker (V/U; `wage_tightness_elasticity`): wages rise where
  firms compete for few seekers (bargaining in a matching market);
- unemployment, U/(U+E) (the wage curve of Blanchflower & Oswald 1994,
  `wage_curve_unemployment_elasticity`): wages fall where seekers are many,

both measured against the province's values of the same tier over 2017, so a market as
tight as the province's in 2017 pays the trend wage. Wages follow the trend at once, and
their premium over trend is sticky: each month it closes 1/`wage_adjustment_months` of the
log gap to the market's premium (partial adjustment).
Firms pay these wages (phases/market.py) and hire less where they stand above trend
(`wage_premium`, phases/labour_market.py); talent compares them, times the city's
employment rate (the expected wage of Harris & Todaro 1970) and over housing costs, across
cities (phases/talent_migration.py).

Everything here is a ratio of counts (V/U, U/(U+E)), so it is the same at every scale;
a city and tier with few people is shrunk toward the province's market
(`labour_market_prior_persons`, in 1:1 persons). City-level, so both engines share it.
"""

from __future__ import annotations

import numpy as np

from ..aggregates import EMPLOYED, RESEARCHERS, SEEKERS


def income_growth(model) -> np.ndarray:
    """Each city's GDP per head relative to 2017."""
    cs = model.state.cities
    return cs.gdp_100m_yuan / cs.population_10k / cs.gdp_per_head_2017


def income_trend(model) -> float:
    """The province's trend wage relative to 2017 (its GDP per head relative to 2017, to the
    wage-income elasticity): the factor that turns a sum set in 2017 yuan, such as a
    start-up's seed money (phases/entry_exit.py), into this month's yuan."""
    cs = model.state.cities
    now = cs.gdp_100m_yuan.sum() / cs.population_10k.sum()
    then = (cs.gdp_per_head_2017 * cs.population_10k).sum() / cs.population_10k.sum()
    return float((now / then) ** model.params.wage_income_elasticity)


def trend_wage(model) -> np.ndarray:
    """Cities x tiers: the 2017 wage moved with income per head (the wage of a market as
    tight as the province's in 2017)."""
    cs, P = model.state.cities, model.params
    base = np.outer(cs.income_level_2017, model.economy.wages)
    return base * (income_growth(model) ** P.wage_income_elasticity)[:, None]


def wage_premium(model) -> np.ndarray:
    """Cities x tiers: the wage over its trend (1 = a market as tight as in 2017)."""
    return model.state.cities.wage_premium


def market_log_terms(model, vacancies, seekers, unemployed, employed):
    """Cities x tiers: log tightness (vacancies per seeker as matching began) and log
    unemployment rate (seekers left over seekers and employed), each city and tier shrunk
    toward its tier's province value by `labour_market_prior_persons` (1:1 persons, so the
    same weight at every scale); and the province's own (per tier)."""
    prior = model.params.labour_market_prior_persons * model.scale
    v_prov, s_prov = vacancies.sum(axis=0), seekers.sum(axis=0)
    u_prov, e_prov = unemployed.sum(axis=0), employed.sum(axis=0)
    half = 0.5 * model.scale                 # half a 1:1 person keeps the logs finite
    tight_prov = (v_prov + half) / (s_prov + half)
    unemp_prov = (u_prov + half) / (u_prov + e_prov + 2 * half)
    tight = (vacancies + prior * tight_prov) / (seekers + prior)
    unemp = (unemployed + prior * unemp_prov) / (unemployed + employed + prior)
    return (np.log(tight), np.log(unemp), np.log(tight_prov), np.log(unemp_prov))


def employment_rate(model, unemployed, employed) -> np.ndarray:
    """Cities x tiers: 1 - the unemployment rate, shrunk toward the province's as in
    `market_log_terms` (the chance a talent in the city finds itself employed)."""
    zeros = np.zeros_like(unemployed)
    return 1.0 - np.exp(market_log_terms(model, zeros, zeros, unemployed, employed)[1])


def update_reference(economy, log_tight_prov, log_unemp_prov, month: int) -> None:
    """The province's 2017 market per tier: the mean over the months of 2017 (then fixed)."""
    ref = economy.labour_reference
    if month >= 12:
        return
    n = ref["months"]
    ref["log_tightness"] = (ref["log_tightness"] * n + log_tight_prov) / (n + 1)
    ref["log_unemployment"] = (ref["log_unemployment"] * n + log_unemp_prov) / (n + 1)
    ref["months"] = n + 1


def target_wage(model, log_tight, log_unemp) -> np.ndarray:
    """Cities x tiers: trend wage x tightness and wage-curve terms (capped, see params)."""
    P, ref = model.params, model.economy.labour_reference
    cap = P.wage_log_gap_cap
    d_tight = np.clip(log_tight - ref["log_tightness"], -cap, cap)
    d_unemp = np.clip(log_unemp - ref["log_unemployment"], -cap, cap)
    return trend_wage(model) * np.exp(P.wage_tightness_elasticity * d_tight
                                      - P.wage_curve_unemployment_elasticity * d_unemp)


def tier_weights(model) -> np.ndarray:
    """Fixed weights of the wage index: the province's 2017 wage bill by tier."""
    cs = model.state.cities
    return cs.talent_2017.sum(axis=0) * model.economy.wages


def province_wage_index(model) -> float:
    """The province's wage index: all cities' wages at their 2017 talent (Laspeyres)."""
    cs = model.state.cities
    now = (cs.talent_2017 * cs.wage_100m_yuan_per_year).sum()
    then = (cs.talent_2017 * np.outer(cs.income_level_2017, model.economy.wages)).sum()
    return float(now / then)


def wages(model) -> None:
    """Sticky wages move toward the target set by income, tightness and unemployment."""
    P, cs, cache = model.params, model.state.cities, model.cache
    by_city = cache.labour_by_city                    # set by labour_market this month
    log_tight, log_unemp, lt_prov, lu_prov = market_log_terms(
        model, cache.vacancies_by_city, cache.seekers_by_city,
        by_city[:, :, SEEKERS].astype(float),
        (by_city[:, :, EMPLOYED] + by_city[:, :, RESEARCHERS]).astype(float))
    update_reference(model.economy, lt_prov, lu_prov, model.month)
    cs.employment_rate[:] = 1.0 - np.exp(log_unemp)
    # wages are indexed to the trend at once; the market premium over trend is sticky
    trend = trend_wage(model)
    target_premium = target_wage(model, log_tight, log_unemp) / trend
    speed = 1.0 / max(P.wage_adjustment_months, 1.0)
    premium = cs.wage_premium
    premium[:] = np.exp((1.0 - speed) * np.log(premium) + speed * np.log(target_premium))
    w = cs.wage_100m_yuan_per_year
    w[:] = trend * premium
    base = np.outer(cs.income_level_2017, model.economy.wages)
    weights = tier_weights(model)
    cs.wage_index[:] = (w * weights).sum(axis=1) / (base * weights).sum(axis=1)
