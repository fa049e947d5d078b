"""Compiled aggregates agree with their numpy counterparts exactly."""

import numpy as np

from model.aggregates import csr_by_city, pool_memo, pool_sum


def test_pool_sum_without_a_tail_is_numpys_sum_bit_for_bit():
    rng = np.random.default_rng(3)
    values = rng.lognormal(0.0, 2.0, 30_000)
    no_tail = np.empty(0, dtype=np.int64)
    for n in [*range(300), 1_000, 8_191, 8_192, 8_193, 20_000, 30_000]:
        rows = np.sort(rng.choice(len(values), size=n, replace=False))
        assert pool_sum(values, rows, no_tail, pool_memo(), 0) == values[rows].sum(), n


def test_pool_sum_of_a_growing_tail_is_numpys_sum_bit_for_bit():
    """The memoised sum of a group whose tail grows (founders' firms) equals numpy's sum of
    the whole pool at every length, for groups of every size."""
    rng = np.random.default_rng(5)
    values = rng.lognormal(0.0, 3.0, 20_000) * rng.choice([-1.0, 1.0], 20_000)
    extra = np.arange(15_000, 20_000, dtype=np.int64)
    for n in (0, 5, 127, 128, 129, 1_000, 8_193, 14_000):
        prefix = rng.permutation(15_000)[:n].astype(np.int64)
        memo = pool_memo()
        for t in (*range(40), 200, 201, 517, 518, 2_000):
            pool = np.concatenate([prefix, extra[:t]])
            assert pool_sum(values, prefix, extra[:t], memo, 2) == values[pool].sum(), (n, t)


def test_csr_by_city_is_a_stable_grouping():
    rng = np.random.default_rng(6)
    rows = np.sort(rng.choice(100_000, 5_000, replace=False))
    city = rng.integers(0, 11, 5_000).astype(np.int8)
    ptr, grouped = csr_by_city(rows, city, 11)
    order = np.argsort(city, kind="stable")
    assert np.array_equal(grouped, rows[order])
    assert np.array_equal(np.diff(ptr), np.bincount(city, minlength=11))


def test_best_by_city_is_maximum_at():
    from model.phases.innovation import best_by_city

    rng = np.random.default_rng(7)
    city = rng.integers(0, 9, 3_000)
    values = rng.normal(size=3_000)
    values[17] = np.nan
    want = np.full(11, -np.inf)
    np.maximum.at(want, city, values)
    assert np.array_equal(best_by_city(city, values, 11), want, equal_nan=True)
