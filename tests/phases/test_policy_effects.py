"""Lagged, depreciating effects of pilots, zones, data opening and the patent pool
(model/phases/policy_effects.py)."""

import math

import numpy as np
import pytest

from model.phases import policy_effects
from model.phases.policy_effects import advance, effective, init_effects

from .conftest import set_lever, small_model


def fresh(lag=12, pilot_decay=0.15, zone_decay=0.05):
    m = small_model("numba")
    m.params.policy_effect_lag_months = lag
    m.params.pilot_effect_decay_per_year = pilot_decay
    m.params.demo_zone_effect_decay_per_year = zone_decay
    init_effects(m)
    return m


def test_no_effect_before_the_lag_then_the_full_delivery():
    m = fresh(lag=12)
    cs = m.state.cities
    before = effective(m).pilots.copy()
    cs.application_pilots[2] += 1               # delivered in month 0
    cs.demonstration_zones[4] += 2
    for month in range(12):
        advance(m)
        assert effective(m).pilots[2] == before[2], month       # months 0-11: nothing yet
        assert effective(m).zones[4] == pytest.approx(cs.demonstration_zones[4] - 2)
    advance(m)                                  # month 12: the pilot acts
    assert effective(m).pilots[2] == pytest.approx(before[2] * math.exp(-0.15) + 1.0)
    assert effective(m).zones[4] > cs.demonstration_zones[4] - 2 + 1.9


def test_a_stock_falls_after_delivery_stops():
    m = fresh(lag=0, pilot_decay=0.2, zone_decay=0.1)
    cs = m.state.cities
    cs.application_pilots[:] = 0.0
    cs.demonstration_zones[:] = 0.0
    init_effects(m)
    cs.application_pilots[0] = 3.0
    cs.demonstration_zones[0] = 2.0
    advance(m)
    assert effective(m).pilots[0] == pytest.approx(3.0)
    path = []
    for _ in range(24):                          # no more deliveries
        advance(m)
        path.append((effective(m).pilots[0], effective(m).zones[0]))
    pilots, zones = np.array(path).T
    assert (np.diff(pilots) < 0).all() and (np.diff(zones) < 0).all()
    assert pilots[-1] == pytest.approx(3.0 * math.exp(-0.2 * 2))        # two years at 20%/yr
    assert zones[-1] == pytest.approx(2.0 * math.exp(-0.1 * 2))
    assert cs.application_pilots[0] == 3.0      # the delivered count (indicator) stays


def test_without_lag_and_decay_the_effective_stock_is_the_delivered_count():
    m = fresh(lag=0, pilot_decay=0.0, zone_decay=0.0)
    cs = m.state.cities
    for month in range(5):
        cs.application_pilots[month % m.n_cities] += 1
        cs.demonstration_zones[(month + 3) % m.n_cities] += 1
        advance(m)
        np.testing.assert_allclose(effective(m).pilots, cs.application_pilots)
        np.testing.assert_allclose(effective(m).zones, cs.demonstration_zones)


def test_data_opening_and_patent_pool_act_after_the_lag_and_do_not_decay():
    m = fresh(lag=6)
    cs = m.state.cities
    old = cs.data_opening.copy()
    cs.data_opening[:] = 0.9
    set_lever(m, "patent_pool", 1)
    for _ in range(6):
        advance(m)
        np.testing.assert_array_equal(effective(m).data_opening, old)
        assert effective(m).patent_pool == 0.0
    for _ in range(30):
        advance(m)
        np.testing.assert_array_equal(effective(m).data_opening, 0.9)
        assert effective(m).patent_pool == 1.0


def test_a_negative_lag_is_refused_with_the_parameter_named():
    m = small_model("numba")
    m.params.policy_effect_lag_months = -1
    with pytest.raises(ValueError, match="policy_effect_lag_months"):
        policy_effects.init_effects(m)


def test_a_lagged_pilot_does_not_speed_adoption_before_the_lag_in_a_run():
    """Whole model: a pilot delivered now changes adoption only after the lag."""
    runs = []
    for extra in (0, 5):
        m = small_model("numba", seed=3)
        m.params.policy_effect_lag_months = 12
        init_effects(m)
        m.state.cities.application_pilots[0] += extra
        adoption = []
        for _ in range(14):
            m.step()
            adoption.append(m.state.cities.adoption[0])
        runs.append(np.array(adoption))
    base, more = runs
    np.testing.assert_array_equal(more[:12], base[:12])
    assert more[12] > base[12]
