"""Packaged observed data contain the shared file, keep the hold-out, and are well formed;
the city table is complete."""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.data import cities, distance_km, observed

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "observed_zhejiang.csv"
PACKAGED = Path(__file__).resolve().parents[1] / "model" / "data" / "observed_zhejiang.csv"

COLUMNS = ["year", "region", "metric", "value", "unit", "series", "confidence", "source", "note"]
CONFIDENCE = {"high", "medium-high", "medium", "low", "unverified"}
LAST_OBSERVED_YEAR = 2020          # later years are held out: the model's forecasts are judged on them


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


@pytest.mark.skipif(not SHARED.is_file(), reason="shared/ is not beside this checkout")
def test_every_shared_row_is_in_the_packaged_table_unchanged():
    shared, packaged = _rows(SHARED), _rows(PACKAGED)
    assert shared[0] == packaged[0] == COLUMNS
    missing = [r for r in shared[1:] if r not in packaged[1:]]
    assert not missing, missing
    # and byte for byte, at the top of the packaged file, in the same order
    assert PACKAGED.read_bytes().startswith(SHARED.read_bytes())


def test_no_row_is_dated_after_the_hold_out_year():
    df = observed()
    late = df[df.year > LAST_OBSERVED_YEAR]
    assert late.empty, late[["year", "region", "metric"]].to_string()


def test_observed_table_is_well_formed():
    df = observed()
    assert list(df.columns) == COLUMNS
    assert len(df) >= 60
    assert pd.api.types.is_integer_dtype(df.year)
    assert pd.api.types.is_numeric_dtype(df.value) and np.isfinite(df.value).all()
    for col in ("region", "metric", "unit", "series", "source"):
        assert df[col].notna().all() and df[col].astype(str).str.strip().ne("").all(), col
    assert set(df.confidence) <= CONFIDENCE, set(df.confidence) - CONFIDENCE
    dup = df[df.duplicated(["year", "region", "metric"], keep=False)]
    assert dup.empty, dup[["year", "region", "metric"]].to_string()


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
