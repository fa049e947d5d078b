"""Talent migration, a rule of the talent's month (phases/talent_month.py): a share of
talent reviews its city each month.

The choice is a multinomial logit (McFadden 1974) over the 11 cities and leaving
Zhejiang, on the real wage of the talent's tier (wage over housing cost; phases/wages.py,
phases/housing.py), skilled peers (Moretti 2012), the AI amenity of
platforms, zones and Zhejiang Lab, and the distance from the current city.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules
from ..state import HIGH_SKILL, N_TIERS, SEEKING
from .dispatch import kernel, talent_leaves
from .housing import housing_level


class ReviewContext(NamedTuple):
    review_prob: float            # share of talent reviewing its city per month
    city_utility: np.ndarray      # tiers x cities, before distance
    outside_utility: np.ndarray   # per tier
    distance_weight: float        # utility per 100 km from the current city
    distance_100km: np.ndarray    # cities x cities
    job_held: np.ndarray          # tiers x cities: utility of a job in hand where one is
                                  # employed (the wage without the risk of unemployment)


def city_utility(model) -> np.ndarray:
    """Deterministic logit utility of each city for each tier of AI talent (tiers x cities):
    the real expected wage, the tier's wage in the city (phases/wages.py, relative to the
    province's 2017 tier wage) times its employment rate (Harris & Todaro 1970), over
    housing costs (phases/housing.py), w_wage ln wage - w_housing ln
    housing, i.e. ln(wage / housing^s) with s = w_housing / w_wage the weight of housing in
    what a wage buys; plus skilled peers and amenity (peers: the month cache's talent counts,
    as the month began: the talent's month takes its utilities before its pass)."""
    P, cs = model.params, model.state.cities
    peers = model.cache.talent_counts[:, :HIGH_SKILL].sum(axis=1) / model.scale
    lab = np.zeros(model.n_cities)
    lab[model.hangzhou] = (P.zhejiang_lab_amenity_per_100m_yuan
                           * model.lever("zhejiang_lab_funding_100m_yuan_per_year"))
    amenity = np.log1p(cs.innovation_platforms + P.rd_platform_weight * cs.rd_platforms
                       + cs.demonstration_zones + lab)
    # the expected wage: the tier's wage times the chance of a job there (Harris & Todaro)
    wage = (cs.wage_100m_yuan_per_year * cs.employment_rate).T / model.economy.wages[:, None]
    return (P.logit_wage_weight * np.log(wage)
            - P.logit_housing_weight * np.log(housing_level(model))
            + P.logit_peer_weight * np.log1p(peers)
            + P.logit_amenity_weight * amenity)


def review_location(self) -> None:
    """Talent: logit choice among the 11 cities and leaving Zhejiang (DESIGN.md §2)."""
    m, ctx, i = self.model, self.model.ctx, self.row
    u0 = m.uniform(i, 0)
    if u0 >= ctx.review_prob:
        return
    origin = self.city
    utilities = np.empty(m.n_cities + 1)
    utilities[: m.n_cities] = (ctx.city_utility[self.tier]
                               - ctx.distance_weight * ctx.distance_100km[origin])
    if self.employer != SEEKING:          # staying keeps the job: the wage is certain
        utilities[origin] += ctx.job_held[self.tier, origin]
    utilities[m.n_cities] = ctx.outside_utility[self.tier]
    choice = rules.logit_choice(utilities, u0 / ctx.review_prob)   # reviewers' draw, rescaled
    if choice == m.n_cities:
        talent_leaves(m, i, "out_migration")
    elif choice != origin:
        self.city = choice
        if self.employer >= 0:
            self.employer = SEEKING
            self.months_seeking = 0
        m.tally.flows["moved"][self.tier] += 1


@kernel
def choice_weights(ctx):
    """The logit weights of `review_location` for every tier, current city and kind of
    employment (0: seeking, 1: a job or a research post kept by staying), tiers x cities x
    2 x (cities + leaving): one reviewer's utilities depend on nothing else, so the month's
    exponentials are taken once here (1,320 of them) rather than per reviewer (12 each)."""
    n_tiers, n_cities = ctx.city_utility.shape
    out = np.empty((n_tiers, n_cities, 2, n_cities + 1))
    utilities = np.empty(n_cities + 1)
    for k in range(n_tiers):
        for origin in range(n_cities):
            for held in range(2):
                for c in range(n_cities):
                    utilities[c] = (ctx.city_utility[k, c]
                                    - ctx.distance_weight * ctx.distance_100km[origin, c])
                if held:                  # staying keeps the job: the wage is certain
                    utilities[origin] += ctx.job_held[k, origin]
                utilities[n_cities] = ctx.outside_utility[k]
                rules.logit_weights(utilities, out[k, origin, held])
    return out


def review_context(model, utility: np.ndarray) -> ReviewContext:
    """The month's terms of `review_location`, on `utility` (tiers x cities, `city_utility`
    as the month began)."""
    P = model.params
    outflow = model.event_factor("talent_outflow")
    return ReviewContext(
        review_prob=P.relocation_review_rate_per_year / 12.0,
        city_utility=np.ascontiguousarray(np.broadcast_to(utility, (N_TIERS, model.n_cities))),
        outside_utility=np.full(N_TIERS, P.outside_option_utility + math.log(outflow)),
        distance_weight=float(P.logit_distance_weight_per_100km),
        distance_100km=model.distance_100km,
        job_held=np.ascontiguousarray(
            -P.logit_wage_weight * np.log(model.state.cities.employment_rate).T))
