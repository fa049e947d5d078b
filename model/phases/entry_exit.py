"""Phase 7, entry and exit (二.(五).1): firms out of cash close; talent founds firms;
incumbents of the information economy turn to AI (二.(五).2, `conversion.py`).

A firm with negative cash for more than `exit_grace_months` exits (`Enterprise.check_exit`):
its staff look for work and its incubator place is freed. Unattached leading entrepreneurs
and engineers (helped by free incubator places) found start-ups, and engineers of firms
with high revenue per head spin off (`Talent.consider_founding`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules, streams
from ..aggregates import (
    EMPLOYED,
    SEEKERS,
    Census,
    csr_by_city,
    employer_kind,
    pool_memo,
    pool_sum,
    row_sums,
)
from ..initial import SECTOR_CORE_SHARE, SECTOR_FIRM_MIX
from ..ledger import FIRMS, HOUSEHOLDS
from ..state import ENGINEER, ENTREPRENEUR, N_SECTORS, N_TIERS, SEEKING
from .conversion import convert_incumbents
from .dispatch import act, columns, kernel
from .wages import income_trend


class ExitContext(NamedTuple):
    grace: int                   # months of negative cash a firm survives


class FoundingContext(NamedTuple):
    prob_entrepreneur: float     # per unattached leading entrepreneur and month
    prob_engineer: np.ndarray    # cities: per engineer and month (incl. incubators)
    spinoff_prob: np.ndarray     # firm rows: extra probability for its engineers
    closed: np.ndarray           # firm rows: exited this month, staff not yet freed (numba)


class ExitColumns(NamedTuple):
    alive: np.ndarray
    cash_100m_yuan: np.ndarray
    months_negative_cash: np.ndarray


class FoundingColumns(NamedTuple):
    alive: np.ndarray
    tier: np.ndarray
    city: np.ndarray
    employer: np.ndarray
    months_seeking: np.ndarray


class FounderColumns(NamedTuple):
    city: np.ndarray
    tier: np.ndarray
    employer: np.ndarray
    months_seeking: np.ndarray


def check_exit(self) -> None:
    """Enterprise: exit after `exit_grace_months` months of negative cash."""
    if not self.alive:
        return
    if self.cash_100m_yuan < 0.0:
        self.months_negative_cash = self.months_negative_cash + 1
        if self.months_negative_cash > self.model.ctx.grace:
            exit_enterprises(self.model, np.array([self.row], dtype=np.int64))
    else:
        self.months_negative_cash = 0


@kernel
def check_exit_kernel(n, e, ctx, exits):
    """`check_exit` for every living row; returns how many exit (rows in `exits`)."""
    n_exit = 0
    for i in range(n):
        if not e.alive[i]:
            continue
        if e.cash_100m_yuan[i] < 0.0:
            e.months_negative_cash[i] += 1
            if e.months_negative_cash[i] > ctx.grace:
                exits[n_exit] = i
                n_exit += 1
        else:
            e.months_negative_cash[i] = 0
    return n_exit


@kernel
def release_staff(n, employer, months_seeking, closing):
    """Talent employed by a firm marked in `closing` (by firm row) looks for work."""
    for i in range(n):
        if employer[i] >= 0 and closing[employer[i]]:
            employer[i] = SEEKING
            months_seeking[i] = 0


@kernel
def free_places(rows, city, incubated_until, month, incubator_occupied, exits):
    """The closing firms `rows`, in order, free their incubator places (those still
    incubated: `record` frees only the living firms') and count as exits of their city."""
    for row in rows:
        c = city[row]
        if incubated_until[row] >= month:
            left = incubator_occupied[c] - 1
            incubator_occupied[c] = left if left > 0.0 else 0.0  # noqa: FURB136 (Python's max, NaN too)
        exits[c] += 1


def exit_enterprises(model, rows: np.ndarray, release: bool = True) -> None:
    """Firms `rows` close, in row order: staff look for work, investors write off (in the
    next finance phase), incubator places are freed. One pass over the talent for all their
    staff: a pass per firm made exits quadratic at scale 10. With `release` False the
    caller frees the staff (the numba engine, in the founding kernel's pass)."""
    if len(rows) == 0:
        return
    e, t, cs = model.state.enterprises, model.state.talent, model.state.cities
    e.alive[rows] = False
    e.exit_month[rows] = model.month
    if release:
        closing = np.zeros(e.n, dtype=np.bool_)
        closing[rows] = True
        release_staff(t.n, t.employer, t.months_seeking, closing)
    free_places(rows, e.city, e.incubated_until, model.month, cs.incubator_occupied,
                model.tally.year_counts["exits"])
    model.tally.firm_flows["exits"] += len(rows)
    model.mark_dead("enterprises", rows)


def consider_founding(self) -> None:
    """Talent: unattached leading entrepreneurs and engineers found start-ups (二.(五).1);
    engineers of large firms spin off."""
    m, ctx, i = self.model, self.model.ctx, self.row
    k = self.tier
    if k == ENTREPRENEUR:
        if self.employer != SEEKING:
            return
        prob = ctx.prob_entrepreneur
    elif k == ENGINEER:
        prob = ctx.prob_engineer[self.city]
        if self.employer >= 0:
            prob += ctx.spinoff_prob[self.employer]
    else:
        return
    if m.uniform(i, 0) < prob:
        found_enterprise(m, i)


@kernel
def consider_founding_kernel(rows, t, ctx, key, founders, census):
    """`consider_founding` for every living row, after freeing it if its firm exited this
    month (`exit_enterprises`' pass, fused into this one, which also moves it in `census`,
    the talent as the labour market left it); returns how many found a firm."""
    heads, by_city = census
    n_found = 0
    for i in rows:
        k = t.tier[i]
        if t.employer[i] >= 0 and ctx.closed[t.employer[i]]:
            heads[t.employer[i], k] -= 1
            by_city[t.city[i], k, EMPLOYED] -= 1
            by_city[t.city[i], k, SEEKERS] += 1
            t.employer[i] = SEEKING
            t.months_seeking[i] = 0
        if k == ENTREPRENEUR:
            if t.employer[i] != SEEKING:
                continue
            prob = ctx.prob_entrepreneur
        elif k == ENGINEER:
            prob = ctx.prob_engineer[t.city[i]]
            if t.employer[i] >= 0:
                prob += ctx.spinoff_prob[t.employer[i]]
        else:
            continue
        if streams.uniform(key, i, 0) < prob:
            founders[n_found] = i
            n_found += 1
    return n_found


def found_enterprise(model, talent_row: int) -> int:
    """Talent `talent_row` founds a firm in its city; returns the new enterprise row."""
    P, e, t, cs, rng = (model.params, model.state.enterprises, model.state.talent,
                        model.state.cities, model.rng)
    c = int(t.city[talent_row])
    parent = int(t.employer[talent_row])
    u = rng.random(3)
    if parent >= 0:
        sector = int(e.sector[parent])          # spin-off stays in its parent's sector
    else:
        sector = rules.choose_index(SECTOR_FIRM_MIX, u[0])
    alive = e.alive_rows()
    in_city = alive[e.city[alive] == c]
    mean_k = (float(e.knowledge[in_city].mean()) if len(in_city)
              else float(e.knowledge[alive].mean()))
    knowledge = rules.entrant_knowledge(mean_k, model.initial.knowledge_dispersion, u[1])
    incubated = cs.incubator_seats[c] - cs.incubator_occupied[c] >= 1.0 or (
        cs.incubator_seats[c] - cs.incubator_occupied[c] > u[2])
    sector_alive = alive[e.sector[alive] == sector]
    share_sum = float(e.market_share[sector_alive].sum()) if len(sector_alive) else 1.0
    rev_sector = (float(e.revenue_month_100m_yuan[sector_alive].sum()) if len(sector_alive)
                  else 1.0)
    nominal = income_trend(model)          # 2017 yuan in this month's yuan (as wages move)
    share = rules.entrant_share(P.startup_revenue_100m_yuan_per_year * nominal / 12.0,
                                share_sum, rev_sector,
                                float(model.economy.sector_demand_100m_yuan[sector]))
    seed = P.startup_seed_cash_100m_yuan * nominal
    row = int(e.add(1, alive=True, city=c, sector=sector, birth_month=model.month, exit_month=-1,
                    knowledge=knowledge,
                    core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
                    market_share=share, cash_100m_yuan=seed, inflow_month_100m_yuan=seed,
                    incubated_until=model.month + int(P.incubation_months) if incubated else -1)[0])
    if incubated:
        cs.incubator_occupied[c] += 1
    t.employer[talent_row] = row
    t.months_seeking[talent_row] = 0
    model.ledger.book(HOUSEHOLDS, FIRMS, seed)              # the founders' own money
    model.tally.year_counts["new_startups"][c] += 1
    model.tally.firm_flows["entries"] += 1
    return row


class FoundingTerms(NamedTuple):
    month: int
    knowledge_dispersion: float
    startup_revenue_per_month: float     # 1e8 yuan
    seed_cash: float                     # 1e8 yuan
    core_share_multiplier: float
    incubation_months: int
    sector_firm_mix: np.ndarray
    sector_core_share: np.ndarray
    sector_demand: np.ndarray            # this month's (scaled units), 1e8 yuan


class NewFirmColumns(NamedTuple):
    alive: np.ndarray
    city: np.ndarray
    sector: np.ndarray
    birth_month: np.ndarray
    exit_month: np.ndarray
    knowledge: np.ndarray
    core_share_base: np.ndarray
    market_share: np.ndarray
    revenue_month_100m_yuan: np.ndarray
    cash_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    incubated_until: np.ndarray


class Incubators(NamedTuple):
    incubator_seats: np.ndarray
    incubator_occupied: np.ndarray


class LivingFirms(NamedTuple):
    """Firms alive before the month's founders, in row order: all, and grouped by city and
    by sector (CSR: the rows of group g at rows[ptr[g]:ptr[g + 1]])."""

    rows: np.ndarray
    city_ptr: np.ndarray
    city_rows: np.ndarray
    sector_ptr: np.ndarray
    sector_rows: np.ndarray


@kernel
def new_in_group(new, new_key, key, out):
    """The new firms whose key is `key` (row order), into `out`; returns the count."""
    n = 0
    for j in range(len(new)):
        if new_key[j] == key:
            out[n] = new[j]
            n += 1
    return n


@kernel
def found_kernel(founders, first_row, t, e, living, terms, cs, ledger_month, ledger_year,
                 new_startups, rng, census):
    """`found_enterprise` for each founder in order, drawing from the model's Generator; the
    firms take rows first_row, first_row + 1, ... (already added to the population). Each
    founder moves in `census` to the new firm."""
    heads, by_city = census
    n_new = len(founders)
    new = np.empty(n_new, dtype=np.int64)
    new_city = np.empty(n_new, dtype=np.int64)
    new_sector = np.empty(n_new, dtype=np.int64)
    tail = np.empty(n_new, dtype=np.int64)
    knowledge_memo, share_memo, revenue_memo = pool_memo(), pool_memo(), pool_memo()
    for j in range(n_new):
        talent_row = founders[j]
        c = t.city[talent_row]
        parent = t.employer[talent_row]
        u0, u1, u2 = rng.random(), rng.random(), rng.random()
        if parent >= 0:
            sector = e.sector[parent]            # spin-off stays in its parent's sector
        else:
            sector = rules.choose_index(terms.sector_firm_mix, u0)
        made = new[:j]
        in_city = living.city_rows[living.city_ptr[c]:living.city_ptr[c + 1]]
        n_tail = new_in_group(made, new_city[:j], c, tail)
        m = len(in_city) + n_tail
        if m:
            mean_k = pool_sum(e.knowledge, in_city, tail[:n_tail], knowledge_memo, c) / m
        else:                               # no firm in the city: every firm's mean
            m = len(living.rows) + j
            mean_k = (pool_sum(e.knowledge, living.rows, made, knowledge_memo, -1) / m
                      if m else math.nan)
        knowledge = rules.entrant_knowledge(mean_k, terms.knowledge_dispersion, u1)
        incubated = cs.incubator_seats[c] - cs.incubator_occupied[c] >= 1.0 or (
            cs.incubator_seats[c] - cs.incubator_occupied[c] > u2)
        in_sector = living.sector_rows[living.sector_ptr[sector]:living.sector_ptr[sector + 1]]
        n_tail = new_in_group(made, new_sector[:j], sector, tail)
        if len(in_sector) + n_tail:
            share_sum = pool_sum(e.market_share, in_sector, tail[:n_tail], share_memo, sector)
            rev_sector = pool_sum(e.revenue_month_100m_yuan, in_sector, tail[:n_tail],
                                  revenue_memo, sector)
        else:
            share_sum = rev_sector = 1.0
        row = first_row + j
        e.alive[row] = True
        e.city[row] = c
        e.sector[row] = sector
        e.birth_month[row] = terms.month
        e.exit_month[row] = -1
        e.knowledge[row] = knowledge
        e.core_share_base[row] = terms.core_share_multiplier * terms.sector_core_share[sector]
        e.market_share[row] = rules.entrant_share(terms.startup_revenue_per_month, share_sum,
                                                  rev_sector, terms.sector_demand[sector])
        e.cash_100m_yuan[row] = terms.seed_cash
        e.inflow_month_100m_yuan[row] = terms.seed_cash
        e.incubated_until[row] = terms.month + terms.incubation_months if incubated else -1
        new[j], new_city[j], new_sector[j] = row, c, sector
        if incubated:
            cs.incubator_occupied[c] += 1
        k = t.tier[talent_row]
        if parent >= 0:
            heads[parent, k] -= 1
        else:
            by_city[c, k, employer_kind(parent)] -= 1
            by_city[c, k, EMPLOYED] += 1
        heads[row, k] += 1
        t.employer[talent_row] = row
        t.months_seeking[talent_row] = 0
        ledger_month[HOUSEHOLDS, FIRMS] += terms.seed_cash     # the founders' own money
        ledger_year[HOUSEHOLDS, FIRMS] += terms.seed_cash
        new_startups[c] += 1


def found_in_kernel(model, founders: np.ndarray, census: Census) -> Census:
    """`found_enterprise` for every founder, in order, in `found_kernel`; returns `census`
    with the new firms' rows and their founders."""
    P, e, t = model.params, model.state.enterprises, model.state.talent
    alive = e.alive_rows()
    city_ptr, city_rows = csr_by_city(alive, e.city[alive], model.n_cities)
    sector_ptr, sector_rows = csr_by_city(alive, e.sector[alive], N_SECTORS)
    first_row = e.n
    e.add(len(founders))                      # the new rows; the kernel fills them
    census = Census(np.concatenate([census.heads,
                                    np.zeros((len(founders), N_TIERS), dtype=np.int64)]),
                    census.by_city)
    terms = FoundingTerms(
        model.month, float(model.initial.knowledge_dispersion),
        P.startup_revenue_100m_yuan_per_year * income_trend(model) / 12.0,
        float(P.startup_seed_cash_100m_yuan * income_trend(model)),
        float(P.core_share_multiplier), int(P.incubation_months),
        np.asarray(SECTOR_FIRM_MIX, dtype=float), np.asarray(SECTOR_CORE_SHARE, dtype=float),
        np.asarray(model.economy.sector_demand_100m_yuan, dtype=float))
    found_kernel(founders, first_row, columns(t, FounderColumns), columns(e, NewFirmColumns),
                 LivingFirms(alive, city_ptr, city_rows, sector_ptr, sector_rows), terms,
                 columns(model.state.cities, Incubators), model.ledger.month, model.ledger.year,
                 model.tally.year_counts["new_startups"], model.rng, census)
    model.tally.firm_flows["entries"] += len(founders)
    return census


def entry_exit(model) -> None:
    """Firms out of cash exit; leading entrepreneurs, engineers and incubators found firms."""
    P, e, t, cs = model.params, model.state.enterprises, model.state.talent, model.state.cities
    model.ctx = ExitContext(int(P.exit_grace_months))
    exits = np.empty(e.n, dtype=np.int64)
    n_exit = act(model, "enterprises", "check_exit", lambda: check_exit_kernel(
        e.n, columns(e, ExitColumns), model.ctx, exits))
    closed = np.zeros(e.n, dtype=np.bool_)
    if n_exit is not None:                 # the numba engine frees their staff below
        exit_enterprises(model, exits[:n_exit], release=False)
        closed[exits[:n_exit]] = True
    engineers = model.cache.talent_counts[:, ENGINEER]
    free_seats = np.maximum(cs.incubator_seats - cs.incubator_occupied, 0.0)
    incubator = (free_seats * P.incubator_startup_rate_per_seat_per_year / 12.0
                 / np.maximum(engineers, 1))
    n = e.n
    heads = row_sums(model.cache.staff)
    spin = np.where(heads > 0, P.spinoff_rate_per_100m_yuan_per_year / 12.0
                    * e.revenue_year_100m_yuan[:n] / np.maximum(heads, 1), 0.0)
    model.ctx = FoundingContext(
        prob_entrepreneur=P.startup_rate_per_entrepreneur_per_year / 12.0,
        prob_engineer=P.startup_rate_per_engineer_per_year / 12.0 + incubator,
        spinoff_prob=spin, closed=closed)
    model.draw("entry_exit")
    founders = np.empty(t.n, dtype=np.int64)
    census = model.cache.take("entry_exit", model.census)   # exits and founders move below
    rows = model.cache.take("living for entry_exit", t.alive_rows)
    n_found = act(model, "talent", "consider_founding", lambda: consider_founding_kernel(
        rows, columns(t, FoundingColumns), model.ctx, model.draw_key, founders, census))
    if n_found:            # the numba engine's founders found their firms, in row order
        census = found_in_kernel(model, founders[:n_found], census)
    census = convert_incumbents(model, census)       # 二.(五).2, both engines
    if n_found is not None:         # for next month's key R&D projects and talent's month
        model.cache.handed_on["apply_policy"] = census.heads.copy()
        model.cache.handed_on["talent_month"] = census
        model.cache.handed_on["living for talent_month"] = rows
