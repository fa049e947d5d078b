"""Shared fixtures for the one-phase tests: a small model under each engine, and helpers
that overwrite its state with a controlled situation before a single phase runs.

Every helper goes through the public state (`model.state`, `Population.add`) and tells the
Mesa views about rows it kills (`mark_dead`), so the mesa engine sees exactly the living
agents the numba kernels see.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import AIEcosystemModel
from model.state import N_TIERS, RESEARCH_INSTITUTE, SEEKING

ENGINES = ("mesa", "numba")


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


def small_model(engine: str, seed: int = 11, scale: float = 0.01, **kwargs) -> AIEcosystemModel:
    """A January-2017 model at 1 % scale (about 10 firms, 500 talent, 5 funds)."""
    return AIEcosystemModel(seed=seed, scale=scale, end_year=2018, engine=engine, **kwargs)


@pytest.fixture
def model(engine) -> AIEcosystemModel:
    """A fresh small model whose month's flow records are zeroed (as `step` does first)."""
    m = small_model(engine)
    m.begin_month()
    return m


# ------------------------------------------------------------------ state surgery
def kill(m, population: str, rows) -> None:
    """Rows of `population` leave the model (their Mesa views go at the next sync)."""
    rows = np.asarray(rows, dtype=np.int64)
    getattr(m.state, population).alive[rows] = False
    m.mark_dead(population, rows.tolist())


def clear_firms(m) -> None:
    """Every firm leaves; their staff become job seekers."""
    e, t = m.state.enterprises, m.state.talent
    kill(m, "enterprises", e.alive_rows())
    t.employer[: t.n][t.employer[: t.n] >= 0] = SEEKING


def clear_talent(m) -> None:
    kill(m, "talent", m.state.talent.alive_rows())


def clear_funds(m, keep=()) -> None:
    rows = [r for r in m.state.funds.alive_rows() if r not in set(keep)]
    kill(m, "funds", rows)


def add_firm(m, *, city: int = 0, sector: int = 0, cash: float = 1.0,
             revenue_year: float = 0.5, knowledge: float = 1.0, market_share: float = 0.1,
             **values) -> int:
    """Append one living firm (an established one unless `birth_month` says otherwise)."""
    values = {"birth_month": -120, "exit_month": -1, "incubated_until": -1,
              "core_share_base": 0.3, **values}
    return int(m.state.enterprises.add(
        1, alive=True, city=city, sector=sector, cash_100m_yuan=cash,
        revenue_year_100m_yuan=revenue_year, revenue_month_100m_yuan=revenue_year / 12,
        knowledge=knowledge, market_share=market_share, **values)[0])


def add_talent(m, n: int = 1, *, tier: int, city: int = 0, employer: int = SEEKING,
               months_seeking: int = 0) -> np.ndarray:
    """Append `n` living talent of one tier, city and employer; returns their rows."""
    return m.state.talent.add(n, alive=True, tier=tier, city=city, employer=employer,
                              months_seeking=months_seeking, arrival_month=-12)


def cache_as_labour_market(m, need=None) -> None:
    """Write the month cache as `labour_market` would for the present state."""
    n = m.state.enterprises.n
    m.cache.staff = m.heads_by_firm()
    m.cache.talent_counts = m.talent_by_city_tier()
    m.cache.researchers = m.talent_by_city_tier(RESEARCH_INSTITUTE).sum(axis=1)
    m.cache.labour_need = np.zeros((n, N_TIERS)) if need is None else need
    m.cache.vacancies = np.zeros((n, N_TIERS))
    m.cache.unfilled_vacancies = np.zeros(N_TIERS)


def living(m, population: str) -> np.ndarray:
    return getattr(m.state, population).alive_rows()


def column(m, population: str, name: str) -> np.ndarray:
    """A copy of the used part of one column."""
    return getattr(m.state, population).view(name).copy()


def set_lever(m, name: str, value: float) -> None:
    """A province lever's value for every year of the run."""
    m.levers.province[name] = float(value)
