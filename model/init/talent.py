"""AI talent in January 2017: the five tiers' stocks, split into firm staff (founders
of the largest firms, start-up teams, the rest by revenue), research institutes and
job seekers, with the heads per unit of revenue this implies."""

from __future__ import annotations

import numpy as np

from .. import rules
from ..initial import FIRM_EMPLOYED_SHARE, RESEARCH_SHARE
from ..phases.labour_market import startup_team
from ..state import ENGINEER, ENTREPRENEUR, N_TIERS, RESEARCH_INSTITUTE, SEEKING
from .cities import research_weights


def init_talent(model) -> None:
    """Talent rows and `economy.heads_per_revenue` (2017 firms are fully staffed)."""
    init, rng, s = model.initial, model.rng, model.scale
    e = model.state.enterprises
    n_firms = e.n
    revenue = e.revenue_year_100m_yuan[:n_firms]
    heads_per_revenue = model.economy.heads_per_revenue
    stocks = np.array([init.talent_top_scientists, init.talent_leading_entrepreneurs,
                       init.talent_high_end_rd, init.talent_engineers, init.talent_high_skill])
    research_w = research_weights(model)
    pop_w = model.state.cities.population_10k / model.state.cities.population_10k.sum()
    rows_tier, rows_city, rows_emp = [], [], []
    for k in range(N_TIERS):
        n_k = rules.stochastic_round(stocks[k] * s, rng.random())
        n_firm = int(round(n_k * FIRM_EMPLOYED_SHARE[k]))
        n_res = int(round(n_k * RESEARCH_SHARE[k]))
        n_seek = max(0, n_k - n_firm - n_res)
        # heads per 1e8 yuan of revenue: 2017 firms are fully staffed by construction; the
        # ratio uses the expected head count, not its rounding, so that it is the same at
        # every scale (a scaled run rounds 20 top scientists x 0.05 to 1 or 0)
        expected_firm = stocks[k] * s * FIRM_EMPLOYED_SHARE[k]
        heads_per_revenue[k] = expected_firm / max(revenue.sum(), 1e-9)
        if k == ENTREPRENEUR:
            employer = np.argsort(-revenue)[: min(n_firm, n_firms)]    # biggest firms' founders
        elif k == ENGINEER:
            # young firms' founding teams first, the rest in proportion to revenue
            size = np.round(startup_team(model, np.arange(n_firms))).astype(np.int64)
            team = np.repeat(np.arange(n_firms), size)[:n_firm]
            rest = n_firm - len(team)
            employer = np.concatenate([team, rng.choice(n_firms, size=rest,
                                                        p=revenue / revenue.sum())])
            heads_per_revenue[k] = max(expected_firm - len(team), 0.0) / max(revenue.sum(), 1e-9)
        else:
            employer = rng.choice(n_firms, size=n_firm, p=revenue / revenue.sum())
        rows_tier += [k] * (n_firm + n_res + n_seek)
        rows_emp += list(employer) + [RESEARCH_INSTITUTE] * n_res + [SEEKING] * n_seek
        rows_city += list(e.city[employer])
        rows_city += list(rng.choice(model.n_cities, size=n_res, p=research_w))
        rows_city += list(rng.choice(model.n_cities, size=n_seek, p=pop_w))
    n = len(rows_tier)
    model.state.talent.add(n, alive=True, tier=np.array(rows_tier), city=np.array(rows_city),
                           employer=np.array(rows_emp), arrival_month=-rng.integers(1, 240, n))
