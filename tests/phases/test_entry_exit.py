"""Phase 7, entry and exit (model/phases/entry_exit.py), run alone under both engines."""

import numpy as np
import pytest

from model.phases.entry_exit import entry_exit
from model.state import ENGINEER, ENTREPRENEUR, HIGH_END, SEEKING

from .conftest import add_firm, add_talent, cache_as_labour_market, clear_firms, clear_talent


def no_founding(m) -> None:
    P = m.params
    P.startup_rate_per_entrepreneur_per_year = 0.0
    P.startup_rate_per_engineer_per_year = 0.0
    P.incubator_startup_rate_per_seat_per_year = 0.0
    P.spinoff_rate_per_100m_yuan_per_year = 0.0
    P.incumbent_conversion_rate_per_year = 0.0


def test_an_exit_frees_its_staff_and_its_incubator_place(model):
    m = model
    no_founding(m)
    grace = int(m.params.exit_grace_months)
    clear_firms(m)
    clear_talent(m)
    cs = m.state.cities
    failing = add_firm(m, city=2, cash=-0.1, months_negative_cash=grace,
                       incubated_until=m.month + 6)
    cs.incubator_occupied[2] = 3
    struggling = add_firm(m, city=2, cash=-0.1, months_negative_cash=grace - 1)
    recovered = add_firm(m, city=3, cash=0.1, months_negative_cash=grace)
    staff = add_talent(m, 4, tier=ENGINEER, city=2, employer=failing, months_seeking=7)
    others = add_talent(m, 2, tier=ENGINEER, city=2, employer=struggling)
    cache_as_labour_market(m)
    alive_before = m.state.enterprises.alive[: m.state.enterprises.n].sum()
    entry_exit(m)
    e, t = m.state.enterprises, m.state.talent
    assert not e.alive[failing] and e.exit_month[failing] == m.month
    assert e.alive[struggling] and e.months_negative_cash[struggling] == grace
    assert e.alive[recovered] and e.months_negative_cash[recovered] == 0
    assert (t.employer[staff] == SEEKING).all() and (t.months_seeking[staff] == 0).all()
    assert t.alive[staff].all()
    assert (t.employer[others] == struggling).all()
    assert cs.incubator_occupied[2] == 2
    assert m.tally.year_counts["exits"][2] == 1 and m.tally.year_counts["exits"].sum() == 1
    assert m.tally.firm_flows == {"entries": 0, "exits": 1}
    assert alive_before - e.alive[: e.n].sum() == 1


def test_firm_counts_change_by_entries_less_exits(model):
    m = model
    P = m.params
    P.startup_rate_per_entrepreneur_per_year = 6.0
    P.startup_rate_per_engineer_per_year = 1.2
    e = m.state.enterprises
    rows = e.alive_rows()
    e.cash_100m_yuan[rows[:3]] = -1.0
    e.months_negative_cash[rows[:3]] = int(P.exit_grace_months)
    cache_as_labour_market(m)
    alive_before, n_before = e.alive[: e.n].sum(), e.n
    entry_exit(m)
    flows = m.tally.firm_flows
    assert flows["exits"] == 3 and flows["entries"] > 0
    assert e.alive[: e.n].sum() - alive_before == flows["entries"] - flows["exits"]
    assert e.n - n_before == flows["entries"]
    assert (m.tally.year_counts["new_startups"].sum()
            + m.tally.year_counts["conversions"].sum()) == flows["entries"]


def test_a_founder_becomes_the_new_firms_employee(model):
    m = model
    no_founding(m)
    P = m.params
    P.startup_rate_per_entrepreneur_per_year = 12.0      # every unattached one founds
    clear_firms(m)
    clear_talent(m)
    parent = add_firm(m, city=0, sector=3)
    founders = np.concatenate([add_talent(m, tier=ENTREPRENEUR, city=c) for c in (1, 4, 4)])
    employed = add_talent(m, tier=ENTREPRENEUR, city=0, employer=parent)[0]
    engineer = add_talent(m, tier=ENGINEER, city=1)[0]
    cache_as_labour_market(m)
    n_firms = m.state.enterprises.n
    entry_exit(m)
    e, t = m.state.enterprises, m.state.talent
    new = np.arange(n_firms, e.n)
    assert len(new) == len(founders) == m.tally.firm_flows["entries"]
    np.testing.assert_array_equal(np.sort(t.employer[founders]), new)
    assert (t.months_seeking[founders] == 0).all()
    np.testing.assert_array_equal(e.city[t.employer[founders]], t.city[founders])
    assert e.alive[new].all()
    assert (e.birth_month[new] == m.month).all() and (e.exit_month[new] == -1).all()
    np.testing.assert_allclose(e.cash_100m_yuan[new], P.startup_seed_cash_100m_yuan)
    np.testing.assert_allclose(e.inflow_month_100m_yuan[new], P.startup_seed_cash_100m_yuan)
    assert (e.market_share[new] > 0).all()
    assert t.employer[employed] == parent and t.employer[engineer] == SEEKING
    np.testing.assert_array_equal(m.tally.year_counts["new_startups"][[1, 4]], [1, 2])


def test_a_spin_off_stays_in_its_parents_sector(model):
    m = model
    no_founding(m)
    P = m.params
    P.spinoff_rate_per_100m_yuan_per_year = 1e3          # every engineer of a big firm
    clear_firms(m)
    clear_talent(m)
    parent = add_firm(m, city=5, sector=2, revenue_year=10.0)
    engineers = add_talent(m, 3, tier=ENGINEER, city=5, employer=parent)
    researcher = add_talent(m, tier=HIGH_END, city=5, employer=parent)[0]
    cache_as_labour_market(m)
    n_firms = m.state.enterprises.n
    entry_exit(m)
    e, t = m.state.enterprises, m.state.talent
    new = np.arange(n_firms, e.n)
    assert len(new) == 3
    assert (e.sector[new] == 2).all() and (e.city[new] == 5).all()
    np.testing.assert_array_equal(np.sort(t.employer[engineers]), new)
    assert t.employer[researcher] == parent


def test_a_free_incubator_place_houses_a_start_up(model):
    m = model
    no_founding(m)
    P = m.params
    P.startup_rate_per_entrepreneur_per_year = 12.0
    clear_firms(m)
    clear_talent(m)
    cs = m.state.cities
    cs.incubator_seats[:] = 0.0
    cs.incubator_occupied[:] = 0.0
    cs.incubator_seats[7] = 2.0
    add_firm(m, city=7)
    inside = add_talent(m, 3, tier=ENTREPRENEUR, city=7)
    outside = add_talent(m, tier=ENTREPRENEUR, city=8)[0]
    cache_as_labour_market(m)
    entry_exit(m)
    e, t = m.state.enterprises, m.state.talent
    until = e.incubated_until[t.employer[inside]]
    # two places: the first two founders get one; the third may not
    assert (until[:2] == m.month + int(P.incubation_months)).all()
    assert until[2] == -1
    assert cs.incubator_occupied[7] == 2
    assert e.incubated_until[t.employer[outside]] == -1


@pytest.mark.parametrize("grace", [0, 2])
def test_exit_waits_for_the_grace_months(model, grace):
    m = model
    no_founding(m)
    m.params.exit_grace_months = grace
    clear_firms(m)
    firm = add_firm(m, cash=-1.0)
    cache_as_labour_market(m)
    for month in range(grace + 1):
        entry_exit(m)
        assert m.state.enterprises.alive[firm] == (month < grace)


def test_an_exit_in_the_last_month_of_tenancy_frees_the_place(model):
    from model.phases.record import record

    m = model
    no_founding(m)
    m.month = 5
    cs = m.state.cities
    cs.incubator_occupied[:] = 0.0
    cs.incubator_occupied[4] = 1.0
    add_firm(m, city=4, cash=-1.0, months_negative_cash=int(m.params.exit_grace_months),
             incubated_until=m.month)
    cache_as_labour_market(m)
    entry_exit(m)
    record(m)
    assert m.tally.firm_flows["exits"] >= 1
    assert cs.incubator_occupied[4] == 0.0
