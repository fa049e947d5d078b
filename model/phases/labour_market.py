"""Phase 3, labour market: firms' AI talent needs, layoffs, and matching in each city.

Firms want AI talent in proportion to revenue (start-ups: a founding team plus what their
cash pays for). Over-staffed firms lay off (`Talent.consider_layoff`, a rule of the talent's
month, phases/talent_month.py, on the staff as the month began); then job seekers meet
vacancies in their own city (`Talent.seek_job`), a firm drawn in proportion to its
openings by a Fenwick tree per city and tier; seekers who wait too long leave. The
month's vacancies, seekers and employment per city and tier go to phases/wages.py.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import rules, streams
from ..aggregates import (
    EMPLOYED,
    RESEARCHERS,
    SEEKERS,
    Census,
    csr_by_city,
    talent_counts,
)
from ..state import ENGINEER, ENTREPRENEUR, SEEKING
from .dispatch import (
    LEFT_GAVE_UP,
    act_and_count,
    columns,
    kernel,
    leave,
    numpy_kernel,
    talent_leaves,
)
from .wages import wage_premium


class Vacancies(NamedTuple):
    """Open positions per firm and tier, with firms grouped by city for the draw."""

    open: np.ndarray            # firm rows x tiers, decremented as positions fill
    city_firm_ptr: np.ndarray   # CSR pointer: firms of city c at city_firms[ptr[c]:ptr[c+1]]
    city_firms: np.ndarray      # living firm rows grouped by city, row order within a city
    weights: np.ndarray         # tiers x city_firms: open positions in city-grouped order
    trees: np.ndarray           # tiers x (firms + cities): one Fenwick segment per city


class LayoffContext(NamedTuple):
    layoff_prob: np.ndarray     # firm rows x tiers, per month


class MatchContext(NamedTuple):
    hire_prob: np.ndarray       # cities x tiers, per month
    patience: int               # months a seeker searches before leaving
    vacancies: Vacancies


class MatchColumns(NamedTuple):
    alive: np.ndarray
    tier: np.ndarray
    city: np.ndarray
    employer: np.ndarray
    months_seeking: np.ndarray


class StartupTeam(NamedTuple):
    """What a start-up's engineering team is made of (parameters, floats)."""

    age_months: float           # a start-up is younger than this
    threshold: float            # and below the register threshold (1e8 yuan/year)
    engineers: float            # founding team
    cash_share: float           # share of its cash it spends on engineers
    runway_months: float        # over this runway


def startup_context(P) -> StartupTeam:
    return StartupTeam(float(P.startup_age_months), float(P.register_threshold_100m_yuan_per_year),
                       float(P.startup_team_engineers),
                       float(P.startup_cash_share_for_engineers), float(P.startup_runway_months))


@numpy_kernel
def startup_engineers(age, revenue_year, cash, eng_wage_month, team):
    """Engineers one firm wants as a start-up (0 for other firms): a founding team plus what
    part of its cash pays for over the runway. A start-up is a firm younger than
    `team.age_months` still below the register threshold (a young firm that is already
    large staffs by its revenue, like any other)."""
    if age < team.age_months and revenue_year < team.threshold:
        return team.engineers + team.cash_share * np.maximum(cash, 0.0) / (
            team.runway_months * eng_wage_month)
    return 0.0


@numpy_kernel
def startup_teams(rows, month, birth_month, revenue_year, cash, city, eng_wage_year, team):
    """`startup_engineers` of each firm row in `rows`."""
    out = np.empty(len(rows))
    for j in range(len(rows)):
        i = rows[j]
        out[j] = startup_engineers(month - birth_month[i], revenue_year[i], cash[i],
                                   eng_wage_year[city[i]] / 12.0, team)
    return out


def startup_team(model, rows: np.ndarray) -> np.ndarray:
    """Engineers each start-up among firm `rows` wants (0 for other firms), at the wage of
    the firm's city (phases/wages.py)."""
    e = model.state.enterprises
    return startup_teams(np.asarray(rows, dtype=np.int64), model.month, e.birth_month,
                         e.revenue_year_100m_yuan, e.cash_100m_yuan, e.city,
                         model.state.cities.wage_100m_yuan_per_year[:, ENGINEER].copy(),
                         startup_context(model.params))


@numpy_kernel
def firm_needs(n, alive, month, birth_month, revenue_year, cash, city, per_revenue, wage_factor,
               eng_wage_year, team):
    """AI talent each firm row below `n` wants, by tier (0 for firms gone): revenue times
    talent per unit of revenue (`per_revenue`), times its city's wage factor
    (`wage_factor`, cities x tiers), and at least a start-up's team of engineers."""
    need = np.empty((n, per_revenue.shape[0]))
    for i in range(n):
        for k in range(per_revenue.shape[0]):
            need[i, k] = revenue_year[i] * per_revenue[k] * wage_factor[city[i], k]
        team_i = startup_engineers(month - birth_month[i], revenue_year[i], cash[i],
                                   eng_wage_year[city[i]] / 12.0, team)
        need[i, ENGINEER] = np.maximum(need[i, ENGINEER], team_i)
        if not alive[i]:
            need[i, :] = 0.0
    return need


def labour_needs(model) -> np.ndarray:
    """AI talent each firm wants, by tier: proportional to revenue, less where its city's
    wage stands above trend (own-wage elasticity), plus start-up teams."""
    e, P = model.state.enterprises, model.params
    # AI talent per unit of revenue falls with labour productivity growth
    productivity = (1.0 + P.ai_labour_productivity_growth_per_year) ** (model.month / 12)
    return firm_needs(e.n, e.alive, model.month, e.birth_month, e.revenue_year_100m_yuan,
                      e.cash_100m_yuan, e.city, model.economy.heads_per_revenue / productivity,
                      wage_premium(model) ** -P.labour_demand_wage_elasticity,
                      model.state.cities.wage_100m_yuan_per_year[:, ENGINEER].copy(),
                      startup_context(P))


@numpy_kernel
def layoff_probabilities(need, heads, slack, rate):
    """Each firm's monthly layoff probability by tier: its staff above need plus `slack`,
    laid off at `rate` a month. Founders are never laid off by their own firm: their need is
    raised to their head count (in `need`, which the month keeps)."""
    if heads.shape != need.shape:       # numpy's broadcast error, not a read past the end
        raise ValueError("layoff_probabilities: need and heads differ in shape")
    n, n_tiers = need.shape
    layoff = np.zeros((n, n_tiers))
    for i in range(n):
        need[i, ENTREPRENEUR] = np.maximum(need[i, ENTREPRENEUR], float(heads[i, ENTREPRENEUR]))
        for k in range(n_tiers):
            if heads[i, k] > 0:
                excess = np.maximum(heads[i, k] - need[i, k] * (1.0 + slack), 0.0)
                layoff[i, k] = rate * excess / heads[i, k]
    return layoff


@kernel
def vacancy_trees(weights, city_firm_ptr):
    """Per tier, one Fenwick segment per city over its firms' vacancies (see take_vacancy)."""
    n_tiers, n_firms = weights.shape
    n_cities = len(city_firm_ptr) - 1
    trees = np.zeros((n_tiers, n_firms + n_cities))
    for k in range(n_tiers):
        for c in range(n_cities):
            lo, hi = city_firm_ptr[c], city_firm_ptr[c + 1]
            rules.fenwick_build(weights[k, lo:hi], trees[k, lo + c: hi + c + 1])
    return trees


@kernel
def open_positions(need, heads, alive_rows, city, n_cities):
    """Open positions (need above staff, firm rows x tiers), the living firms grouped by city
    (row order) and, per tier, their openings in that order and Fenwick trees over them."""
    if heads.shape != need.shape:
        raise ValueError("open_positions: need and heads differ in shape")
    open_ = np.maximum(need - heads, 0.0)
    ptr, firms = csr_by_city(alive_rows, city[alive_rows], n_cities)
    weights = np.empty((open_.shape[1], len(firms)))
    for j in range(len(firms)):
        for k in range(open_.shape[1]):
            weights[k, j] = open_[firms[j], k]
    return open_, ptr, firms, weights, vacancy_trees(weights, ptr)


def build_vacancies(need: np.ndarray, heads: np.ndarray, alive: np.ndarray, city: np.ndarray,
                    n_cities: int) -> Vacancies:
    """The month's vacancies: need above staff at the living firms `alive`."""
    return Vacancies(*open_positions(need, heads, alive, city, n_cities))


@kernel
def vacancies_by_city(v):
    """Open positions per city and tier (cities x tiers), summed in row order."""
    n_tiers = v.open.shape[1]
    n_cities = len(v.city_firm_ptr) - 1
    out = np.zeros((n_cities, n_tiers))
    for c in range(n_cities):
        for j in range(v.city_firm_ptr[c], v.city_firm_ptr[c + 1]):
            for k in range(n_tiers):
                out[c, k] += v.open[v.city_firms[j], k]
    return out


@kernel
def whole_openings(open_positions, rows):
    """Whole positions open per tier at firm `rows` (each firm's rounded down), in row order."""
    out = np.zeros(open_positions.shape[1])
    for i in rows:
        for k in range(open_positions.shape[1]):
            out[k] += np.floor(open_positions[i, k])      # a float, as numpy's (NaN, inf)
    return out


@kernel
def take_vacancy(c, k, u, v):
    """Draw a firm of city c with an open tier-k vacancy (weight = openings) and fill one."""
    lo, hi = v.city_firm_ptr[c], v.city_firm_ptr[c + 1]
    seg_w = v.weights[k, lo:hi]
    seg_t = v.trees[k, lo + c: hi + c + 1]
    j = rules.fenwick_find(seg_t, seg_w, u)
    if j < 0:
        return -1
    old = seg_w[j]
    new = max(0.0, old - 1.0)
    seg_w[j] = new
    rules.fenwick_add(seg_t, j, new - old)
    firm = v.city_firms[lo + j]
    v.open[firm, k] = new
    return firm


def consider_layoff(self) -> None:
    """Talent: employees of over-staffed firms are let go with the firm's layoff probability."""
    m, i = self.model, self.row
    if self.employer < 0:
        return
    p = m.ctx.layoff_prob[self.employer, self.tier]
    if p > 0.0 and m.uniform(i, 1) < p:
        self.employer = SEEKING
        self.months_seeking = 0


def seek_job(self) -> None:
    """Talent: job seekers meet vacancies in their city; give up after the patience."""
    m, ctx, i = self.model, self.model.ctx, self.row
    if self.employer != SEEKING:
        return
    c, k = self.city, self.tier
    hire = ctx.hire_prob[c, k]
    u0 = m.uniform(i, 0)
    if u0 < hire:
        firm = int(take_vacancy(c, k, u0 / hire, ctx.vacancies))   # hired agents' draw, rescaled
        if firm >= 0:
            self.employer = firm
            self.months_seeking = 0
            return
    self.months_seeking = self.months_seeking + 1
    if self.months_seeking > ctx.patience:
        talent_leaves(m, i, "gave_up")


@kernel
def seek_job_kernel(seekers, t, ctx, key, left, census):
    """`seek_job` for the job seekers `seekers` (in row order: the other living rows do
    nothing); moves hires and those who give up in `census` (the talent as the layoffs left
    it), so it describes the talent after matching. Returns how many gave up and left (in
    row order in `left`)."""
    heads, by_city = census
    n_left = 0
    for i in seekers:
        c, k = t.city[i], t.tier[i]
        hire = ctx.hire_prob[c, k]
        firm = -1
        u0 = streams.uniform(key, i, 0)
        if u0 < hire:
            firm = take_vacancy(c, k, u0 / hire, ctx.vacancies)
        if firm >= 0:
            t.employer[i] = firm
            t.months_seeking[i] = 0
            heads[firm, k] += 1
            by_city[c, k, SEEKERS] -= 1
            by_city[c, k, EMPLOYED] += 1
            continue
        t.months_seeking[i] += 1
        if t.months_seeking[i] > ctx.patience:
            n_left = leave(i, LEFT_GAVE_UP, t.alive, t.employer, left, n_left)
            by_city[c, k, SEEKERS] -= 1
    return n_left


@kernel
def remove_rows(rows, gone):
    """Drop the rows `gone` (a sorted subset of the sorted `rows`) from `rows` in place,
    keeping the order; returns how many are kept."""
    m = 0
    g = 0
    for j in range(len(rows)):
        if g < len(gone) and rows[j] == gone[g]:
            g += 1
            continue
        rows[m] = rows[j]
        m += 1
    return m


def layoff_terms(model, heads: np.ndarray) -> tuple[np.ndarray, LayoffContext]:
    """The month's labour need (`labour_needs`, founders' need raised to their number) and
    the layoff probabilities of firms whose staff `heads` (firm rows x tiers) exceed it."""
    P = model.params
    need = labour_needs(model)
    layoff = layoff_probabilities(need, heads, float(P.vacancy_slack),
                                  float(P.layoff_rate_per_month))
    return need, LayoffContext(layoff)


def seeking_rows(model) -> np.ndarray:
    """The living rows seeking a job, in row order."""
    t = model.state.talent
    rows = t.alive_rows()
    return rows[t.employer[rows] == SEEKING]


def match(model, seeking: np.ndarray | None, census: Census):
    """Seekers meet vacancies (`seek_job`, context set): the census after matching, how many
    gave up and left, and their rows in row order (None, None under the mesa engine)."""
    gone = []

    def run(left, census):
        n_left = seek_job_kernel(seeking, columns(model.state.talent, MatchColumns),
                                 model.ctx, model.draw_key, left, census)
        gone.append(left.rows[:n_left])
        return n_left
    after, n_left = act_and_count(model, "seek_job", run, census, model.census)
    return after, n_left, (gone[0] if gone else None)


def labour_market(model) -> None:
    """Vacancies (need above the staff the talent's month left), then seekers meet them in
    their own city. The need and the seekers come from the talent's month
    (phases/talent_month.py), which laid off over-staffed firms' excess staff."""
    P, e, t, cache = model.params, model.state.enterprises, model.state.talent, model.cache
    census = cache.take("labour_market", model.census)
    need = cache.take("need for labour_market", lambda: layoff_terms(model, census.heads)[0])
    seeking = cache.take("seekers for labour_market", lambda: seeking_rows(model))
    model.draw("labour_market")     # draw 0: job search (draw 1: layoffs, the talent's month)
    rows = cache.take("living for labour_market", t.alive_rows)
    seekers = census.by_city[:, :, SEEKERS].copy()
    alive = e.alive_rows()
    vacancies = build_vacancies(need, census.heads, alive, e.city, model.n_cities)
    vac_city = vacancies_by_city(vacancies)
    hire = np.where(seekers > 0, P.match_efficiency_per_month * vac_city
                    / np.maximum(seekers, 1), 0.0)
    model.ctx = MatchContext(np.minimum(hire, 1.0), int(P.job_search_patience_months), vacancies)
    after, n_left, gone = match(model, seeking, census)
    if n_left is not None:                       # for entry and exit
        kept = remove_rows(rows, gone) if n_left else len(rows)
        cache.handed_on["living for entry_exit"] = rows[:kept]
        cache.handed_on["entry_exit"] = Census(after.heads.copy(), after.by_city.copy())
    cache.vacancies = vacancies.open
    cache.vacancies_by_city, cache.seekers_by_city = vac_city, seekers.astype(float)
    cache.labour_by_city = after.by_city.copy()
    cache.unfilled_vacancies = whole_openings(vacancies.open, alive)
    cache.labour_need = need
    cache.staff = after.heads
    cache.talent_counts = talent_counts(after)
    cache.researchers = after.by_city[:, :, RESEARCHERS].sum(axis=1)
