"""Phase 3, labour market (model/phases/labour_market.py), run alone under both engines;
its layoffs run in the talent's month (phase 2, model/phases/talent_month.py)."""

import numpy as np
import pytest

import model.phases.labour_market as lm
from model.phases.labour_market import labour_market
from model.phases.talent_month import talent_month
from model.state import ENGINEER, ENTREPRENEUR, HIGH_SKILL, N_TIERS, SEEKING

from .conftest import add_firm, add_talent, clear_firms, clear_talent, small_model


@pytest.fixture
def bare(engine, monkeypatch):
    """No firms and no talent; firms' needs are set by the test (`bare.need`)."""
    m = small_model(engine)
    m.begin_month()
    clear_firms(m)
    clear_talent(m)
    m.params.match_efficiency_per_month = 1e6       # a seeker with an opening is hired
    m.need = {}

    def needs(model):
        out = np.zeros((model.state.enterprises.n, N_TIERS))
        for (firm, tier), value in model.need.items():
            out[firm, tier] = value
        return out
    monkeypatch.setattr(lm, "labour_needs", needs)
    return m


def test_a_vacancy_is_filled_by_the_right_tier_in_the_right_city(bare):
    m = bare
    a = add_firm(m, city=0)
    b = add_firm(m, city=1)
    m.need = {(a, HIGH_SKILL): 1, (b, ENGINEER): 1}
    engineer_0 = add_talent(m, tier=ENGINEER, city=0)[0]
    skilled_0 = add_talent(m, tier=HIGH_SKILL, city=0)[0]
    engineers_1 = add_talent(m, 2, tier=ENGINEER, city=1)
    labour_market(m)
    t = m.state.talent
    # the engineer in city 0 finds no engineer opening there (b's is in city 1)
    assert t.employer[engineer_0] == SEEKING and t.months_seeking[engineer_0] == 1
    assert t.employer[skilled_0] == a
    # one opening in city 1: one of its two engineers is hired, the other waits
    assert sorted(t.employer[engineers_1]) == [SEEKING, b]
    assert m.cache.vacancies[a].sum() == 0 and m.cache.vacancies[b].sum() == 0
    np.testing.assert_array_equal(m.cache.unfilled_vacancies, 0)
    assert m.cache.staff[a, HIGH_SKILL] == 1 and m.cache.staff[b, ENGINEER] == 1


def test_an_opening_without_a_matching_seeker_stays_open(bare):
    m = bare
    a = add_firm(m, city=0)
    m.need = {(a, ENGINEER): 3.5}
    seekers = np.concatenate([add_talent(m, 2, tier=HIGH_SKILL, city=0),
                              add_talent(m, 2, tier=ENGINEER, city=5)])
    labour_market(m)
    assert (m.state.talent.employer[seekers] == SEEKING).all()
    assert m.cache.vacancies[a, ENGINEER] == 3.5
    assert m.cache.unfilled_vacancies[ENGINEER] == 3


def test_over_staffed_firms_lay_off_but_keep_their_founders(bare):
    m = bare
    m.params.layoff_rate_per_month = 1.0
    a = add_firm(m, city=0)
    staff = add_talent(m, 10, tier=ENGINEER, city=0, employer=a)
    founder = add_talent(m, tier=ENTREPRENEUR, city=0, employer=a)[0]
    m.need = {(a, ENGINEER): 0}
    talent_month(m, rules=("layoffs",))            # layoffs, on the staff as the month began
    labour_market(m)
    t = m.state.talent
    assert (t.employer[staff] == SEEKING).all()
    assert t.alive[staff].all()
    assert t.employer[founder] == a
    assert m.cache.staff[a].sum() == 1


def test_staff_within_the_slack_are_kept(bare):
    m = bare
    m.params.layoff_rate_per_month = 1.0
    m.params.vacancy_slack = 0.5
    a = add_firm(m, city=0)
    staff = add_talent(m, 6, tier=ENGINEER, city=0, employer=a)
    m.need = {(a, ENGINEER): 4}                 # 6 <= 4 * 1.5: not over-staffed
    talent_month(m, rules=("layoffs",))            # layoffs, on the staff as the month began
    labour_market(m)
    assert (m.state.talent.employer[staff] == a).all()


def test_a_seeker_past_patience_gives_up_and_leaves(bare):
    m = bare
    patience = int(m.params.job_search_patience_months)
    add_firm(m, city=0)
    waiting = add_talent(m, tier=ENGINEER, city=0, months_seeking=patience - 1)[0]
    tired = add_talent(m, 3, tier=ENGINEER, city=0, months_seeking=patience)
    tired_skilled = add_talent(m, tier=HIGH_SKILL, city=2, months_seeking=patience + 4)[0]
    labour_market(m)
    t = m.state.talent
    assert t.alive[waiting] and t.months_seeking[waiting] == patience
    assert not t.alive[tired].any() and not t.alive[tired_skilled]
    expected = np.zeros(N_TIERS, dtype=np.int64)
    expected[ENGINEER], expected[HIGH_SKILL] = 3, 1
    np.testing.assert_array_equal(m.tally.flows["gave_up"], expected)
    assert m.cache.talent_counts.sum() == 1


def test_the_cache_is_written_for_later_phases(model):
    m = model
    labour_market(m)
    np.testing.assert_array_equal(m.cache.staff, m.heads_by_firm())
    np.testing.assert_array_equal(m.cache.talent_counts, m.talent_by_city_tier())
    e = m.state.enterprises
    assert m.cache.labour_need.shape == (e.n, N_TIERS)
    assert (m.cache.labour_need[~e.alive[: e.n]] == 0).all()
    assert (m.cache.vacancies >= 0).all()
    np.testing.assert_array_equal(m.cache.unfilled_vacancies,
                                  np.floor(m.cache.vacancies[e.alive_rows()]).sum(axis=0))
    # nobody is hired beyond a firm's need (plus staff it already had)
    t = m.state.talent
    assert (t.view("employer")[t.view("alive")] >= -2).all()


def test_heads_are_conserved_apart_from_those_who_gave_up(model):
    m = model
    t = m.state.talent
    alive_before = t.alive[: t.n].sum()
    labour_market(m)
    assert alive_before - t.alive[: t.n].sum() == m.tally.flows["gave_up"].sum()
    e = m.state.enterprises
    employed = t.view("employer")[t.view("alive")]
    assert e.alive[employed[employed >= 0]].all()       # nobody works for a closed firm
