"""Talent supply (二.(六)), two rules of the talent's month (phases/talent_month.py).

Talent leaves the AI pool (retirement, career change) or moves up a tier
(`Talent.age_and_learn`, in the month's one pass over the living talent); then graduates
(二.(六).1), talent-programme recruits (二.(六).3) and the market's answer to unfilled
vacancies arrive and choose a city by logit (`arrive`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import rules
from ..aggregates import RESEARCHERS, SEEKERS
from ..state import ENGINEER, HIGH_SKILL, RESEARCH_INSTITUTE, SEEKING, TOP
from .dispatch import grown, kernel, talent_leaves
from .policy import talent_programmes


class AgingContext(NamedTuple):
    attrition_prob: float        # per month
    upskill_prob: np.ndarray     # per month, by tier (engineers and high-skill workers only)


def age_and_learn(self) -> None:
    """Talent: leave the AI pool (retirement, career change) or move up a tier (二.(六).2)."""
    m, ctx, i = self.model, self.model.ctx, self.row
    u0 = m.uniform(i, 0)
    if u0 < ctx.attrition_prob:
        talent_leaves(m, i, "attrition")
        return
    # one uniform per month: u < p_attrition leaves, the next (1 - p) * p_up of the
    # unit interval upskills (the conditional draw is again uniform)
    k = self.tier
    p_attr = ctx.attrition_prob
    if k in (ENGINEER, HIGH_SKILL) and u0 < p_attr + (1.0 - p_attr) * ctx.upskill_prob[k]:
        self.tier = k - 1
        m.tally.flows["promoted_out"][k] += 1
        m.tally.flows["promoted_in"][k - 1] += 1


ARRIVAL_CHANNELS = ("graduates", "programme", "market_inflow")
POISSON_MAX = 9.2e18                   # numpy's largest Poisson mean (int64's range)


@kernel
def arrivals_kernel(lam, weights, overseas_share, rng, present, by_city):
    """The month's arrivals: for each channel of `ARRIVAL_CHANNELS` (rows of `lam`, the
    expected arrivals by tier) a Poisson count per tier, then for each arrival a city by the
    logit `weights` (tiers x cities) and whether it comes from overseas, drawn from the
    model's Generator in numpy's order (`rng.poisson(lam[c])`, then `rng.random((n, 2))` per
    tier). Graduates' and programmes' top scientists join research institutes; arrivals
    drawn by firms' unfilled vacancies come to look for those jobs. Adds them to `present`
    (cities x tiers) and the census `by_city`; returns the counts (channels x tiers) and the
    arrivals' tier, city, employer and overseas flag, in order."""
    counts = np.zeros(lam.shape, dtype=np.int64)
    size = 16
    tier = np.empty(size, dtype=np.int64)
    city = np.empty(size, dtype=np.int64)
    employer = np.empty(size, dtype=np.int64)
    overseas = np.empty(size, dtype=np.bool_)
    n = 0
    for c in range(lam.shape[0]):
        for k in range(lam.shape[1]):
            counts[c, k] = rng.poisson(lam[c, k])
        total = n + counts[c].sum()
        if total > size:
            while size < total:
                size *= 2
            tier, city = grown(tier, size), grown(city, size)
            employer, overseas = grown(employer, size), grown(overseas, size)
        for k in range(lam.shape[1]):
            to_institute = k == TOP and c != len(ARRIVAL_CHANNELS) - 1
            kind = RESEARCHERS if to_institute else SEEKERS
            for _ in range(counts[c, k]):
                where = rules.choose_index(weights[k], rng.random())
                if where < 0:         # numpy's bincount refused the city -1 the same way
                    raise ValueError("talent_supply: arrivals found no city with a positive "
                                     "logit weight (NaN or zero utilities)")
                tier[n], city[n] = k, where
                employer[n] = RESEARCH_INSTITUTE if to_institute else SEEKING
                overseas[n] = rng.random() < overseas_share
                present[where, k] += 1
                by_city[where, k, kind] += 1
                n += 1
    return counts, tier[:n], city[:n], employer[:n], overseas[:n]


def inside_probability(model, utility: np.ndarray) -> float:
    """Probability that a newcomer prefers some Zhejiang city to the outside option (the
    mean over tiers of `utility`, tiers x cities)."""
    outside = model.params.outside_option_utility
    m = np.maximum(utility.max(axis=1), outside)[:, None]
    inside = np.exp(utility - m).sum(axis=1)
    return float(np.mean(inside / (inside + np.exp(outside - m[:, 0]))))


def ageing_context(P) -> AgingContext:
    """Attrition and upskilling per month (二.(六).2)."""
    return AgingContext(
        attrition_prob=P.attrition_per_year / 12.0,
        upskill_prob=np.array([0.0, 0.0, 0.0, P.upskilling_engineer_per_year,
                               P.upskilling_high_skill_per_year]) / 12.0)


def arrive(model, utility: np.ndarray, census) -> None:
    """The month's arrivals (二.(六).1, 二.(六).3 and the market's answer to unfilled
    vacancies) choose a city by the logit on `utility` (tiers x cities, the month's city
    utility) and join the talent rows; they are added to the month cache's talent counts
    and to `census`."""
    P, s = model.params, model.scale
    flows, economy = model.tally.flows, model.economy
    p_in = inside_probability(model, utility)
    if economy.inside_probability_2017 is None:      # the first month sets the reference
        economy.inside_probability_2017 = p_in
    acceptance = min(1.0, P.program_acceptance_base * p_in / economy.inside_probability_2017)
    outflow = model.event_factor("talent_outflow")
    graduates = model.lever("ai_graduates_per_year") / 12.0 * s
    expected = {
        "graduates": np.array([0.0, 0.0, graduates * P.graduate_high_end_share,
                               graduates * (1 - P.graduate_high_end_share), 0.0]),
        "programme": talent_programmes(model) * s * acceptance / outflow,
        "market_inflow": P.market_inflow_per_vacancy_per_month
        * model.cache.unfilled_vacancies / outflow,
    }
    overseas_share = min(1.0, P.overseas_share_base + P.overseas_share_per_cooperation
                         * model.lever("international_cooperation"))
    weights = np.exp(utility - utility.max(axis=1, keepdims=True))     # tiers x cities
    lam = np.maximum(np.array([expected[c] for c in ARRIVAL_CHANNELS], dtype=float), 0.0)
    if not lam.max() < POISSON_MAX:      # numpy's poisson refuses these (NaN fails too)
        raise ValueError(f"talent_supply: expected arrivals must be finite and below "
                         f"{POISSON_MAX:g} a month, got {lam.tolist()}")
    counts, tier, city, employer, overseas = arrivals_kernel(
        lam, weights, overseas_share, model.rng, model.cache.talent_counts, census.by_city)
    for c, channel in enumerate(ARRIVAL_CHANNELS):
        flows[channel] += counts[c]
    if len(tier):                     # one append for the month's arrivals
        model.state.talent.add(len(tier), alive=True, tier=tier, city=city, employer=employer,
                               origin_overseas=overseas, arrival_month=model.month)
