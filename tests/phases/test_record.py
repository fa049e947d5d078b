"""Phase 8, record (model/phases/record.py), run alone under both engines."""

import numpy as np
import pytest

from model.data import PROVINCE
from model.indicators import INDICATORS
from model.phases.record import record

from .conftest import add_firm, kill, small_model


def test_december_records_the_years_indicators(model):
    m = model
    m.month = 11                                           # December 2017
    e = m.state.enterprises
    e.revenue_ytd_100m_yuan[: e.n] = np.linspace(0.1, 2.0, e.n)
    m.tally.year_counts["core_patents_granted"][:] = 1.0
    record(m)
    frame = m.recorder.frame()
    assert set(frame.year) == {2017}
    assert len(frame) == sum(1 if ind.province_only else 1 + m.n_cities
                             for ind in INDICATORS.values())
    assert set(frame.indicator) == set(INDICATORS)
    assert set(frame.region) == {PROVINCE, *m.city_names}
    assert np.isfinite(frame.value).all()
    # province rows are the sum of the city rows (province-only indicators have none), or
    # for a price index a mean, between the cities' values
    wide = frame.pivot_table(index="indicator", columns="region", values="value")
    by_city = [name for name, ind in INDICATORS.items() if not ind.province_only]
    assert wide.loc[[n for n in INDICATORS if n not in by_city], m.city_names].isna().all().all()
    summed = [name for name in by_city if not INDICATORS[name].index]
    np.testing.assert_allclose(wide.loc[summed, PROVINCE],
                               wide.loc[summed, m.city_names].sum(axis=1), rtol=1e-12)
    for name in (name for name in by_city if INDICATORS[name].index):
        cities = wide.loc[name, m.city_names]
        assert cities.min() - 1e-12 <= wide.loc[name, PROVINCE] <= cities.max() + 1e-12
    np.testing.assert_array_equal(e.view("revenue_prev_year_100m_yuan"),
                                  e.view("revenue_ytd_100m_yuan"))
    assert m.tally.cum["core_patents_granted"].sum() == m.n_cities
    assert m.recorder.latest["core_invention_patents"] == pytest.approx(m.n_cities / m.scale)


@pytest.mark.parametrize("month", [0, 5, 10, 12])
def test_other_months_record_nothing(model, month):
    m = model
    m.month = month
    prev = m.state.enterprises.view("revenue_prev_year_100m_yuan").copy()
    record(m)
    assert m.recorder.rows == []
    np.testing.assert_array_equal(m.state.enterprises.view("revenue_prev_year_100m_yuan"), prev)


def test_a_year_of_steps_records_each_indicator_once(engine):
    m = small_model(engine)
    for _ in range(12):
        m.step()
    frame = m.recorder.frame()
    assert set(frame.year) == {2017}
    assert not frame.duplicated(["year", "region", "indicator"]).any()
    assert len(frame) == sum(1 if ind.province_only else 1 + m.n_cities
                             for ind in INDICATORS.values())


def test_incubator_places_whose_tenancy_ended_are_released(model):
    m = model
    m.month = 4
    cs = m.state.cities
    cs.incubator_occupied[:] = 0.0
    cs.incubator_occupied[[1, 2]] = [3.0, 1.0]
    ended = [add_firm(m, city=1, incubated_until=4), add_firm(m, city=1, incubated_until=4)]
    staying = add_firm(m, city=2, incubated_until=9)
    closed = add_firm(m, city=2, incubated_until=4)      # its exit freed the place already
    kill(m, "enterprises", [closed])
    record(m)
    np.testing.assert_array_equal(cs.incubator_occupied[[1, 2]], [1.0, 1.0])
    assert cs.incubator_occupied.sum() == 2.0
    assert m.state.enterprises.incubated_until[staying] == 9
    assert len(ended) == 2


def test_released_places_never_go_negative(model):
    m = model
    m.month = 4
    cs = m.state.cities
    cs.incubator_occupied[:] = 0.0
    add_firm(m, city=6, incubated_until=4)
    record(m)
    assert (cs.incubator_occupied >= 0).all()
