"""Phase 2, the talent's month (model/phases/talent_month.py), run alone under both engines:
the three per-row rules in one pass on the month's opening terms, then the arrivals."""

import numpy as np
import pytest

import model.phases.labour_market as lm
from model.levers import TALENT_PROGRAM_LEVERS
from model.phases.talent_month import talent_month
from model.state import ENGINEER, N_TIERS, SEEKING

from .conftest import add_firm, add_talent, clear_firms, clear_talent, set_lever


def test_newcomers_settle_before_they_review_their_city(model):
    """Everybody present reviews and leaves for a far better outside option; the month's
    arrivals (graduates) stay: they review from next month on."""
    m = model
    m.params.relocation_review_rate_per_year = 12.0
    m.params.outside_option_utility = 60.0             # a stay has odds below 1e-20
    m.params.attrition_per_year = 0.0
    set_lever(m, "ai_graduates_per_year", 24000)
    t = m.state.talent
    present, n0 = t.alive_rows(), t.n
    talent_month(m)
    assert not t.alive[present].any()
    assert t.n > n0 and t.alive[n0: t.n].all()
    np.testing.assert_array_equal(m.tally.flows["out_migration"],
                                  np.bincount(t.tier[present], minlength=N_TIERS))


def test_layoffs_answer_the_staff_the_month_began_with(model, monkeypatch):
    """A firm over its need lays off at the rate its opening staff implies, even when some
    of that staff moves away in the same month: a layoff rate of 1 with four of eight
    staff above need lays off half of those who stay, whatever the others do."""
    m = model
    clear_firms(m)
    clear_talent(m)
    set_lever(m, "ai_graduates_per_year", 0)
    for name in TALENT_PROGRAM_LEVERS:
        set_lever(m, name, 0)
    m.cache.unfilled_vacancies = np.zeros(N_TIERS)
    m.params.layoff_rate_per_month = 1.0
    m.params.vacancy_slack = 0.0
    m.params.attrition_per_year = 0.0
    m.params.upskilling_engineer_per_year = 0.0
    firm = add_firm(m, city=0, revenue_year=0.0, cash=0.0)
    staff = add_talent(m, 800, tier=ENGINEER, city=0, employer=firm)
    m.cache.talent_counts = m.talent_by_city_tier()
    need = np.zeros((m.state.enterprises.n, N_TIERS))
    need[firm, ENGINEER] = 400
    monkeypatch.setattr(lm, "labour_needs", lambda model: need.copy())
    m.params.relocation_review_rate_per_year = 6.0          # half review: all leave
    m.params.outside_option_utility = 1e3
    talent_month(m, rules=("review", "layoffs"))
    t = m.state.talent
    stayed = staff[t.alive[staff]]
    assert 300 < len(stayed) < 500                      # about half reviewed and left
    laid_off = (t.employer[stayed] == SEEKING).mean()
    assert 0.4 < laid_off < 0.6                         # (800 - 400) / 800 of the stayers


def test_an_unknown_rule_is_named(model):
    with pytest.raises(ValueError, match=r"unknown rules \['retire'\]"):
        talent_month(model, rules=("ageing", "retire"))
    with pytest.raises(ValueError, match=r"unknown rules \['age'\]"):
        talent_month(model, rules="age")               # one name, not its letters
