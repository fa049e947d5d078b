"""The 11 prefectures in January 2017: GDP, population, income level and wages by tier,
adoption, innovation platforms (by research weight) and data opening."""

from __future__ import annotations

import numpy as np

from ..phases.policy_effects import init_effects


def research_weights(model) -> np.ndarray:
    """Where research institutes are: Hangzhou's share, the rest by GDP."""
    w = model.gdp_share.copy()
    w[model.hangzhou] = 0.0
    w = w / w.sum() * (1.0 - model.initial.research_base_hangzhou_share)
    w[model.hangzhou] = model.initial.research_base_hangzhou_share
    return w


def incumbent_weights(model) -> np.ndarray:
    """Where the information economy's incumbents are: Hangzhou's share as for the AI
    firms (initial hangzhou_firm_share), the rest by GDP (assumption)."""
    share = model.initial.hangzhou_firm_share
    w = model.gdp_share.copy()
    w[model.hangzhou] = 0.0
    w = w / w.sum() * (1.0 - share)
    w[model.hangzhou] = share
    return w


def init_cities(model, table) -> None:
    """City state from the city table (model/data/cities.csv) and the initial values."""
    cs, P = model.state.cities, model.params
    cs.gdp_100m_yuan[:] = table.gdp_100m_yuan
    cs.gdp_trend_100m_yuan[:] = table.gdp_100m_yuan
    cs.population_10k[:] = table.population_10k
    gdp_pc = cs.gdp_100m_yuan / cs.population_10k
    cs.gdp_per_head_2017[:] = gdp_pc
    cs.income_level_2017[:] = gdp_pc / (cs.gdp_100m_yuan.sum() / cs.population_10k.sum())
    # a city's 2017 wages are the province's tier wages at its income level; the indices
    # (2017 = 1) then move in phases/wages.py and phases/housing.py
    cs.wage_100m_yuan_per_year[:] = np.outer(cs.income_level_2017, model.economy.wages)
    cs.wage_index[:] = 1.0
    cs.housing_cost_index[:] = 1.0
    cs.adoption[:] = P.adoption_2017
    cs.sector_adoption[:] = P.adoption_2017
    cs.ai_productivity_gain[:] = 0.0
    model.gdp_share = cs.gdp_100m_yuan / cs.gdp_100m_yuan.sum()
    cs.adjacent_incumbents[:] = (model.initial.adjacent_incumbent_firms
                                 * incumbent_weights(model))
    cs.innovation_platforms[:] = np.round(model.initial.innovation_platforms
                                          * research_weights(model))
    cs.data_opening[:] = model.levers.city_values("public_data_opening", model.start_year,
                                                  model.gdp_share, model.is_core)
    init_effects(model)
