"""Phase 8, entry and exit (二.(五).1): firms out of cash close; talent founds firms.

A firm with negative cash for more than `exit_grace_months` exits (`Enterprise.check_exit`):
its staff look for work and its incubator place is freed. Unattached leading entrepreneurs
and engineers (helped by free incubator places) found start-ups, and engineers of firms
with high revenue per head spin off (`Talent.consider_founding`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules
from ..initial import SECTOR_CORE_SHARE, SECTOR_FIRM_MIX
from ..ledger import FIRMS, HOUSEHOLDS
from ..state import ENGINEER, ENTREPRENEUR, SEEKING
from .dispatch import act, columns, kernel


class ExitContext(NamedTuple):
    grace: int                   # months of negative cash a firm survives


class FoundingContext(NamedTuple):
    prob_entrepreneur: float     # per unattached leading entrepreneur and month
    prob_engineer: np.ndarray    # cities: per engineer and month (incl. incubators)
    spinoff_prob: np.ndarray     # firm rows: extra probability for its engineers


class ExitColumns(NamedTuple):
    alive: np.ndarray
    cash_100m_yuan: np.ndarray
    months_negative_cash: np.ndarray


class FoundingColumns(NamedTuple):
    alive: np.ndarray
    tier: np.ndarray
    city: np.ndarray
    employer: np.ndarray


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


def exit_enterprises(model, rows: np.ndarray) -> None:
    """Firms `rows` close, in row order: staff look for work, investors write off (in the
    next finance phase), incubator places are freed. One pass over the talent for all their
    staff: a pass per firm made exits quadratic at scale 10."""
    if len(rows) == 0:
        return
    e, t, cs = model.state.enterprises, model.state.talent, model.state.cities
    e.alive[rows] = False
    e.exit_month[rows] = model.month
    closing = np.zeros(e.n, dtype=np.bool_)
    closing[rows] = True
    release_staff(t.n, t.employer, t.months_seeking, closing)
    for row in rows:
        c = e.city[row]
        if e.incubated_until[row] >= model.month:       # record frees it only if alive
            cs.incubator_occupied[c] = max(0.0, cs.incubator_occupied[c] - 1)
        model.tally.year_counts["exits"][c] += 1
    model.tally.firm_flows["exits"] += len(rows)
    model.mark_dead("enterprises", [int(r) for r in rows])


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
    if m.draws[i][0] < prob:
        found_enterprise(m, i)


@kernel
def consider_founding_kernel(rows, t, ctx, draws, founders):
    """`consider_founding` for every living row; returns how many found a firm."""
    n_found = 0
    for i in rows:
        k = t.tier[i]
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
        if draws[i, 0] < prob:
            founders[n_found] = i
            n_found += 1
    return n_found


class LivingFirms:
    """Living firm rows, all and by city or sector (in row order, each group found when first
    asked), kept current as firms are founded: one such index for a month's founders instead
    of a search of all firms per founder (nobody exits while talent founds firms). Groups
    grow in place, as `Population` does."""

    def __init__(self, enterprises):
        self.e = enterprises
        self.groups = {(None, None): self._buffer(enterprises.alive_rows())}

    @staticmethod
    def _buffer(rows: np.ndarray) -> list:
        buffer = np.empty(2 * len(rows) + 16, dtype=np.int64)
        buffer[: len(rows)] = rows
        return [buffer, len(rows)]

    def group(self, column: str | None = None, value: int | None = None) -> np.ndarray:
        """Living firms whose `column` equals `value` (all living firms by default)."""
        key = (column, value)
        if key not in self.groups:
            rows = self.group()
            self.groups[key] = self._buffer(rows[getattr(self.e, column)[rows] == value])
        buffer, n = self.groups[key]
        return buffer[:n]

    def add(self, row: int) -> None:
        for (column, value), group in self.groups.items():
            if column is None or getattr(self.e, column)[row] == value:
                buffer, n = group
                if n == len(buffer):
                    group[0] = buffer = np.concatenate([buffer, np.empty_like(buffer)])
                buffer[n] = row
                group[1] = n + 1


def found_enterprise(model, talent_row: int, firms: LivingFirms | None = None) -> int:
    """Talent `talent_row` founds a firm in its city; returns the new enterprise row.
    `firms`, if given, is the index of living firms, brought up to date here."""
    P, e, t, cs, rng = (model.params, model.state.enterprises, model.state.talent,
                        model.state.cities, model.rng)
    firms = LivingFirms(e) if firms is None else firms
    c = int(t.city[talent_row])
    parent = int(t.employer[talent_row])
    u = rng.random(3)
    if parent >= 0:
        sector = int(e.sector[parent])          # spin-off stays in its parent's sector
    else:
        sector = rules.choose_index(SECTOR_FIRM_MIX, u[0])
    in_city = firms.group("city", c)
    # sum / count is numpy's mean bit for bit, without its overhead (a tenth of a founding)
    pool = in_city if len(in_city) else firms.group()
    mean_k = float(e.knowledge[pool].sum()) / len(pool) if len(pool) else math.nan
    knowledge = mean_k * math.exp(model.initial.knowledge_dispersion * math.sqrt(2.0)
                                  * rules.erfinv(2 * u[1] - 1))
    incubated = cs.incubator_seats[c] - cs.incubator_occupied[c] >= 1.0 or (
        cs.incubator_seats[c] - cs.incubator_occupied[c] > u[2])
    sector_alive = firms.group("sector", sector)
    share_sum = float(e.market_share[sector_alive].sum()) if len(sector_alive) else 1.0
    rev_sector = (float(e.revenue_month_100m_yuan[sector_alive].sum()) if len(sector_alive)
                  else 1.0)
    share = P.startup_revenue_100m_yuan_per_year / 12.0 * share_sum / max(rev_sector, 1e-9)
    seed = P.startup_seed_cash_100m_yuan
    row = int(e.add(1, alive=True, city=c, sector=sector, birth_month=model.month, exit_month=-1,
                    knowledge=knowledge,
                    core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
                    market_share=share, cash_100m_yuan=seed, inflow_month_100m_yuan=seed,
                    incubated_until=model.month + int(P.incubation_months) if incubated else -1)[0])
    firms.add(row)
    if incubated:
        cs.incubator_occupied[c] += 1
    t.employer[talent_row] = row
    t.months_seeking[talent_row] = 0
    model.ledger.book(HOUSEHOLDS, FIRMS, seed)              # the founders' own money
    model.tally.year_counts["new_startups"][c] += 1
    model.tally.firm_flows["entries"] += 1
    return row


def entry_exit(model) -> None:
    """Firms out of cash exit; leading entrepreneurs, engineers and incubators found firms."""
    P, e, t, cs = model.params, model.state.enterprises, model.state.talent, model.state.cities
    model.ctx = ExitContext(int(P.exit_grace_months))
    exits = np.empty(e.n, dtype=np.int64)
    n_exit = act(model, "enterprises", "check_exit", lambda: check_exit_kernel(
        e.n, columns(e, ExitColumns), model.ctx, exits))
    if n_exit is not None:
        exit_enterprises(model, exits[:n_exit])
    engineers = model.cache.talent_counts[:, ENGINEER]
    free_seats = np.maximum(cs.incubator_seats - cs.incubator_occupied, 0.0)
    incubator = (free_seats * P.incubator_startup_rate_per_seat_per_year / 12.0
                 / np.maximum(engineers, 1))
    n = e.n
    heads = model.cache.staff.sum(axis=1)
    spin = np.where(heads > 0, P.spinoff_rate_per_100m_yuan_per_year / 12.0
                    * e.revenue_year_100m_yuan[:n] / np.maximum(heads, 1), 0.0)
    model.ctx = FoundingContext(
        prob_entrepreneur=P.startup_rate_per_entrepreneur_per_year / 12.0,
        prob_engineer=P.startup_rate_per_engineer_per_year / 12.0 + incubator,
        spinoff_prob=spin)
    model.draw(t.n, 1)
    founders = np.empty(t.n, dtype=np.int64)
    n_found = act(model, "talent", "consider_founding", lambda: consider_founding_kernel(
        t.alive_rows(), columns(t, FoundingColumns), model.ctx, model.draws, founders))
    firms = LivingFirms(e) if n_found else None
    for row in founders[: n_found or 0]:
        found_enterprise(model, int(row), firms)
