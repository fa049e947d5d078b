"""Phase 4, finance (model/phases/finance.py), run alone under both engines."""

import numpy as np
import pytest

from model.phases.finance import finance
from model.state import ANGEL_VC, GUIDANCE, RESEARCH_INSTITUTE

from .conftest import add_firm, clear_firms, clear_funds, column, kill


def angel_vc_fund(m, *, seed_stage: bool = True, dry: float = 0.0, vintage: int = 0) -> int:
    return int(m.state.funds.add(
        1, alive=True, kind=ANGEL_VC, city=0, vintage_month=vintage, committed_100m_yuan=dry,
        dry_powder_100m_yuan=dry, stage_preference=0 if seed_stage else 1)[0])


def lone_guidance_fund(m, dry: float):
    """Only the province's guidance fund left, holding `dry`: (its row, the funds)."""
    guidance = m.guidance_fund_row
    clear_funds(m, keep=[guidance])
    f = m.state.funds
    f.dry_powder_100m_yuan[guidance] = dry
    return guidance, f


def deal(m, fund: int, firm: int, amount: float, entry_revenue: float) -> int:
    return int(m.state.deals.add(1, alive=True, fund=fund, firm=firm, amount_100m_yuan=amount,
                                 entry_revenue_100m_yuan=entry_revenue)[0])


def test_a_venture_exit_pays_the_exit_multiple_and_closes_the_deal(model):
    m = model
    P = m.params
    clear_firms(m)
    clear_funds(m)
    fund = angel_vc_fund(m)
    grown = add_firm(m, revenue_year=4.0 * P.exit_revenue_100m_yuan_per_year)
    young = add_firm(m, revenue_year=0.5 * P.exit_revenue_100m_yuan_per_year)
    failed = add_firm(m, revenue_year=5.0)
    kill(m, "enterprises", [failed])
    exit_deal = deal(m, fund, grown, 0.1, 0.5)
    held = deal(m, fund, young, 0.2, 0.1)
    lost = deal(m, fund, failed, 0.3, 1.0)
    finance(m)
    d, f = m.state.deals, m.state.funds
    growth = 4.0 * P.exit_revenue_100m_yuan_per_year / 0.5
    multiple = min(P.exit_multiple_cap, growth ** P.exit_value_elasticity)
    assert not d.alive[exit_deal] and d.alive[held] and not d.alive[lost]
    assert f.proceeds_100m_yuan[fund] == pytest.approx(0.1 * multiple)
    assert f.inflow_month_100m_yuan[fund] == pytest.approx(0.1 * multiple)
    # what the fund received and paid out this month is all in its dry powder
    assert f.dry_powder_100m_yuan[fund] == pytest.approx(
        f.inflow_month_100m_yuan[fund] - f.outflow_month_100m_yuan[fund])


def test_the_exit_multiple_is_capped(model):
    m = model
    P = m.params
    clear_firms(m)
    clear_funds(m)
    fund = angel_vc_fund(m)
    firm = add_firm(m, revenue_year=1e6)
    deal(m, fund, firm, 0.1, 0.01)
    finance(m)
    assert m.state.funds.proceeds_100m_yuan[fund] == pytest.approx(0.1 * P.exit_multiple_cap)


def test_the_science_fund_pays_out_its_dry_powder_as_research_grants(model):
    m = model
    P = m.params
    science = m.science_fund_row
    clear_funds(m, keep=[science])
    f, cs = m.state.funds, m.state.cities
    f.dry_powder_100m_yuan[science] = 5.0
    knowledge = cs.public_knowledge.copy()
    research = m.talent_by_city_tier(RESEARCH_INSTITUTE).sum(axis=1) + 1.0
    finance(m)
    share = research / research.sum()
    assert f.dry_powder_100m_yuan[science] == 0.0
    assert f.outflow_month_100m_yuan[science] == pytest.approx(5.0)
    np.testing.assert_allclose(cs.research_grants_100m_yuan, 5.0 * share)
    np.testing.assert_allclose(m.tally.year_counts["public_rd"], 5.0 * share)
    np.testing.assert_allclose(cs.public_knowledge - knowledge,
                               P.public_knowledge_per_100m_yuan * 5.0 * share / m.scale)


def test_a_fund_past_its_life_distributes_and_closes(model):
    m = model
    P = m.params
    clear_funds(m)
    old = angel_vc_fund(m, dry=3.0, vintage=m.month - int(P.fund_life_months) - 1)
    deals_before = m.state.deals.n
    equity = column(m, "enterprises", "equity_received_100m_yuan")
    finance(m)
    f = m.state.funds
    assert not f.alive[old]
    assert f.dry_powder_100m_yuan[old] == 0.0
    assert f.outflow_month_100m_yuan[old] == pytest.approx(3.0)
    assert m.state.deals.n == deals_before
    np.testing.assert_array_equal(m.state.enterprises.view("equity_received_100m_yuan"), equity)


def test_deals_book_equity_into_the_firms_cash(model):
    m = model
    clear_firms(m)
    clear_funds(m)
    fund = angel_vc_fund(m, seed_stage=True, dry=10.0, vintage=m.month)
    startups = [add_firm(m, city=c % m.n_cities, revenue_year=0.05, birth_month=m.month - 2,
                         cash=0.01) for c in range(6)]
    veteran = add_firm(m, revenue_year=0.5, knowledge=50.0)     # not a seed-stage firm
    e = m.state.enterprises
    before = {name: column(m, "enterprises", name) for name in
              ("cash_100m_yuan", "inflow_month_100m_yuan", "equity_received_100m_yuan",
               "deals")}
    n_deals = m.state.deals.n
    finance(m)
    d_cash = e.view("cash_100m_yuan") - before["cash_100m_yuan"]
    d_equity = e.view("equity_received_100m_yuan") - before["equity_received_100m_yuan"]
    d_inflow = e.view("inflow_month_100m_yuan") - before["inflow_month_100m_yuan"]
    new_deals = np.arange(n_deals, m.state.deals.n)
    assert len(new_deals) > 0
    np.testing.assert_allclose(d_cash, d_equity, atol=1e-15)
    np.testing.assert_allclose(d_inflow, d_equity, atol=1e-15)
    np.testing.assert_array_equal(e.view("deals") - before["deals"],
                                  np.bincount(m.state.deals.firm[new_deals], minlength=e.n))
    f, d = m.state.funds, m.state.deals
    assert d_equity.sum() == pytest.approx(f.outflow_month_100m_yuan[fund])
    assert d_equity.sum() == pytest.approx(f.invested_100m_yuan[fund])
    assert d.amount_100m_yuan[new_deals].sum() == pytest.approx(d_equity.sum())
    assert (d.fund[new_deals] == fund).all()
    assert set(d.firm[new_deals]) <= set(startups)
    assert d_equity[veteran] == 0.0
    assert f.dry_powder_100m_yuan[fund] == pytest.approx(10.0 - d_equity.sum())


def test_a_guidance_fund_closes_a_sub_fund_with_social_capital(model):
    m, P = model, model.params
    guidance, f = lone_guidance_fund(m, 2.0)
    # one closing: probability x tranches waiting = 1
    P.subfund_close_prob_per_month = P.subfund_size_100m_yuan / 2.0
    n_funds = f.n
    finance(m)
    assert f.n == n_funds + 1
    sub = n_funds
    tranche = min(P.subfund_size_100m_yuan, 2.0)
    social = f.social_capital_100m_yuan[sub]
    leverage = m.lever("guidance_fund_leverage")
    assert 0.0 <= social <= tranche * leverage * (1 + P.leverage_dispersion) + 1e-12
    assert f.kind[sub] == ANGEL_VC and f.alive[sub]
    assert f.kind[guidance] == GUIDANCE
    assert f.stage_preference[sub] == f.stage_preference[guidance]
    assert f.government_capital_100m_yuan[sub] == pytest.approx(tranche)
    assert f.committed_100m_yuan[sub] == pytest.approx(tranche + social)
    assert f.dry_powder_100m_yuan[sub] == pytest.approx(tranche + social)
    assert f.dry_powder_100m_yuan[guidance] == pytest.approx(2.0 - tranche)
    assert f.outflow_month_100m_yuan[guidance] == pytest.approx(tranche)
    assert m.tally.cum["social_capital"].sum() == pytest.approx(social)
    assert m.tally.cum["social_capital"][f.city[sub]] == pytest.approx(social)


def test_a_sub_funds_negative_social_capital_is_booked_as_its_outflow(model):
    """A leverage below zero (a dispersion above 1) takes social capital out of the new
    sub-fund: its cash moves as `Province.move_fund_cash` moves it, inflow for what comes
    in, outflow for what goes out (the numba engine once booked it all as inflow)."""
    m, P = model, model.params
    _, f = lone_guidance_fund(m, 40.0 * P.subfund_size_100m_yuan)
    P.subfund_close_prob_per_month, P.leverage_dispersion = 0.5, 50.0
    n_funds = f.n
    finance(m)
    subs = np.arange(n_funds, f.n)
    social = f.social_capital_100m_yuan[subs]
    assert (social < 0).any() and (social > 0).any()
    tranche = f.government_capital_100m_yuan[subs]
    np.testing.assert_array_equal(f.inflow_month_100m_yuan[subs],
                                  tranche + np.where(social >= 0, social, 0.0))
    np.testing.assert_array_equal(f.outflow_month_100m_yuan[subs], np.maximum(-social, 0.0))
    np.testing.assert_array_equal(f.dry_powder_100m_yuan[subs], tranche + social)


def test_sub_fund_closings_follow_the_capital_waiting(model):
    """Each sub-fund-sized tranche of uncommitted capital closes with the monthly
    probability, so the capital committed follows the capital waiting (and a scaled run,
    whose funds hold scale x the money, commits scale x the 1:1 amount)."""
    m, P = model, model.params
    guidance, f = lone_guidance_fund(m, 10.0 * P.subfund_size_100m_yuan)
    P.subfund_close_prob_per_month = 0.3                # 10 tranches x 0.3 = 3 closings
    n_funds = f.n
    finance(m)
    assert f.n == n_funds + 3
    assert f.outflow_month_100m_yuan[guidance] == pytest.approx(3 * P.subfund_size_100m_yuan)


def test_a_guidance_fund_without_a_ticket_closes_nothing(model):
    m = model
    m.params.subfund_close_prob_per_month = 1.0
    guidance, f = lone_guidance_fund(m, 0.5 * m.params.angel_ticket_100m_yuan)
    n_funds = f.n
    finance(m)
    assert f.n == n_funds
    assert f.outflow_month_100m_yuan[guidance] == 0.0


def test_a_closed_funds_later_exit_proceeds_do_not_stay_in_the_dead_fund(model):
    m = model
    P = m.params
    clear_funds(m)
    old = angel_vc_fund(m, dry=1.0, vintage=m.month - int(P.fund_life_months) - 1)
    firm = add_firm(m, revenue_year=0.5 * P.exit_revenue_100m_yuan_per_year)
    deal(m, old, firm, 0.1, 0.1)
    finance(m)
    f = m.state.funds
    assert not f.alive[old]
    m.begin_month()
    m.state.enterprises.revenue_year_100m_yuan[firm] = 2 * P.exit_revenue_100m_yuan_per_year
    finance(m)
    assert f.dry_powder_100m_yuan[old] == 0.0
