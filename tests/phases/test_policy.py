"""Phase 1, policy (model/phases/policy.py, model/province.py), run alone under both engines:
programmes deliver through eligible applicants, under a budget that binds, with delays and
failures; planned and delivered are counted apart; every payment is booked once."""

import numpy as np
import pytest

from model.ledger import CITIES, FIRMS, FUNDS, HOUSEHOLDS, PROVINCE, TREASURY
from model.phases.policy import apply_policy, complete_projects, planned_costs
from model.state import HIGH_END, SERVICE_SECTORS

from .conftest import add_firm, add_talent, clear_firms, column, set_lever

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


def research_firm(m, city=0, cash=10.0, **values) -> int:
    """A firm with two high-end R&D staff and cash to co-finance a key R&D project."""
    i = add_firm(m, city=city, cash=cash, **values)
    add_talent(m, 2, tier=HIGH_END, city=city, employer=i)
    m.cache.staff = m.heads_by_firm()
    m.cache.talent_counts = m.talent_by_city_tier()
    return i


@pytest.mark.parametrize("fiscal", [0.0, 12.0, 1e5])
def test_every_payment_is_booked_once_and_spending_stays_within_the_budget(model, fiscal):
    m = model
    for name, value in GENEROUS.items():
        set_lever(m, name, value)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", fiscal)
    for c in range(3):
        research_firm(m, city=c, cash=100.0, revenue_year=5.0)
    apply_policy(m)
    p, lg, e, f, cs = m.province, m.ledger, m.state.enterprises, m.state.funds, m.state.cities
    assert p.budget_left_100m_yuan >= 0.0
    assert p.spending_year_100m_yuan <= p.budget_year_100m_yuan + 1e-12
    # what the province paid is what firms, cities, funds and recruits received
    paid = lg.month[PROVINCE].sum() - lg.month[PROVINCE, TREASURY]
    assert p.spent_month_100m_yuan == pytest.approx(paid, rel=1e-12, abs=1e-12)
    assert lg.month[PROVINCE, FIRMS] == pytest.approx(e.view("grant_month_100m_yuan").sum())
    assert lg.month[PROVINCE, CITIES] == pytest.approx(cs.funds_received_100m_yuan.sum())
    assert lg.month[PROVINCE, FUNDS] == pytest.approx(f.view("inflow_month_100m_yuan").sum())
    # the fiscal line: what was appropriated and is not left was spent on programmes
    lines = (m.lever("zhejiang_lab_funding_100m_yuan_per_year") / 12 * m.scale
             + f.view("inflow_month_100m_yuan").sum())
    on_budget = p.spent_month_100m_yuan - lines
    assert on_budget == pytest.approx(fiscal * m.scale - p.budget_left_100m_yuan,
                                      rel=1e-12, abs=1e-12)
    assert lg.month[PROVINCE, HOUSEHOLDS] <= on_budget + 1e-12      # talent subsidies


def test_zero_fiscal_budget_delivers_no_project(model):
    m = model
    for name, value in GENEROUS.items():
        set_lever(m, name, value)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 0.0)
    research_firm(m, cash=100.0, revenue_year=5.0)
    cash = column(m, "enterprises", "cash_100m_yuan")
    apply_policy(m)
    assert m.province.pipeline == []
    assert m.tally.year_counts["key_rd_projects"].sum() == 0
    assert (m.state.enterprises.view("grant_month_100m_yuan") == 0).all()
    np.testing.assert_array_equal(m.state.enterprises.view("cash_100m_yuan"), cash)
    assert sum(m.province.refused_year.values()) > 0            # refused for lack of money
    cs = m.state.cities
    assert (cs.incubator_seats <= cs.incubator_occupied).all()  # unfunded places not kept


def test_a_budget_below_the_plan_cuts_every_programme_in_proportion(model):
    m = model
    for name, value in GENEROUS.items():
        set_lever(m, name, value)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    planned = planned_costs(m)
    total = sum(planned.values())
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 0.25 * total / m.scale)
    apply_policy(m)
    p = m.province
    assert sum(planned.values()) > 0
    for name, cost in planned.items():
        assert p.allocated[name] == pytest.approx(0.25 * cost), name
        assert 0.0 <= p.allocation[name] <= p.allocated[name] + 1e-12, name


def test_key_rd_projects_go_to_eligible_firms_as_cofinanced_rd(model):
    m = model
    P = m.params
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "key_rd_projects_per_year", 12000)
    clear_firms(m)
    winners = [research_firm(m, city=c) for c in range(3)]
    no_staff = add_firm(m, city=4, cash=10.0, knowledge=5.0)
    poor = research_firm(m, city=5, cash=0.5 * P.key_rd_cofinance_ratio * P.key_rd_grant_100m_yuan)
    apply_policy(m)
    e = m.state.enterprises
    grant = P.key_rd_grant_100m_yuan
    assert m.tally.year_counts["key_rd_projects"].sum() == 3    # one per eligible firm a month
    for i in winners:
        assert e.grant_month_100m_yuan[i] == pytest.approx(grant)
        assert e.grant_rd_months_left[i] == P.key_rd_months
        # the grant and the firm's net additional own R&D are spent over the project's months
        assert e.grant_rd_month_100m_yuan[i] * P.key_rd_months == pytest.approx(
            grant * (1 + P.key_rd_own_rd_additionality))
    assert e.grant_month_100m_yuan[no_staff] == 0 and e.grant_month_100m_yuan[poor] == 0


def test_a_pilot_is_a_contract_with_a_local_service_firm_and_runs_after_its_setup(model):
    m = model
    P = m.params
    P.pilot_failure_share = 0.0
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "application_pilots_per_year", 1200)
    clear_firms(m)
    service_city = 3
    provider = add_firm(m, city=service_city, sector=SERVICE_SECTORS[0])
    for c in range(m.n_cities):
        add_firm(m, city=c, sector=0)              # hardware firms everywhere
    before = m.state.cities.application_pilots.copy()
    apply_policy(m)
    cs, e = m.state.cities, m.state.enterprises
    np.testing.assert_array_equal(cs.application_pilots, before)      # not yet running
    contracts = e.grant_month_100m_yuan[provider] / (P.pilot_cost_100m_yuan * m.scale)
    assert contracts >= 1 and (e.view("grant_month_100m_yuan") > 0).sum() == 1
    complete_projects(m)                                              # too early
    np.testing.assert_array_equal(cs.application_pilots, before)
    m.month += int(P.pilot_setup_months)
    complete_projects(m)
    new = cs.application_pilots - before
    assert new[service_city] == pytest.approx(contracts)
    assert (np.delete(new, service_city) == 0).all()


def test_a_major_project_needs_a_host_with_cash_and_revenue_and_is_realised_later(model):
    # projects are lumpy: a scaled run delivers the 1:1 number, each moving `scale` times
    # its money, and a host needs the per-firm cash for its share before each project
    m = model
    P, s = m.params, m.scale
    P.major_project_size_dispersion = 0.0
    P.major_project_failure_share = 0.0
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "key_rd_projects_per_year", 0)
    set_lever(m, "major_projects_per_year", 120)       # ten offers this month
    set_lever(m, "land_guarantee", 1.0)
    size = m.lever("major_project_investment_100m_yuan_per_project")
    own, subsidy = P.major_project_own_share * size, P.major_project_subsidy_share * size
    clear_firms(m)
    host = add_firm(m, city=2, revenue_year=2 * P.exit_revenue_100m_yuan_per_year,
                    cash=own * (1.0 + 2.5 * s))
    poor = add_firm(m, city=4, revenue_year=50.0, cash=0.9 * own)
    small = add_firm(m, city=5, revenue_year=0.5 * P.exit_revenue_100m_yuan_per_year,
                     cash=100.0)
    k_before = m.state.enterprises.knowledge[host]
    apply_policy(m)
    e = m.state.enterprises
    # the host pays its share each time; it can afford three projects
    assert e.cash_100m_yuan[host] == pytest.approx(own * (1.0 - 0.5 * s))
    assert e.grant_month_100m_yuan[host] == pytest.approx(3 * subsidy * s)
    assert e.outflow_month_100m_yuan[host] == pytest.approx(3 * (own + subsidy) * s)
    assert e.major_projects[host] == 0 and m.tally.cum["major_projects"].sum() == 0
    assert m.tally.planned["major_projects"] == pytest.approx(10.0)
    m.month += int(P.major_project_lead_months)
    complete_projects(m)
    assert e.major_projects[host] == 3
    assert e.major_projects[poor] == 0 and e.major_projects[small] == 0
    assert e.knowledge[host] > k_before
    assert m.tally.cum["major_projects"][2] == 3
    assert m.tally.cum["major_investment"][2] == pytest.approx(3 * size)


def test_failed_items_are_counted_and_not_delivered(model):
    m = model
    P = m.params
    P.rd_platform_failure_share = 1.0
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "rd_platforms_target", 2)
    P.rd_platform_min_high_end = 0
    apply_policy(m)
    assert m.province.under_way("rd_platforms") == 2
    m.month += int(P.rd_platform_build_months)
    complete_projects(m)
    assert m.state.cities.rd_platforms.sum() == 0
    assert m.tally.cum["failed_projects"].sum() == 2
    assert m.tally.planned["rd_platforms"] == 2


def test_no_land_no_major_project(model):
    m = model
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    set_lever(m, "major_projects_per_year", 12000)
    set_lever(m, "land_guarantee", 0.0)
    e = m.state.enterprises
    e.cash_100m_yuan[e.alive_rows()] = 1e3
    e.revenue_year_100m_yuan[e.alive_rows()] = 10.0
    apply_policy(m)
    assert m.province.under_way("major_projects") == 0
    assert (e.view("grant_month_100m_yuan") == 0).all()


def test_unspent_money_carries_over_one_year_then_lapses(model):
    m = model
    for name in GENEROUS:
        set_lever(m, name, 0)
    for name in ("incubator_seats", "guidance_fund_capital_100m_yuan_per_year",
                 "angel_vc_fund_support_100m_yuan_per_year",
                 "provincial_science_fund_100m_yuan_per_year"):
        set_lever(m, name, 0)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 12.0)
    for name in ("talent_program_top_scientists_per_year",
                 "talent_program_leading_entrepreneurs_per_year",
                 "talent_program_high_end_rd_per_year", "talent_program_engineers_per_year",
                 "talent_program_high_skill_per_year"):
        set_lever(m, name, 0)
    apply_policy(m)                                   # January 2017: 12 appropriated, unspent
    p, s = m.province, m.scale
    assert p.budget_left_100m_yuan == pytest.approx(12.0 * s)
    m.month = 12
    m.ledger.begin_month(True)
    apply_policy(m)                                   # 2018: carried over plus new money
    assert p.carry_100m_yuan == pytest.approx(12.0 * s)
    assert p.budget_year_100m_yuan == pytest.approx(24.0 * s)
    m.month = 24
    m.ledger.begin_month(True)
    apply_policy(m)                                   # 2019: the 2017 money lapses
    assert m.ledger.month[PROVINCE, TREASURY] == pytest.approx(12.0 * s)
    assert p.budget_year_100m_yuan == pytest.approx(24.0 * s)


def test_zhejiang_lab_money_goes_to_hangzhou_on_its_own_line(model):
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
    assert m.province.spending_year_100m_yuan >= lab
    assert m.tally.year_counts["public_rd"][hz] == pytest.approx(lab)
    assert cs.public_knowledge[hz] == pytest.approx(
        knowledge[hz] + m.params.public_knowledge_per_100m_yuan * 10.0)
    np.testing.assert_array_equal(np.delete(cs.public_knowledge, hz), np.delete(knowledge, hz))


def test_fund_capital_is_paid_into_the_provinces_funds_and_planned(model):
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
    # planned guidance capital (1:1 units) excludes the science fund; delivered capital
    # counts only when a sub-fund closes (finance phase)
    assert m.tally.planned["guidance_capital"] == pytest.approx(3.0)
    assert m.tally.cum["guidance_capital"].sum() == 0.0


def test_the_provinces_allocations_are_read_only_views_of_its_arrays(model):
    m = model
    apply_policy(m)
    p = m.province
    assert dict(p.allocation) == dict(zip(p.allocation, p.allocation_100m_yuan.tolist()))
    assert sum(p.refused_year.values()) == int(p.refused.sum())
    with pytest.raises(TypeError):
        p.allocation["key_rd"] = 1e9        # a write would be lost: it is refused instead
    before = p.budget_left_100m_yuan
    assert p.spend("key_rd", before + 1.0) is False
    assert p.refused_year["key_rd"] >= 1
    assert p.budget_left_100m_yuan == before
