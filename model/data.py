"""Observed data and city geography shipped with the package.

`observed_zhejiang.csv` holds the observed figures (2016-2020 only; sources and the
hold-out rule in docs/data.md). Its first rows are the project's reference table, which a
test checks row by row when that table is present beside the checkout.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

PROVINCE = "Zhejiang"


def _data_path(name: str):
    return resources.files("model") / "data" / name


@lru_cache(maxsize=1)
def observed() -> pd.DataFrame:
    """The observed Zhejiang figures (year, region, metric, value, unit, series, ...)."""
    with _data_path("observed_zhejiang.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def observed_value(year: int, region: str, metric: str) -> float:
    df = observed()
    row = df[(df.year == year) & (df.region == region) & (df.metric == metric)]
    if len(row) != 1:
        raise KeyError(f"no unique observed row for {year} {region} {metric}")
    return float(row.value.iloc[0])


@lru_cache(maxsize=1)
def cities() -> pd.DataFrame:
    """The 11 prefectures with 2017 GDP and population and their coordinates.

    GDP: 2017 rows of the observed data. Population: Hangzhou's 2017 row; the other
    ten cities share the rest of the 2017 provincial total (5657 x 10k) in proportion
    to their 2010 census populations (observed rows marked "use as population shares").
    """
    with _data_path("cities.csv").open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh)
    df["gdp_100m_yuan"] = [observed_value(2017, c, "gdp") for c in df.city]
    census = np.array([observed_value(2010, c, "resident_population") for c in df.city])
    total_2017 = observed_value(2017, PROVINCE, "resident_population")
    hz = df.city.to_numpy() == "Hangzhou"
    hz_2017 = observed_value(2017, "Hangzhou", "resident_population")
    pop = census / census[~hz].sum() * (total_2017 - hz_2017)
    pop[hz] = hz_2017
    df["population_10k"] = pop
    df["is_core"] = df.is_core.astype(bool)
    return df


def distance_km(df: pd.DataFrame) -> np.ndarray:
    """Great-circle distances between city centres (haversine, R = 6371 km)."""
    lat = np.radians(df.lat_deg.to_numpy())
    lon = np.radians(df.lon_deg.to_numpy())
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))
