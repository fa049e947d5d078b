"""Identification check: the finite-difference Jacobian, its verdicts, the standardised
moments (model/identification.py); the CLI smoke test is in tests/cli/test_calibrate.py."""

import numpy as np
import pytest

from model.identification import (
    WEAK,
    finite_difference_jacobian,
    identification_table,
    standardised,
    weakest_direction,
)

A = np.array([[2.0, 0.0, 1.0, 2.0],
              [0.5, 0.0, -3.0, 0.5 + 1e-3],
              [4.0, 0.0, 0.0, 4.0]])          # column 1 is zero; column 3 ~ column 0


def linear_moments(noise_sd: float = 0.0, replicates: int = 3):
    """m(x) = A x plus replicate noise that is the same at every x (common random numbers)."""
    noise = np.random.default_rng(0).normal(scale=noise_sd, size=(replicates, A.shape[0]))

    def moments(xs):
        return np.array([[A @ x + e for e in noise] for x in xs])
    return moments


def test_the_jacobian_of_a_linear_moment_function_is_its_matrix():
    x0 = np.array([0.5, 0.3, 0.95, 0.0])         # two points at or near a bound: one-sided
    jac, se = finite_difference_jacobian(linear_moments(noise_sd=5.0), x0, step=0.1)
    assert jac == pytest.approx(A)
    assert np.allclose(se, 0.0)                  # common noise cancels in the differences
    jac1, se1 = finite_difference_jacobian(linear_moments(replicates=1), x0)
    assert jac1 == pytest.approx(A) and np.isnan(se1).all()


def test_a_zero_column_and_collinear_columns_are_flagged():
    table, singular = identification_table(A, np.zeros_like(A), list("abcd"),
                                           ["m0", "m1", "m2"])
    t = table.set_index("parameter")
    assert not t.loc["b", "identified"] and "near-zero column" in t.loc["b", "problem"]
    assert t.loc["b", "column_norm"] == 0 < WEAK and t.loc["b", "pinned_by"] == "none"
    assert t.loc["a", "most_collinear_with"] == "d" and "collinear with d" in t.loc["a", "problem"]
    assert t.loc["c", "identified"] and t.loc["c", "pinned_by"] == "m1"
    assert t.loc["c", "largest_slope"] == -3.0
    assert t.loc["a", "pinned_by"] == "m2"
    assert len(singular) == 3 and singular[-1] < 1e-3 * singular[0]     # a and d


def test_a_slope_within_its_noise_does_not_pin_a_parameter_down():
    jac = np.array([[3.0], [1.5]])
    se = np.array([[2.0], [0.1]])                # the larger slope is noise, the smaller not
    t = identification_table(jac, se, ["p"], ["noisy", "clear"])[0].iloc[0]
    assert t.pinned_by == "clear" and t.identified
    t = identification_table(jac, np.array([[2.0], [1.0]]), ["p"], ["a", "b"])[0].iloc[0]
    assert not t.identified and "no slope beyond 2 standard errors" in t.problem


def test_standardised_moments_keep_their_slope_inside_a_band():
    fact = {"kind": "fact", "observed": (0.4, 0.6), "half_width": 0.1}
    assert standardised(fact, 0.55) == pytest.approx(0.5)
    level = {"kind": "level", "observed": 200.0, "half_width": 20.0}
    assert standardised(level, 230.0) == pytest.approx(1.5)
    floor = {"kind": "lower_bound", "observed": 800.0, "half_width": 240.0}
    assert standardised(floor, 1040.0) == pytest.approx(1.0)


def test_the_weakest_direction_is_the_near_collinear_pair():
    condition, loadings = weakest_direction(A, list("abcd"))
    assert set(loadings) == {"a", "d"} and loadings["a"] == pytest.approx(-loadings["d"], rel=0.01)
    assert condition > 1e3
