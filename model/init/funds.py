"""Funds in January 2017: angel/VC and industrial funds by GDP share, and the province's
own vehicles (三.(一)): the industry guidance fund (growth stage), the S&T-transfer
guidance fund (angel stage) and the provincial science fund."""

from __future__ import annotations

from ..state import ANGEL_VC, GUIDANCE, INDUSTRIAL, SCIENCE


def fund_agents(expected: float, size_100m_yuan: float) -> tuple[int, float]:
    """Agents for `expected` funds of one kind (>= 1, the nearest whole number) and each
    agent's committed capital, so that agents x capital = expected x size."""
    n = max(1, round(expected))
    return n, size_100m_yuan * expected / n


def init_funds(model) -> None:
    """Fund rows; the province's three fund rows are kept on the model."""
    init, rng, s = model.initial, model.rng, model.scale
    f = model.state.funds
    p_city = model.gdp_share
    # a population of few funds is lumpy at a small scale (5 industrial funds x 0.1 is half
    # a fund): at least one agent, each holding the capital of expected funds / agents, so
    # the scaled capital is the 1:1 capital x scale exactly
    n_vc, vc_size = fund_agents(init.vc_funds * s, init.vc_fund_size_100m_yuan)
    n_ind, ind_size = fund_agents(init.industrial_funds * s, init.industrial_fund_size_100m_yuan)
    age = rng.integers(0, 48, n_vc)
    remaining = 1.0 - age / 60.0
    f.add(n_vc, alive=True, kind=ANGEL_VC, city=rng.choice(model.n_cities, n_vc, p=p_city),
          vintage_month=-age, committed_100m_yuan=vc_size, social_capital_100m_yuan=vc_size,
          dry_powder_100m_yuan=vc_size * remaining, stage_preference=rng.integers(0, 2, n_vc))
    f.add(n_ind, alive=True, kind=INDUSTRIAL, city=rng.choice(model.n_cities, n_ind, p=p_city),
          vintage_month=-rng.integers(0, 48, n_ind), committed_100m_yuan=ind_size,
          social_capital_100m_yuan=ind_size, dry_powder_100m_yuan=ind_size * 0.5,
          stage_preference=1)
    hz = model.hangzhou
    model.guidance_fund_row = int(f.add(1, alive=True, kind=GUIDANCE, city=hz,
                                        stage_preference=1)[0])
    model.angel_guidance_row = int(f.add(1, alive=True, kind=GUIDANCE, city=hz,
                                         stage_preference=0)[0])
    model.science_fund_row = int(f.add(1, alive=True, kind=SCIENCE, city=hz)[0])
