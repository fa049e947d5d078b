"""Mesa agents: thin views on a row of the column-wise state.

Each attribute named like a state column (`revenue_month_100m_yuan`, `tier`, ...) reads
and writes the model's arrays, so agents and kernels always see one state. The agents'
behaviour (the mesa engine, called in row order through `AgentSet.do`) is written in the
phase modules beside the numba kernel of the same rule, and bound here as methods:

    City.adopt                  phases/adoption.py
    Enterprise.innovate         phases/innovation.py
    Enterprise.compete, .sell   phases/market.py
    Enterprise.check_exit       phases/entry_exit.py
    Talent.live_month           phases/talent_month.py, which calls in turn
    Talent.age_and_learn        phases/talent_supply.py
    Talent.review_location      phases/talent_migration.py
    Talent.consider_layoff      phases/labour_market.py
    Talent.seek_job             phases/labour_market.py
    Talent.consider_founding    phases/entry_exit.py
    Fund.invest                 phases/finance.py
"""

from __future__ import annotations

import itertools
import weakref

import mesa

from .phases import (
    adoption,
    entry_exit,
    finance,
    innovation,
    labour_market,
    market,
    talent_migration,
    talent_month,
    talent_supply,
)
from .state import ENTERPRISE_COLUMNS, FUND_COLUMNS, TALENT_COLUMNS, TIERS, CityState


class _IdCountersByModel(weakref.WeakKeyDictionary):
    """Mesa's per-model counters of agent ids (`mesa.Agent._ids`), holding each model weakly.

    Mesa 3.3 keeps them in a class-level defaultdict keyed by the model, so every model
    ever built stayed alive with all its state: a calibration worker that ran some 3,000
    models grew by 1.5 MB a run, to 4 GB. Agents keep their model alive, so a model's
    counter lives exactly as long as the model or one of its agents."""

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = itertools.count(1)
            self[model] = counter
            return counter


mesa.Agent._ids = _IdCountersByModel(mesa.Agent._ids)


def _column_property(column: str, doc: str):
    """An attribute that reads and writes row `self.row` of one state column."""

    def fget(self):
        return getattr(self._pop, column)[self.row]

    def fset(self, value):
        getattr(self._pop, column)[self.row] = value

    return property(fget, fset, doc=doc)


class RowView(mesa.Agent):
    """A Mesa agent bound to row `row` of one population of `model.state`."""

    population = ""

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = int(row)
        # the population object is stable; its arrays may be replaced when capacity grows
        self._pop = getattr(model.state, self.population)

    def __repr__(self):
        return f"{type(self).__name__}(row={self.row})"


def _add_columns(cls, columns: dict):
    for name, spec in columns.items():
        doc = spec[1] if isinstance(spec, tuple) else spec
        setattr(cls, name, _column_property(name, doc))
    return cls


class City(RowView):
    """One of Zhejiang's 11 prefectures; the Bass adoption of AI happens here."""

    population = "cities"
    adopt = adoption.adopt

    @property
    def name(self) -> str:
        return self.model.city_names[self.row]


class Enterprise(RowView):
    """An AI firm: sells, hires, does R&D, raises money, may exit."""

    population = "enterprises"
    innovate = innovation.innovate
    compete = market.compete
    sell = market.sell
    check_exit = entry_exit.check_exit

    @property
    def city_name(self) -> str:
        return self.model.city_names[self.city]


class Talent(RowView):
    """An AI professional of one of the plan's five tiers (一.(三))."""

    population = "talent"
    live_month = talent_month.live_month
    age_and_learn = talent_supply.age_and_learn
    review_location = talent_migration.review_location
    consider_layoff = labour_market.consider_layoff
    seek_job = labour_market.seek_job
    consider_founding = entry_exit.consider_founding

    @property
    def tier_name(self) -> str:
        return TIERS[self.tier]


class Fund(RowView):
    """A guidance, angel/VC, industrial or science fund (三.(一))."""

    population = "funds"
    invest = finance.invest


_add_columns(City, CityState.COLUMNS)
_add_columns(Enterprise, ENTERPRISE_COLUMNS)
_add_columns(Talent, TALENT_COLUMNS)
_add_columns(Fund, FUND_COLUMNS)
