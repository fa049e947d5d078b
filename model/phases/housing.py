"""Phase 3c, housing: each city's housing-cost index (2017 = 1), pushed by income and by
the population its AI industry draws.

The AI-induced population of a city is the change of its AI talent since January 2017
(1:1 persons) times (1 + `local_jobs_per_ai_job`) jobs, times `residents_per_job`
(Moretti's local multiplier; Wang & Chanda 2018 for Chinese prefectures). The target
index is

    ln h*_c = e_income ln(GDP per head_c / 2017) + e_pop ln(1 + induced_c / population_c,2017)

with the income elasticity of Chinese urban housing prices (Chow & Niu 2015) and the
elasticity of prices to population inflow (Wang, Hui & Sun 2017; Lin et al. 2018). The
index closes 1/`housing_adjustment_months` of the log gap each month. A city's housing
level, the 2017 cross-section (`income_level_2017` ^ `housing_cost_income_elasticity_2017`)
times the index, is what talent weighs against wages (phases/talent_migration.py): where
the plan concentrates talent, housing congests. Counts enter as 1:1 persons (divided by
the scale), so the index is the same at every scale. City-level: both engines share it.
"""

from __future__ import annotations

import numpy as np

from .wages import income_growth


def induced_population_10k(model) -> np.ndarray:
    """Per city: residents added since 2017 by AI talent and the local jobs it brings."""
    P, cs = model.params, model.state.cities
    talent_1to1 = model.cache.talent_counts.sum(axis=1) / model.scale
    jobs = (talent_1to1 - cs.ai_talent_2017_1to1) * (1.0 + P.local_jobs_per_ai_job)
    return jobs * P.residents_per_job / 1e4


def target_housing_index(model) -> np.ndarray:
    """Per city: the housing-cost index income and AI-induced population call for."""
    P, cs = model.params, model.state.cities
    population = np.maximum(1.0 + cs.ai_induced_population_10k / cs.population_10k, 0.5)
    return np.exp(P.housing_cost_income_elasticity * np.log(income_growth(model))
                  + P.housing_cost_population_elasticity * np.log(population))


def housing_level(model) -> np.ndarray:
    """Per city: housing cost relative to the province's 2017 mean (cross-section x index)."""
    cs, P = model.state.cities, model.params
    return cs.income_level_2017 ** P.housing_cost_income_elasticity_2017 * cs.housing_cost_index


def housing(model) -> None:
    """The AI-induced population, then sticky housing costs move toward their target."""
    P, cs = model.params, model.state.cities
    cs.ai_induced_population_10k[:] = induced_population_10k(model)
    speed = 1.0 / max(P.housing_adjustment_months, 1.0)
    h = cs.housing_cost_index
    h *= np.exp(speed * (np.log(target_housing_index(model)) - np.log(h)))
