"""Policy delivery in kernels: the programmes' monthly loops of `policy.py`, compiled.

Key R&D projects (三.(二)), the city programmes (innovation platforms 三.(三), application
pilots and demonstration zones 二.(四), the Deqing pilot zone 二.(三), incubator places
二.(五).1) and major projects (三.(二)) pay from the province's allocations
(`province.spend`, `pay_firm` and `pay_city` on `Province.budget()`) and draw from the
model's Generator in the order of the Python rules they replaced, so a run's numbers are
unchanged (`benchmarks/hashes.json`). `policy.py` computes the eligibility and the month's
planned counts with numpy; these kernels run the loops item by item. Items that go under
way are returned in `NewItems` and put in the province's pipeline, in order, by
`policy.py`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules
from ..ledger import FIRMS, HOUSEHOLDS, book_flow
from ..province import PROGRAMME, pay_city, pay_firm, spend
from .dispatch import grown, kernel, numpy_kernel

KEY_RD, PLATFORMS, PILOTS, ZONES, INCUBATORS, MAJOR = (
    PROGRAMME[p] for p in ("key_rd", "innovation_platforms", "pilots", "zones", "incubators",
                           "major_projects"))


class GrantColumns(NamedTuple):
    """Firm columns the programmes read or write."""

    city: np.ndarray
    cash_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    outflow_month_100m_yuan: np.ndarray
    grant_month_100m_yuan: np.ndarray
    revenue_year_100m_yuan: np.ndarray
    grant_rd_months_left: np.ndarray
    grant_rd_month_100m_yuan: np.ndarray


class NewItems(NamedTuple):
    """Items approved this month (`province.Item` fields; `kind` a programme index)."""

    kind: np.ndarray
    city: np.ndarray
    done_month: np.ndarray
    failed: np.ndarray
    firm: np.ndarray
    size: np.ndarray


def new_items(room: int = 8) -> NewItems:
    """Empty item buffers for the delivery kernels (`approve` grows them when full)."""
    ints = np.empty(room, dtype=np.int64)
    return NewItems(ints, ints.copy(), ints.copy(), np.empty(room, dtype=np.bool_), ints.copy(),
                    np.empty(room))


class CityTerms(NamedTuple):
    """The month's city programmes (per city: items planned, uniforms) and their costs."""

    month: int
    platforms: np.ndarray          # innovation platforms per city this month (expected)
    pilots: np.ndarray
    zones: np.ndarray
    u: np.ndarray                  # cities x 4 uniforms (rounding, and the pilot's provider)
    firms_city: np.ndarray         # firms per city, 1:1 units
    service: np.ndarray            # living service-sector firm rows (pilot providers)
    platform_cost: float           # scaled 1e8 yuan
    pilot_cost: float
    zone_cost: float
    platform_months: float         # build or set-up delays (whole months count)
    pilot_months: float
    zone_months: float
    platform_failure: float
    pilot_failure: float
    zone_failure: float
    zone_min_firms: float
    deqing: np.ndarray             # tally.cum["deqing_zones"]
    deqing_due: bool               # the Deqing pilot lever is on (zones while `deqing` is short)
    deqing_zones: float            # deqing_pilot_zone_bonus
    huzhou: int
    incubator_cost: np.ndarray     # per city this month
    incubator_places: np.ndarray   # per city (seats x scale)
    incubator_seats: np.ndarray    # cities' columns
    incubator_occupied: np.ndarray


@kernel
def approve(items, n, kind, city, month, months, failed, firm, size):
    """`policy.start`: an item goes under way (`items[n]`), done after the whole `months`;
    returns the items (longer buffers when they were full) and the new count."""
    if not math.isfinite(months):       # Python's int() refused these the same way
        raise ValueError("policy: a programme's delay in months is not a finite number")
    if n >= len(items.kind):
        k = 2 * len(items.kind)
        items = NewItems(grown(items.kind, k), grown(items.city, k), grown(items.done_month, k),
                         grown(items.failed, k), grown(items.firm, k), grown(items.size, k))
    items.kind[n], items.city[n], items.done_month[n] = kind, city, month + int(months)
    items.failed[n], items.firm[n], items.size[n] = failed, firm, size
    return items, n + 1


@kernel
def award_key_rd(n_proj, weights, alive, grant, rd_grant, key_rd_months, budget, e, counts,
                 rng):
    """Key R&D projects (三.(二)): up to `n_proj` awards drawn by `weights` (one per firm
    and month) while the allocation pays; the grant plus the firm's additional own R&D
    (`rd_grant`) is spent as R&D over the project's whole `key_rd_months` (a term of 0
    raises ZeroDivisionError, a NaN one ValueError, at the first award as before)."""
    for _ in range(n_proj):
        j = rules.choose_index(weights, rng.random())
        if j < 0 or not spend(budget, KEY_RD, grant):
            break
        weights[j] = 0.0
        i = alive[j]
        pay_firm(budget, e, i, grant)
        if not math.isfinite(key_rd_months):
            raise ValueError("policy: key_rd_months is not a finite number")
        months = int(key_rd_months)
        left = e.grant_rd_months_left[i]
        remaining = e.grant_rd_month_100m_yuan[i] * left if left > 0 else 0.0
        e.grant_rd_months_left[i] = months
        e.grant_rd_month_100m_yuan[i] = (remaining + rd_grant) / months
        counts[e.city[i]] += 1


@numpy_kernel
def deliver_city_programmes(t, budget, e, rng, items):
    """Innovation platforms, pilots and zones city by city, the Deqing pilot zone, then the
    incubator places; returns the items approved (`items`, or longer buffers) and their
    count."""
    n = 0
    for c in range(len(t.platforms)):
        for _ in range(rules.stochastic_round(t.platforms[c], t.u[c, 0])):
            if spend(budget, PLATFORMS, t.platform_cost):
                pay_city(budget, c, t.platform_cost)
                items, n = approve(items, n, PLATFORMS, c, t.month, t.platform_months,
                                   rng.random() < t.platform_failure, -1, 0.0)
        n_pilots = rules.stochastic_round(t.pilots[c], t.u[c, 1])
        if n_pilots > 0:
            # a pilot is a contract with a local AI service provider, drawn by revenue
            providers = t.service[e.city[t.service] == c]
            weights = e.revenue_year_100m_yuan[providers] + 1e-9
            for _ in range(n_pilots):
                if len(providers) == 0:
                    continue
                j = rules.choose_index(weights, t.u[c, 3])
                if spend(budget, PILOTS, t.pilot_cost):
                    pay_firm(budget, e, providers[j], t.pilot_cost)
                    items, n = approve(items, n, PILOTS, c, t.month, t.pilot_months,
                                       rng.random() < t.pilot_failure, -1, 0.0)
        for _ in range(rules.stochastic_round(t.zones[c], t.u[c, 2])):
            if t.firms_city[c] >= t.zone_min_firms and spend(budget, ZONES, t.zone_cost):
                pay_city(budget, c, t.zone_cost)
                items, n = approve(items, n, ZONES, c, t.month, t.zone_months,
                                   rng.random() < t.zone_failure, -1, 0.0)
    # Deqing pilot county (二.(三)): a demonstration zone in Huzhou when the pilot starts
    if t.deqing_due and t.deqing.sum() < t.deqing_zones and spend(budget, ZONES, t.zone_cost):
        t.deqing[t.huzhou] += 1
        pay_city(budget, t.huzhou, t.zone_cost)
        items, n = approve(items, n, ZONES, t.huzhou, t.month, t.zone_months,
                           rng.random() < t.zone_failure, -1, 0.0)
    # incubators and maker spaces (二.(五).1): places funded month by month
    for c in range(len(t.incubator_cost)):
        cost = t.incubator_cost[c]
        if cost > 0 and spend(budget, INCUBATORS, cost):
            pay_city(budget, c, cost)
            t.incubator_seats[c] = t.incubator_places[c]
        elif cost > 0:
            occupied, places = t.incubator_occupied[c], t.incubator_places[c]
            # Python's min(places, occupied), NaN included
            t.incubator_seats[c] = occupied if occupied < places else places  # noqa: FURB136
        else:
            t.incubator_seats[c] = 0.0
    return items, n


class MajorTerms(NamedTuple):
    month: int
    size_planned: float            # 1e8 yuan per project
    dispersion: float              # major_project_size_dispersion
    half_variance: float           # 0.5 x dispersion ** 2
    own_share: float
    subsidy_share: float
    exit_revenue: float            # hosts are established: revenue at least this
    land: float                    # land_guarantee: probability the land is guaranteed
    scale: float
    lead_months: float
    failure: float


@numpy_kernel
def deliver_major_projects(n, alive, t, budget, e, rng, items, n_items):
    """Major projects (三.(二)): `n` offers this month, each sized around the plan and hosted
    by an established firm that can pay its share (drawn by revenue), on guaranteed land;
    the province pays its subsidy, the host pays builders and suppliers. Returns the items
    approved (`items` after `n_items`, or longer buffers) and their count."""
    weights = np.empty(len(alive))
    for _ in range(n):
        size = t.size_planned * math.exp(t.dispersion * rng.standard_normal() - t.half_variance)
        own, subsidy = t.own_share * size, t.subsidy_share * size
        for j in range(len(alive)):
            revenue = e.revenue_year_100m_yuan[alive[j]]
            ok = revenue >= t.exit_revenue and e.cash_100m_yuan[alive[j]] >= own
            weights[j] = revenue if ok else 0.0
        j = rules.choose_index(weights, rng.random())
        if j < 0 or rng.random() >= t.land:
            continue
        i = alive[j]
        if not spend(budget, MAJOR, subsidy * t.scale):
            continue
        pay_firm(budget, e, i, subsidy * t.scale)
        paid = (own + subsidy) * t.scale                   # to builders and suppliers
        e.cash_100m_yuan[i] -= paid
        e.outflow_month_100m_yuan[i] += paid
        book_flow(budget.ledger_month, budget.ledger_year, FIRMS, HOUSEHOLDS, paid)
        items, n_items = approve(items, n_items, MAJOR, e.city[i], t.month, t.lead_months,
                                 rng.random() < t.failure, i, size)
    return items, n_items
