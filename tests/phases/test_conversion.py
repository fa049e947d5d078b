"""Incumbents turning to AI (model/phases/conversion.py, 二.(五).2), inside phase 7 and
alone, under both engines."""

import numpy as np
import pytest

from model.ledger import FIRMS, HOUSEHOLDS
from model.phases.conversion import conversions_due, convert_incumbents
from model.phases.entry_exit import entry_exit

from .conftest import cache_as_labour_market, small_model
from .test_entry_exit import no_founding


def converting(m, rate: float, adoption: float) -> None:
    no_founding(m)
    m.params.incumbent_conversion_rate_per_year = rate
    m.state.cities.adoption[:] = adoption


def test_converted_incumbents_enter_as_firms_with_revenue_and_cash(model):
    m = model
    converting(m, rate=3.0, adoption=0.5)
    e, cs, P = m.state.enterprises, m.state.cities, m.params
    stock_before = cs.adjacent_incumbents.copy()
    n_before = e.n
    cache_as_labour_market(m)
    entry_exit(m)
    new = np.arange(n_before, e.n)
    assert len(new) > 0
    assert m.tally.year_counts["conversions"].sum() == len(new)
    assert m.tally.firm_flows["entries"] == len(new)
    assert e.alive[new].all() and (e.birth_month[new] == m.month).all()
    cash = P.converted_cash_years_of_revenue * P.converted_ai_revenue_100m_yuan_per_year
    assert np.allclose(e.cash_100m_yuan[new], cash)
    assert (e.market_share[new] > 0).all() and (e.incubated_until[new] == -1).all()
    # the stock of incumbents shrinks by the real firms that converted (agents / scale),
    # and never below zero
    taken = stock_before - cs.adjacent_incumbents
    per_city = np.bincount(e.city[new], minlength=m.n_cities)
    assert np.allclose(taken, np.minimum(per_city / m.scale, stock_before))
    assert (cs.adjacent_incumbents >= 0).all()
    assert (per_city <= np.ceil(stock_before * m.scale)).all()
    # the parents' owners paid the new lines' cash
    assert m.ledger.month[HOUSEHOLDS, FIRMS] == pytest.approx(cash * len(new))
    # they have no AI staff yet
    assert not np.isin(m.state.talent.employer[: m.state.talent.n], new).any()


def test_no_conversions_without_adoption_or_rate(model):
    m = model
    converting(m, rate=3.0, adoption=0.0)
    assert conversions_due(m).sum() == 0
    converting(m, rate=0.0, adoption=0.8)
    assert conversions_due(m).sum() == 0


def test_conversions_rise_with_adoption_and_follow_the_stock():
    """Demand pull: more adoption, more conversions; cities without incumbents get none."""
    counts = []
    for adoption in (0.1, 0.6):
        m = small_model("numba", scale=0.1)
        m.begin_month()
        converting(m, rate=1.0, adoption=adoption)
        m.state.cities.adjacent_incumbents[3] = 0.0
        due = sum(conversions_due(m) for _ in range(24))
        assert due[3] == 0
        counts.append(due.sum())
    assert counts[1] > 3 * counts[0] > 0


def test_the_census_gets_an_empty_row_per_converted_firm(model):
    m = model
    converting(m, rate=3.0, adoption=0.5)
    census = m.census()
    n_before = m.state.enterprises.n
    out = convert_incumbents(m, census)
    added = m.state.enterprises.n - n_before
    assert added > 0
    assert out.heads.shape[0] == census.heads.shape[0] + added
    assert (out.heads[-added:] == 0).all()
    assert convert_incumbents(m, None) is None
