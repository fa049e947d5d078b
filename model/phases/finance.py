"""Phase 5, finance (三.(一)): venture exits, guidance sub-funds, deals, research grants.

Investors exit firms that reached the exit revenue and write off failed ones; guidance
funds close sub-funds with social capital at a realised leverage that follows investor
sentiment; angel/VC and industrial funds screen firms on a noisy signal of their
knowledge and invest (`Fund.invest`); the science fund pays research grants. Funds are
few, so both engines run `Fund.invest` in Python, in the same row order.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import rules
from ..ledger import CITIES, FIRMS, HOUSEHOLDS, OUTSIDE, TREASURY
from ..state import ANGEL_VC, GUIDANCE, SCIENCE
from .dispatch import act


class FinanceContext(NamedTuple):
    deal_rows: np.ndarray       # living firm rows, candidates for a deal
    deal_city: np.ndarray       # their cities
    seed_weight: np.ndarray     # screening score of seed-stage candidates (0: not seed)
    growth_weight: np.ndarray   # screening score of growth-stage candidates (0: not growth)
    sentiment: float            # investor sentiment multiplier on guidance-fund leverage
    deal_weights: dict          # (seed stage, fund city) -> weights, filled by `deal_weights`


def sentiment(model) -> float:
    """Investor sentiment from the province's AI revenue growth over the last year."""
    h = model.economy.revenue_history
    if len(h) < 24:
        return 1.0
    P = model.params
    growth = sum(h[-12:]) / max(sum(h[-24:-12]), 1e-12) - 1.0
    raw = 1.0 + P.leverage_sentiment_elasticity * (growth - P.sentiment_reference_growth_per_year)
    return float(np.clip(raw, P.sentiment_min, P.sentiment_max))


def deal_weights(ctx: FinanceContext, seed: bool, city: int, local_preference: float):
    """Weights of the candidates for a seed (or growth) fund of `city`: the screening score,
    times `local_preference` for its own city's firms. Every fund of a stage and city sees
    the same weights in a month, so they are computed once (a third of the finance phase)."""
    weights = ctx.deal_weights.get((seed, city))
    if weights is None:
        local = np.where(ctx.deal_city == city, local_preference, 1.0)
        weights = (ctx.seed_weight if seed else ctx.growth_weight) * local
        ctx.deal_weights[(seed, city)] = weights
    return weights


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
    for r in rows[ready]:
        growth = e.revenue_year_100m_yuan[d.firm[r]] / d.entry_revenue_100m_yuan[r]
        multiple = min(P.exit_multiple_cap, max(0.1, growth) ** P.exit_value_elasticity)
        model.province.fund_receive(d.fund[r], d.amount_100m_yuan[r] * multiple, OUTSIDE)
        model.state.funds.proceeds_100m_yuan[d.fund[r]] += d.amount_100m_yuan[r] * multiple
        d.alive[r] = False


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
    weights = deal_weights(ctx, seed, int(f.city[i]), P.fund_local_preference)
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


def invest_all(model) -> None:
    """`Fund.invest` for every fund alive now, in row order, without making views of the
    other populations (funds act through Python under both engines)."""
    for view in model.views("funds"):
        if view is not None and model.state.funds.alive[view.row]:
            view.invest()


def finance(model) -> None:
    """Venture exits, then every fund's month (`Fund.invest`)."""
    P, e = model.params, model.state.enterprises
    alive = e.alive_rows()
    age = model.month - e.birth_month[alive]
    revenue = e.revenue_year_100m_yuan[alive]
    noise = np.exp(P.screening_noise * model.rng.standard_normal(len(alive)))
    score = e.knowledge[alive] * noise
    model.ctx = FinanceContext(
        deal_rows=alive,
        deal_city=e.city[alive],
        seed_weight=np.where((age < P.startup_age_months)
                             & (revenue < P.seed_stage_max_revenue_100m_yuan_per_year),
                             score, 0.0),
        growth_weight=np.where((revenue >= P.growth_stage_min_revenue_100m_yuan_per_year)
                               & (revenue < P.growth_stage_max_revenue_100m_yuan_per_year),
                               score, 0.0),
        sentiment=sentiment(model),
        deal_weights={})
    venture_exits(model)
    act(model, "funds", "invest", lambda: invest_all(model))
