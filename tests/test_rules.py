"""The scalar rules shared by both engines draw from the right distributions."""

import numpy as np
import pytest
import scipy.stats as st

from model import rules


@pytest.mark.parametrize("lam", [0.3, 4.0, 60.0, 400.0])
def test_poisson_from_uniform_matches_the_distribution(lam):
    u = np.random.default_rng(0).random(20000)
    x = np.array([rules.poisson_from_uniform(lam, v) for v in u])
    assert x.mean() == pytest.approx(lam, rel=0.03, abs=0.02)
    assert x.var() == pytest.approx(lam, rel=0.08, abs=0.03)


@pytest.mark.parametrize("n, p", [(5, 0.3), (80, 0.05), (3000, 0.2)])
def test_binomial_from_uniform_matches_the_distribution(n, p):
    u = np.random.default_rng(1).random(20000)
    x = np.array([rules.binomial_from_uniform(n, p, v) for v in u])
    assert x.mean() == pytest.approx(n * p, rel=0.03)
    if n < 1000:
        expected = st.binom.ppf(u[:200], n, p)
        assert (np.abs(x[:200] - expected) <= 1).all()


def test_choose_index_and_stochastic_round():
    w = np.array([0.0, 1.0, 3.0])
    draws = [rules.choose_index(w, u) for u in np.linspace(0, 0.999, 1000)]
    assert draws.count(0) == 0 and abs(draws.count(2) / 1000 - 0.75) < 0.01
    assert rules.choose_index(np.zeros(3), 0.5) == -1
    assert rules.stochastic_round(2.25, 0.2) == 3 and rules.stochastic_round(2.25, 0.3) == 2


def test_fenwick_draws_follow_the_weights_and_updates():
    w = np.array([0.0, 2.0, 0.5, 0.0, 1.5, 4.0, 0.0])
    tree = np.zeros(len(w) + 1)
    rules.fenwick_build(w, tree)
    assert rules.fenwick_total(tree) == pytest.approx(w.sum())
    u = np.random.default_rng(3).random(40000)
    picks = np.array([rules.fenwick_find(tree, w, x) for x in u])
    freq = np.bincount(picks, minlength=len(w)) / len(u)
    np.testing.assert_allclose(freq, w / w.sum(), atol=0.01)
    assert (freq[w == 0] == 0).all()
    rules.fenwick_add(tree, 5, -4.0)
    w[5] = 0.0
    picks = [rules.fenwick_find(tree, w, x) for x in u[:2000]]
    assert 5 not in picks
    empty = np.zeros(3)
    t0 = np.zeros(4)
    rules.fenwick_build(empty, t0)
    assert rules.fenwick_find(t0, empty, 0.5) == -1


def test_choose_in_cumulative_is_choose_index():
    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 7, 50, 3000):
        weights = rng.lognormal(0.0, 3.0, n) * (rng.random(n) < 0.4)
        cumulative = np.cumsum(weights)
        for u in [*rng.random(200), 0.0, 1.0 - 2 ** -53]:
            assert (rules.choose_in_cumulative(weights, cumulative, u)
                    == rules.choose_index(weights, u))


def test_innovation_steps_shrink_beyond_the_frontier_only():
    step = rules.innovation_step
    assert step(0.01, 0.5, 1.0, 2.0) == step(0.01, 1.0, 1.0, 2.0) == 0.01
    assert step(0.01, 2.0, 1.0, 0.0) == 0.01
    assert step(0.01, 2.0, 1.0, 1.0) == pytest.approx(0.005)
    assert step(0.01, 4.0, 1.0, 2.0) == pytest.approx(0.01 / 16)
    assert step(0.01, 3.0, 1.0, 2.0) < step(0.01, 3.0, 1.0, 1.0) < step(0.01, 2.0, 1.0, 1.0)


def test_an_entrant_is_sized_against_sales_but_never_against_less_than_half_the_demand():
    share = rules.entrant_share
    # normal month: the sector sold 10 of its demand of 12; a 1-unit entrant gets 1/10
    assert share(1.0, 5.0, 10.0, 12.0) == pytest.approx(0.5)
    # a sector whose few firms sold nothing (no staff): sized against half the demand,
    # not against ~0 (which gave an entrant 1e4 times the sector and overflowed by 2030)
    assert share(1.0, 5.0, 0.0, 12.0) == pytest.approx(5.0 / 6.0)
    assert share(1.0, 5.0, 0.0, 0.0) == pytest.approx(5.0)      # nor below its own revenue


def test_an_entrant_in_a_sector_without_sales_or_demand_gets_at_most_the_share_sum():
    """Hardware under a total chip restriction sells nothing and has no demand: an entrant
    there must not get 1e7 times the sector (the divide-by-1e-9 path)."""
    assert rules.entrant_share(0.01, 5.0, 0.0, 0.0) == pytest.approx(5.0)
