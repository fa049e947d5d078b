"""Phase 5, innovation (model/phases/innovation.py), run alone under both engines."""

import numpy as np
import pytest

from model import rules, streams
from model.phases.innovation import expected_best_knowledge, innovation

from .conftest import (
    add_firm,
    cache_as_labour_market,
    clear_firms,
    column,
    kill,
    set_lever,
)

FIRM_STATE = ("cash_100m_yuan", "outflow_month_100m_yuan", "rd_ytd_100m_yuan", "knowledge",
              "invention_patents", "core_patents", "standards")


def snapshot(m) -> dict:
    return {name: column(m, "enterprises", name) for name in FIRM_STATE}


def only_own_innovation(m) -> None:
    """No imitation and no international catch-up: knowledge moves by innovation only."""
    m.params.imitation_rate_per_month = 0.0
    set_lever(m, "international_cooperation", 0.0)


def test_rd_is_paid_out_of_cash_and_booked(model):
    m = model
    P, e = m.params, m.state.enterprises
    granted = e.alive_rows()[0]
    e.grant_rd_months_left[granted] = 2
    e.grant_rd_month_100m_yuan[granted] = 0.5
    dead = e.alive_rows()[-1]
    kill(m, "enterprises", [dead])
    cache_as_labour_market(m)
    before = snapshot(m)
    firm_rd = m.tally.year_counts["firm_rd"].copy()
    innovation(m)
    rd = e.view("rd_month_100m_yuan")
    alive = e.view("alive")
    assert (rd[alive] > 0).all()
    np.testing.assert_allclose(before["cash_100m_yuan"] - e.view("cash_100m_yuan"), rd * alive,
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(e.view("outflow_month_100m_yuan")
                               - before["outflow_month_100m_yuan"], rd * alive, atol=1e-15)
    np.testing.assert_allclose(e.view("rd_ytd_100m_yuan") - before["rd_ytd_100m_yuan"],
                               rd * alive, atol=1e-15)
    np.testing.assert_allclose(m.tally.year_counts["firm_rd"] - firm_rd,
                               np.bincount(e.view("city")[alive], weights=rd[alive],
                                           minlength=m.n_cities))
    # the key R&D grant is spent on top of own R&D, one month of it
    assert e.grant_rd_months_left[granted] == 1
    relief = m.lever("tax_incentive_pct_points") / 100 / (1 - P.corporate_tax_rate)
    intensity = P.rd_intensity * (1 + P.rd_user_cost_elasticity * relief)
    own = intensity * e.revenue_month_100m_yuan[granted]
    if e.revenue_year_100m_yuan[granted] < P.register_threshold_100m_yuan_per_year:
        own = max(own, P.startup_rd_share_of_cash_per_month * before["cash_100m_yuan"][granted])
    assert rd[granted] == pytest.approx(own + 0.5)
    # a closed firm does nothing
    assert e.cash_100m_yuan[dead] == before["cash_100m_yuan"][dead]
    assert e.knowledge[dead] == before["knowledge"][dead]


def test_certain_innovation_raises_knowledge(model):
    m = model
    only_own_innovation(m)
    m.params.innovation_rate_per_100m_yuan = 1e12       # probability 1 with any R&D
    cache_as_labour_market(m)
    k = column(m, "enterprises", "knowledge")
    alive = m.state.enterprises.view("alive").copy()
    frontier = m.economy.frontier               # this month's (the phase then moves it)
    innovation(m)
    after = m.state.enterprises.view("knowledge")
    # each firm's step is exponential in its own second draw of the phase
    u = streams.uniforms(m.draw_key, np.flatnonzero(alive), 1)
    P = m.params
    mean_step = np.array([rules.innovation_step(P.innovation_step_mean, x, frontier,
                                                P.ideas_harder_beyond_frontier)
                          for x in k[alive]])
    np.testing.assert_allclose(after[alive], k[alive] * np.exp(mean_step * -np.log(u)),
                               rtol=1e-13)
    assert (after[alive] > k[alive]).all()


def test_ideas_are_harder_to_find_ahead_of_the_frontier(model):
    """Two firms with the same draws: the one far ahead of the frontier gains less."""
    m = model
    only_own_innovation(m)
    m.params.innovation_rate_per_100m_yuan = 1e12
    m.params.ideas_harder_beyond_frontier = 2.0
    cache_as_labour_market(m)
    e = m.state.enterprises
    rows = e.alive_rows()
    frontier = m.economy.frontier
    e.knowledge[rows] = np.where(np.arange(len(rows)) % 2 == 0, 0.5, 4.0) * frontier
    k = e.knowledge[rows].copy()
    innovation(m)
    log_gain = np.log(e.knowledge[rows] / k)
    u = streams.uniforms(m.draw_key, rows, 1)
    per_draw = log_gain / -np.log(u)            # the mean step each firm innovated with
    behind, ahead = per_draw[k < frontier], per_draw[k > frontier]
    np.testing.assert_allclose(behind, m.params.innovation_step_mean, rtol=1e-9)
    np.testing.assert_allclose(ahead, m.params.innovation_step_mean / 16, rtol=1e-9)


def test_without_innovation_or_imitation_knowledge_stays(model):
    m = model
    only_own_innovation(m)
    m.params.innovation_rate_per_100m_yuan = 0.0
    cache_as_labour_market(m)
    k = column(m, "enterprises", "knowledge")
    innovation(m)
    np.testing.assert_array_equal(m.state.enterprises.view("knowledge"), k)


def test_patents_are_counted_into_the_year(model):
    m = model
    m.params.patents_per_100m_yuan_rd = 1e3
    cache_as_labour_market(m)
    before = snapshot(m)
    core_year = m.tally.year_counts["core_patents_granted"].copy()
    innovation(m)
    e = m.state.enterprises
    new = e.view("invention_patents") - before["invention_patents"]
    core = e.view("core_patents") - before["core_patents"]
    assert new.sum() > 0 and core.sum() > 0
    assert ((core >= 0) & (core <= new)).all()
    np.testing.assert_array_equal(
        m.tally.year_counts["core_patents_granted"] - core_year,
        np.bincount(e.view("city"), weights=core, minlength=m.n_cities))


def test_imitation_moves_knowledge_toward_the_citys_best_never_above(model):
    m = model
    set_lever(m, "international_cooperation", 0.0)
    m.params.innovation_rate_per_100m_yuan = 0.0
    m.params.imitation_rate_per_month = 10.0            # probability 1
    clear_firms(m)
    city0 = [add_firm(m, city=0, knowledge=k) for k in (1.0, 2.0, 5.0)]
    city1 = [add_firm(m, city=1, knowledge=k) for k in (0.5, 0.8)]
    ghost = add_firm(m, city=0, knowledge=100.0)          # closed: nobody imitates it
    kill(m, "enterprises", [ghost])
    cache_as_labour_market(m)
    k = column(m, "enterprises", "knowledge")
    best = expected_best_knowledge(m)
    assert best[0] < 100.0 and best[2] == 0.0            # dead firms and empty cities
    innovation(m)
    after = m.state.enterprises.knowledge
    catch_up = m.params.imitation_catch_up
    for firms, c in ((city0, 0), (city1, 1)):
        for i in firms:
            expected = k[i] + catch_up * max(0.0, best[c] - k[i])
            assert after[i] == pytest.approx(expected, rel=1e-14)
            assert k[i] <= after[i] <= max(best[c], k[i])
    assert after[ghost] == 100.0


def test_the_citys_best_is_the_1_1_economys_at_every_scale(model):
    """A 10% sample (scale 0.1) of a city's 2,000 firms aims at the same best as the whole
    city at 1:1, where the sample's own best firm lies well below it."""
    m = model
    rng = np.random.default_rng(5)
    log_k = 0.3 * rng.standard_normal(2000)
    clear_firms(m)
    for x in log_k:
        add_firm(m, city=0, knowledge=float(np.exp(x)))
    m.scale = 1.0
    whole = expected_best_knowledge(m)[0]
    assert whole == pytest.approx(np.exp(log_k).max(), rel=0.1)
    clear_firms(m)
    sample = log_k[rng.permutation(2000)[:200]]
    for x in sample:
        add_firm(m, city=0, knowledge=float(np.exp(x)))
    m.scale = 0.1
    scaled = expected_best_knowledge(m)[0]
    assert scaled == pytest.approx(whole, rel=0.06)
    assert np.exp(sample).max() < scaled * 0.97


def test_leading_firms_join_standards(model):
    m = model
    P = m.params
    P.standard_rate_per_leading_firm_per_year = 24.0    # probability >= 1
    clear_firms(m)
    leading = add_firm(m, city=3, revenue_year=2 * P.leading_revenue_100m_yuan_per_year,
                       invention_patents=int(P.leading_min_invention_patents))
    few_patents = add_firm(m, city=3, revenue_year=2 * P.leading_revenue_100m_yuan_per_year,
                           invention_patents=int(P.leading_min_invention_patents) - 10)
    small = add_firm(m, city=4, revenue_year=1.0, invention_patents=1000)
    m.params.patents_per_100m_yuan_rd = 0.0
    cache_as_labour_market(m)
    innovation(m)
    e = m.state.enterprises
    assert e.standards[leading] == 1
    assert e.standards[few_patents] == 0 and e.standards[small] == 0
    assert m.tally.year_counts["standards"][3] == 1
    assert m.tally.year_counts["standards"].sum() == 1
