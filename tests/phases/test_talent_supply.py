"""Talent supply (model/phases/talent_supply.py): the talent's month (phase 2,
model/phases/talent_month.py) with only its ageing and arrivals, under both engines."""

import numpy as np
import pytest

from model.ledger import HOUSEHOLDS, PROVINCE
from model.levers import TALENT_PROGRAM_LEVERS
from model.phases.policy import open_year
from model.phases.talent_month import talent_month
from model.state import (
    ENGINEER,
    HIGH_END,
    HIGH_SKILL,
    N_TIERS,
    RESEARCH_INSTITUTE,
    SEEKING,
    TOP,
)

from .conftest import column, set_lever


def talent_supply(m) -> None:
    """The talent's month with ageing and arrivals alone (no review, no layoffs)."""
    talent_month(m, rules=("ageing", "arrivals"))


def no_arrivals(m) -> None:
    set_lever(m, "ai_graduates_per_year", 0)
    for name in TALENT_PROGRAM_LEVERS:
        set_lever(m, name, 0)
    m.cache.unfilled_vacancies = np.zeros(N_TIERS)


def tier_counts(m, rows) -> np.ndarray:
    return np.bincount(m.state.talent.tier[rows], minlength=N_TIERS)


def test_certain_attrition_removes_everybody_and_books_the_reason(model):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 12.0           # probability 1 a month
    t = m.state.talent
    alive = t.alive_rows()
    expected = tier_counts(m, alive)
    talent_supply(m)
    assert t.n == alive[-1] + 1                   # nobody arrived
    assert not t.alive[: t.n].any()
    assert (t.employer[alive] == SEEKING).all()
    np.testing.assert_array_equal(m.tally.flows["attrition"], expected)
    assert m.tally.flows["promoted_in"].sum() == 0


def test_no_attrition_no_upskilling_changes_nobody(model):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    m.params.upskilling_engineer_per_year = 0.0
    m.params.upskilling_high_skill_per_year = 0.0
    tier, alive = column(m, "talent", "tier"), column(m, "talent", "alive")
    talent_supply(m)
    np.testing.assert_array_equal(m.state.talent.view("tier"), tier)
    np.testing.assert_array_equal(m.state.talent.view("alive"), alive)
    assert all(v.sum() == 0 for v in m.tally.flows.values())


def test_upskilling_moves_engineers_up_one_tier_and_books_it(model):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    m.params.upskilling_engineer_per_year = 12.0       # certain
    m.params.upskilling_high_skill_per_year = 0.0
    t = m.state.talent
    before = column(m, "talent", "tier")
    engineers = np.flatnonzero(t.alive[: t.n] & (before == ENGINEER))
    assert len(engineers) > 0
    talent_supply(m)
    after = t.view("tier")
    assert (after[engineers] == HIGH_END).all()
    others = np.setdiff1d(np.arange(t.n), engineers)
    np.testing.assert_array_equal(after[others], before[others])
    flows = m.tally.flows
    assert flows["promoted_out"][ENGINEER] == len(engineers)
    assert flows["promoted_in"][HIGH_END] == len(engineers)
    assert flows["promoted_out"].sum() == flows["promoted_in"].sum() == len(engineers)


def test_high_skill_workers_move_up_only_one_tier(model):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    m.params.upskilling_engineer_per_year = 12.0
    m.params.upskilling_high_skill_per_year = 12.0
    t = m.state.talent
    before = column(m, "talent", "tier")
    talent_supply(m)
    moved = before >= ENGINEER
    np.testing.assert_array_equal(t.view("tier")[moved], before[moved] - 1)
    assert m.tally.flows["promoted_in"][ENGINEER] == (before == HIGH_SKILL).sum()


def test_arrivals_go_to_institutes_if_top_scientists_and_seek_work_otherwise(model):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    set_lever(m, "ai_graduates_per_year", 12000)
    for name in TALENT_PROGRAM_LEVERS:
        set_lever(m, name, 12000)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    open_year(m)                                   # the budget pays the programmes
    t = m.state.talent
    n0 = t.n
    talent_supply(m)
    new = np.arange(n0, t.n)
    assert len(new) > 0
    assert t.alive[new].all()
    assert (t.arrival_month[new] == m.month).all()
    tier, employer = t.tier[new], t.employer[new]
    assert (tier == TOP).any() and (tier != TOP).any()
    assert (employer[tier == TOP] == RESEARCH_INSTITUTE).all()
    assert (employer[tier != TOP] == SEEKING).all()
    assert ((t.city[new] >= 0) & (t.city[new] < m.n_cities)).all()
    arrived = m.tally.flows["graduates"] + m.tally.flows["programme"]
    np.testing.assert_array_equal(arrived, tier_counts(m, new))
    # graduates are high-end R&D staff or engineers only
    assert m.tally.flows["graduates"][[TOP, 1, HIGH_SKILL]].sum() == 0


def test_programme_recruits_need_the_budget(model):
    """With no fiscal AI money the talent programmes recruit nobody (二.(六)); with enough,
    they pay the recruits' subsidies from their allocation."""
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    for name in TALENT_PROGRAM_LEVERS:
        set_lever(m, name, 12000)
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 0.0)
    open_year(m)
    talent_supply(m)
    assert m.tally.flows["programme"].sum() == 0
    set_lever(m, "fiscal_ai_funding_100m_yuan_per_year", 1e5)
    open_year(m)
    talent_supply(m)
    assert m.tally.flows["programme"].sum() > 0
    assert m.ledger.month[PROVINCE, HOUSEHOLDS] > 0


@pytest.mark.parametrize("unfilled", [0.0, 400.0])
def test_unfilled_vacancies_pull_market_inflow(model, unfilled):
    m = model
    no_arrivals(m)
    m.params.attrition_per_year = 0.0
    m.cache.unfilled_vacancies = np.array([0.0, 0.0, 0.0, unfilled, 0.0])
    n0 = m.state.talent.n
    talent_supply(m)
    inflow = m.tally.flows["market_inflow"]
    t = m.state.talent
    if unfilled == 0:
        assert t.n == n0 and inflow.sum() == 0
    else:
        # Poisson(100) engineers: zero has probability e^-100
        assert inflow[ENGINEER] > 0
        assert np.delete(inflow, ENGINEER).sum() == 0
        assert (t.tier[n0: t.n] == ENGINEER).all()
        assert t.n - n0 == inflow[ENGINEER]
