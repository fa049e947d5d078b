"""Phase 5, innovation (K+S / Nelson-Winter): R&D, innovation, imitation, patents, standards.

Each firm spends on R&D (a share of revenue lifted by the R&D tax relief of 四.(二), or
for young small firms a share of cash, plus key R&D grants); innovation succeeds with
probability 1 - exp(-zeta * effective R&D), effective R&D weighted by talent tiers,
platforms, open data and public knowledge; firms imitate their city's best (of the 1:1
economy, `expected_best_knowledge`); patents are a
Poisson count; leading firms join standards (四.(四)).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.special import ndtri

from .. import rules, streams
from ..aggregates import row_sums
from ..ledger import FIRMS, HOUSEHOLDS
from ..state import HIGH_END, N_SECTORS, SERVICE_SECTORS, TOP
from .dispatch import act, columns, kernel

IS_SERVICE_SECTOR = np.isin(np.arange(N_SECTORS), SERVICE_SECTORS)   # by sector; read only


class InnovationContext(NamedTuple):
    own_rd: np.ndarray               # firm rows: own R&D this month, 1e8 yuan
    high_tier_share: np.ndarray      # firm rows: top + high-end share of staff
    platform_access: np.ndarray      # cities: access to innovation and R&D platforms
    data_opening: np.ndarray         # cities: public data opening 0-1 (三.(四))
    public_knowledge: np.ndarray     # cities: basic-research knowledge index
    imitation_prob: np.ndarray       # cities: imitation probability per month
    best_knowledge: np.ndarray       # cities: best knowledge of a living firm
    international_catch_up: float    # share of the gap to the frontier closed per month
    frontier: float
    is_leading: np.ndarray           # firm rows: leading firm (may join standards)
    standard_prob: float             # per leading firm and month
    is_service_sector: np.ndarray    # sectors: AI software/platforms, application services
    high_tier_mult: float
    platform_mult: float
    data_mult: float
    knowledge_mult: float
    zeta: float                      # innovation rate per 1e8 yuan of effective R&D
    step_mean: float                 # mean log step of a successful innovation
    ideas_harder: float              # beta: steps shrink as (frontier / k)^beta beyond it
    catch_up: float                  # share of the gap to the city's best closed by imitation
    patents_per_rd: float            # patents per 1e8 yuan of effective R&D
    core_factor: float
    core_elasticity: float


class InnovationColumns(NamedTuple):
    alive: np.ndarray
    city: np.ndarray
    sector: np.ndarray
    knowledge: np.ndarray
    core_share_base: np.ndarray
    cash_100m_yuan: np.ndarray
    outflow_month_100m_yuan: np.ndarray
    rd_month_100m_yuan: np.ndarray
    rd_ytd_100m_yuan: np.ndarray
    grant_rd_month_100m_yuan: np.ndarray
    grant_rd_months_left: np.ndarray
    invention_patents: np.ndarray
    core_patents: np.ndarray
    standards: np.ndarray


def innovate(self) -> None:
    """Enterprise: spend on R&D, try to innovate and imitate, file patents, join standards."""
    m, ctx, i = self.model, self.model.ctx, self.row
    if not self.alive:
        return
    rd = ctx.own_rd[i]
    if self.grant_rd_months_left > 0:
        rd += self.grant_rd_month_100m_yuan
        self.grant_rd_months_left = self.grant_rd_months_left - 1
    self.rd_month_100m_yuan = rd
    self.rd_ytd_100m_yuan = self.rd_ytd_100m_yuan + rd
    self.cash_100m_yuan = self.cash_100m_yuan - rd
    self.outflow_month_100m_yuan = self.outflow_month_100m_yuan + rd
    c = self.city
    eff = rules.effective_rd(
        rd, ctx.high_tier_share[i], ctx.platform_access[c], ctx.data_opening[c],
        ctx.is_service_sector[self.sector], ctx.public_knowledge[c], ctx.high_tier_mult,
        ctx.platform_mult, ctx.data_mult, ctx.knowledge_mult)
    k = self.knowledge
    if m.uniform(i, 0) < rules.innovation_probability(eff, ctx.zeta):
        k *= math.exp(rules.innovation_step(ctx.step_mean, k, ctx.frontier, ctx.ideas_harder)
                      * -math.log(max(m.uniform(i, 1), 1e-300)))
    if m.uniform(i, 2) < ctx.imitation_prob[c]:
        k += ctx.catch_up * max(0.0, ctx.best_knowledge[c] - k)
    k += ctx.international_catch_up * max(0.0, ctx.frontier - k)
    self.knowledge = k
    n_pat = rules.poisson_from_uniform(ctx.patents_per_rd * eff, m.uniform(i, 3))
    share = ctx.core_factor * rules.core_share(self.core_share_base, k, ctx.core_elasticity)
    n_core = rules.binomial_from_uniform(n_pat, share, m.uniform(i, 4))
    self.invention_patents = self.invention_patents + n_pat
    self.core_patents = self.core_patents + n_core
    m.tally.year_counts["core_patents_granted"][c] += n_core
    if ctx.is_leading[i] and m.uniform(i, 5) < ctx.standard_prob:
        self.standards = self.standards + 1
        m.tally.year_counts["standards"][c] += 1


@kernel
def innovate_kernel(n, e, ctx, key, core_granted_city, standards_city):
    """`innovate` for every living row."""
    for i in range(n):
        if not e.alive[i]:
            continue
        rd = ctx.own_rd[i]
        if e.grant_rd_months_left[i] > 0:
            rd += e.grant_rd_month_100m_yuan[i]
            e.grant_rd_months_left[i] -= 1
        e.rd_month_100m_yuan[i] = rd
        e.rd_ytd_100m_yuan[i] += rd
        e.cash_100m_yuan[i] -= rd
        e.outflow_month_100m_yuan[i] += rd
        c = e.city[i]
        eff = rules.effective_rd(rd, ctx.high_tier_share[i], ctx.platform_access[c],
                                 ctx.data_opening[c], ctx.is_service_sector[e.sector[i]],
                                 ctx.public_knowledge[c], ctx.high_tier_mult, ctx.platform_mult,
                                 ctx.data_mult, ctx.knowledge_mult)
        k = e.knowledge[i]
        if streams.uniform(key, i, 0) < rules.innovation_probability(eff, ctx.zeta):
            k *= math.exp(rules.innovation_step(ctx.step_mean, k, ctx.frontier,
                                                ctx.ideas_harder)
                          * -math.log(max(streams.uniform(key, i, 1), 1e-300)))
        if streams.uniform(key, i, 2) < ctx.imitation_prob[c]:
            k += ctx.catch_up * max(0.0, ctx.best_knowledge[c] - k)
        k += ctx.international_catch_up * max(0.0, ctx.frontier - k)
        e.knowledge[i] = k
        n_pat = rules.poisson_from_uniform(ctx.patents_per_rd * eff,
                                           streams.uniform(key, i, 3))
        share = ctx.core_factor * rules.core_share(e.core_share_base[i], k, ctx.core_elasticity)
        n_core = rules.binomial_from_uniform(n_pat, share, streams.uniform(key, i, 4))
        e.invention_patents[i] += n_pat
        e.core_patents[i] += n_core
        core_granted_city[c] += n_core
        if ctx.is_leading[i] and streams.uniform(key, i, 5) < ctx.standard_prob:
            e.standards[i] += 1
            standards_city[c] += 1


@kernel
def best_by_city(city, values, n_cities):
    """`np.maximum.at(full(n_cities, -inf), city, values)` (NaN wins, as in np.maximum) in
    one compiled pass: `ufunc.at` cost 14 ms a month at scale 10."""
    best = np.full(n_cities, -np.inf)
    for i in range(len(city)):
        v, b = values[i], best[city[i]]
        if not np.isnan(b) and (np.isnan(v) or v > b):
            best[city[i]] = v
    return best


def expected_best_knowledge(model) -> np.ndarray:
    """Knowledge of the best firm in each city of the 1:1 economy, which firms imitate.

    The best of a sample depends on the sample's size, so a scaled run cannot use its own
    best firm as it is. Log knowledge is taken as normal with the spread within cities
    (pooled over the province); the best of the city's n living firms lies at the Blom
    plotting position z(n) = Φ⁻¹((n - 0.375) / (n + 0.25)), that of its N = n / scale real
    firms at z(N), so the 1:1 best is the sample's best times exp(sd (z(N) - z(n))). At
    1:1 it is the city's own best firm. (Extrapolating from the mean instead, mean + sd
    z(N), let a widening spread raise the target above every firm, imitators' jumps widen
    the spread further, and knowledge ran to 1e13 with every lever at its maximum.) Cities
    without firms have no best (0)."""
    e = model.state.enterprises
    alive = e.alive_rows()
    city, log_k = e.city[alive], np.log(np.maximum(e.knowledge[alive], 1e-12))
    n = np.bincount(city, minlength=model.n_cities).astype(float)
    mean = np.bincount(city, weights=log_k, minlength=model.n_cities) / np.maximum(n, 1.0)
    resid = log_k - mean[city]
    # numpy's pairwise sum, not `resid @ resid`: BLAS threads its dot product above 10,000
    # firms, so the last bits (and a run's trajectory) depended on the machine's cores
    sd = math.sqrt(float(np.sum(resid * resid)) / max(len(alive) - np.count_nonzero(n), 1))
    best_log = best_by_city(city, log_k, model.n_cities)

    def blom(count):
        count = np.maximum(count, 1.0)
        return ndtri((count - 0.375) / (count + 0.25))

    gap = blom(n / model.scale) - blom(n)
    return np.where(n > 0, np.exp(np.where(n > 0, best_log, 0.0) + sd * gap), 0.0)


def innovation(model) -> None:
    """R&D, innovation and imitation (K+S), patents and standards (四.(四))."""
    P, e, cs = model.params, model.state.enterprises, model.state.cities
    n = e.n
    heads = model.cache.staff
    total_heads = row_sums(heads)
    high = (heads[:, TOP] + heads[:, HIGH_END]) / np.maximum(total_heads, 1)
    young_small = e.revenue_year_100m_yuan[:n] < P.register_threshold_100m_yuan_per_year
    # R&D user cost (Bloom, Griffith & Van Reenen 2002): tax relief (四.(二)) lowers it
    relief = model.lever("tax_incentive_pct_points") / 100.0 / (1.0 - P.corporate_tax_rate)
    intensity = P.rd_intensity * (1.0 + P.rd_user_cost_elasticity * relief)
    own_rd = np.maximum(intensity * e.revenue_month_100m_yuan[:n],
                        np.where(young_small, P.startup_rd_share_of_cash_per_month
                                 * np.maximum(e.cash_100m_yuan[:n], 0.0), 0.0))
    access = 1.0 - np.exp(-P.platform_access_per_platform
                          * (cs.innovation_platforms + P.rd_platform_weight * cs.rd_platforms))
    best = expected_best_knowledge(model)
    pool = model.lever("patent_pool")
    leading = ((e.revenue_year_100m_yuan[:n] >= P.leading_revenue_100m_yuan_per_year)
               & (e.invention_patents[:n] >= P.leading_min_invention_patents))
    model.ctx = InnovationContext(
        own_rd=own_rd, high_tier_share=high, platform_access=access,
        data_opening=cs.data_opening, public_knowledge=cs.public_knowledge,
        imitation_prob=np.minimum(1.0, P.imitation_rate_per_month
                                  * (1.0 + P.patent_pool_imitation_multiplier * pool)
                                  * (1.0 + access)),
        best_knowledge=best,
        international_catch_up=P.international_catch_up_per_year / 12.0
        * model.lever("international_cooperation"),
        frontier=model.economy.frontier, is_leading=leading,
        standard_prob=P.standard_rate_per_leading_firm_per_year / 12.0
        * (1.0 + P.standards_support_multiplier * model.lever("standards_support")),
        is_service_sector=IS_SERVICE_SECTOR,
        high_tier_mult=float(P.high_tier_rd_multiplier),
        platform_mult=float(P.platform_rd_multiplier), data_mult=float(P.data_rd_multiplier),
        knowledge_mult=float(P.public_knowledge_rd_multiplier),
        zeta=float(P.innovation_rate_per_100m_yuan), step_mean=float(P.innovation_step_mean),
        ideas_harder=float(P.ideas_harder_beyond_frontier),
        catch_up=float(P.imitation_catch_up), patents_per_rd=float(P.patents_per_100m_yuan_rd),
        core_factor=float(P.core_patent_share_factor),
        core_elasticity=float(P.core_share_knowledge_elasticity))
    rd_before = e.rd_ytd_100m_yuan[:n].copy()
    model.draw("innovation")
    counts = model.tally.year_counts
    act(model, "enterprises", "innovate", lambda: innovate_kernel(
        n, columns(e, InnovationColumns), model.ctx, model.draw_key,
        counts["core_patents_granted"], counts["standards"]))
    spent = e.rd_ytd_100m_yuan[:n] - rd_before
    model.ledger.book(FIRMS, HOUSEHOLDS, float(spent.sum()))     # R&D staff and services
    counts["firm_rd"] += np.bincount(e.city[:n], weights=spent, minlength=model.n_cities)
    model.economy.frontier *= (1.0 + P.global_frontier_growth_per_year) ** (1 / 12)
    cs.public_knowledge *= (1.0 - P.public_knowledge_decay_per_year) ** (1 / 12)
