"""The counter-based draws (model/streams.py): uniform, independent, order-free, keyed."""

import numpy as np
import pytest

from model import AIEcosystemModel, streams

N = 200_000


def _u(key, agents, k=0):
    return streams.uniforms(np.uint64(key), np.asarray(agents, dtype=np.int64), k)


@pytest.fixture(scope="module")
def key():
    return np.uint64(streams.phase_key(streams.run_key(np.random.SeedSequence(11)), 5, 3))


def test_uniforms_have_the_moments_and_histogram_of_u01(key):
    u = _u(key, np.arange(N))
    assert ((u >= 0.0) & (u < 1.0)).all()
    se = 1.0 / np.sqrt(12 * N)
    assert abs(u.mean() - 0.5) < 5 * se
    assert abs(u.var() - 1 / 12) < 5 * np.sqrt(1 / 180 / N)      # var of (u - 1/2)^2
    counts = np.bincount((u * 100).astype(int), minlength=100)
    chi2 = ((counts - N / 100) ** 2 / (N / 100)).sum()
    assert chi2 < 99 + 5 * np.sqrt(2 * 99)                        # 99 degrees of freedom


@pytest.mark.parametrize("pair", ["adjacent agents", "adjacent draws", "next month",
                                  "other phase", "other seed"])
def test_draws_are_uncorrelated(pair, key):
    a = np.arange(N)
    x = _u(key, a)
    if pair == "adjacent agents":
        y = _u(key, a + 1)
    elif pair == "adjacent draws":
        y = _u(key, a, 1)
    else:
        run = streams.run_key(np.random.SeedSequence(12 if pair == "other seed" else 11))
        month, stream = (6, 3) if pair == "next month" else (5, 4 if pair == "other phase" else 3)
        y = _u(streams.phase_key(run, month, stream), a)
    assert not np.array_equal(x, y)
    for f in (lambda v: v, lambda v: (v < 0.01).astype(float)):    # values and rare events
        assert abs(np.corrcoef(f(x), f(y))[0, 1]) < 5 / np.sqrt(N)


def test_low_bits_and_pairs_are_uniform(key):
    """Joint histogram of (u_k, u_k+1) in 10 x 10 cells and the lowest bits of the words."""
    a = np.arange(N)
    x, y = _u(key, a, 2), _u(key, a, 3)
    cells = np.bincount((x * 10).astype(int) * 10 + (y * 10).astype(int), minlength=100)
    chi2 = ((cells - N / 100) ** 2 / (N / 100)).sum()
    assert chi2 < 99 + 5 * np.sqrt(2 * 99)
    low = (x * 2.0 ** 53).astype(np.int64) & 1
    assert abs(low.mean() - 0.5) < 5 * 0.5 / np.sqrt(N)


def test_normals_are_standard_normal(key):
    z = streams.normals(key, np.arange(N), 0)
    assert abs(z.mean()) < 5 / np.sqrt(N)
    assert abs(z.var() - 1.0) < 5 * np.sqrt(2 / N)
    assert abs((z > 1.959964).mean() - 0.025) < 5 * np.sqrt(0.025 * 0.975 / N)
    assert abs(np.mean(z ** 3)) < 5 * np.sqrt(15 / N)                 # skewness
    assert abs(np.mean(z ** 4) - 3.0) < 5 * np.sqrt(96 / N)           # kurtosis


def test_an_agents_draw_does_not_depend_on_order_or_on_the_others(key):
    agents = np.arange(1000, 6000)
    perm = np.random.default_rng(0).permutation(agents)
    in_order = _u(key, agents, 4)
    shuffled = _u(key, perm, 4)
    np.testing.assert_array_equal(shuffled, in_order[perm - 1000])
    assert _u(key, [4321], 4)[0] == in_order[4321 - 1000]           # alone, the same number
    # a Python caller (the mesa engine's methods) gets the kernels' numbers, bit for bit
    assert streams.uniform(key, 4321, 4) == in_order[4321 - 1000]
    assert streams.normal(key, 77, 2) == streams.normals(key, np.array([77]), 2)[0]


def test_phase_key_in_python_is_the_compiled_one():
    for run in (0, 1, 2 ** 63 + 5, 2 ** 64 - 1):
        for month, stream in ((0, 0), (167, 7), (10 ** 6, 63)):
            assert streams.phase_key_py(run, month, stream) == streams.phase_key(
                np.uint64(run), month, stream)


def test_uniform_in_python_is_the_compiled_one():
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 2 ** 63, 50, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    agents = np.concatenate([np.arange(100), rng.integers(0, 2 ** 40, 100)])
    for key in keys:
        compiled = streams.uniforms(key, agents, 15)
        assert [streams.uniform_py(int(key), int(a), 15) for a in agents] == list(compiled)


def test_the_model_keys_its_draws_by_seed_month_and_phase():
    a = AIEcosystemModel(seed=3, scale=0.01, end_year=2017)
    b = AIEcosystemModel(seed=3, scale=0.01, end_year=2017)
    c = AIEcosystemModel(seed=4, scale=0.01, end_year=2017)
    assert a.stream_key == b.stream_key != c.stream_key
    keys = {a.draw(name) for name in streams.STREAMS}
    assert len(keys) == len(streams.STREAMS)
    first = a.draw("labour_market")
    a.month += 1
    assert a.draw("labour_market") != first
    assert b.draw("labour_market") == first
    assert b.uniform(10, 0) == streams.uniform(first, 10, 0)
