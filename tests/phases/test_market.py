"""Phase 6, market (model/phases/market.py), run alone under both engines."""

import numpy as np
import pytest

import model.phases.market as market_phase
from model.phases.market import market
from model.state import ENGINEER, N_SECTORS, N_TIERS

from .conftest import add_firm, cache_as_labour_market, clear_firms, column

DEMAND = np.arange(1.0, N_SECTORS + 1.0)        # sector s sells s + 1 (1e8 yuan) a month

FLOWS = ("cash_100m_yuan", "inflow_month_100m_yuan", "outflow_month_100m_yuan",
         "revenue_ytd_100m_yuan", "revenue_year_100m_yuan", "profit_ytd_100m_yuan")


@pytest.fixture
def fixed_demand(monkeypatch):
    monkeypatch.setattr(market_phase, "sector_demand",
                        lambda model: (DEMAND.copy(), 0.5, 100.0))


def test_revenue_is_shared_in_proportion_to_market_share_within_a_sector(model, fixed_demand):
    m = model
    m.params.demand_shock_sd_per_month = 0.0
    clear_firms(m)
    sector2 = [add_firm(m, sector=2, market_share=s, knowledge=1.5) for s in (0.1, 0.3, 0.6)]
    alone = add_firm(m, sector=4, market_share=0.02, knowledge=3.0)
    cache_as_labour_market(m)
    market(m)
    e = m.state.enterprises
    revenue = e.revenue_month_100m_yuan
    np.testing.assert_allclose(revenue[sector2], DEMAND[2] * np.array([0.1, 0.3, 0.6]),
                               rtol=1e-14)
    assert revenue[alone] == pytest.approx(DEMAND[4], rel=1e-14)
    assert revenue[e.alive_rows()].sum() == pytest.approx(DEMAND[2] + DEMAND[4])
    assert m.economy.revenue_history[-1] == pytest.approx((DEMAND[2] + DEMAND[4]) / m.scale)


def test_the_more_competitive_firm_gains_share(model, fixed_demand):
    m = model
    m.params.demand_shock_sd_per_month = 0.0
    clear_firms(m)
    laggard = add_firm(m, sector=1, market_share=0.5, knowledge=1.0)
    leader = add_firm(m, sector=1, market_share=0.5, knowledge=2.0)
    cache_as_labour_market(m)
    market(m)
    e = m.state.enterprises
    assert e.market_share[leader] > 0.5 > e.market_share[laggard]
    assert e.revenue_month_100m_yuan[leader] > e.revenue_month_100m_yuan[laggard]
    assert e.revenue_month_100m_yuan[[leader, laggard]].sum() == pytest.approx(DEMAND[1])


def test_a_labour_shortage_cuts_revenue(model, fixed_demand):
    m = model
    m.params.demand_shock_sd_per_month = 0.0
    clear_firms(m)
    short = add_firm(m, sector=0, market_share=0.5)
    staffed = add_firm(m, sector=0, market_share=0.5)
    need = np.zeros((m.state.enterprises.n, N_TIERS))
    need[[short, staffed], ENGINEER] = 10
    cache_as_labour_market(m, need)
    m.cache.staff[short, ENGINEER] = 5
    m.cache.staff[staffed, ENGINEER] = 10
    market(m)
    revenue = m.state.enterprises.revenue_month_100m_yuan
    assert revenue[staffed] == pytest.approx(DEMAND[0] / 2)
    assert revenue[short] == pytest.approx(
        DEMAND[0] / 2 * 0.5 ** m.params.labour_shortage_revenue_elasticity)


def test_costs_and_tax_are_booked(model):
    m = model
    P, e = m.params, m.state.enterprises
    alive = e.view("alive").copy()
    e.rd_month_100m_yuan[: e.n] = 0.01 * np.arange(e.n)          # as innovation spent
    cache_as_labour_market(m)
    before = {name: column(m, "enterprises", name) for name in FLOWS}
    market(m)
    d = {name: e.view(name) - before[name] for name in FLOWS}
    revenue = e.view("revenue_month_100m_yuan")
    # cash moves by what came in less what went out
    np.testing.assert_allclose(d["cash_100m_yuan"],
                               d["inflow_month_100m_yuan"] - d["outflow_month_100m_yuan"],
                               atol=1e-14)
    np.testing.assert_allclose(d["inflow_month_100m_yuan"][alive], revenue[alive], atol=1e-15)
    np.testing.assert_allclose(d["revenue_ytd_100m_yuan"][alive], revenue[alive], atol=1e-15)
    np.testing.assert_allclose(e.view("revenue_year_100m_yuan")[alive],
                               before["revenue_year_100m_yuan"][alive] * 11 / 12
                               + revenue[alive], rtol=1e-14)
    # outflow = costs + tax, profit = revenue - costs - R&D, tax on positive profit only
    profit = d["profit_ytd_100m_yuan"]
    costs = revenue - e.view("rd_month_100m_yuan") - profit
    tax = d["outflow_month_100m_yuan"] - costs
    rate = max(0.0, P.corporate_tax_rate - m.lever("tax_incentive_pct_points") / 100)
    np.testing.assert_allclose(tax[alive], rate * np.maximum(profit[alive], 0.0), atol=1e-14)
    wages = (m.cache.staff * m.economy.wages).sum(axis=1) * m.state.cities.wage_index[
        e.view("city")] / 12
    assert (costs[alive] >= wages[alive] + P.opex_share_of_revenue * revenue[alive]
            - 1e-14).all()
    for name in FLOWS:                                     # closed firms are not touched
        assert (d[name][~alive] == 0).all()


def test_an_incubated_firm_pays_less_fixed_cost(model, fixed_demand):
    m = model
    m.params.demand_shock_sd_per_month = 0.0
    clear_firms(m)
    tenant = add_firm(m, sector=3, market_share=0.5, cash=1.0, incubated_until=m.month + 5)
    outside = add_firm(m, sector=3, market_share=0.5, cash=1.0)
    cache_as_labour_market(m)
    market(m)
    e, P = m.state.enterprises, m.params
    saving = P.startup_fixed_cost_100m_yuan_per_month * P.incubator_cost_discount
    assert saving > 0
    assert e.cash_100m_yuan[tenant] - e.cash_100m_yuan[outside] == pytest.approx(
        saving * (1 - max(0.0, P.corporate_tax_rate - m.lever("tax_incentive_pct_points") / 100)
                  * (e.profit_ytd_100m_yuan[outside] > 0)))


def test_a_fully_staffed_firm_has_no_labour_shortage(model, fixed_demand):
    m = model
    m.params.demand_shock_sd_per_month = 0.0
    clear_firms(m)
    firm = add_firm(m, sector=0, market_share=1.0)
    need = np.zeros((m.state.enterprises.n, N_TIERS))
    need[firm] = [2, 1, 3, 10, 20]
    cache_as_labour_market(m, need)
    m.cache.staff[firm] = [2, 1, 3, 10, 20]
    market(m)
    assert m.state.enterprises.revenue_month_100m_yuan[firm] == pytest.approx(DEMAND[0])


def test_a_years_share_growth_is_tent_shaped_by_the_yearly_variance_draw(model, fixed_demand):
    """A firm draws its demand-shock variance once a year (exponential, mean 1;
    `rules.opportunity_variance`): a year's log share change is a normal with exponential
    variance, i.e. Laplace (excess kurtosis 3, where a fixed variance gives 0), with the
    variance of twelve monthly shocks; the next year's variance is a new draw."""
    from scipy import stats

    m = model
    m.params.growth_spread_size_elasticity = 0.0        # the same s.d. at every size
    sd = m.params.demand_shock_sd_per_month = 0.05
    clear_firms(m)
    rows = [add_firm(m, sector=0, market_share=1e-3) for _ in range(3000)]
    shares = [m.state.enterprises.market_share[rows].copy()]
    for month in range(24):
        m.month = month
        m.begin_month()
        cache_as_labour_market(m)
        market(m)
        if month % 12 == 11:
            shares.append(m.state.enterprises.market_share[rows].copy())
    years = [np.log(b / a) for a, b in zip(shares, shares[1:])]
    for growth in years:
        assert stats.kurtosis(growth) > 1.5
        assert growth.var() == pytest.approx(12 * sd * sd, rel=0.15)
    # redrawn each January: a firm's volatile year says nothing about its next
    assert abs(np.corrcoef(np.abs(years[0]), np.abs(years[1]))[0, 1]) < 0.1
