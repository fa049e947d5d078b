"""Phase 6, market: adoption, demand, market shares, revenue and costs.

GDP grows and AI adoption diffuses by city and application sector (`phases/adoption.py`);
sector demand comes from local adopters (their purchases by product sector) and a national
market in which Zhejiang's share competes with rival provinces (`rivals.py`); firms' shares
follow replicator dynamics with size-dependent demand shocks whose variance a firm draws
once a year (`Enterprise.compete`); revenue, capped by the AI talent a firm could hire, pays wages,
other costs, R&D and tax (`Enterprise.sell`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules, streams
from ..application_sectors import purchases_by_product
from ..ledger import FIRMS, HOUSEHOLDS, OUTSIDE, TREASURY
from ..state import HARDWARE_SECTORS, N_SECTORS
from . import rivals
from .adoption import adopt_and_grow
from .dispatch import act, columns, kernel, numpy_kernel


class CompeteContext(NamedTuple):
    normal_key: np.uint64        # key of the firms' standard normal demand shocks
    year_key: np.uint64          # this year's key of each firm's variance draw
    mean_knowledge: np.ndarray   # sectors: share-weighted mean knowledge
    sd_at_unit: float            # monthly shock sd of a firm with 1e8 yuan revenue
    beta: float                  # size elasticity of the shock sd
    speed_per_month: float       # replicator speed


class SellContext(NamedTuple):
    month: int
    sector_demand: np.ndarray    # sectors: Zhejiang firms' sales this month, 1e8 yuan
    share_sum: np.ndarray        # sectors: sum of living firms' shares
    labour_fill: np.ndarray      # firm rows: staff over AI talent need (<= 1)
    wage_bill: np.ndarray        # firm rows: wages this month, 1e8 yuan
    tax_rate: float              # corporate tax after the AI relief (四.(二))
    shortage_elasticity: float
    fixed_cost: float            # per month, 1e8 yuan
    incubator_discount: float
    opex_share: float
    payout_ratio: float          # share of after-tax profit paid as dividends
    buffer_months: float         # months of costs a firm keeps before it pays dividends
    booked: np.ndarray           # out: revenue, costs, positive profit, tax, dividends


class CompeteColumns(NamedTuple):
    alive: np.ndarray
    sector: np.ndarray
    knowledge: np.ndarray
    market_share: np.ndarray
    revenue_year_100m_yuan: np.ndarray


class SellColumns(NamedTuple):
    alive: np.ndarray
    sector: np.ndarray
    market_share: np.ndarray
    revenue_month_100m_yuan: np.ndarray
    revenue_ytd_100m_yuan: np.ndarray
    revenue_year_100m_yuan: np.ndarray
    cash_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    outflow_month_100m_yuan: np.ndarray
    rd_month_100m_yuan: np.ndarray
    incubated_until: np.ndarray
    profit_ytd_100m_yuan: np.ndarray


# the draw (under the year's "market_year" key, streams.STREAMS) that sets a firm's shock
# variance for the year
VARIANCE_DRAW = 0


def compete(self) -> None:
    """Enterprise: replicator update of the sector share, with a size-dependent demand shock
    whose variance is drawn once a year (`rules.opportunity_variance`)."""
    ctx, i = self.model.ctx, self.row
    if not self.alive:
        return
    sd = rules.demand_shock_sd(self.revenue_year_100m_yuan, ctx.sd_at_unit, ctx.beta) * (
        math.sqrt(rules.opportunity_variance(streams.uniform(ctx.year_key, i, VARIANCE_DRAW))))
    factor = rules.replicator_factor(self.knowledge, ctx.mean_knowledge[self.sector],
                                     ctx.speed_per_month)
    self.market_share = self.market_share * factor * math.exp(
        sd * streams.normal(ctx.normal_key, i, 0) - 0.5 * sd * sd)


@kernel
def compete_kernel(n, e, ctx):
    """`compete` for every living row."""
    for i in range(n):
        if not e.alive[i]:
            continue
        sd = rules.demand_shock_sd(e.revenue_year_100m_yuan[i], ctx.sd_at_unit, ctx.beta) * (
            math.sqrt(rules.opportunity_variance(
                streams.uniform(ctx.year_key, i, VARIANCE_DRAW))))
        factor = rules.replicator_factor(e.knowledge[i], ctx.mean_knowledge[e.sector[i]],
                                         ctx.speed_per_month)
        e.market_share[i] = e.market_share[i] * factor * math.exp(
            sd * streams.normal(ctx.normal_key, i, 0) - 0.5 * sd * sd)


REVENUE, COSTS, POSITIVE_PROFIT, TAX, DIVIDENDS = range(5)


@kernel
def book_sale(booked, revenue, costs, profit, tax, dividend):
    """Add one firm's month to the sales totals the ledger books."""
    booked[REVENUE] += revenue
    booked[COSTS] += costs
    booked[POSITIVE_PROFIT] += max(profit, 0.0)
    booked[TAX] += tax
    booked[DIVIDENDS] += dividend


def sell(self) -> None:
    """Enterprise: revenue from the normalised share, capped by the AI talent it could hire;
    pay costs and tax."""
    ctx, i = self.model.ctx, self.row
    if not self.alive:
        return
    s = self.sector
    demand = ctx.sector_demand[s] * self.market_share / ctx.share_sum[s]
    revenue = demand * ctx.labour_fill[i] ** ctx.shortage_elasticity
    self.revenue_month_100m_yuan = revenue
    self.revenue_ytd_100m_yuan = self.revenue_ytd_100m_yuan + revenue
    self.revenue_year_100m_yuan = self.revenue_year_100m_yuan * (11.0 / 12.0) + revenue
    fixed = ctx.fixed_cost
    if self.incubated_until > ctx.month:
        fixed *= 1.0 - ctx.incubator_discount
    costs = ctx.opex_share * revenue + ctx.wage_bill[i] + fixed
    profit = revenue - costs - self.rd_month_100m_yuan
    self.profit_ytd_100m_yuan = self.profit_ytd_100m_yuan + profit
    tax = ctx.tax_rate * max(profit, 0.0)
    self.cash_100m_yuan = self.cash_100m_yuan + revenue
    self.inflow_month_100m_yuan = self.inflow_month_100m_yuan + revenue
    self.cash_100m_yuan = self.cash_100m_yuan - (costs + tax)
    self.outflow_month_100m_yuan = self.outflow_month_100m_yuan + (costs + tax)
    dividend = rules.dividend(profit - tax, self.cash_100m_yuan,
                              costs + self.rd_month_100m_yuan, ctx.payout_ratio,
                              ctx.buffer_months)
    self.cash_100m_yuan = self.cash_100m_yuan - dividend
    self.outflow_month_100m_yuan = self.outflow_month_100m_yuan + dividend
    book_sale(ctx.booked, revenue, costs, profit, tax, dividend)


@kernel
def sell_kernel(n, e, ctx):
    """`sell` for every living row."""
    for i in range(n):
        if not e.alive[i]:
            continue
        s = e.sector[i]
        demand = ctx.sector_demand[s] * e.market_share[i] / ctx.share_sum[s]
        revenue = demand * ctx.labour_fill[i] ** ctx.shortage_elasticity
        e.revenue_month_100m_yuan[i] = revenue
        e.revenue_ytd_100m_yuan[i] += revenue
        e.revenue_year_100m_yuan[i] = e.revenue_year_100m_yuan[i] * (11.0 / 12.0) + revenue
        fixed = ctx.fixed_cost
        if e.incubated_until[i] > ctx.month:
            fixed *= 1.0 - ctx.incubator_discount
        costs = ctx.opex_share * revenue + ctx.wage_bill[i] + fixed
        profit = revenue - costs - e.rd_month_100m_yuan[i]
        e.profit_ytd_100m_yuan[i] += profit
        tax = ctx.tax_rate * max(profit, 0.0)
        e.cash_100m_yuan[i] += revenue
        e.inflow_month_100m_yuan[i] += revenue
        e.cash_100m_yuan[i] -= costs + tax
        e.outflow_month_100m_yuan[i] += costs + tax
        dividend = rules.dividend(profit - tax, e.cash_100m_yuan[i],
                                  costs + e.rd_month_100m_yuan[i], ctx.payout_ratio,
                                  ctx.buffer_months)
        e.cash_100m_yuan[i] -= dividend
        e.outflow_month_100m_yuan[i] += dividend
        book_sale(ctx.booked, revenue, costs, profit, tax, dividend)


@numpy_kernel
def staffing(need, heads, wage_year, city):
    """Per firm row: the share of its AI talent need it has staffed (1 where it needs none),
    and its monthly wage bill at its city's wages."""
    if heads.shape != need.shape:       # numpy's broadcast error, not a read past the end
        raise ValueError("staffing: need and heads differ in shape")
    n, n_tiers = heads.shape
    fill = np.ones(n)
    bill = np.empty(n)
    for i in range(n):
        total_need = 0.0
        have = 0
        pay = 0.0
        for k in range(n_tiers):
            total_need += need[i, k]
            have += heads[i, k]
            pay += heads[i, k] * wage_year[city[i], k]
        if total_need > 0:
            fill[i] = np.minimum(1.0, have / np.maximum(total_need, 1e-12))
        bill[i] = pay / 12.0
    return fill, bill


def sector_demand(model) -> tuple[np.ndarray, float, float]:
    """This month's sales of Zhejiang's AI firms per sector (scaled units): local adopters
    plus Zhejiang's share of the external market, hardware capped by chip supply; the
    local share of those sales; and the month's national AI market (1:1 units, 1e8 yuan:
    Zhejiang's adopters' purchases plus the outside market Zhejiang reaches)."""
    P, cs, economy = model.params, model.state.cities, model.economy
    demand_factor = np.array([model.event_factor("demand_shock", c)
                              for c in range(model.n_cities)])
    local = economy.purchase_share_of_gdp * purchases_by_product(cs, demand_factor) / 12.0
    # the national market: Zhejiang's firms compete with rivals for the outside market and
    # for Zhejiang's own adopters, whose purchases at the 2017 home share are `local`
    # (phases/rivals.py)
    access = rivals.market_access(model)
    shock = model.event_factor("demand_shock")
    outside, home_factor = rivals.compete(model)
    external = outside * access * shock
    national = (local.sum() / P.home_share_2017
                + economy.external_market_100m_yuan * access * shock / 12.0)
    local = local * home_factor
    demand = (local + external * economy.sector_mix) * model.scale
    chips = rules.hardware_supply_cap(min(P.chip_supply_capacity, 1.0)
                                      * model.event_factor("chip_restriction"),
                                      model.lever("chips_and_software"),
                                      P.domestic_chip_substitution_share)
    demand[list(HARDWARE_SECTORS)] *= chips
    return demand, local.sum() / max(local.sum() + external, 1e-300), national


def book_sales(model, ctx: SellContext, local_share: float) -> None:
    """The month's sales in the ledger: local and outside customers pay the firms; firms
    pay staff and suppliers, the treasury (tax) and their owners (dividends); the tax
    relief's revenue forgone is recorded as tax expenditure."""
    b, ledger, P = ctx.booked, model.ledger, model.params
    ledger.book(HOUSEHOLDS, FIRMS, b[REVENUE] * local_share)
    ledger.book(OUTSIDE, FIRMS, b[REVENUE] * (1.0 - local_share))
    ledger.book(FIRMS, HOUSEHOLDS, b[COSTS] + b[DIVIDENDS])
    ledger.book(FIRMS, TREASURY, b[TAX])
    model.province.forgo_tax((max(P.corporate_tax_rate, 0.0) - ctx.tax_rate) * b[POSITIVE_PROFIT])


def market(model) -> None:
    """Bass adoption, sector demand (local + external), replicator shares, revenue, costs."""
    P, e, cs = model.params, model.state.enterprises, model.state.cities
    n = e.n
    adopt_and_grow(model)            # GDP trend, Bass adoption by sector, AI's GDP gain
    demand, local_share, national_market = sector_demand(model)
    model.economy.sector_demand_100m_yuan = demand        # this month's, for entrants
    alive = e.alive_rows()
    share = e.market_share[alive]
    sector = e.sector[alive]
    share_k = np.bincount(sector, weights=share * e.knowledge[alive], minlength=N_SECTORS)
    share_sum = np.bincount(sector, weights=share, minlength=N_SECTORS)
    model.ctx = CompeteContext(
        normal_key=model.draw("market"),
        year_key=streams.phase_key_py(model.stream_key, model.month - model.month % 12,
                                      streams.STREAMS["market_year"]),
        mean_knowledge=share_k / np.maximum(share_sum, 1e-300),
        sd_at_unit=float(P.demand_shock_sd_per_month),
        beta=float(P.growth_spread_size_elasticity),
        speed_per_month=P.replicator_speed_per_year / 12.0)
    act(model, "enterprises", "compete",
        lambda: compete_kernel(n, columns(e, CompeteColumns), model.ctx))
    # what labour_market set this month
    labour_fill, wage_bill = staffing(model.cache.labour_need[:n], model.cache.staff,
                                      cs.wage_100m_yuan_per_year, e.city)
    model.ctx = SellContext(
        month=model.month, sector_demand=demand,
        share_sum=np.maximum(np.bincount(sector, weights=e.market_share[alive],
                                         minlength=N_SECTORS), 1e-300),
        labour_fill=labour_fill,
        wage_bill=wage_bill,
        tax_rate=max(0.0, P.corporate_tax_rate - model.lever("tax_incentive_pct_points") / 100.0),
        shortage_elasticity=float(P.labour_shortage_revenue_elasticity),
        fixed_cost=float(P.startup_fixed_cost_100m_yuan_per_month),
        incubator_discount=float(P.incubator_cost_discount),
        opex_share=float(P.opex_share_of_revenue),
        payout_ratio=float(P.dividend_payout_ratio),
        buffer_months=float(P.dividend_cash_buffer_months),
        booked=np.zeros(5))
    act(model, "enterprises", "sell", lambda: sell_kernel(n, columns(e, SellColumns), model.ctx))
    book_sales(model, model.ctx, local_share)
    model.economy.revenue_history.append(
        float(e.revenue_month_100m_yuan[alive].sum() / model.scale))
    # the national market and what Zhejiang's firms sold in it (after the chip cap and
    # labour shortages: buyers they cannot serve buy from rivals)
    rivals.record_national(model, national_market, model.economy.revenue_history[-1])
