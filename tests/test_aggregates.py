"""Compiled aggregates agree with their numpy counterparts exactly."""

import numpy as np

from model.aggregates import numpy_sum


def test_numpy_sum_is_numpys_sum_bit_for_bit():
    rng = np.random.default_rng(3)
    values = rng.lognormal(0.0, 2.0, 30_000)
    for n in [*range(300), 1_000, 8_191, 8_192, 8_193, 20_000, 30_000]:
        rows = np.sort(rng.choice(len(values), size=n, replace=False))
        assert numpy_sum(values, rows) == values[rows].sum(), n
