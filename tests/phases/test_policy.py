"""Phase 1, policy (model/phases/policy.py), run alone under both engines."""

import numpy as np
import pytest

from model.phases.policy import apply_policy
from model.state import SERVICE_SECTORS

from .conftest import add_firm, clear_firms, column, set_lever

GENEROUS = {
    "key_rd_projects_per_year": 12000,          # 10 projects a month at 1 % scale
    "innovation_platforms_per_year": 1200,
    "application_pilots_per_year": 1200,
    "demonstration_zones_per_year": 1200,
    "rd_platforms_target": 5,
    "major_projects_per_year": 12000,
    "land_guarantee": 1.0,
    "deqing_pilot": 1,
    "zhejiang_lab_funding_100m_yuan_per_year": 120,
}
CITY_COUNTS = ("innovation_platforms", "application_pilots", "demonstration_zones",
               "rd_platforms")


def received(m) -> float:
    """All public money that arrived in an account this month."""
    return (m.state.enterprises.view("grant_month_100m_yuan").sum()
            + m.state.cities.funds_received_100m_yuan.sum()
            + m.state.funds.view("inflow_month_100m_yuan").sum())


@pytest.mark.parametrize("fiscal", [0.0, 12.0, 1e5])
def test_every_grant_is_booked_once_and_the_budget_never_goes_negative(model, fiscal):
    m = model
    for name, value in GENEROUS.items():
        set_lever(m, name, value)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", fiscal)
    e = m.state.enterprises
    for i in e.alive_rows()[:3]:          # some hosts for major projects
        e.cash_100m_yuan[i] = 100.0
        e.revenue_year_100m_yuan[i] = 5.0
    apply_policy(m)
    p = m.province
    assert p.budget_left_100m_yuan >= 0.0
    assert p.spent_month_100m_yuan == pytest.approx(received(m), rel=1e-12, abs=1e-12)
    # off-budget money: Zhejiang Lab and fund capital; the rest is the fiscal line
    off_budget = (m.lever("zhejiang_lab_funding_100m_yuan_per_year") / 12 * m.scale
                  + m.state.funds.view("inflow_month_100m_yuan").sum())
    on_budget = p.spent_month_100m_yuan - off_budget
    assert on_budget <= fiscal / 12 * m.scale + 1e-12
    assert on_budget == pytest.approx(fiscal / 12 * m.scale - p.budget_left_100m_yuan,
                                      rel=1e-12, abs=1e-12)


def test_zero_fiscal_budget_delivers_no_project(model):
    m = model
    for name, value in GENEROUS.items():
        set_lever(m, name, value)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 0.0)
    cs = m.state.cities
    before = {name: getattr(cs, name).copy() for name in CITY_COUNTS}
    cash = column(m, "enterprises", "cash_100m_yuan")
    apply_policy(m)
    for name in CITY_COUNTS:
        np.testing.assert_array_equal(getattr(cs, name), before[name], err_msg=name)
    assert m.tally.year_counts["key_rd_projects"].sum() == 0
    assert m.tally.cum["major_projects"].sum() == 0
    assert m.tally.cum["deqing_zones"].sum() == 0
    assert (m.state.enterprises.view("grant_month_100m_yuan") == 0).all()
    np.testing.assert_array_equal(m.state.enterprises.view("cash_100m_yuan"), cash)
    assert m.province.budget_left_100m_yuan == 0.0
    # unfunded incubator places are not kept beyond those in use
    assert (cs.incubator_seats <= cs.incubator_occupied).all()


def test_key_rd_projects_go_to_firms_as_rd_grants(model):
    m = model
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "key_rd_projects_per_year", 12000)
    apply_policy(m)
    P, e = m.params, m.state.enterprises
    awarded = m.tally.year_counts["key_rd_projects"].sum()
    assert awarded == 10
    grants = e.view("grant_month_100m_yuan")
    assert grants.sum() == pytest.approx(10 * P.key_rd_grant_100m_yuan)
    winners = grants > 0
    assert (e.view("grant_rd_months_left")[winners] == P.key_rd_months).all()
    assert (e.view("grant_rd_months_left")[~winners] == 0).all()
    # the whole grant is spent on R&D over the project's months
    np.testing.assert_allclose(
        e.view("grant_rd_month_100m_yuan")[winners] * P.key_rd_months, grants[winners])
    # projects counted in the winners' cities
    by_city = np.bincount(e.view("city")[winners], weights=grants[winners],
                          minlength=m.n_cities) / P.key_rd_grant_100m_yuan
    np.testing.assert_allclose(m.tally.year_counts["key_rd_projects"], by_city)


def test_a_pilot_needs_a_local_service_sector_firm(model):
    m = model
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "application_pilots_per_year", 1200)
    clear_firms(m)
    service_city = 3
    add_firm(m, city=service_city, sector=SERVICE_SECTORS[0])
    for c in range(m.n_cities):
        add_firm(m, city=c, sector=0)              # hardware firms everywhere
    before = m.state.cities.application_pilots.copy()
    apply_policy(m)
    new = m.state.cities.application_pilots - before
    assert new[service_city] > 0
    assert (np.delete(new, service_city) == 0).all()
    assert m.state.cities.funds_received_100m_yuan[service_city] >= (
        new[service_city] * m.params.pilot_cost_100m_yuan * m.scale - 1e-12)


def test_a_major_project_needs_a_host_with_cash_and_revenue(model):
    m = model
    P = m.params
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "key_rd_projects_per_year", 0)
    set_lever(m, "major_projects_per_year", 12000)     # ten offers this month
    set_lever(m, "land_guarantee", 1.0)
    size = m.lever("major_project_investment_100m_yuan_per_project")
    own, subsidy = P.major_project_own_share * size, P.major_project_subsidy_share * size
    clear_firms(m)
    host = add_firm(m, city=2, revenue_year=2 * P.exit_revenue_100m_yuan_per_year,
                    cash=3.5 * own)
    poor = add_firm(m, city=4, revenue_year=50.0, cash=0.9 * own)
    small = add_firm(m, city=5, revenue_year=0.5 * P.exit_revenue_100m_yuan_per_year,
                     cash=100.0)
    k_before = m.state.enterprises.knowledge[host]
    apply_policy(m)
    e = m.state.enterprises
    # the host pays its share each time; it can afford three projects
    assert e.major_projects[host] == 3
    assert e.major_projects[poor] == 0 and e.major_projects[small] == 0
    assert e.cash_100m_yuan[host] == pytest.approx(3.5 * own - 3 * own)
    assert e.grant_month_100m_yuan[host] == pytest.approx(3 * subsidy)
    assert e.outflow_month_100m_yuan[host] == pytest.approx(3 * (own + subsidy))
    assert e.knowledge[host] > k_before
    assert m.tally.cum["major_projects"][2] == 3
    assert m.tally.cum["major_investment"][2] == pytest.approx(3 * size)
    assert m.tally.cum["major_projects"].sum() == 3


def test_no_land_no_major_project(model):
    m = model
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "major_projects_per_year", 12000)
    set_lever(m, "land_guarantee", 0.0)
    e = m.state.enterprises
    e.cash_100m_yuan[e.alive_rows()] = 1e3
    e.revenue_year_100m_yuan[e.alive_rows()] = 10.0
    apply_policy(m)
    assert m.tally.cum["major_projects"].sum() == 0
    assert e.view("major_projects").sum() == 0


def test_zhejiang_lab_money_goes_to_hangzhou_outside_the_budget(model):
    m = model
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 0.0)
    set_lever(m, "zhejiang_lab_funding_100m_yuan_per_year", 120.0)   # 10 a month
    cs = m.state.cities
    knowledge = cs.public_knowledge.copy()
    apply_policy(m)
    lab = 10.0 * m.scale
    hz = m.hangzhou
    assert cs.funds_received_100m_yuan[hz] == pytest.approx(lab)
    assert (np.delete(cs.funds_received_100m_yuan, hz) == 0).all()
    assert m.province.budget_left_100m_yuan == 0.0
    assert m.tally.year_counts["public_rd"][hz] == pytest.approx(lab)
    assert cs.public_knowledge[hz] == pytest.approx(
        knowledge[hz] + m.params.public_knowledge_per_100m_yuan * 10.0)
    np.testing.assert_array_equal(np.delete(cs.public_knowledge, hz), np.delete(knowledge, hz))


def test_fund_capital_is_paid_into_the_provinces_funds(model):
    m = model
    set_lever(m, "guidance_fund_capital_100m_yuan_per_year", 12.0)
    set_lever(m, "angel_vc_fund_support_100m_yuan_per_year", 24.0)
    set_lever(m, "provincial_science_fund_100m_yuan_per_year", 36.0)
    f = m.state.funds
    dry = column(m, "funds", "dry_powder_100m_yuan")
    apply_policy(m)
    s = m.scale
    for row, monthly in ((m.guidance_fund_row, 1.0), (m.angel_guidance_row, 2.0),
                         (m.science_fund_row, 3.0)):
        assert f.dry_powder_100m_yuan[row] - dry[row] == pytest.approx(monthly * s)
        assert f.inflow_month_100m_yuan[row] == pytest.approx(monthly * s)
        assert f.government_capital_100m_yuan[row] == pytest.approx(monthly * s)
    # the science fund is not guidance capital
    assert m.tally.cum["guidance_capital"].sum() == pytest.approx(3.0 * s)
    assert m.tally.cum["guidance_capital"][m.hangzhou] == pytest.approx(3.0 * s)
