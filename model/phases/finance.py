"""Phase 4, finance (三.(一)): venture exits, guidance sub-funds, deals, research grants.

Investors exit firms that reached the exit revenue and write off failed ones; guidance
funds close sub-funds with social capital at a realised leverage that follows investor
sentiment; angel/VC and industrial funds screen firms on a noisy signal of their
knowledge and invest (`Fund.invest`); the science fund pays research grants. The numba
engine runs every fund's month in one call of `invest_kernel`, in row order, drawing from
the model's Generator inside the kernel (the same numbers in the same order as the method);
the deals, sub-funds and closures it reports are recorded after it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import rules, streams
from ..ledger import CITIES, FIRMS, FUNDS, HOUSEHOLDS, OUTSIDE, TREASURY, book_flow
from ..state import ANGEL_VC, GUIDANCE, SCIENCE
from .dispatch import act, columns, grown, kernel, numpy_kernel


class FinanceContext(NamedTuple):
    deal_rows: np.ndarray       # living firm rows, candidates for a deal
    deal_city: np.ndarray       # their cities
    seed_weight: np.ndarray     # screening score of seed-stage candidates (0: not seed)
    growth_weight: np.ndarray   # screening score of growth-stage candidates (0: not growth)
    sentiment: float            # investor sentiment multiplier on guidance-fund leverage
    deal_weights: np.ndarray    # stage (0 seed, 1 growth) x fund city x candidates
    deal_cumulative: np.ndarray  # their running sums (the numba engine's draws)


def sentiment(model) -> float:
    """Investor sentiment from the province's AI revenue growth over the last year."""
    h = model.economy.revenue_history
    if len(h) < 24:
        return 1.0
    P = model.params
    growth = sum(h[-12:]) / max(sum(h[-24:-12]), 1e-12) - 1.0
    raw = 1.0 + P.leverage_sentiment_elasticity * (growth - P.sentiment_reference_growth_per_year)
    return float(np.clip(raw, P.sentiment_min, P.sentiment_max))


@kernel
def deal_weights(seed_weight, growth_weight, deal_city, local_preference, weights, cumulative):
    """Weights of the candidates for a fund by stage (0 seed, 1 growth) and fund city
    (`weights`, 2 x cities x candidates, filled here): the screening score, times
    `local_preference` for the fund's own city's firms; and their running sums
    (`cumulative`, the numba engine's draws). Every fund of a stage and city sees the same
    weights in a month, so they are computed once."""
    n, n_cities = len(deal_city), weights.shape[1]
    for stage in range(2):
        score = seed_weight if stage == 0 else growth_weight
        for c in range(n_cities):
            row, running = weights[stage, c], cumulative[stage, c]
            total = 0.0          # as np.cumsum: the weights are never -0.0
            for j in range(n):
                w = score[j] * (local_preference if deal_city[j] == c else 1.0)
                row[j] = w
                total += w
                running[j] = total


def venture_exits(model) -> None:
    """Investors exit firms that reached the exit revenue, selling their stake to a buyer
    outside the model (an acquirer or the stock market: the outside account); deals in
    failed firms are written off."""
    P, d, e = model.params, model.state.deals, model.state.enterprises
    rows = d.alive_rows()
    firm = d.firm[rows]
    failed = ~e.alive[firm]
    d.alive[rows[failed]] = False
    ready = ~failed & (e.revenue_year_100m_yuan[firm] >= P.exit_revenue_100m_yuan_per_year)
    f = model.state.funds
    exit_deals(rows[ready], d.firm, d.fund, d.entry_revenue_100m_yuan, d.amount_100m_yuan,
               d.alive, e.revenue_year_100m_yuan, float(P.exit_multiple_cap),
               float(P.exit_value_elasticity), columns(f, ExitFundColumns), model.ledger.month,
               model.ledger.year)


class ExitFundColumns(NamedTuple):
    dry_powder_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    outflow_month_100m_yuan: np.ndarray
    proceeds_100m_yuan: np.ndarray


@numpy_kernel
def exit_deals(ready, firm, fund, entry_revenue, amount, alive, revenue, cap, elasticity, f,
               ledger_month, ledger_year):
    """The deals `ready` to exit, in order: the buyer outside pays the stake times its
    multiple (revenue growth since the deal to the power `elasticity`, at most `cap`) into
    the fund (`Province.fund_receive` from OUTSIDE), and the deal ends."""
    for r in ready:
        growth = revenue[firm[r]] / entry_revenue[r]
        if growth > 0.1:                    # Python's max(0.1, growth), NaN too
            value = growth ** elasticity    # numpy's power: inf when it overflows
        else:                               # Python's float power: raises instead
            value = 0.1 ** elasticity
            if math.isinf(value):
                raise OverflowError("venture exits: 0.1 ** exit_value_elasticity overflows")
        multiple = value if value < cap else cap  # noqa: FURB136 (Python's min(cap, value))
        proceeds, i = amount[r] * multiple, fund[r]
        move_cash(f, i, proceeds)
        book_flow(ledger_month, ledger_year, OUTSIDE, FUNDS, proceeds)
        f.proceeds_100m_yuan[i] += proceeds
        alive[r] = False


def invest(self) -> None:
    """Fund: the science fund finances research in proportion to each city's researchers;
    guidance funds try to close a sub-fund with social capital; angel/VC and industrial
    funds make deals, or distribute and close at the end of life (三.(一))."""
    m, i = self.model, self.row
    P, f, rng, ctx, province = m.params, m.state.funds, m.rng, m.ctx, m.province
    kind = f.kind[i]
    if kind == SCIENCE:
        amount = f.dry_powder_100m_yuan[i]
        if amount > 0:
            research = m.cache.researchers + 1.0
            share = research / research.sum()
            province.fund_pay(i, amount, CITIES)
            m.ledger.book(CITIES, HOUSEHOLDS, amount)       # research staff and equipment
            for c in range(m.n_cities):
                m.state.cities.research_grants_100m_yuan[c] += amount * share[c]
                m.state.cities.public_knowledge[c] += (
                    P.public_knowledge_per_100m_yuan * amount * share[c] / m.scale)
                m.tally.year_counts["public_rd"][c] += amount * share[c]
        return
    if kind == GUIDANCE:
        # each sub-fund-sized tranche of uncommitted capital closes into a sub-fund (a real,
        # lumpy fund) with `subfund_close_prob_per_month`: the capital committed per month is
        # proportional to the capital waiting, so a scaled run commits scale x the 1:1 amount
        tranches = f.dry_powder_100m_yuan[i] / P.subfund_size_100m_yuan
        closings = rules.stochastic_round(P.subfund_close_prob_per_month * tranches, rng.random())
        firms = np.bincount(ctx.deal_city, minlength=m.n_cities) + 0.1   # where sub-funds go
        for _ in range(closings):
            dry = f.dry_powder_100m_yuan[i]
            if dry < P.angel_ticket_100m_yuan:
                break
            tranche = min(P.subfund_size_100m_yuan, dry)
            leverage = (m.lever("guidance_fund_leverage") * ctx.sentiment
                        * (1.0 + P.leverage_dispersion * (2.0 * rng.random() - 1.0)))
            social = tranche * leverage
            city = rules.choose_index(firms, rng.random())
            new = int(f.add(
                1, alive=True, kind=ANGEL_VC, city=city, vintage_month=m.month,
                committed_100m_yuan=tranche + social, government_capital_100m_yuan=tranche,
                social_capital_100m_yuan=social, stage_preference=f.stage_preference[i])[0])
            province.fund_transfer(i, new, tranche)
            province.fund_receive(new, social, OUTSIDE)      # social capital from investors
            m.tally.cum["guidance_capital"][city] += tranche
            m.tally.cum["social_capital"][city] += social
        return
    age = m.month - f.vintage_month[i]
    if age > P.fund_life_months:               # end of fund life: distribute and close
        close_fund(m, i)
        return
    seed = f.stage_preference[i] == 0
    ticket = P.angel_ticket_100m_yuan if seed else P.vc_ticket_100m_yuan
    months_left = max(6.0, P.fund_deployment_months - age)
    expected = f.dry_powder_100m_yuan[i] / ticket / months_left
    weights = ctx.deal_weights[f.stage_preference[i], f.city[i]]
    for _ in range(rules.stochastic_round(expected, rng.random())):
        amount = min(ticket, f.dry_powder_100m_yuan[i])
        j = rules.choose_index(weights, rng.random())
        if j < 0 or amount <= 0:
            break
        firm = int(ctx.deal_rows[j])
        province.fund_pay(i, amount, FIRMS)
        f.invested_100m_yuan[i] += amount
        e = m.state.enterprises
        e.cash_100m_yuan[firm] += amount
        e.inflow_month_100m_yuan[firm] += amount
        e.equity_received_100m_yuan[firm] += amount
        e.deals[firm] += 1
        m.state.deals.add(1, alive=True, fund=i, firm=firm, amount_100m_yuan=amount,
                          entry_revenue_100m_yuan=max(e.revenue_year_100m_yuan[firm], 0.01))


def close_fund(model, i: int) -> None:
    """Fund `i` ends its life: its cash goes back to its investors (the government's share
    to the treasury, the rest outside), its remaining stakes are handed over in kind (its
    open deals end here, so no later exit pays a closed fund)."""
    f, d, province = model.state.funds, model.state.deals, model.province
    cash = f.dry_powder_100m_yuan[i]
    gov = f.government_capital_100m_yuan[i] / max(f.committed_100m_yuan[i], 1e-12)
    gov = min(max(gov, 0.0), 1.0)
    province.fund_pay(i, cash * gov, TREASURY)
    province.fund_pay(i, cash * (1.0 - gov), OUTSIDE)
    rows = d.alive_rows()
    d.alive[rows[d.fund[rows] == i]] = False
    f.alive[i] = False
    model.mark_dead("funds", [i])


class DealColumns(NamedTuple):
    """Fund columns `invest_kernel` reads or writes."""

    alive: np.ndarray
    kind: np.ndarray
    city: np.ndarray
    vintage_month: np.ndarray
    stage_preference: np.ndarray
    committed_100m_yuan: np.ndarray
    government_capital_100m_yuan: np.ndarray
    dry_powder_100m_yuan: np.ndarray
    invested_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    outflow_month_100m_yuan: np.ndarray


class DealFirmColumns(NamedTuple):
    cash_100m_yuan: np.ndarray
    inflow_month_100m_yuan: np.ndarray
    equity_received_100m_yuan: np.ndarray
    deals: np.ndarray
    revenue_year_100m_yuan: np.ndarray


class DealTerms(NamedTuple):
    month: int
    fund_life_months: float
    tickets: np.ndarray          # by stage: angel (seed), VC (growth), 1e8 yuan
    deployment_months: float
    deal_rows: np.ndarray        # FinanceContext's candidates and weights
    deal_weights: np.ndarray
    deal_cumulative: np.ndarray  # running sums of the weights (rules.choose_in_cumulative)
    ledger_month: np.ndarray     # the ledger's tables (Ledger.month, Ledger.year)
    ledger_year: np.ndarray


class OwnFundTerms(NamedTuple):
    """What the province's own funds read and write in `invest_kernel` (`invest`'s
    SCIENCE and GUIDANCE branches)."""

    science_share: np.ndarray      # each city's share of the researchers (each + 1)
    research_grants: np.ndarray    # cities' columns
    public_knowledge: np.ndarray
    public_rd: np.ndarray          # tally.year_counts["public_rd"]
    public_knowledge_per_100m_yuan: float
    scale: float
    subfund_size: float
    close_prob: float              # subfund_close_prob_per_month
    angel_ticket: float
    leverage: float                # the leverage lever times investor sentiment
    leverage_dispersion: float
    firms_by_city: np.ndarray      # deal candidates per city + 0.1 (where sub-funds go)
    guidance_capital: np.ndarray   # tally.cum
    social_capital: np.ndarray


class NewDeals(NamedTuple):
    """Output buffers of `invest_kernel`: its deals in order, the funds it closed, and the
    sub-funds the guidance funds closed (city, government tranche, social capital, stage)."""

    fund: np.ndarray
    firm: np.ndarray
    amount: np.ndarray
    entry_revenue: np.ndarray
    closed: np.ndarray
    subfund_city: np.ndarray
    subfund_tranche: np.ndarray
    subfund_social: np.ndarray
    subfund_stage: np.ndarray


def new_deals(room: int = 16) -> NewDeals:
    """Empty output buffers for `invest_kernel` (which grows them when they fill up)."""
    ints = np.empty(room, dtype=np.int64)
    floats = np.empty(room)
    return NewDeals(ints, ints.copy(), floats, floats.copy(), ints.copy(), ints.copy(),
                    floats.copy(), floats.copy(), ints.copy())


@kernel
def with_room(out, n_deals, n_closed, n_new):
    """`out` with room for one more deal, closed fund and sub-fund: the same buffers, or
    ones twice as long holding what was written."""
    if n_deals < len(out.fund) and n_closed < len(out.closed) and n_new < len(out.subfund_city):
        return out
    d, c, s = 2 * len(out.fund), 2 * len(out.closed), 2 * len(out.subfund_city)
    return NewDeals(grown(out.fund, d), grown(out.firm, d), grown(out.amount, d),
                    grown(out.entry_revenue, d), grown(out.closed, c),
                    grown(out.subfund_city, s), grown(out.subfund_tranche, s),
                    grown(out.subfund_social, s), grown(out.subfund_stage, s))


@kernel
def book(terms, payer, payee, amount):
    """`Ledger.book` on the tables in `terms`."""
    book_flow(terms.ledger_month, terms.ledger_year, payer, payee, amount)


@kernel
def move_cash(f, i, amount):
    """Kernel form of `Province.move_fund_cash`: fund `i`'s dry powder and flow records
    move by `amount` (in if positive)."""
    f.dry_powder_100m_yuan[i] += amount
    if amount >= 0:
        f.inflow_month_100m_yuan[i] += amount
    else:
        f.outflow_month_100m_yuan[i] -= amount


@kernel
def pay_from_fund(f, i, amount, payee, terms):
    """Kernel form of `Province.fund_pay` (move_fund_cash by -amount, then the booking)."""
    move_cash(f, i, -amount)
    book(terms, FUNDS, payee, amount)


@kernel
def science_grants(f, i, terms, own):
    """`invest` of the science fund: research grants to the cities by their researchers."""
    amount = f.dry_powder_100m_yuan[i]
    if amount > 0:
        pay_from_fund(f, i, amount, CITIES, terms)
        book(terms, CITIES, HOUSEHOLDS, amount)       # research staff and equipment
        for c in range(len(own.science_share)):
            own.research_grants[c] += amount * own.science_share[c]
            own.public_knowledge[c] += (own.public_knowledge_per_100m_yuan * amount
                                        * own.science_share[c] / own.scale)
            own.public_rd[c] += amount * own.science_share[c]


@numpy_kernel
def close_subfunds(f, i, terms, own, rng, out, n_deals, n_closed, n_new):
    """`invest` of a guidance fund: tranches close into sub-funds (reported in `out` from
    index `n_new`, added by `invest_all`). Returns `out` and the new count of sub-funds."""
    tranches = f.dry_powder_100m_yuan[i] / own.subfund_size
    closings = rules.stochastic_round(own.close_prob * tranches, rng.random())
    for _ in range(closings):
        dry = f.dry_powder_100m_yuan[i]
        if dry < own.angel_ticket:
            break
        tranche = min(own.subfund_size, dry)
        leverage = own.leverage * (1.0 + own.leverage_dispersion * (2.0 * rng.random() - 1.0))
        social = tranche * leverage
        city = rules.choose_index(own.firms_by_city, rng.random())
        out = with_room(out, n_deals, n_closed, n_new)
        out.subfund_city[n_new] = city
        out.subfund_tranche[n_new] = tranche
        out.subfund_social[n_new] = social
        out.subfund_stage[n_new] = f.stage_preference[i]
        n_new += 1
        # fund_transfer to the new fund (whose cash `invest_all` moves), then its social
        # capital from investors outside
        move_cash(f, i, -tranche)
        book(terms, FUNDS, FUNDS, tranche)
        book(terms, OUTSIDE, FUNDS, social)
        own.guidance_capital[city] += tranche
        own.social_capital[city] += social
    return out, n_new


@kernel
def invest_kernel(lo, hi, f, e, terms, own, rng, out):
    """`invest` for the funds alive in rows lo..hi-1, in row order, drawing from the model's
    Generator `rng`; deals, closed funds and new sub-funds go to `out` in order (recorded
    afterwards by `invest_all`). Returns (deals, closed funds, sub-funds, `out`: the same
    buffers, or longer ones if they filled up)."""
    n_deals = n_closed = n_new = 0
    for i in range(lo, hi):
        if not f.alive[i]:
            continue
        if f.kind[i] == SCIENCE:
            science_grants(f, i, terms, own)
            continue
        if f.kind[i] == GUIDANCE:
            out, n_new = close_subfunds(f, i, terms, own, rng, out, n_deals, n_closed, n_new)
            continue
        age = terms.month - f.vintage_month[i]
        if age > terms.fund_life_months:            # close_fund: distribute and close
            cash = f.dry_powder_100m_yuan[i]
            gov = f.government_capital_100m_yuan[i] / max(f.committed_100m_yuan[i], 1e-12)
            gov = min(max(gov, 0.0), 1.0)
            pay_from_fund(f, i, cash * gov, TREASURY, terms)
            pay_from_fund(f, i, cash * (1.0 - gov), OUTSIDE, terms)
            f.alive[i] = False
            out = with_room(out, n_deals, n_closed, n_new)
            out.closed[n_closed] = i
            n_closed += 1
            continue
        stage = f.stage_preference[i]
        ticket = terms.tickets[stage]
        months_left = max(6.0, terms.deployment_months - age)
        expected = f.dry_powder_100m_yuan[i] / ticket / months_left
        weights = terms.deal_weights[stage, f.city[i]]
        cumulative = terms.deal_cumulative[stage, f.city[i]]
        for _ in range(rules.stochastic_round(expected, rng.random())):
            amount = min(ticket, f.dry_powder_100m_yuan[i])
            j = rules.choose_in_cumulative(weights, cumulative, rng.random())
            if j < 0 or amount <= 0:
                break
            firm = terms.deal_rows[j]
            pay_from_fund(f, i, amount, FIRMS, terms)
            f.invested_100m_yuan[i] += amount
            e.cash_100m_yuan[firm] += amount
            e.inflow_month_100m_yuan[firm] += amount
            e.equity_received_100m_yuan[firm] += amount
            e.deals[firm] += 1
            out = with_room(out, n_deals, n_closed, n_new)
            out.fund[n_deals] = i
            out.firm[n_deals] = firm
            out.amount[n_deals] = amount
            out.entry_revenue[n_deals] = max(e.revenue_year_100m_yuan[firm], 0.01)
            n_deals += 1
    return n_deals, n_closed, n_new, out


def own_fund_terms(model) -> OwnFundTerms:
    """`OwnFundTerms` of this month (the values `invest` computes for its own funds)."""
    P, m, ctx = model.params, model, model.ctx
    research = m.cache.researchers + 1.0
    return OwnFundTerms(
        research / research.sum(), m.state.cities.research_grants_100m_yuan,
        m.state.cities.public_knowledge, m.tally.year_counts["public_rd"],
        float(P.public_knowledge_per_100m_yuan), float(m.scale), float(P.subfund_size_100m_yuan),
        float(P.subfund_close_prob_per_month), float(P.angel_ticket_100m_yuan),
        m.lever("guidance_fund_leverage") * ctx.sentiment, float(P.leverage_dispersion),
        np.bincount(ctx.deal_city, minlength=m.n_cities) + 0.1, m.tally.cum["guidance_capital"],
        m.tally.cum["social_capital"])


def invest_all(model) -> None:
    """The numba engine's `Fund.invest` for every fund alive now, in row order, in one call
    of `invest_kernel`; then its deals, closures and new sub-funds (which start next month)
    recorded."""
    P, f, d = model.params, model.state.funds, model.state.deals
    n = f.n
    tickets = np.array([P.angel_ticket_100m_yuan, P.vc_ticket_100m_yuan])
    terms = DealTerms(model.month, float(P.fund_life_months), tickets,
                      float(P.fund_deployment_months), model.ctx.deal_rows,
                      model.ctx.deal_weights, model.ctx.deal_cumulative, model.ledger.month,
                      model.ledger.year)
    n_deals, n_closed, n_new, out = invest_kernel(
        0, n, columns(f, DealColumns), columns(model.state.enterprises, DealFirmColumns), terms,
        own_fund_terms(model), model.rng, new_deals())
    if n_new:                     # the sub-funds, and the cash moved into them (fund_transfer,
        first = f.n               # then fund_receive, as `invest` pays them)
        f.add(n_new, alive=True, kind=ANGEL_VC, city=out.subfund_city[:n_new],
              vintage_month=model.month,
              committed_100m_yuan=out.subfund_tranche[:n_new] + out.subfund_social[:n_new],
              government_capital_100m_yuan=out.subfund_tranche[:n_new],
              social_capital_100m_yuan=out.subfund_social[:n_new],
              stage_preference=out.subfund_stage[:n_new])
        for j in range(n_new):
            model.province.move_fund_cash(first + j, out.subfund_tranche[j])
            model.province.move_fund_cash(first + j, out.subfund_social[j])
    if n_deals:
        d.add(n_deals, alive=True, fund=out.fund[:n_deals], firm=out.firm[:n_deals],
              amount_100m_yuan=out.amount[:n_deals],
              entry_revenue_100m_yuan=out.entry_revenue[:n_deals])
    if n_closed:                  # close_fund: the closed funds' open deals end here
        closed = out.closed[:n_closed]
        rows = d.alive_rows()
        d.alive[rows[np.isin(d.fund[rows], closed)]] = False
        model.mark_dead("funds", closed.tolist())


def finance(model) -> None:
    """Venture exits, then every fund's month (`Fund.invest`)."""
    P, e = model.params, model.state.enterprises
    alive = e.alive_rows()
    age = model.month - e.birth_month[alive]
    revenue = e.revenue_year_100m_yuan[alive]
    noise = np.exp(P.screening_noise * streams.normals(model.draw("finance"), alive, 0))
    score = e.knowledge[alive] * noise
    seed_weight = np.where((age < P.startup_age_months)
                           & (revenue < P.seed_stage_max_revenue_100m_yuan_per_year), score, 0.0)
    growth_weight = np.where((revenue >= P.growth_stage_min_revenue_100m_yuan_per_year)
                             & (revenue < P.growth_stage_max_revenue_100m_yuan_per_year),
                             score, 0.0)
    shape = (2, model.n_cities, len(alive))
    weights = model.cache.working_array("deal weights", shape)
    cumulative = model.cache.working_array("deal weights' running sums", shape)
    deal_weights(seed_weight, growth_weight, e.city[alive], float(P.fund_local_preference),
                 weights, cumulative)
    model.ctx = FinanceContext(
        deal_rows=alive, deal_city=e.city[alive], seed_weight=seed_weight,
        growth_weight=growth_weight, sentiment=sentiment(model), deal_weights=weights,
        deal_cumulative=cumulative)
    venture_exits(model)
    act(model, "funds", "invest", lambda: invest_all(model))
