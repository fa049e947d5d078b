"""Phase 2, the talent's month (二.(六)): each living talent in turn ages and learns, reviews
its city and, in an over-staffed firm, may be laid off; then the month's newcomers arrive.

Every choice of the month is made on what the month began with: the city utilities
(phases/talent_migration.py: last month's wages, housing costs, employment and peers) and
the layoff probabilities (phases/labour_market.py: the firms' need against their staff as
the month began). So nobody's choice depends on another's in the same month, and one pass
over the living rows applies the three rules to each row in turn (`live_month_kernel`;
the mesa engine calls each agent's `live_month`, its three methods in turn). Newcomers
settle in the month they arrive: they review their city and face layoffs from the next
month on. The rules stay in their modules: ageing and arrivals in talent_supply.py, the
review of location in talent_migration.py, layoffs in labour_market.py; each draws from
its own stream (`streams.STREAMS`), as it did when each rule had a pass of its own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import streams
from ..aggregates import EMPLOYED, SEEKERS, employer_kind, talent_counts
from ..rules import choose_index
from ..state import ENGINEER, HIGH_SKILL, SEEKING
from . import talent_migration
from .dispatch import (
    LEFT_ATTRITION,
    LEFT_OUT_MIGRATION,
    act_and_count,
    columns,
    extend_rows,
    kernel,
    leave,
)
from .labour_market import LayoffContext, consider_layoff, layoff_terms
from .talent_migration import ReviewContext, choice_weights, review_context
from .talent_supply import AgingContext, age_and_learn, ageing_context, arrive

RULES = ("ageing", "review", "layoffs", "arrivals")
STREAM_OF_RULE = ("talent_supply", "talent_migration", "labour_market")   # the first three


class TalentMonth(NamedTuple):
    """The terms of the month's three per-row rules, fixed as the month begins."""

    ageing: AgingContext
    review: ReviewContext
    layoff: LayoffContext
    keys: np.ndarray              # uint64: the ageing, review and layoff draws' phase keys
    acts: np.ndarray              # bool: which of the three rules act (the phase: all)


class LifeColumns(NamedTuple):
    alive: np.ndarray
    tier: np.ndarray
    city: np.ndarray
    employer: np.ndarray
    months_seeking: np.ndarray


class MesaMonth(NamedTuple):
    """The mesa engine's `model.ctx` in the talent's month: for each rule that acts, in
    order, the rule, its terms and its phase key (as numpy's and as a Python int)."""

    steps: tuple


def mesa_month(month: TalentMonth) -> MesaMonth:
    """The plan of `month` for the mesa engine's `live_month`, made once a month."""
    rules = (age_and_learn, talent_migration.review_location, consider_layoff)
    terms = (month.ageing, month.review, month.layoff)
    return MesaMonth(tuple((rule, terms[j], month.keys[j], int(month.keys[j]))
                           for j, rule in enumerate(rules) if month.acts[j]))


def live_month(self) -> None:
    """Talent: age and learn, review the city, face a layoff, in turn (the mesa engine's
    form of `live_month_kernel`); each rule reads its own terms and draws."""
    m = self.model
    plan = m.ctx
    for rule, terms, key, key_int in plan.steps:
        if not self.alive:
            break
        m.ctx = terms
        m.use_draw_key(key, key_int)
        rule(self)
    m.ctx = plan


@kernel
def live_month_kernel(rows, t, month, promoted_in, promoted_out, moved, left, census,
                      seekers):
    """`live_month` for every living row (`rows`, in order; those who stay move to its
    front), moving each change in `census` (the talent as the month began) as it is made.
    Writes the rows that seek a job after their month to `seekers`, in row order (the
    matching visits only them). Returns how many left and how many seek. The ageing and
    review draws come a block of rows at a time (`streams.block_uniforms`); a row's employer
    and tier are read once (the layoffs need them), its city only when something happens."""
    heads, by_city = census
    age, review, layoff = month.ageing, month.review, month.layoff
    ageing, reviewing, laying_off = month.acts[0], month.acts[1], month.acts[2]
    p_attr = age.attrition_prob if ageing else -1.0
    up = np.array([p_attr + (1.0 - p_attr) * age.upskill_prob[k]
                   for k in range(len(age.upskill_prob))])
    age_below = max(p_attr, max(up[ENGINEER], up[HIGH_SKILL])) if ageing else -1.0
    p_review = review.review_prob if reviewing else -1.0
    n_cities = review.distance_100km.shape[0]
    weights = choice_weights(review) if reviewing else np.empty((0, 0, 0, 0))
    layoff_prob = layoff.layoff_prob
    key_layoff = month.keys[2]
    u_age = np.zeros(streams.BLOCK)
    u_review = np.ones(streams.BLOCK)
    n_left = n_seekers = 0
    for lo in range(0, len(rows), streams.BLOCK):
        hi = min(lo + streams.BLOCK, len(rows))
        if ageing:
            streams.block_uniforms(month.keys[0], rows, lo, hi, 0, u_age)
        if reviewing:
            streams.block_uniforms(month.keys[1], rows, lo, hi, 0, u_review)
        for j in range(lo, hi):
            i = rows[j]
            firm = t.employer[i]
            k = t.tier[i]
            u0 = u_age[j - lo]
            if u0 < age_below:                            # ageing: leave or move up
                if u0 < p_attr:
                    n_left = leave(i, LEFT_ATTRITION, t.alive, t.employer, left, n_left)
                    if firm >= 0:
                        heads[firm, k] -= 1
                    by_city[t.city[i], k, employer_kind(firm)] -= 1
                    continue
                if (k == ENGINEER or k == HIGH_SKILL) and u0 < up[k]:
                    t.tier[i] = k - 1
                    promoted_out[k] += 1
                    promoted_in[k - 1] += 1
                    if firm >= 0:
                        heads[firm, k] -= 1
                        heads[firm, k - 1] += 1
                    by_city[t.city[i], k, employer_kind(firm)] -= 1
                    by_city[t.city[i], k - 1, employer_kind(firm)] += 1
                    k = k - 1
            u1 = u_review[j - lo]
            if u1 < p_review:                             # review of location
                origin = t.city[i]
                held = 1 if firm != SEEKING else 0
                choice = choose_index(weights[k, origin, held], u1 / p_review)
                if choice == n_cities:
                    n_left = leave(i, LEFT_OUT_MIGRATION, t.alive, t.employer, left, n_left)
                    if firm >= 0:
                        heads[firm, k] -= 1
                    by_city[origin, k, employer_kind(firm)] -= 1
                    continue
                if choice != origin:
                    t.city[i] = choice
                    by_city[origin, k, employer_kind(firm)] -= 1
                    if firm >= 0:
                        t.employer[i] = SEEKING
                        t.months_seeking[i] = 0
                        heads[firm, k] -= 1
                        firm = SEEKING
                    by_city[choice, k, employer_kind(firm)] += 1
                    moved[k] += 1
            rows[j - n_left] = i
            if firm < 0:                                  # layoffs
                if firm == SEEKING:
                    seekers[n_seekers] = i
                    n_seekers += 1
                continue
            if not laying_off:
                continue
            p = layoff_prob[firm, k]
            if p > 0.0 and streams.uniform(key_layoff, i, 1) < p:
                t.employer[i] = SEEKING
                t.months_seeking[i] = 0
                heads[firm, k] -= 1
                c = t.city[i]
                by_city[c, k, EMPLOYED] -= 1
                by_city[c, k, SEEKERS] += 1
                seekers[n_seekers] = i
                n_seekers += 1
    return n_left, n_seekers


def month_terms(model, utility: np.ndarray, layoff: LayoffContext, rules) -> TalentMonth:
    """The month's `TalentMonth` for the rules named in `rules` (of `RULES`)."""
    keys = [int(model.draw(stream)) for stream in STREAM_OF_RULE]
    return TalentMonth(ageing_context(model.params), review_context(model, utility), layoff,
                       np.array(keys, dtype=np.uint64),
                       np.array([rule in rules for rule in RULES[:3]]))


def talent_month(model, rules=RULES) -> None:
    """Every living talent's month, on the terms the month began with, then arrivals.

    `rules` (some of `RULES`) leaves the others out: a test of one rule alone."""
    rules = (rules,) if isinstance(rules, str) else tuple(rules)
    unknown = sorted(set(rules) - set(RULES))
    if unknown:
        raise ValueError(f"talent_month: unknown rules {unknown}; expected some of {RULES}")
    t, cache, flows = model.state.talent, model.cache, model.tally.flows
    census = cache.take("talent_month", model.census)
    utility = talent_migration.city_utility(model)   # as the month began
    need, layoff = layoff_terms(model, census.heads)
    cache.handed_on["need for labour_market"] = need
    month = month_terms(model, utility, layoff, rules)
    model.ctx = mesa_month(month) if model.engine == "mesa" else month
    rows = cache.take("living for talent_month", t.alive_rows)
    seekers, found = np.empty(len(rows), dtype=np.int64), []

    def run(left, census):
        n_left, n_seekers = live_month_kernel(
            rows, columns(t, LifeColumns), month, flows["promoted_in"], flows["promoted_out"],
            flows["moved"], left, census, seekers)
        found.append(n_seekers)
        return n_left
    census, n_left = act_and_count(model, "live_month", run, census, model.census)
    cache.talent_counts = talent_counts(census)  # arrivals join below
    first_arrival = t.n
    if "arrivals" in rules:
        arrive(model, utility, census)
    if n_left is not None:            # for the labour market: who stayed and arrived
        new = np.arange(first_arrival, t.n)
        cache.handed_on["labour_market"] = census
        cache.handed_on["living for labour_market"] = extend_rows(
            rows, len(rows) - n_left, first_arrival, t.n)
        cache.handed_on["seekers for labour_market"] = np.concatenate(
            [seekers[: found[0]], new[t.employer[new] == SEEKING]])
