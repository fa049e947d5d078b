"""Packaged data agree with shared/ and the city table is complete."""

from pathlib import Path

import numpy as np
import pytest

from model.data import cities, distance_km, observed

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "observed_zhejiang.csv"


@pytest.mark.skipif(not SHARED.is_file(), reason="shared/ is not beside this checkout")
def test_packaged_observed_data_equal_the_shared_file():
    packaged = Path(__file__).resolve().parents[1] / "model" / "data" / "observed_zhejiang.csv"
    assert packaged.read_bytes() == SHARED.read_bytes()


def test_cities_have_2017_gdp_population_and_distances():
    df = cities()
    assert len(df) == 11 and df.gdp_100m_yuan.gt(0).all()
    assert df.population_10k.sum() == pytest.approx(
        observed().query("year == 2017 and region == 'Zhejiang' and metric == "
                         "'resident_population'").value.iloc[0])
    d = distance_km(df)
    assert np.allclose(d, d.T) and np.allclose(np.diag(d), 0)
    hz, nb = list(df.city).index("Hangzhou"), list(df.city).index("Ningbo")
    assert 120 < d[hz, nb] < 170
