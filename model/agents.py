"""Mesa agents: thin views on a row of the column-wise state, plus their behaviour.

Each attribute named like a state column (`revenue_month_100m_yuan`, `tier`, ...) reads
and writes the model's arrays, so agents and kernels always see one state. The
methods below are the mesa engine: the readable statement of each rule, called in
row order through `AgentSet.do` by `AIEcosystemModel`. They consume the draws the
model made for the phase (`model.draws`, one row per agent) and the aggregates it
computed (`model.ctx`), and call the shared scalar rules in `rules.py`.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from . import rules
from .state import (
    ANGEL_VC,
    GUIDANCE,
    RESEARCH_INSTITUTE,
    SCIENCE,
    CityState,
    ENTERPRISE_COLUMNS,
    FUND_COLUMNS,
    TALENT_COLUMNS,
    ENGINEER,
    ENTREPRENEUR,
    HIGH_SKILL,
    SEEKING,
    SERVICE_SECTORS,
)


def _column_property(column: str, doc: str):
    """An attribute that reads and writes row `self.row` of one state column."""

    def fget(self):
        return getattr(self._pop, column)[self.row]

    def fset(self, value):
        getattr(self._pop, column)[self.row] = value

    return property(fget, fset, doc=doc)


class _RowView(mesa.Agent):
    """A Mesa agent bound to row `row` of one population of `model.state`."""

    population = ""

    def __init__(self, model, row: int):
        super().__init__(model)
        self.row = int(row)
        # the population object is stable; its arrays may be replaced when capacity grows
        self._pop = getattr(model.state, self.population)

    def __repr__(self):
        return f"{type(self).__name__}(row={self.row})"


def _add_columns(cls, columns: dict):
    for name, spec in columns.items():
        doc = spec[1] if isinstance(spec, tuple) else spec
        setattr(cls, name, _column_property(name, doc))
    return cls


class City(_RowView):
    """One of Zhejiang's 11 prefectures; the Bass adoption of AI happens here."""

    population = "cities"

    @property
    def name(self) -> str:
        return self.model.city_names[self.row]

    def adopt(self):
        """Bass diffusion of AI use among the city's potential adopters (one month)."""
        ctx = self.model.ctx
        c = self.row
        a = self.adoption
        p = ctx["bass_p"][c] / 12.0
        q = ctx["bass_q"][c] / 12.0
        self.adoption = min(1.0, a + (p + q * a) * (1.0 - a))


class Enterprise(_RowView):
    """An AI firm: sells, hires, does R&D, raises money, may exit."""

    population = "enterprises"

    @property
    def city_name(self) -> str:
        return self.model.city_names[self.city]

    def _pay(self, amount: float):
        self.cash_100m_yuan = self.cash_100m_yuan - amount
        self.outflow_month_100m_yuan = self.outflow_month_100m_yuan + amount

    # --- innovation phase -------------------------------------------------------------------
    def innovate(self):
        """Spend on R&D, try to innovate and imitate, file patents, join standards."""
        m, ctx, P, i = self.model, self.model.ctx, self.model.params, self.row
        if not self.alive:
            return
        u = m.draws[i]
        rd = ctx["own_rd"][i]
        if self.grant_rd_months_left > 0:
            rd += self.grant_rd_month_100m_yuan
            self.grant_rd_months_left = self.grant_rd_months_left - 1
        self.rd_month_100m_yuan = rd
        self.rd_ytd_100m_yuan = self.rd_ytd_100m_yuan + rd
        self._pay(rd)
        c = self.city
        eff = rules.effective_rd(
            rd, ctx["high_tier_share"][i], ctx["platform_access"][c], ctx["data_opening"][c],
            self.sector in SERVICE_SECTORS, ctx["public_knowledge"][c],
            P.high_tier_rd_multiplier, P.platform_rd_multiplier, P.data_rd_multiplier,
            P.public_knowledge_rd_multiplier)
        k = self.knowledge
        if u[0] < rules.innovation_probability(eff, P.innovation_rate_per_100m_yuan):
            k *= math.exp(P.innovation_step_mean * -math.log(max(u[1], 1e-300)))
        if u[2] < ctx["imitation_prob"][c]:
            k += P.imitation_catch_up * max(0.0, ctx["best_knowledge"][c] - k)
        k += ctx["international_catch_up"] * max(0.0, ctx["frontier"] - k)
        self.knowledge = k
        n_pat = rules.poisson_from_uniform(P.patents_per_100m_yuan_rd * eff, u[3])
        share = P.core_patent_share_factor * rules.core_share(
            self.core_share_base, k, P.core_share_knowledge_elasticity)
        n_core = rules.binomial_from_uniform(n_pat, share, u[4])
        self.invention_patents = self.invention_patents + n_pat
        self.core_patents = self.core_patents + n_core
        m.year_counts["core_patents_granted"][c] += n_core
        if ctx["is_leading"][i] and u[5] < ctx["standard_prob"]:
            self.standards = self.standards + 1
            m.year_counts["standards"][c] += 1

    # --- market phase -----------------------------------------------------------------------
    def compete(self):
        """Replicator update of the sector share, with a size-dependent demand shock."""
        m, ctx, P, i = self.model, self.model.ctx, self.model.params, self.row
        if not self.alive:
            return
        s = self.sector
        sd = rules.demand_shock_sd(self.revenue_year_100m_yuan, P.demand_shock_sd_per_month,
                                   P.growth_spread_size_elasticity)
        factor = rules.replicator_factor(self.knowledge, ctx["mean_knowledge"][s],
                                         P.replicator_speed_per_year / 12.0)
        self.market_share = self.market_share * factor * math.exp(sd * m.normals[i] - 0.5 * sd * sd)

    def sell(self):
        """Revenue from the normalised share, capped by the AI talent it could hire; pay costs."""
        m, ctx, P, i = self.model, self.model.ctx, self.model.params, self.row
        if not self.alive:
            return
        s = self.sector
        demand = ctx["sector_demand"][s] * self.market_share / ctx["share_sum"][s]
        fill = ctx["labour_fill"][i]
        revenue = demand * fill**P.labour_shortage_revenue_elasticity
        self.revenue_month_100m_yuan = revenue
        self.revenue_ytd_100m_yuan = self.revenue_ytd_100m_yuan + revenue
        self.revenue_year_100m_yuan = self.revenue_year_100m_yuan * (11.0 / 12.0) + revenue
        fixed = P.startup_fixed_cost_100m_yuan_per_month
        if self.incubated_until > m.month:
            fixed *= 1.0 - P.incubator_cost_discount
        costs = P.opex_share_of_revenue * revenue + ctx["wage_bill"][i] + fixed
        profit = revenue - costs - self.rd_month_100m_yuan
        self.profit_ytd_100m_yuan = self.profit_ytd_100m_yuan + profit
        tax = ctx["tax_rate"] * max(profit, 0.0)
        self.cash_100m_yuan = self.cash_100m_yuan + revenue
        self.inflow_month_100m_yuan = self.inflow_month_100m_yuan + revenue
        self._pay(costs + tax)

    # --- entry and exit ---------------------------------------------------------------------
    def check_exit(self):
        """Exit after `exit_grace_months` months of negative cash."""
        m, P = self.model, self.model.params
        if not self.alive:
            return
        if self.cash_100m_yuan < 0.0:
            self.months_negative_cash = self.months_negative_cash + 1
            if self.months_negative_cash > P.exit_grace_months:
                m.exit_enterprise(self.row)
        else:
            self.months_negative_cash = 0


class Talent(_RowView):
    """An AI professional of one of the plan's five tiers (一.(三))."""

    population = "talent"

    @property
    def tier_name(self) -> str:
        from .state import TIERS

        return TIERS[self.tier]

    def age_and_learn(self):
        """Leave the AI pool (retirement, career change) or move up a tier (二.(六).2)."""
        m, ctx, i = self.model, self.model.ctx, self.row
        u = m.draws[i]
        if u[0] < ctx["attrition_prob"]:
            m.talent_leaves(i, "attrition")
            return
        # one uniform per month: u < p_attrition leaves, the next (1 - p) * p_up of the
        # unit interval upskills (the conditional draw is again uniform)
        k = self.tier
        p_attr = ctx["attrition_prob"]
        if k in (ENGINEER, HIGH_SKILL) and u[0] < p_attr + (1.0 - p_attr) * ctx["upskill_prob"][k]:
            self.tier = k - 1
            m.flows["promoted_out"][k] += 1
            m.flows["promoted_in"][k - 1] += 1

    def review_location(self):
        """Logit choice among the 11 cities and leaving Zhejiang (DESIGN.md §2)."""
        m, ctx, P, i = self.model, self.model.ctx, self.model.params, self.row
        u = m.draws[i]
        review = ctx["review_prob"]
        if u[0] >= review:
            return
        origin = self.city
        utilities = np.empty(m.n_cities + 1)
        utilities[: m.n_cities] = (ctx["city_utility"][self.tier]
                                   - P.logit_distance_weight_per_100km
                                   * m.distance_100km[origin])
        utilities[m.n_cities] = ctx["outside_utility"][self.tier]
        choice = rules.logit_choice(utilities, u[0] / review)   # reviewers' draw, rescaled
        if choice == m.n_cities:
            m.talent_leaves(i, "out_migration")
        elif choice != origin:
            self.city = choice
            if self.employer >= 0:
                self.employer = SEEKING
                self.months_seeking = 0
            m.flows["moved"][self.tier] += 1

    def seek_job(self):
        """Job seekers meet vacancies in their city; give up after `job_search_patience_months`."""
        m, ctx, P, i = self.model, self.model.ctx, self.model.params, self.row
        if self.employer != SEEKING:
            return
        u = m.draws[i]
        c, k = self.city, self.tier
        hire = ctx["hire_prob"][c, k]
        if u[0] < hire:
            firm = m.pick_vacancy(c, k, u[0] / hire)        # hired agents' draw, rescaled
            if firm >= 0:
                self.employer = firm
                self.months_seeking = 0
                return
        self.months_seeking = self.months_seeking + 1
        if self.months_seeking > P.job_search_patience_months:
            m.talent_leaves(i, "gave_up")

    def consider_layoff(self):
        """Employees of over-staffed firms are let go with the firm's layoff probability."""
        m, ctx, i = self.model, self.model.ctx, self.row
        if self.employer < 0:
            return
        if m.draws[i][1] < ctx["layoff_prob"][self.employer, self.tier]:
            self.employer = SEEKING
            self.months_seeking = 0

    def consider_founding(self):
        """Unattached leading entrepreneurs and engineers found start-ups (二.(五).1);
        engineers of large firms spin off."""
        m, ctx, i = self.model, self.model.ctx, self.row
        k = self.tier
        if k == ENTREPRENEUR:
            if self.employer != SEEKING:
                return
            prob = ctx["found_prob_entrepreneur"]
        elif k == ENGINEER:
            prob = ctx["found_prob_engineer"][self.city]
            if self.employer >= 0:
                prob += ctx["spinoff_prob"][self.employer]
        else:
            return
        if m.draws[i][0] < prob:
            m.found_enterprise(i)


class Fund(_RowView):
    """A guidance, angel/VC, industrial or science fund (三.(一))."""

    population = "funds"

    def invest(self):
        """The fund's month (三.(一)): the science fund finances research in proportion to
        each city's researchers; guidance funds try to close a sub-fund with social capital;
        angel/VC and industrial funds make deals, or distribute and close at the end of life."""
        m, i = self.model, self.row
        P, f, rng = m.params, m.state.funds, m.rng
        kind = f.kind[i]
        if kind == SCIENCE:
            amount = f.dry_powder_100m_yuan[i]
            if amount > 0:
                research = m.talent_by_city_tier(RESEARCH_INSTITUTE).sum(axis=1) + 1.0
                share = research / research.sum()
                m._fund_pay(i, amount)
                for c in range(m.n_cities):
                    m.state.cities.research_grants_100m_yuan[c] += amount * share[c]
                    m.state.cities.public_knowledge[c] += (
                        P.public_knowledge_per_100m_yuan * amount * share[c] / m.scale)
                    m.year_counts["public_rd"][c] += amount * share[c]
            return
        if kind == GUIDANCE:
            dry = f.dry_powder_100m_yuan[i]
            if dry >= P.angel_ticket_100m_yuan and rng.random() < P.subfund_close_prob_per_month:
                tranche = min(P.subfund_size_100m_yuan, dry)
                leverage = (m.lever("guidance_fund_leverage") * m.ctx["sentiment"]
                            * (1.0 + P.leverage_dispersion * (2.0 * rng.random() - 1.0)))
                social = tranche * leverage
                firms = np.bincount(m.ctx["deal_city"], minlength=m.n_cities) + 0.1
                city = rules.choose_index(firms, rng.random())
                m._fund_pay(i, tranche)
                new = int(m.state.funds.add(
                    1, alive=True, kind=ANGEL_VC, city=city, vintage_month=m.month,
                    committed_100m_yuan=tranche + social, government_capital_100m_yuan=tranche,
                    social_capital_100m_yuan=social, stage_preference=f.stage_preference[i])[0])
                m._fund_receive(new, tranche + social)
                m.cum["social_capital"][city] += social
            return
        age = m.month - f.vintage_month[i]
        if age > P.fund_life_months:               # end of fund life: distribute and close
            m._fund_pay(i, f.dry_powder_100m_yuan[i])
            f.alive[i] = False
            m._dead_rows["funds"].append(i)
            return
        seed = f.stage_preference[i] == 0
        ticket = P.angel_ticket_100m_yuan if seed else P.vc_ticket_100m_yuan
        months_left = max(6.0, P.fund_deployment_months - age)
        expected = f.dry_powder_100m_yuan[i] / ticket / months_left
        weights = m.ctx["seed_weight" if seed else "growth_weight"]
        local = np.where(m.ctx["deal_city"] == f.city[i], P.fund_local_preference, 1.0)
        for _ in range(rules.stochastic_round(expected, rng.random())):
            amount = min(ticket, f.dry_powder_100m_yuan[i])
            j = rules.choose_index(weights * local, rng.random())
            if j < 0 or amount <= 0:
                break
            firm = int(m.ctx["deal_rows"][j])
            m._fund_pay(i, amount)
            f.invested_100m_yuan[i] += amount
            e = m.state.enterprises
            e.cash_100m_yuan[firm] += amount
            e.inflow_month_100m_yuan[firm] += amount
            e.equity_received_100m_yuan[firm] += amount
            e.deals[firm] += 1
            m.state.deals.add(1, alive=True, fund=i, firm=firm, amount_100m_yuan=amount,
                              entry_revenue_100m_yuan=max(e.revenue_year_100m_yuan[firm], 0.01))


_add_columns(City, CityState.COLUMNS)
_add_columns(Enterprise, ENTERPRISE_COLUMNS)
_add_columns(Talent, TALENT_COLUMNS)
_add_columns(Fund, FUND_COLUMNS)
