"""Scalar behaviour rules shared by both engines.

Each rule is a pure function of numbers (and 1-d arrays) with its random draws passed
in as uniforms, so the mesa engine's agent methods and the numba kernels call the very
same compiled code (one copy of each rule) and consume the same draws in the same order.
Rules are compiled with numba (`cache=True`); Python callers get the compiled function.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

rule = njit(cache=True)


@rule
def stochastic_round(x: float, u: float) -> int:
    """Integer with expectation x: floor(x) plus one with probability frac(x)."""
    base = math.floor(x)
    return int(base + (1 if u < x - base else 0))


@rule
def poisson_from_uniform(lam: float, u: float) -> int:
    """Poisson(lam) draw by inversion of one uniform (normal approximation above 200)."""
    if lam <= 0.0:
        return 0
    if lam > 200.0:
        # Wilson-Hilferty-free normal approximation via the inverse error function
        z = math.sqrt(2.0) * erfinv(2.0 * u - 1.0)
        return max(0, int(round(lam + math.sqrt(lam) * z)))
    p = math.exp(-lam)
    cdf = p
    k = 0
    while u > cdf and k < 10_000:
        k += 1
        p *= lam / k
        cdf += p
    return k


@rule
def binomial_from_uniform(n: int, p: float, u: float) -> int:
    """Binomial(n, p) draw by inversion of one uniform."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if n > 1000:
        mean = n * p
        sd = math.sqrt(n * p * (1.0 - p))
        z = math.sqrt(2.0) * erfinv(2.0 * u - 1.0)
        return min(n, max(0, int(round(mean + sd * z))))
    q = 1.0 - p
    pk = q**n
    cdf = pk
    k = 0
    while u > cdf and k < n:
        pk *= (n - k) / (k + 1) * p / q
        k += 1
        cdf += pk
    return k


@rule
def erfinv(y: float) -> float:
    """Inverse error function (Giles 2010 single-precision-accurate approximation)."""
    y = min(max(y, -0.999999), 0.999999)
    w = -math.log((1.0 - y) * (1.0 + y))
    if w < 5.0:
        w -= 2.5
        p = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            p = c + p * w
    else:
        w = math.sqrt(w) - 3.0
        p = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            p = c + p * w
    return p * y


@rule
def choose_index(weights: np.ndarray, u: float) -> int:
    """Index drawn with probability proportional to non-negative `weights`; -1 if all zero."""
    total = 0.0
    for w in weights:
        total += w
    if total <= 0.0:
        return -1
    target = u * total
    acc = 0.0
    last = -1
    for i in range(len(weights)):
        if weights[i] > 0.0:
            acc += weights[i]
            last = i
            if target < acc:
                return i
    return last


@rule
def choose_in_cumulative(weights: np.ndarray, cumulative: np.ndarray, u: float) -> int:
    """`choose_index(weights, u)` by binary search in `cumulative` = np.cumsum(weights): the
    same index (the running sums are the same numbers), for many draws from one set of
    weights."""
    n = len(cumulative)
    if n == 0 or cumulative[n - 1] <= 0.0:
        return -1
    target = u * cumulative[n - 1]
    lo, hi = 0, n                 # the first i with target < cumulative[i]: weights[i] > 0
    while lo < hi:
        mid = (lo + hi) // 2
        if target < cumulative[mid]:
            hi = mid
        else:
            lo = mid + 1
    if lo < n:
        return lo
    for i in range(n - 1, -1, -1):  # target rounded up to the total: the last positive weight
        if weights[i] > 0.0:
            return i
    return -1


@rule
def innovation_probability(effective_rd_100m_yuan: float, zeta: float) -> float:
    """K+S innovation success probability 1 - exp(-zeta * effective R&D)."""
    return 1.0 - math.exp(-zeta * max(effective_rd_100m_yuan, 0.0))


# an entrant is sized against its sector's realised sales, but never against less than this
# share of the sector's demand: where labour shortages left a sector's few firms with no
# sales (a scaled run's small sectors), sizing against ~0 gave an entrant 1e4 times the
# sector, and its share then overflowed to inf by 2030
ENTRY_DEMAND_FLOOR = 0.5


@rule
def entrant_share(revenue_month_100m_yuan: float, share_sum: float, sector_revenue: float,
                  sector_demand: float) -> float:
    """Market share that gives an entrant `revenue_month` of its sector's sales: sized
    against the sector's sales, but never against less than `ENTRY_DEMAND_FLOOR` of its
    demand nor less than the entrant's own revenue (a sector without sales or demand, e.g.
    hardware under a total chip restriction, gives the entrant the sector's share sum)."""
    return revenue_month_100m_yuan * share_sum / max(sector_revenue,
                                                     ENTRY_DEMAND_FLOOR * sector_demand,
                                                     revenue_month_100m_yuan, 1e-9)


@rule
def entrant_knowledge(mean_knowledge: float, dispersion: float, u: float) -> float:
    """An entrant's knowledge: lognormal around `mean_knowledge` (its city's firms' mean) with
    log s.d. `dispersion`, by inversion of one uniform `u` (founders and incumbents turning
    to AI alike)."""
    return mean_knowledge * math.exp(dispersion * math.sqrt(2.0) * erfinv(2 * u - 1))


@rule
def innovation_step(step_mean: float, knowledge: float, frontier: float, beta: float) -> float:
    """Mean log step of a successful innovation: `step_mean` up to the global frontier, then
    shrinking as (frontier / knowledge)^beta: ideas get harder to find (Bloom et al. 2020)."""
    if knowledge <= frontier or beta <= 0.0:
        return step_mean
    return step_mean * (frontier / knowledge) ** beta


@rule
def effective_rd(rd_100m_yuan: float, high_tier_share: float, platform_access: float,
                 data_opening: float, is_service: bool, public_knowledge: float,
                 high_tier_mult: float, platform_mult: float, data_mult: float,
                 knowledge_mult: float) -> float:
    """R&D spending weighted by talent quality, lab access, open data and basic research."""
    e = rd_100m_yuan * (1.0 + high_tier_mult * high_tier_share)
    e *= 1.0 + platform_mult * platform_access
    if is_service:
        e *= 1.0 + data_mult * data_opening
    e *= 1.0 + knowledge_mult * public_knowledge
    return e


@rule
def replicator_factor(competitiveness: float, mean_competitiveness: float,
                      speed_per_month: float) -> float:
    """Share growth factor of replicator dynamics, floored so shares stay positive."""
    if mean_competitiveness <= 0.0:
        return 1.0
    return max(0.05, 1.0 + speed_per_month * (competitiveness / mean_competitiveness - 1.0))


@rule
def demand_shock_sd(annual_revenue_100m_yuan: float, sd_at_unit: float, beta: float) -> float:
    """Monthly demand-shock s.d. falling with size as size^-beta (Stanley et al. 1996)."""
    return sd_at_unit * max(annual_revenue_100m_yuan, 0.005) ** (-beta)


@rule
def opportunity_variance(u: float) -> float:
    """A firm's demand-shock variance in one year relative to its mean, from a uniform draw
    `u` in [0, 1): exponential with mean 1. A firm meets a random number of business
    opportunities a year (Bottazzi & Secchi 2006, RAND J. Econ. 37:235); a normal shock
    whose variance is exponential is Laplace, the tent shape of annual growth rates."""
    return -math.log(1.0 - u)


@rule
def logit_choice(utilities: np.ndarray, u: float) -> int:
    """Multinomial-logit choice among options with the given deterministic utilities."""
    weights = np.empty(len(utilities))
    logit_weights(utilities, weights)
    return choose_index(weights, u)


@rule
def logit_weights(utilities: np.ndarray, weights: np.ndarray) -> None:
    """The logit's unnormalised choice weights exp(utility - max utility), into `weights`:
    `choose_index(weights, u)` is then `logit_choice(utilities, u)`."""
    m = utilities.max()
    for i in range(len(utilities)):
        weights[i] = math.exp(utilities[i] - m)


@rule
def core_share(base: float, knowledge: float, elasticity: float) -> float:
    """AI-core share of a firm's revenue, rising with its knowledge (capped at 0.95)."""
    return min(0.95, base * max(knowledge, 1e-6) ** elasticity)


# --- Fenwick (binary indexed) trees: weighted draws without replacement of units -------
# A segment `tree` of length n + 1 (1-indexed) holds partial sums of n weights. Both
# engines draw vacancies through these, so they agree by construction.

@rule
def fenwick_build(weights: np.ndarray, tree: np.ndarray) -> None:
    """Fill `tree` (length len(weights) + 1) with the Fenwick sums of `weights`."""
    n = len(weights)
    tree[0] = 0.0
    for i in range(1, n + 1):
        tree[i] = weights[i - 1]
    for i in range(1, n + 1):
        j = i + (i & -i)
        if j <= n:
            tree[j] += tree[i]


@rule
def fenwick_total(tree: np.ndarray) -> float:
    """Sum of all weights of a Fenwick segment."""
    n = len(tree) - 1
    total = 0.0
    i = n
    while i > 0:
        total += tree[i]
        i -= i & -i
    return total


@rule
def fenwick_add(tree: np.ndarray, index: int, delta: float) -> None:
    """Add `delta` to weight `index` (0-based)."""
    n = len(tree) - 1
    i = index + 1
    while i <= n:
        tree[i] += delta
        i += i & -i


@rule
def fenwick_find(tree: np.ndarray, weights: np.ndarray, u: float) -> int:
    """Index drawn with probability proportional to the weights (0-based); -1 if all zero."""
    n = len(tree) - 1
    total = fenwick_total(tree)
    if total <= 0.0 or n == 0:
        return -1
    remaining = u * total
    pos = 0
    step = 1
    while step * 2 <= n:
        step *= 2
    while step > 0:
        nxt = pos + step
        if nxt <= n and tree[nxt] <= remaining:
            pos = nxt
            remaining -= tree[nxt]
        step //= 2
    # pos weights have prefix sum <= target: the draw is the next positive weight
    for j in range(min(pos, n - 1), n):
        if weights[j] > 0.0:
            return j
    for j in range(n - 1, -1, -1):
        if weights[j] > 0.0:
            return j
    return -1


@rule
def dividend(after_tax_profit: float, cash: float, monthly_costs: float, payout_ratio: float,
             buffer_months: float) -> float:
    """Dividend of a profitable firm whose cash exceeds `buffer_months` of its costs:
    `payout_ratio` of the month's after-tax profit, never more than the excess cash."""
    if after_tax_profit <= 0.0:
        return 0.0
    excess = cash - buffer_months * monthly_costs
    if excess <= 0.0:
        return 0.0
    return min(payout_ratio * after_tax_profit, excess)


@rule
def hardware_supply_cap(supply: float, chips_and_software: float,
                        substitution_share: float) -> float:
    """Share of hardware demand that can be served: the outside chip `supply` (1 =
    unrestricted), plus what Zhejiang's own chips and system software (二.(一).3, lever
    0-1) replace of the shortfall, at most `substitution_share` of it."""
    return supply + (1.0 - supply) * min(max(chips_and_software, 0.0), 1.0) * substitution_share
