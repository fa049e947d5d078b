"""Numba step kernels: the agents' rules as loops over the column-wise state.

Each kernel is the row-order loop of one agent method in `agents.py` (the mesa engine),
calling the same compiled rules (`rules.py`) on the same pre-drawn uniforms, so both
engines give the same trajectories. Kernels take arrays only; structural changes that
involve Python objects (removing a Mesa agent, founding a firm, an exit) are returned as
row lists and applied by the model in the same order the mesa engine applies them.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from numba import njit

from . import rules
from .state import ENGINEER, ENTREPRENEUR, HIGH_SKILL, SEEKING

kernel = njit(cache=True)

LEFT_ATTRITION, LEFT_OUT_MIGRATION, LEFT_GAVE_UP = 0, 1, 2
ALL_EMPLOYERS = -999     # employer filter meaning "everybody"


@kernel
def _leave(row, reason, alive, employer, tier, left_rows, left_reason, n_left):
    alive[row] = False
    employer[row] = SEEKING
    left_rows[n_left] = row
    left_reason[n_left] = reason
    return n_left + 1


@kernel
def age_and_learn(n, alive, tier, employer, draws, attrition_prob, upskill_prob,
                  promoted_in, promoted_out, left_rows, left_reason):
    """Talent.age_and_learn for every living row; returns how many left."""
    n_left = 0
    for i in range(n):
        if not alive[i]:
            continue
        if draws[i, 0] < attrition_prob:
            n_left = _leave(i, LEFT_ATTRITION, alive, employer, tier, left_rows, left_reason, n_left)
            continue
        k = tier[i]
        if (k == ENGINEER or k == HIGH_SKILL) and draws[i, 0] < (
                attrition_prob + (1.0 - attrition_prob) * upskill_prob[k]):
            tier[i] = k - 1
            promoted_out[k] += 1
            promoted_in[k - 1] += 1
    return n_left


@kernel
def review_location(n, alive, tier, city, employer, months_seeking, draws, review_prob,
                    city_utility, outside_utility, distance_weight, distance_100km, moved,
                    left_rows, left_reason):
    """Talent.review_location for every living row; returns how many left Zhejiang."""
    n_left = 0
    n_cities = distance_100km.shape[0]
    utilities = np.empty(n_cities + 1)
    for i in range(n):
        if not alive[i] or draws[i, 0] >= review_prob:
            continue
        origin = city[i]
        k = tier[i]
        for c in range(n_cities):
            utilities[c] = city_utility[k, c] - distance_weight * distance_100km[origin, c]
        utilities[n_cities] = outside_utility[k]
        choice = rules.logit_choice(utilities, draws[i, 0] / review_prob)
        if choice == n_cities:
            n_left = _leave(i, LEFT_OUT_MIGRATION, alive, employer, tier, left_rows, left_reason,
                            n_left)
        elif choice != origin:
            city[i] = choice
            if employer[i] >= 0:
                employer[i] = SEEKING
                months_seeking[i] = 0
            moved[k] += 1
    return n_left


@kernel
def consider_layoff(n, alive, tier, employer, months_seeking, draws, layoff_prob):
    """Talent.consider_layoff for every living row."""
    for i in range(n):
        if alive[i] and employer[i] >= 0 and draws[i, 1] < layoff_prob[employer[i], tier[i]]:
            employer[i] = SEEKING
            months_seeking[i] = 0


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
def take_vacancy(c, k, u, vacancies, city_firm_ptr, city_firms, weights, trees):
    """Draw a firm of city c with an open tier-k vacancy (weight = openings) and fill one."""
    lo, hi = city_firm_ptr[c], city_firm_ptr[c + 1]
    seg_w = weights[k, lo:hi]
    seg_t = trees[k, lo + c: hi + c + 1]
    j = rules.fenwick_find(seg_t, seg_w, u)
    if j < 0:
        return -1
    old = seg_w[j]
    new = max(0.0, old - 1.0)
    seg_w[j] = new
    rules.fenwick_add(seg_t, j, new - old)
    firm = city_firms[lo + j]
    vacancies[firm, k] = new
    return firm


@kernel
def seek_job(n, alive, tier, city, employer, months_seeking, draws, hire_prob, vacancies,
             city_firm_ptr, city_firms, vacancy_weights, vacancy_trees, patience, left_rows,
             left_reason):
    """Talent.seek_job (with the model's pick_vacancy) for every living row."""
    n_left = 0
    for i in range(n):
        if not alive[i] or employer[i] != SEEKING:
            continue
        c, k = city[i], tier[i]
        hire = hire_prob[c, k]
        if draws[i, 0] < hire:
            firm = take_vacancy(c, k, draws[i, 0] / hire, vacancies, city_firm_ptr, city_firms,
                                vacancy_weights, vacancy_trees)
            if firm >= 0:
                employer[i] = firm
                months_seeking[i] = 0
                continue
        months_seeking[i] += 1
        if months_seeking[i] > patience:
            n_left = _leave(i, LEFT_GAVE_UP, alive, employer, tier, left_rows, left_reason, n_left)
    return n_left


@kernel
def consider_founding(n, alive, tier, city, employer, draws, prob_entrepreneur,
                      prob_engineer, spinoff_prob, founders):
    """Talent.consider_founding for every living row; returns how many found a firm."""
    n_found = 0
    for i in range(n):
        if not alive[i]:
            continue
        k = tier[i]
        if k == ENTREPRENEUR:
            if employer[i] != SEEKING:
                continue
            prob = prob_entrepreneur
        elif k == ENGINEER:
            prob = prob_engineer[city[i]]
            if employer[i] >= 0:
                prob += spinoff_prob[employer[i]]
        else:
            continue
        if draws[i, 0] < prob:
            founders[n_found] = i
            n_found += 1
    return n_found


@kernel
def adopt(adoption, bass_p, bass_q):
    """City.adopt for every city."""
    for c in range(len(adoption)):
        a = adoption[c]
        adoption[c] = min(1.0, a + (bass_p[c] / 12.0 + bass_q[c] / 12.0 * a) * (1.0 - a))


@kernel
def innovate(n, alive, city, sector, knowledge, core_share_base, cash, outflow, rd_month, rd_ytd,
             grant_rd_month, grant_rd_months_left, patents, core_patents, standards, draws,
             own_rd, high_tier_share, platform_access, data_opening, public_knowledge,
             imitation_prob, best_knowledge, international_catch_up, frontier, is_leading,
             standard_prob, is_service_sector, high_tier_mult, platform_mult, data_mult,
             knowledge_mult, zeta, step_mean, catch_up, patents_per_rd, core_factor,
             core_elasticity, core_granted_city, standards_city):
    """Enterprise.innovate for every living row."""
    for i in range(n):
        if not alive[i]:
            continue
        rd = own_rd[i]
        if grant_rd_months_left[i] > 0:
            rd += grant_rd_month[i]
            grant_rd_months_left[i] -= 1
        rd_month[i] = rd
        rd_ytd[i] += rd
        cash[i] -= rd
        outflow[i] += rd
        c = city[i]
        eff = rules.effective_rd(rd, high_tier_share[i], platform_access[c], data_opening[c],
                                 is_service_sector[sector[i]], public_knowledge[c],
                                 high_tier_mult, platform_mult, data_mult, knowledge_mult)
        k = knowledge[i]
        if draws[i, 0] < rules.innovation_probability(eff, zeta):
            k *= math.exp(step_mean * -math.log(max(draws[i, 1], 1e-300)))
        if draws[i, 2] < imitation_prob[c]:
            k += catch_up * max(0.0, best_knowledge[c] - k)
        k += international_catch_up * max(0.0, frontier - k)
        knowledge[i] = k
        n_pat = rules.poisson_from_uniform(patents_per_rd * eff, draws[i, 3])
        share = core_factor * rules.core_share(core_share_base[i], k, core_elasticity)
        n_core = rules.binomial_from_uniform(n_pat, share, draws[i, 4])
        patents[i] += n_pat
        core_patents[i] += n_core
        core_granted_city[c] += n_core
        if is_leading[i] and draws[i, 5] < standard_prob:
            standards[i] += 1
            standards_city[c] += 1


@kernel
def compete(n, alive, sector, knowledge, market_share, revenue_year, normals, mean_knowledge,
            sd_at_unit, beta, speed_per_month):
    """Enterprise.compete for every living row."""
    for i in range(n):
        if not alive[i]:
            continue
        sd = rules.demand_shock_sd(revenue_year[i], sd_at_unit, beta)
        factor = rules.replicator_factor(knowledge[i], mean_knowledge[sector[i]], speed_per_month)
        market_share[i] = market_share[i] * factor * math.exp(sd * normals[i] - 0.5 * sd * sd)


@kernel
def sell(n, month, alive, sector, market_share, revenue_month, revenue_ytd, revenue_year, cash,
         inflow, outflow, rd_month, incubated_until, sector_demand, share_sum, labour_fill,
         wage_bill, tax_rate, shortage_elasticity, fixed_cost, incubator_discount, opex_share,
         profit_ytd):
    """Enterprise.sell for every living row."""
    for i in range(n):
        if not alive[i]:
            continue
        s = sector[i]
        demand = sector_demand[s] * market_share[i] / share_sum[s]
        revenue = demand * labour_fill[i] ** shortage_elasticity
        revenue_month[i] = revenue
        revenue_ytd[i] += revenue
        revenue_year[i] = revenue_year[i] * (11.0 / 12.0) + revenue
        fixed = fixed_cost
        if incubated_until[i] > month:
            fixed *= 1.0 - incubator_discount
        costs = opex_share * revenue + wage_bill[i] + fixed
        profit = revenue - costs - rd_month[i]
        profit_ytd[i] += profit
        tax = tax_rate * max(profit, 0.0)
        cash[i] += revenue
        inflow[i] += revenue
        cash[i] -= costs + tax
        outflow[i] += costs + tax


@kernel
def check_exit(n, alive, cash, months_negative, grace, exits):
    """Enterprise.check_exit for every living row; returns how many exit."""
    n_exit = 0
    for i in range(n):
        if not alive[i]:
            continue
        if cash[i] < 0.0:
            months_negative[i] += 1
            if months_negative[i] > grace:
                exits[n_exit] = i
                n_exit += 1
        else:
            months_negative[i] = 0
    return n_exit


def csr_by_city(rows: np.ndarray, city: np.ndarray, n_cities: int):
    """Rows grouped by city as (pointer, rows) arrays, keeping row order within a city."""
    order = np.argsort(city, kind="stable")
    counts = np.bincount(city, minlength=n_cities)
    ptr = np.zeros(n_cities + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, rows[order].astype(np.int64)


@kernel
def heads_by_firm(n, alive, employer, tier, n_firms, n_tiers):
    """Employed talent per firm row and tier."""
    out = np.zeros((n_firms, n_tiers), dtype=np.int64)
    for i in range(n):
        if alive[i] and employer[i] >= 0:
            out[employer[i], tier[i]] += 1
    return out


@kernel
def talent_by_city_tier(n, alive, city, tier, employer, employer_filter, n_cities, n_tiers):
    """Living talent per city and tier, of one employer code unless the filter is ALL_EMPLOYERS."""
    out = np.zeros((n_cities, n_tiers), dtype=np.int64)
    for i in range(n):
        if alive[i] and (employer_filter == ALL_EMPLOYERS or employer[i] == employer_filter):
            out[city[i], tier[i]] += 1
    return out


@kernel
def choose_many(weights, uniforms):
    """`rules.choose_index` for each uniform."""
    out = np.empty(len(uniforms), dtype=np.int64)
    for j in range(len(uniforms)):
        out[j] = rules.choose_index(weights, uniforms[j])
    return out


def cache_report() -> dict[str, tuple[int, int]]:
    """(cache hits, cache misses) of every kernel and rule compiled in this process.

    A miss means the kernel was compiled here rather than loaded from the on-disk cache.
    """
    from numba.core.registry import CPUDispatcher

    out = {}
    for module in (rules, sys.modules[__name__]):
        for name, obj in vars(module).items():
            if isinstance(obj, CPUDispatcher) and obj.signatures:
                st = obj.stats
                out[f"{module.__name__}.{name}"] = (sum(st.cache_hits.values()),
                                                    sum(st.cache_misses.values()))
    return out
