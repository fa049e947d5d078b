"""Phase 6a, adoption by application sector and GDP (model/phases/adoption.py), run alone
under both engines; and the demand levers' mechanisms, each alone."""

import numpy as np
import pytest

from model import application_sectors as apps
from model import rules
from model.phases.adoption import adopt_and_grow, adoption_context
from model.phases.market import sector_demand
from model.state import HARDWARE_SECTORS


def _months(m, n):
    for _ in range(n):
        adopt_and_grow(m)


def test_saturating_bass_step_matches_the_formula(model):
    m = model
    cs = m.state.cities
    cs.application_pilots[:] = np.arange(m.n_cities)
    cs.demonstration_zones[:] = np.arange(m.n_cities)[::-1]
    cs.sector_adoption[:] = np.linspace(0.0, 0.3, m.n_cities)[:, None] + [0, .1, .2, .3, .4]
    a = cs.sector_adoption.copy()
    ctx = adoption_context(m)
    adopt_and_grow(m)
    mcap = ctx.ceiling[None, :]
    step = np.minimum(mcap, a + (ctx.bass_p / 12 + ctx.bass_q / 12 * a / mcap) * (mcap - a))
    expected = np.where(a < mcap, step, a)       # at or above its ceiling adoption stays
    np.testing.assert_allclose(cs.sector_adoption, expected, rtol=1e-14)
    below = a < mcap
    assert (cs.sector_adoption[below] > a[below]).all()


def test_adoption_above_a_lowered_ceiling_is_kept_not_cut(model):
    """Adopters do not give AI up when the ceiling falls below them (a low ceiling
    parameter, or AI-as-a-service withdrawn): adoption stays, GDP does not jump."""
    m = model
    m.params.adoption_ceiling = 0.2
    m.state.cities.sector_adoption[:] = 0.3
    adopt_and_grow(m)
    np.testing.assert_array_equal(m.state.cities.sector_adoption, 0.3)


def test_adoption_saturates_at_each_sectors_ceiling(model):
    m = model
    m.params.bass_innovation_per_year = 0.5
    m.params.bass_imitation_per_year = 2.0
    _months(m, 240)
    ceiling = apps.ceilings(m.params, m.lever("ai_as_a_service"))
    a = m.state.cities.sector_adoption
    assert (a <= ceiling[None, :] + 1e-12).all()
    np.testing.assert_allclose(a, np.broadcast_to(ceiling, a.shape), rtol=1e-6)
    assert ceiling.max() <= 1.0 and ceiling.min() < ceiling.max()   # sectors saturate apart


def test_gdp_is_the_trend_raised_by_adoption(model):
    m = model
    cs = m.state.cities
    _months(m, 60)
    assert (cs.gdp_100m_yuan > cs.gdp_trend_100m_yuan).all()
    # without a productivity gain GDP is the trend
    m.params.ai_productivity_gain_per_adopter = 0.0
    _months(m, 240)
    np.testing.assert_allclose(cs.gdp_100m_yuan, cs.gdp_trend_100m_yuan, rtol=1e-4)


def test_a_sectors_push_raises_that_sectors_adoption_most(engine):
    from .conftest import small_model
    gains = {}
    for push in (0.0, 1.0):
        m = small_model(engine, levers={"ai_application_agriculture": push})
        m.begin_month()
        _months(m, 36)
        gains[push] = m.state.cities.sector_adoption.mean(axis=0)
    lift = gains[1.0] - gains[0.0]
    k = apps.APPLICATION_SECTORS.index("agriculture")
    assert lift[k] > 0.01
    np.testing.assert_allclose(np.delete(lift, k), 0.0, atol=1e-15)


def test_ai_as_a_service_raises_the_ceiling_most_where_small_adopters_are(model):
    P = model.params
    low, high = apps.ceilings(P, 0.0), apps.ceilings(P, 1.0)
    assert (high >= low).all() and (high > low).any()
    lift = (high - low) / (1.0 - np.minimum(P.adoption_ceiling * apps.CEILING_RELATIVE, 1.0))
    assert np.argmax(lift) == np.argmax(apps.SME_OUTPUT_SHARE)


def test_infrastructure_raises_every_sectors_bass_p(engine):
    from .conftest import small_model
    p = {}
    for level in (0.0, 1.0):
        m = small_model(engine, levers={"ai_infrastructure": level})
        p[level] = adoption_context(m).bass_p
    assert (p[1.0] > p[0.0]).all()


def test_chips_and_software_lift_the_hardware_cap_only_under_a_restriction():
    assert rules.hardware_supply_cap(1.0, 1.0, 0.3) == 1.0
    assert rules.hardware_supply_cap(0.5, 0.0, 0.3) == 0.5
    assert rules.hardware_supply_cap(0.5, 1.0, 0.3) == pytest.approx(0.65)
    from .conftest import small_model
    hw = list(HARDWARE_SECTORS)
    demand = {}
    for level in (0.0, 1.0):
        m = small_model("numba", levers={"chips_and_software": level},
                        events=[{"kind": "chip_restriction", "start": 2017, "duration": 2,
                                 "magnitude": 0.5}])
        demand[level] = sector_demand(m)[0]
    sold = demand[0.0][hw] > 0               # a 1% sample has no firm in some sectors
    np.testing.assert_allclose(demand[1.0][hw][sold] / demand[0.0][hw][sold], 0.65 / 0.5)
    np.testing.assert_array_equal(np.delete(demand[1.0], hw), np.delete(demand[0.0], hw))


def test_local_demand_follows_the_adopting_sectors_purchase_mix(model):
    """In January 2017 local purchases have the sales mix; more manufacturing adoption
    then raises purchases of robots more than of smart-home products (PURCHASE_MIX)."""
    m = model
    cs, economy = m.state.cities, m.economy
    ones = np.ones(m.n_cities)
    local = economy.purchase_share_of_gdp * apps.purchases_by_product(cs, ones)
    np.testing.assert_allclose(local / local.sum(), economy.sector_mix, atol=1e-12)
    before = apps.purchases_by_product(cs, ones)
    cs.sector_adoption[:, apps.APPLICATION_SECTORS.index("manufacturing")] *= 2
    rel = apps.purchases_by_product(cs, ones) / before
    assert rel[2] > rel[3] > 1.0      # robots 0.30 of manufacturers' purchases, home 0.05
