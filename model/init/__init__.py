"""Building the populations of January 2017 from data, one module per population.

`populate(model, table)` calls them in the order their random draws are taken:
cities, enterprises, talent, funds (ODD §5, "Initialisation").
"""

from __future__ import annotations

from ..aggregates import EMPLOYED, RESEARCHERS, SEEKERS
from ..phases.wages import employment_rate
from .cities import init_cities
from .enterprises import init_enterprises
from .funds import init_funds
from .talent import init_talent


def populate(model, table) -> None:
    """Fill `model.state` and the economy for January 2017."""
    init_cities(model, table)
    init_enterprises(model)
    init_talent(model)
    init_funds(model)
    record_talent_2017(model)


def record_talent_2017(model) -> None:
    """The talent of January 2017 by city and tier: the weights of the wage index, the
    base from which housing measures the AI-induced population, and the employment rate
    talent expects in each city."""
    cs = model.state.cities
    cs.talent_2017[:] = model.talent_by_city_tier()
    cs.ai_talent_2017_1to1[:] = cs.talent_2017.sum(axis=1) / model.scale
    by_city = model.census().by_city
    cs.employment_rate[:] = employment_rate(
        model, by_city[:, :, SEEKERS].astype(float),
        (by_city[:, :, EMPLOYED] + by_city[:, :, RESEARCHERS]).astype(float))
