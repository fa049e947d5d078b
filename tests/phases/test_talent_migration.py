"""Talent migration (model/phases/talent_migration.py): the talent's month (phase 2,
model/phases/talent_month.py) with only its review of location, under both engines."""

import numpy as np

import model.phases.talent_migration as migration
from model.phases.talent_month import talent_month
from model.state import N_TIERS, SEEKING

from .conftest import column

TALENT_STATE = ("alive", "tier", "city", "employer", "months_seeking")


def talent_migration(m) -> None:
    """The talent's month with the review of location alone."""
    talent_month(m, rules=("review",))


def test_with_no_review_nobody_moves(model):
    m = model
    m.params.relocation_review_rate_per_year = 0.0
    m.params.outside_option_utility = 1e3              # leaving would be irresistible
    before = {name: column(m, "talent", name) for name in TALENT_STATE}
    talent_migration(m)
    for name in TALENT_STATE:
        np.testing.assert_array_equal(m.state.talent.view(name), before[name], err_msg=name)
    assert m.tally.flows["moved"].sum() == m.tally.flows["out_migration"].sum() == 0


def test_with_a_far_better_outside_option_every_reviewer_leaves(model):
    m = model
    m.params.relocation_review_rate_per_year = 12.0    # everybody reviews
    m.params.outside_option_utility = 1e3
    t = m.state.talent
    alive = t.alive_rows()
    expected = np.bincount(t.tier[alive], minlength=N_TIERS)
    talent_migration(m)
    assert not t.alive[: t.n].any()
    np.testing.assert_array_equal(m.tally.flows["out_migration"], expected)
    assert m.tally.flows["moved"].sum() == 0


def test_an_employed_mover_becomes_a_job_seeker(model, monkeypatch):
    m = model
    m.params.relocation_review_rate_per_year = 12.0
    m.params.outside_option_utility = -1e3
    target = 6
    utility = np.zeros(m.n_cities)
    utility[target] = 100.0                            # every reviewer picks `target`
    monkeypatch.setattr(migration, "city_utility", lambda model: utility)
    t = m.state.talent
    before = {name: column(m, "talent", name) for name in TALENT_STATE}
    alive = before["alive"]
    t.months_seeking[: t.n][alive] = 5
    talent_migration(m)
    city, employer = t.view("city"), t.view("employer")
    assert (city[alive] == target).all()
    movers = alive & (before["city"] != target)
    stayers = alive & (before["city"] == target)
    assert movers.any() and stayers.any()
    employed_movers = movers & (before["employer"] >= 0)
    assert employed_movers.any()
    assert (employer[employed_movers] == SEEKING).all()
    assert (t.view("months_seeking")[employed_movers] == 0).all()
    # seekers and researchers keep their status; stayers keep their jobs
    others = movers & (before["employer"] < 0)
    np.testing.assert_array_equal(employer[others], before["employer"][others])
    np.testing.assert_array_equal(employer[stayers], before["employer"][stayers])
    np.testing.assert_array_equal(t.view("months_seeking")[others], 5)
    np.testing.assert_array_equal(
        m.tally.flows["moved"], np.bincount(before["tier"][movers], minlength=N_TIERS))
    assert t.alive[: t.n][alive].all()


def test_distance_keeps_talent_home_when_cities_are_alike(model, monkeypatch):
    m = model
    m.params.relocation_review_rate_per_year = 12.0
    m.params.outside_option_utility = -1e3
    m.params.logit_distance_weight_per_100km = 1e3     # any move costs too much
    monkeypatch.setattr(migration, "city_utility", lambda model: np.zeros(model.n_cities))
    city = column(m, "talent", "city")
    talent_migration(m)
    np.testing.assert_array_equal(m.state.talent.view("city"), city)
    assert m.tally.flows["moved"].sum() == 0


def test_a_job_in_hand_keeps_talent_where_jobs_are_scarce(model, monkeypatch):
    """Where the employment rate is low, seekers leave but the employed stay: staying keeps
    their job, so the city's risk of unemployment does not apply to them."""
    m = model
    m.params.relocation_review_rate_per_year = 12.0
    m.params.outside_option_utility = -2.0               # leaving beats a city's -5
    monkeypatch.setattr(migration, "city_utility", lambda model: np.full(model.n_cities, -5.0))
    m.params.logit_distance_weight_per_100km = 0.0
    m.state.cities.employment_rate[:] = np.exp(-5.0 / m.params.logit_wage_weight)
    t = m.state.talent
    alive = column(m, "talent", "alive")
    holds_job = alive & (column(m, "talent", "employer") != SEEKING)
    seeking = alive & ~holds_job
    assert holds_job.any() and seeking.any()
    talent_migration(m)
    # the job in hand is worth the city's whole handicap: the employed stay (p = 0.88),
    # most seekers leave (p = 0.65)
    assert t.alive[: t.n][holds_job].mean() > 0.75
    assert t.alive[: t.n][seeking].mean() < 0.5
