"""Accounting identities and state sanity, checked after every step.

- every firm's and fund's change in cash equals its recorded inflows minus outflows;
- the ledger (model/ledger.py) books every flow between firms, funds, the province's
  budget, the treasury, cities, households and the outside world: the balances of firms,
  funds and the budget move by exactly their ledger flows, and the agents' flow records
  agree with it; public spending never exceeds the year's budget;
- talent head counts by tier change only by recorded inflows and outflows;
- firm counts change only by recorded entries and exits;
- no NaN, no negative stocks, shares and adoption (per application sector) in range;
  GDP at or above its trend.
"""

import numpy as np
import pytest

from model import AIEcosystemModel, load_scenario
from model.ledger import CITIES, FIRMS, FUNDS, PROVINCE, TREASURY
from model.state import N_TIERS

TOL = 1e-8


def _snapshot(m):
    e, f, t = m.state.enterprises, m.state.funds, m.state.talent
    tiers = np.bincount(t.tier[: t.n][t.alive[: t.n]], minlength=N_TIERS)
    return {"cash": e.cash_100m_yuan[: e.n].copy(), "n_firms": e.n,
            "dry": f.dry_powder_100m_yuan[: f.n].copy(), "n_funds": f.n,
            "tiers": tiers, "alive_firms": int(e.alive[: e.n].sum()),
            "budget_left": m.province.budget_left_100m_yuan}


def _check_step(m, before):
    e, f, t, cs = m.state.enterprises, m.state.funds, m.state.talent, m.state.cities
    # firms: old rows start from their cash, new rows from zero
    start = np.zeros(e.n)
    start[: before["n_firms"]] = before["cash"]
    delta = e.cash_100m_yuan[: e.n] - start
    flows = e.inflow_month_100m_yuan[: e.n] - e.outflow_month_100m_yuan[: e.n]
    np.testing.assert_allclose(delta, flows, atol=TOL, rtol=0)
    start = np.zeros(f.n)
    start[: before["n_funds"]] = before["dry"]
    np.testing.assert_allclose(f.dry_powder_100m_yuan[: f.n] - start,
                               f.inflow_month_100m_yuan[: f.n] - f.outflow_month_100m_yuan[: f.n],
                               atol=TOL, rtol=0)
    # the ledger: every flow from one account to another; balances move by their flows
    lg = m.ledger
    assert e.inflow_month_100m_yuan[: e.n].sum() == pytest.approx(lg.inflow(FIRMS), abs=TOL)
    assert e.outflow_month_100m_yuan[: e.n].sum() == pytest.approx(lg.outflow(FIRMS), abs=TOL)
    assert delta.sum() == pytest.approx(lg.net(FIRMS), abs=TOL)
    assert f.inflow_month_100m_yuan[: f.n].sum() == pytest.approx(lg.inflow(FUNDS), abs=TOL)
    assert f.outflow_month_100m_yuan[: f.n].sum() == pytest.approx(lg.outflow(FUNDS), abs=TOL)
    assert (m.province.budget_left_100m_yuan - before["budget_left"]
            == pytest.approx(lg.net(PROVINCE), abs=TOL))
    assert m.province.spent_month_100m_yuan == pytest.approx(
        lg.outflow(PROVINCE) - lg.month[PROVINCE, TREASURY], abs=TOL)
    # cities spend what they receive at once: programme money and science-fund grants
    assert lg.inflow(CITIES) == pytest.approx(lg.outflow(CITIES), abs=TOL)
    assert lg.inflow(CITIES) == pytest.approx(
        cs.funds_received_100m_yuan.sum() + cs.research_grants_100m_yuan.sum(), abs=TOL)
    # the province never spends more than the year's budget
    assert m.province.spending_year_100m_yuan <= m.province.budget_year_100m_yuan + TOL
    # head counts by tier
    tiers = np.bincount(t.tier[: t.n][t.alive[: t.n]], minlength=N_TIERS)
    fl = m.tally.flows
    inflow = fl["graduates"] + fl["programme"] + fl["market_inflow"] + fl["promoted_in"]
    outflow = fl["attrition"] + fl["out_migration"] + fl["gave_up"] + fl["promoted_out"]
    np.testing.assert_array_equal(tiers - before["tiers"], inflow - outflow)
    # firm counts
    assert int(e.alive[: e.n].sum()) - before["alive_firms"] == (
        m.tally.firm_flows["entries"] - m.tally.firm_flows["exits"])
    # sanity of stocks
    alive = e.alive[: e.n]
    for col in ("knowledge", "market_share", "revenue_month_100m_yuan", "revenue_year_100m_yuan",
                "rd_month_100m_yuan"):
        v = getattr(e, col)[: e.n][alive]
        assert np.isfinite(v).all(), col
        assert (v >= 0).all(), col
    assert (e.knowledge[: e.n][alive] > 0).all()
    assert (e.invention_patents[: e.n] >= e.core_patents[: e.n]).all()
    assert (f.dry_powder_100m_yuan[: f.n] >= -TOL).all()
    assert ((cs.adoption >= 0) & (cs.adoption <= 1)).all()
    assert ((cs.sector_adoption >= 0) & (cs.sector_adoption <= 1)).all()
    # AI's productivity gain never lowers GDP below its trend (phases/adoption.py)
    assert (cs.gdp_100m_yuan >= cs.gdp_trend_100m_yuan * (1 - 1e-12)).all()
    # prices: wages per city and tier, their index and housing costs finite and positive
    for prices in (cs.wage_100m_yuan_per_year, cs.wage_premium, cs.wage_index,
                   cs.housing_cost_index):
        assert np.isfinite(prices).all() and (prices > 0).all()
    assert np.isfinite(cs.ai_induced_population_10k).all()
    assert (cs.ai_induced_population_10k > -cs.population_10k).all()
    assert (cs.incubator_occupied >= 0).all()
    assert m.province.budget_left_100m_yuan >= -TOL
    # employed talent works for a living firm in its own city
    emp = t.employer[: t.n]
    working = t.alive[: t.n] & (emp >= 0)
    assert e.alive[emp[working]].all()
    assert (e.city[emp[working]] == t.city[: t.n][working]).all()
    assert (emp[~t.alive[: t.n]] < 0).all()


@pytest.mark.parametrize("scenario, engine", [("baseline", "mesa"), ("plan", "mesa"),
                                              ("plan", "numba")])
def test_identities_hold_every_step(scenario, engine, scenarios_dir):
    sc = load_scenario(scenarios_dir / f"{scenario}.toml")
    kwargs = {**sc.model_kwargs(), "end_year": 2020}
    m = AIEcosystemModel(**kwargs, seed=3, scale=0.03, engine=engine)
    while m.running:
        before = _snapshot(m)
        m.step()
        _check_step(m, before)


def test_mesa_agents_are_views_on_the_state():
    """Every living agent is a Mesa agent whose attributes read and write the arrays."""
    from model.agents import City, Enterprise, Fund, Talent

    m = AIEcosystemModel(seed=1, scale=0.02, end_year=2018)
    for _ in range(14):
        m.step()
    by_type = m.agents_by_type
    e, t, f = m.state.enterprises, m.state.talent, m.state.funds
    assert len(by_type[City]) == 11
    assert len(by_type[Enterprise]) == int(e.alive[: e.n].sum())
    assert len(by_type[Talent]) == int(t.alive[: t.n].sum())
    assert len(by_type[Fund]) == int(f.alive[: f.n].sum())
    firm = next(iter(by_type[Enterprise]))
    firm.cash_100m_yuan = 123.0
    assert e.cash_100m_yuan[firm.row] == 123.0
    hz = [c for c in by_type[City] if c.name == "Hangzhou"][0]
    assert hz.gdp_100m_yuan == m.state.cities.gdp_100m_yuan[hz.row]


def test_the_identity_check_catches_a_dropped_flow(scenarios_dir, monkeypatch):
    """If one flow is not booked (here: corporate tax to the treasury), the check fails."""
    from model.ledger import Ledger

    original = Ledger.book

    def book_without_tax(self, payer, payee, amount):
        if (payer, payee) != (FIRMS, TREASURY):
            original(self, payer, payee, amount)

    monkeypatch.setattr(Ledger, "book", book_without_tax)
    sc = load_scenario(scenarios_dir / "plan.toml")
    m = AIEcosystemModel(**{**sc.model_kwargs(), "end_year": 2018}, seed=3, scale=0.03)
    with pytest.raises(AssertionError):
        while m.running:
            before = _snapshot(m)
            m.step()
            _check_step(m, before)
