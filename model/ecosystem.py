"""AIEcosystemModel: Zhejiang's AI industry, one step a month from January 2017.

The province is the model itself: it holds the budget, applies the plan's levers, and
records indicators. `step()` is the model's process overview (docs/ODD.md §3):

    apply_policy → talent_supply → talent_migration → labour_market → finance →
    innovation → market → entry_exit → record

Each phase first computes the aggregates its agents need (`self.ctx`) and draws the
random numbers they will use (`self.draws`, one row per agent, from the model's numpy
Generator), then lets the agents act in row order. With `engine="mesa"` they act through
their own methods via `AgentSet.do` (the readable reference); with `engine="numba"`
(the default) the same rules run as kernels over the arrays (`kernels.py`).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import mesa
import numpy as np

from . import kernels, rules
from .agents import City, Enterprise, Fund, Talent
from .data import cities as city_table
from .data import distance_km
from .indicators import IndicatorRecorder
from .initial import (
    FIRM_EMPLOYED_SHARE,
    RESEARCH_SHARE,
    SECTOR_CORE_SHARE,
    SECTOR_FIRM_MIX,
    SECTOR_REVENUE_MIX,
    WAGE_100M_YUAN_PER_YEAR,
    Initial,
    pareto_quantile_sizes,
)
from .levers import TALENT_PROGRAM_LEVERS, LeverSettings
from .params import Params
from .state import (
    ANGEL_VC,
    DEAL_COLUMNS,
    ENGINEER,
    ENTERPRISE_COLUMNS,
    ENTREPRENEUR,
    FUND_COLUMNS,
    GUIDANCE,
    HARDWARE_SECTORS,
    HIGH_END,
    HIGH_SKILL,
    INDUSTRIAL,
    N_SECTORS,
    N_TIERS,
    RESEARCH_INSTITUTE,
    SCIENCE,
    SEEKING,
    SERVICE_SECTORS,
    TALENT_COLUMNS,
    TOP,
    CityState,
    Population,
)

ENGINES = ("mesa", "numba")
START_YEAR = 2017


class AIEcosystemModel(mesa.Model):
    """Mesa model of Zhejiang's AI ecosystem under the 2017 plan's levers.

    Parameters
    ----------
    levers, city_levers : lever values (constants or {year: value} schedules) for the
        province and per city; missing levers take their `LEVERS` default.
    parameters, initial : overrides of behavioural parameters and initial conditions.
    start_year, end_year : simulated period; one step is one month.
    seed : master seed of the model's numpy Generator.
    engine : "numba" (kernels over the arrays, default) or "mesa" (agents' own methods
        through `AgentSet.do`, the readable reference); both give the same trajectories.
    scale : share of every agent population simulated; indicators are rescaled.
    """

    def __init__(self, *, levers: dict | None = None, city_levers: dict | None = None,
                 parameters: dict | None = None, initial: dict | None = None,
                 start_year: int = START_YEAR, end_year: int = 2030, seed: int | None = None,
                 engine: str = "numba", scale: float = 1.0, scenario_name: str = "custom",
                 events: list | None = None):
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        if not 0.0 < scale <= 10.0:
            raise ValueError(f"scale must be in (0, 10], not {scale}")
        if start_year != START_YEAR:
            raise ValueError("initial conditions exist for January 2017 only (start_year=2017)")
        if end_year < start_year:
            raise ValueError("end_year must not be before start_year")
        super().__init__(rng=np.random.default_rng(seed))
        self.seed = seed
        self.engine = engine
        self.scale = float(scale)
        self.scenario_name = scenario_name
        self.start_year, self.end_year = start_year, end_year
        self.n_months = (end_year - start_year + 1) * 12
        self.month = 0
        self.events = list(events or [])

        table = city_table()
        self.city_names = list(table.city)
        self.n_cities = len(self.city_names)
        self.is_core = table.is_core.to_numpy()
        self.distance_100km = distance_km(table) / 100.0
        self.params = Params(parameters)
        self.initial = Initial(initial)
        self.levers = LeverSettings(levers, city_levers, self.city_names)

        self.state = SimpleNamespace(
            cities=CityState(self.n_cities),
            enterprises=Population(ENTERPRISE_COLUMNS, 256),
            talent=Population(TALENT_COLUMNS, 1024),
            funds=Population(FUND_COLUMNS, 64),
            deals=Population(DEAL_COLUMNS, 256),
        )
        self.ctx: dict = {}
        self.draws = np.zeros((0, 0))
        self.normals = np.zeros(0)
        self._init_province()
        self._init_cities(table)
        self._init_enterprises()
        self._init_talent()
        self._init_funds()
        # Mesa views are made on demand (see `agents_by_type`): one list per population,
        # indexed by row, None where no view exists; rows that died wait in `_dead_rows`
        self.city_agents = [City(self, c) for c in range(self.n_cities)]
        self._views = {"enterprises": (Enterprise, []), "talent": (Talent, []),
                       "funds": (Fund, [])}
        self._dead_rows = {name: [] for name in self._views}
        self.recorder = IndicatorRecorder(self)
        self.talent_counts = self.talent_by_city_tier()
        self.running = True

    @classmethod
    def from_scenario(cls, scenario, *, seed: int | None = None, engine: str = "numba",
                      scale: float | None = None) -> "AIEcosystemModel":
        """Build a model from a Scenario (or a path to a scenario file)."""
        from .scenario import Scenario, load_scenario

        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        return cls(**scenario.model_kwargs(), seed=scenario.seed if seed is None else seed,
                   engine=engine, scale=scenario.scale if scale is None else scale)

    # ------------------------------------------------------------------ initialisation
    def _init_province(self):
        self.budget_left_100m_yuan = 0.0
        self.budget_spent_month_100m_yuan = 0.0
        self.frontier = 1.0
        self.unfilled_vacancies = np.zeros(N_TIERS)
        self.revenue_history = []           # province revenue per month (scaled units)
        zero = lambda: np.zeros(self.n_cities)  # noqa: E731
        self.cum = {name: zero() for name in (
            "core_patents_granted", "standards", "major_projects", "major_investment",
            "guidance_capital", "social_capital", "deqing_zones")}
        self.year_counts = {}
        self._reset_year_counts()
        self.flows = {}
        self._reset_flows()
        self.firm_flows = {"entries": 0, "exits": 0}
        self.inside_probability_2017 = None
        self.wages = WAGE_100M_YUAN_PER_YEAR.copy()

    def _reset_year_counts(self):
        zero = lambda: np.zeros(self.n_cities)  # noqa: E731
        self.year_counts = {name: zero() for name in (
            "core_patents_granted", "standards", "key_rd_projects", "new_startups", "exits",
            "firm_rd", "public_rd")}

    def _reset_flows(self):
        zero = lambda: np.zeros(N_TIERS, dtype=np.int64)  # noqa: E731
        self.flows = {name: zero() for name in (
            "graduates", "programme", "market_inflow", "attrition", "out_migration", "gave_up",
            "promoted_in", "promoted_out", "moved")}

    def _init_cities(self, table):
        cs, P = self.state.cities, self.params
        cs.gdp_100m_yuan[:] = table.gdp_100m_yuan
        cs.population_10k[:] = table.population_10k
        gdp_pc = cs.gdp_100m_yuan / cs.population_10k
        cs.wage_index[:] = gdp_pc / (cs.gdp_100m_yuan.sum() / cs.population_10k.sum())
        cs.housing_cost_index[:] = cs.wage_index**P.housing_cost_income_elasticity
        cs.adoption[:] = P.adoption_2017
        self.gdp_share = cs.gdp_100m_yuan / cs.gdp_100m_yuan.sum()
        hz = self.city_names.index("Hangzhou")
        self.hangzhou = hz
        self.huzhou = self.city_names.index("Huzhou")
        base = self.initial.innovation_platforms
        research = self._research_weights()
        cs.innovation_platforms[:] = np.round(base * research)
        cs.data_opening[:] = self.levers.city_values("public_data_opening", START_YEAR,
                                                     self.gdp_share, self.is_core)

    def _research_weights(self):
        """Where research institutes are: Hangzhou's share, the rest by GDP."""
        w = self.gdp_share.copy()
        w[self.hangzhou] = 0.0
        w = w / w.sum() * (1.0 - self.initial.research_base_hangzhou_share)
        w[self.hangzhou] = self.initial.research_base_hangzhou_share
        return w

    def _init_enterprises(self):
        init, P, rng, s = self.initial, self.params, self.rng, self.scale
        # register firms: deterministic quantiles of a truncated Pareto whose exponent makes
        # them sum to the backcast revenue; a scaled run draws n*scale quantiles summing to
        # revenue*scale, so every replicate starts from the province's total
        n_reg = max(1, rules.stochastic_round(init.register_firms * s, rng.random()))
        rev_reg, self.initial_tail_exponent = pareto_quantile_sizes(
            n_reg, P.register_threshold_100m_yuan_per_year,
            min(init.largest_firm_revenue_100m_yuan, init.register_revenue_100m_yuan * s),
            init.register_revenue_100m_yuan * s)
        n_small = rules.stochastic_round(init.register_firms * init.small_firms_per_register_firm * s,
                                         rng.random())
        thr = P.register_threshold_100m_yuan_per_year
        rev_small = np.exp(rng.uniform(np.log(0.005), np.log(thr), n_small))
        revenue = np.concatenate([rev_reg, rev_small])
        n = len(revenue)
        is_largest = np.zeros(n, dtype=bool)
        is_largest[np.argmax(revenue)] = True
        # cities: Hangzhou's observed share of register firms, the rest by GDP
        other = self.gdp_share.copy()
        other[self.hangzhou] = 0.0
        city_p = other / other.sum() * (1.0 - init.hangzhou_firm_share)
        city_p[self.hangzhou] = init.hangzhou_firm_share
        city = rng.choice(self.n_cities, size=n, p=city_p)
        # register firms: the larger half is placed by error diffusion, largest first, so
        # that Hangzhou holds `hangzhou_revenue_share` of their revenue (the largest AI firm
        # is in Hangzhou; a random draw would let a few large firms decide the share); of
        # the smaller half, as many drawn at random are in Hangzhou as make up
        # `hangzhou_firm_share` of all register firms
        other_city = rng.choice(self.n_cities, size=n, p=other / other.sum())
        order = np.argsort(-rev_reg, kind="stable")
        larger, smaller = order[: max(1, n_reg // 2)], order[max(1, n_reg // 2):]
        hz_revenue = placed = 0.0
        for i in larger:
            placed += revenue[i]
            if hz_revenue < init.hangzhou_revenue_share * placed:
                city[i] = self.hangzhou
                hz_revenue += revenue[i]
            else:
                city[i] = other_city[i]
        if len(smaller):
            missing = init.hangzhou_firm_share * n_reg - (city[larger] == self.hangzhou).sum()
            k = min(len(smaller), rules.stochastic_round(max(0.0, missing), rng.random()))
            city[smaller] = other_city[smaller]
            city[rng.permutation(smaller)[:k]] = self.hangzhou
        # sectors: large firms follow the revenue mix, small ones the firm-count mix
        sector = np.where(revenue >= 1.0,
                          rng.choice(N_SECTORS, size=n, p=SECTOR_REVENUE_MIX),
                          rng.choice(N_SECTORS, size=n, p=SECTOR_FIRM_MIX))
        sector[is_largest] = 0
        knowledge = np.exp(init.knowledge_dispersion * rng.standard_normal(n))
        age_years = np.where(revenue >= thr, rng.uniform(1, init.firm_age_max_years, n),
                             rng.uniform(0, 4, n))
        rd_year = P.rd_intensity * revenue
        patents = rng.poisson(P.patents_per_100m_yuan_rd * rd_year * np.minimum(age_years, 3))
        core = rng.binomial(patents, P.core_patent_share_factor * SECTOR_CORE_SHARE[sector])
        e = self.state.enterprises
        e.add(n, alive=True, city=city, sector=sector,
              birth_month=-(age_years * 12).astype(np.int64), exit_month=-1,
              knowledge=knowledge, core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
              revenue_month_100m_yuan=revenue / 12, revenue_year_100m_yuan=revenue,
              revenue_prev_year_100m_yuan=revenue,
              cash_100m_yuan=np.maximum(revenue * init.cash_months_of_revenue / 12,
                                        P.startup_seed_cash_100m_yuan),
              invention_patents=patents, core_patents=core, incubated_until=-1)
        sector_total = np.bincount(sector, weights=revenue, minlength=N_SECTORS)
        e.market_share[:n] = revenue / sector_total[sector]
        # demand: local adopters buy `local_sales_share_2017` of 2017 sales
        cs = self.state.cities
        total = revenue.sum() / s
        local = P.local_sales_share_2017 * total
        self.purchase_share_of_gdp = local / (cs.adoption * cs.gdp_100m_yuan).sum()
        self.sector_mix = sector_total / sector_total.sum()
        self.external_market_100m_yuan = (1 - P.local_sales_share_2017) * total / P.external_share_2017
        self.external_share = P.external_share_2017
        self.heads_per_revenue = np.zeros(N_TIERS)  # set in _init_talent

    def _init_talent(self):
        init, rng, s = self.initial, self.rng, self.scale
        e = self.state.enterprises
        n_firms = e.n
        revenue = e.revenue_year_100m_yuan[:n_firms]
        stocks = np.array([init.talent_top_scientists, init.talent_leading_entrepreneurs,
                           init.talent_high_end_rd, init.talent_engineers, init.talent_high_skill])
        research_w = self._research_weights()
        pop_w = self.state.cities.population_10k / self.state.cities.population_10k.sum()
        rows_tier, rows_city, rows_emp = [], [], []
        for k in range(N_TIERS):
            n_k = rules.stochastic_round(stocks[k] * s, rng.random())
            n_firm = int(round(n_k * FIRM_EMPLOYED_SHARE[k]))
            n_res = int(round(n_k * RESEARCH_SHARE[k]))
            n_seek = max(0, n_k - n_firm - n_res)
            # heads per 1e8 yuan of revenue: 2017 firms are fully staffed by construction
            self.heads_per_revenue[k] = n_firm / max(revenue.sum(), 1e-9)
            if k == ENTREPRENEUR:
                employer = np.argsort(-revenue)[: min(n_firm, n_firms)]    # biggest firms' founders
            elif k == ENGINEER:
                # young firms' founding teams first, the rest in proportion to revenue
                size = np.round(self.startup_team(np.arange(n_firms))).astype(np.int64)
                team = np.repeat(np.arange(n_firms), size)[:n_firm]
                rest = n_firm - len(team)
                employer = np.concatenate([team, rng.choice(n_firms, size=rest, p=revenue / revenue.sum())])
                self.heads_per_revenue[k] = rest / max(revenue.sum(), 1e-9)
            else:
                employer = rng.choice(n_firms, size=n_firm, p=revenue / revenue.sum())
            rows_tier += [k] * (n_firm + n_res + n_seek)
            rows_emp += list(employer) + [RESEARCH_INSTITUTE] * n_res + [SEEKING] * n_seek
            rows_city += list(e.city[employer])
            rows_city += list(rng.choice(self.n_cities, size=n_res, p=research_w))
            rows_city += list(rng.choice(self.n_cities, size=n_seek, p=pop_w))
        n = len(rows_tier)
        self.state.talent.add(n, alive=True, tier=np.array(rows_tier), city=np.array(rows_city),
                              employer=np.array(rows_emp),
                              arrival_month=-rng.integers(1, 240, n))

    def _init_funds(self):
        init, rng, s = self.initial, self.rng, self.scale
        f = self.state.funds
        p_city = self.gdp_share
        n_vc = max(1, rules.stochastic_round(init.vc_funds * s, rng.random()))
        n_ind = max(1, rules.stochastic_round(init.industrial_funds * s, rng.random()))
        age = rng.integers(0, 48, n_vc)
        remaining = 1.0 - age / 60.0
        f.add(n_vc, alive=True, kind=ANGEL_VC, city=rng.choice(self.n_cities, n_vc, p=p_city),
              vintage_month=-age, committed_100m_yuan=init.vc_fund_size_100m_yuan,
              social_capital_100m_yuan=init.vc_fund_size_100m_yuan,
              dry_powder_100m_yuan=init.vc_fund_size_100m_yuan * remaining,
              stage_preference=rng.integers(0, 2, n_vc))
        f.add(n_ind, alive=True, kind=INDUSTRIAL, city=rng.choice(self.n_cities, n_ind, p=p_city),
              vintage_month=-rng.integers(0, 48, n_ind),
              committed_100m_yuan=init.industrial_fund_size_100m_yuan,
              social_capital_100m_yuan=init.industrial_fund_size_100m_yuan,
              dry_powder_100m_yuan=init.industrial_fund_size_100m_yuan * 0.5, stage_preference=1)
        # the province's own vehicles (三.(一)): industry guidance fund (growth stage),
        # S&T-transfer guidance fund (angel stage) and the provincial science fund
        self.guidance_fund_row = int(f.add(1, alive=True, kind=GUIDANCE, city=self.hangzhou,
                                           stage_preference=1)[0])
        self.angel_guidance_row = int(f.add(1, alive=True, kind=GUIDANCE, city=self.hangzhou,
                                            stage_preference=0)[0])
        self.science_fund_row = int(f.add(1, alive=True, kind=SCIENCE, city=self.hangzhou)[0])

    # ------------------------------------------------------------------ Mesa views
    @property
    def agents_by_type(self):
        """Mesa's AgentSets by type, with a live view for every living agent."""
        self.sync_views()
        return self._agents_by_type

    @property
    def agents(self):
        self.sync_views()
        return self._all_agents

    def sync_views(self, names=None) -> None:
        """Create views for rows added since the last call and remove those of dead rows.

        Views are cheap to keep but not to create (a Mesa agent registers itself), so the
        numba engine makes them only when somebody looks; the mesa engine looks before
        every phase that iterates agents, so it always sees exactly the living agents.
        """
        for name in names or self._views:
            cls, views = self._views[name]
            pop = getattr(self.state, name)
            for row in self._dead_rows[name]:
                if row < len(views) and views[row] is not None:
                    views[row].remove()
                    views[row] = None
            self._dead_rows[name].clear()
            alive = pop.alive
            for row in range(len(views), pop.n):
                views.append(cls(self, row) if alive[row] else None)

    def view(self, population: str, row: int):
        """The Mesa agent of `row` in `population` ("enterprises", "talent", "funds")."""
        self.sync_views()
        return self._views[population][1][row]

    # ------------------------------------------------------------------ helpers
    @property
    def year(self) -> int:
        return self.start_year + self.month // 12

    def lever(self, name: str) -> float:
        """This month's province value of a lever (schedule, then active lever_change events)."""
        value = self.levers.value(name, self.year)
        for ev in self.events:
            if ev.get("kind") == "lever_change" and ev.get("lever") == name and self._active(ev):
                value = float(ev["value"])
        return value

    def _active(self, ev: dict) -> bool:
        start = (int(ev["start"]) - self.start_year) * 12
        return start <= self.month < start + int(round(float(ev.get("duration", 1)) * 12))

    def city_lever(self, name: str) -> np.ndarray:
        return self.levers.city_values(name, self.year, self.gdp_share, self.is_core)

    def heads_by_firm(self) -> np.ndarray:
        """Employed AI talent per enterprise row and tier (rows x 5)."""
        t = self.state.talent
        return kernels.heads_by_firm(t.n, t.alive, t.employer, t.tier, self.state.enterprises.n,
                                     N_TIERS)

    def talent_by_city_tier(self, employer: int = kernels.ALL_EMPLOYERS) -> np.ndarray:
        """Living talent per city and tier, optionally only of one employer code."""
        t = self.state.talent
        return kernels.talent_by_city_tier(t.n, t.alive, t.city, t.tier, t.employer, employer,
                                           self.n_cities, N_TIERS)

    def _draw(self, n_rows: int, k: int) -> None:
        self.draws = self.rng.random((n_rows, k))

    def _pay_province(self, amount: float) -> bool:
        """Spend from this year's provincial AI budget if enough is left."""
        if amount > self.budget_left_100m_yuan + 1e-12:
            return False
        self.budget_left_100m_yuan -= amount
        self.budget_spent_month_100m_yuan += amount
        return True

    def _grant_firm(self, i: int, amount: float) -> None:
        e = self.state.enterprises
        e.cash_100m_yuan[i] += amount
        e.inflow_month_100m_yuan[i] += amount
        e.grant_month_100m_yuan[i] += amount

    def _grant_city(self, c: int, amount: float) -> None:
        self.state.cities.funds_received_100m_yuan[c] += amount

    def _fund_receive(self, f: int, amount: float) -> None:
        funds = self.state.funds
        funds.dry_powder_100m_yuan[f] += amount
        funds.inflow_month_100m_yuan[f] += amount

    def _fund_pay(self, f: int, amount: float) -> None:
        funds = self.state.funds
        funds.dry_powder_100m_yuan[f] -= amount
        funds.outflow_month_100m_yuan[f] += amount

    def event_factor(self, kind: str, city: int | None = None) -> float:
        """Multiplier from scheduled events of `kind` active this month (1 when none)."""
        factor = 1.0
        for ev in self.events:
            if ev.get("kind") != kind or not self._active(ev):
                continue
            # province-wide events act everywhere; city events only in their cities
            regions = ev.get("regions", ["Zhejiang"])
            if "Zhejiang" not in regions and (city is None or self.city_names[city] not in regions):
                continue
            factor *= float(ev.get("magnitude", 1.0))
        return factor

    # ------------------------------------------------------------------ the step
    def step(self):
        """One month: the phases of docs/ODD.md §3, in order."""
        self._begin_month()
        self.apply_policy()       # province: budget, projects, platforms, pilots, zones, funds
        self.talent_supply()      # graduates, programmes, market inflow, attrition, upskilling
        self.talent_migration()   # logit relocation among the 11 cities or out of Zhejiang
        self.labour_market()      # layoffs, vacancies, matching in each city
        self.finance()            # guidance sub-funds close, angel/VC deals, exits, science fund
        self.innovation()         # R&D -> innovation, imitation, patents, standards
        self.market()             # Bass adoption, sector demand, replicator shares, revenue, cash
        self.entry_exit()         # exits on negative cash; start-ups and spin-offs
        self.record()             # annual indicators in December
        self.month += 1
        if self.month >= self.n_months:
            self.running = False

    def _begin_month(self):
        e, f = self.state.enterprises, self.state.funds
        for pop in (e, f):
            pop.view("inflow_month_100m_yuan")[:] = 0.0
            pop.view("outflow_month_100m_yuan")[:] = 0.0
        e.view("grant_month_100m_yuan")[:] = 0.0
        self.state.cities.funds_received_100m_yuan[:] = 0.0
        self.state.cities.research_grants_100m_yuan[:] = 0.0
        self.firm_flows = {"entries": 0, "exits": 0}
        self.budget_spent_month_100m_yuan = 0.0
        self._reset_flows()
        if self.month % 12 == 0:
            e.view("revenue_ytd_100m_yuan")[:] = 0.0
            e.view("profit_ytd_100m_yuan")[:] = 0.0
            e.view("rd_ytd_100m_yuan")[:] = 0.0
            self._reset_year_counts()
            self.budget_left_100m_yuan = 0.0      # unspent budget lapses at year end

    # ------------------------------------------------------------------ phase 1
    def apply_policy(self):
        """Province: monthly budget, key R&D and major projects, platforms, pilots, zones,
        incubator places, Zhejiang Lab, science and guidance funds (sections 二-四)."""
        P, s, cs, e, rng = self.params, self.scale, self.state.cities, self.state.enterprises, self.rng
        fiscal = self.lever("fiscal_ai_funding_100m_yuan_per_year") * self.event_factor("funding_freeze")
        self.budget_left_100m_yuan += fiscal / 12.0 * s
        alive = e.alive_rows()
        heads = self.heads_by_firm()
        # key R&D projects (三.(二)): awarded to firms by technology and research staff
        n_proj = rules.stochastic_round(self.lever("key_rd_projects_per_year") / 12.0 * s, rng.random())
        weights = e.knowledge[alive] * (1.0 + heads[alive, HIGH_END] + heads[alive, TOP])
        for _ in range(n_proj):
            j = rules.choose_index(weights, rng.random())
            if j < 0 or not self._pay_province(P.key_rd_grant_100m_yuan):
                break
            i = alive[j]
            self._grant_firm(i, P.key_rd_grant_100m_yuan)
            months = int(P.key_rd_months)
            left = e.grant_rd_months_left[i]
            remaining = e.grant_rd_month_100m_yuan[i] * left if left > 0 else 0.0
            e.grant_rd_months_left[i] = months
            e.grant_rd_month_100m_yuan[i] = (remaining + P.key_rd_grant_100m_yuan) / months
            self.year_counts["key_rd_projects"][e.city[i]] += 1
        # flagship R&D platforms (一.(三): 5): built in the city with most research talent
        target = int(self.lever("rd_platforms_target"))
        research = self.talent_counts[:, [TOP, HIGH_END]].sum(axis=1) / s
        while cs.rd_platforms.sum() < target:
            ok = research >= P.rd_platform_min_high_end
            if not ok.any():
                break
            c = int(np.argmax(np.where(ok, research / (1.0 + cs.rd_platforms), -1.0)))
            if not self._pay_province(P.rd_platform_cost_100m_yuan * s):
                break
            cs.rd_platforms[c] += 1
            self._grant_city(c, P.rd_platform_cost_100m_yuan * s)
        # innovation platforms, pilots and zones, city by city (二.(三), 二.(四), 三.(三))
        platforms = self.city_lever("innovation_platforms_per_year") / 12.0
        pilots = self.city_lever("application_pilots_per_year") / 12.0
        zones = self.city_lever("demonstration_zones_per_year") / 12.0
        firms_city = np.bincount(e.city[alive], minlength=self.n_cities) / s
        service_city = np.bincount(e.city[alive], weights=np.isin(e.sector[alive], SERVICE_SECTORS),
                                   minlength=self.n_cities)
        u = rng.random((self.n_cities, 3))
        for c in range(self.n_cities):
            for _ in range(rules.stochastic_round(platforms[c], u[c, 0])):
                if self._pay_province(P.platform_cost_100m_yuan * s):
                    cs.innovation_platforms[c] += 1
                    self._grant_city(c, P.platform_cost_100m_yuan * s)
            for _ in range(rules.stochastic_round(pilots[c], u[c, 1])):
                # a pilot needs a local AI service provider to run it
                if service_city[c] > 0 and self._pay_province(P.pilot_cost_100m_yuan * s):
                    cs.application_pilots[c] += 1
                    self._grant_city(c, P.pilot_cost_100m_yuan * s)
            for _ in range(rules.stochastic_round(zones[c], u[c, 2])):
                if firms_city[c] >= P.demo_zone_min_firms and self._pay_province(
                        P.demo_zone_cost_100m_yuan * s):
                    cs.demonstration_zones[c] += 1
                    self._grant_city(c, P.demo_zone_cost_100m_yuan * s)
        # Deqing pilot county (二.(三)): a demonstration zone in Huzhou when the pilot starts
        if self.lever("deqing_pilot") >= 1 and self.cum["deqing_zones"].sum() < P.deqing_pilot_zone_bonus:
            if self._pay_province(P.demo_zone_cost_100m_yuan * s):
                cs.demonstration_zones[self.huzhou] += 1
                self.cum["deqing_zones"][self.huzhou] += 1
                self._grant_city(self.huzhou, P.demo_zone_cost_100m_yuan * s)
        # incubators and maker spaces (二.(五).1): places funded month by month
        seats = self.city_lever("incubator_seats") * s
        for c in range(self.n_cities):
            cost = seats[c] * P.incubator_subsidy_100m_yuan_per_seat_per_year / 12.0
            if cost > 0 and self._pay_province(cost):
                self._grant_city(c, cost)
                cs.incubator_seats[c] = seats[c]
            elif cost > 0:
                cs.incubator_seats[c] = min(seats[c], cs.incubator_occupied[c])
            else:
                cs.incubator_seats[c] = 0.0
        # major industrial projects (三.(二)), land (四.(二)) and host finance permitting
        self._major_projects(alive)
        # public data opening (三.(四)): a level per city
        cs.data_opening[:] = self.city_lever("public_data_opening")
        # Zhejiang Lab (三.(三)) in Hangzhou: basic research, outside the fiscal AI line
        lab = self.lever("zhejiang_lab_funding_100m_yuan_per_year") / 12.0
        if lab > 0:
            self._grant_city(self.hangzhou, lab * s)
            self.budget_spent_month_100m_yuan += lab * s
            cs.public_knowledge[self.hangzhou] += P.public_knowledge_per_100m_yuan * lab
            self.year_counts["public_rd"][self.hangzhou] += lab * s
        # funds (三.(一)): guidance capital, angel/VC support, science fund
        freeze = self.event_factor("funding_freeze")
        for row, lever in ((self.guidance_fund_row, "guidance_fund_capital_100m_yuan_per_year"),
                           (self.angel_guidance_row, "angel_vc_fund_support_100m_yuan_per_year"),
                           (self.science_fund_row, "provincial_science_fund_100m_yuan_per_year")):
            amount = self.lever(lever) / 12.0 * s * freeze
            if amount > 0:
                self._fund_receive(row, amount)
                self.budget_spent_month_100m_yuan += amount
                self.state.funds.government_capital_100m_yuan[row] += amount
                self.state.funds.committed_100m_yuan[row] += amount
                if row != self.science_fund_row:
                    self.cum["guidance_capital"][self.state.funds.city[row]] += amount

    def _major_projects(self, alive):
        """Offer major projects to the largest firms; realised if land and finance allow."""
        P, s, e, rng = self.params, self.scale, self.state.enterprises, self.rng
        n = rules.stochastic_round(self.lever("major_projects_per_year") / 12.0 * s, rng.random())
        if n == 0:
            return
        size = self.lever("major_project_investment_100m_yuan_per_project")
        land = self.lever("land_guarantee")
        own = P.major_project_own_share * size
        subsidy = P.major_project_subsidy_share * size
        for _ in range(n):
            # hosts: established firms that can pay their share, chosen by size
            revenue = e.revenue_year_100m_yuan[alive]
            weights = np.where((revenue >= P.exit_revenue_100m_yuan_per_year)
                               & (e.cash_100m_yuan[alive] >= own), revenue, 0.0)
            j = rules.choose_index(weights, rng.random())
            if j < 0 or rng.random() >= land:
                continue
            i = alive[j]
            if not self._pay_province(subsidy):
                continue
            self._grant_firm(i, subsidy)
            e.cash_100m_yuan[i] -= own + subsidy
            e.outflow_month_100m_yuan[i] += own + subsidy
            gain = P.major_project_knowledge_gain * size / (size + e.revenue_year_100m_yuan[i])
            e.knowledge[i] *= math.exp(gain)
            e.major_projects[i] += 1
            self.cum["major_projects"][e.city[i]] += 1
            self.cum["major_investment"][e.city[i]] += size

    # ------------------------------------------------------------------ phase 2
    def _city_utility(self) -> np.ndarray:
        """Deterministic logit utility of each city for AI talent."""
        P, cs, s = self.params, self.state.cities, self.scale
        peers = self.talent_by_city_tier()[:, :HIGH_SKILL].sum(axis=1) / s
        lab = np.zeros(self.n_cities)
        lab[self.hangzhou] = (P.zhejiang_lab_amenity_per_100m_yuan
                              * self.lever("zhejiang_lab_funding_100m_yuan_per_year"))
        amenity = np.log1p(cs.innovation_platforms + P.rd_platform_weight * cs.rd_platforms
                           + cs.demonstration_zones + lab)
        return (P.logit_wage_weight * np.log(cs.wage_index)
                + P.logit_peer_weight * np.log1p(peers)
                - P.logit_housing_weight * np.log(cs.housing_cost_index)
                + P.logit_amenity_weight * amenity)

    def _inside_probability(self, utility: np.ndarray) -> float:
        """Probability that a newcomer prefers some Zhejiang city to the outside option."""
        m = max(utility.max(), self.params.outside_option_utility)
        inside = np.exp(utility - m).sum()
        return inside / (inside + math.exp(self.params.outside_option_utility - m))

    def talent_supply(self):
        """Attrition and upskilling, then graduates, programme recruits and market inflow."""
        P, s, rng, t = self.params, self.scale, self.rng, self.state.talent
        self.ctx = {"attrition_prob": P.attrition_per_year / 12.0,
                    "upskill_prob": np.array([0.0, 0.0, 0.0, P.upskilling_engineer_per_year,
                                              P.upskilling_high_skill_per_year]) / 12.0}
        self._draw(t.n, 1)
        if self.engine == "numba":
            n_left = kernels.age_and_learn(
                t.n, t.alive, t.tier, t.employer, self.draws, self.ctx["attrition_prob"],
                self.ctx["upskill_prob"], self.flows["promoted_in"], self.flows["promoted_out"],
                *self._left_buffers())
            self._after_talent_kernel(n_left)
        else:
            self.agents_by_type[Talent].do("age_and_learn")
        utility = self._city_utility()
        p_in = self._inside_probability(utility)
        if self.inside_probability_2017 is None:      # the first month sets the reference
            self.inside_probability_2017 = p_in
        acceptance = min(1.0, P.program_acceptance_base * p_in / self.inside_probability_2017)
        outflow = self.event_factor("talent_outflow")
        graduates = self.lever("ai_graduates_per_year") / 12.0 * s
        expected = {
            "graduates": np.array([0.0, 0.0, graduates * P.graduate_high_end_share,
                                   graduates * (1 - P.graduate_high_end_share), 0.0]),
            "programme": np.array([self.lever(name) for name in TALENT_PROGRAM_LEVERS])
            / 12.0 * s * acceptance / outflow,
            "market_inflow": P.market_inflow_per_vacancy_per_month * self.unfilled_vacancies / outflow,
        }
        overseas_share = min(1.0, P.overseas_share_base + P.overseas_share_per_cooperation
                             * self.lever("international_cooperation"))
        weights = np.exp(utility - utility.max())
        for channel, lam in expected.items():
            counts = rng.poisson(np.maximum(lam, 0.0))
            for k in range(N_TIERS):
                n = int(counts[k])
                if n == 0:
                    continue
                u = rng.random((n, 2))
                city = kernels.choose_many(weights, u[:, 0].copy())
                employer = RESEARCH_INSTITUTE if k == TOP else SEEKING
                t.add(n, alive=True, tier=k, city=city, employer=employer,
                      origin_overseas=u[:, 1] < overseas_share, arrival_month=self.month)
                self.flows[channel][k] += n

    def _left_buffers(self):
        """Output arrays for a talent kernel: rows that left and why."""
        n = self.state.talent.n
        self._left = (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))
        return self._left

    def _after_talent_kernel(self, n_left: int) -> None:
        """Book the kernel's departures as talent_leaves would, and drop their Mesa agents."""
        t = self.state.talent
        rows, reasons = self._left
        names = ("attrition", "out_migration", "gave_up")
        for row, reason in zip(rows[:n_left], reasons[:n_left]):
            self.flows[names[reason]][t.tier[row]] += 1
        self._dead_rows["talent"].extend(rows[:n_left].tolist())

    def talent_leaves(self, row: int, reason: str) -> None:
        """Talent `row` leaves Zhejiang's AI pool (attrition, out-migration, gave up)."""
        t = self.state.talent
        t.alive[row] = False
        t.employer[row] = SEEKING
        self.flows[reason][t.tier[row]] += 1
        self._dead_rows["talent"].append(row)

    # ------------------------------------------------------------------ phase 3
    def talent_migration(self):
        """Talent reviews its city by a logit on wage, peers, housing, amenity, distance."""
        P, t = self.params, self.state.talent
        utility = self._city_utility()
        outflow = self.event_factor("talent_outflow")
        self.ctx = {"review_prob": P.relocation_review_rate_per_year / 12.0,
                    "city_utility": np.tile(utility, (N_TIERS, 1)),
                    "outside_utility": np.full(N_TIERS, P.outside_option_utility + math.log(outflow))}
        self._draw(t.n, 1)
        if self.engine == "numba":
            n_left = kernels.review_location(
                t.n, t.alive, t.tier, t.city, t.employer, t.months_seeking, self.draws,
                self.ctx["review_prob"], self.ctx["city_utility"], self.ctx["outside_utility"],
                P.logit_distance_weight_per_100km, self.distance_100km, self.flows["moved"],
                *self._left_buffers())
            self._after_talent_kernel(n_left)
        else:
            self.agents_by_type[Talent].do("review_location")

    # ------------------------------------------------------------------ phase 4
    def labour_needs(self) -> np.ndarray:
        """AI talent each firm wants, by tier: proportional to revenue, plus start-up teams."""
        e = self.state.enterprises
        n = e.n
        # AI talent per unit of revenue falls with labour productivity growth
        productivity = (1.0 + self.params.ai_labour_productivity_growth_per_year) ** (self.month / 12)
        need = np.outer(e.revenue_year_100m_yuan[:n], self.heads_per_revenue / productivity)
        need[:, ENGINEER] = np.maximum(need[:, ENGINEER], self.startup_team(np.arange(n)))
        need[~e.alive[:n]] = 0.0
        return need

    def startup_team(self, rows: np.ndarray) -> np.ndarray:
        """Engineers a start-up wants (0 for other firms): a founding team plus what part of
        its cash pays for over a 24-month runway. A start-up is a firm younger than
        `startup_age_months` still below the register threshold (a young firm that is
        already large staffs by its revenue, like any other)."""
        P, e = self.params, self.state.enterprises
        young = (((self.month - e.birth_month[rows]) < P.startup_age_months)
                 & (e.revenue_year_100m_yuan[rows] < P.register_threshold_100m_yuan_per_year))
        eng_month = self.wages[ENGINEER] / 12.0
        team = P.startup_team_engineers + P.startup_cash_share_for_engineers * np.maximum(
            e.cash_100m_yuan[rows], 0.0) / (P.startup_runway_months * eng_month)
        return np.where(young, team, 0.0)

    def labour_market(self):
        """Layoffs of excess staff, then seekers meet vacancies in their own city."""
        P, e, t = self.params, self.state.enterprises, self.state.talent
        need = self.labour_needs()
        heads = self.heads_by_firm()
        # founders are never laid off by their own firm
        need[:, ENTREPRENEUR] = np.maximum(need[:, ENTREPRENEUR], heads[:, ENTREPRENEUR])
        excess = np.maximum(heads - need * (1.0 + P.vacancy_slack), 0.0)
        layoff = np.where(heads > 0, P.layoff_rate_per_month * excess / np.maximum(heads, 1), 0.0)
        self.ctx = {"layoff_prob": layoff}
        self._draw(t.n, 2)     # column 0: job search, column 1: layoff
        if self.engine == "numba":
            kernels.consider_layoff(t.n, t.alive, t.tier, t.employer, t.months_seeking,
                                    self.draws, layoff)
        else:
            self.agents_by_type[Talent].do("consider_layoff")
        heads = self.heads_by_firm()
        self.vacancies = np.maximum(need - heads, 0.0)
        alive = e.alive_rows()
        self._build_vacancy_trees(alive)
        vac_city = np.zeros((self.n_cities, N_TIERS))
        for c in range(self.n_cities):
            vac_city[c] = self.vacancies[self.city_firms[self.city_firm_ptr[c]:
                                                          self.city_firm_ptr[c + 1]]].sum(axis=0)
        seekers = self.talent_by_city_tier(SEEKING)
        hire = np.where(seekers > 0, P.match_efficiency_per_month * vac_city / np.maximum(seekers, 1), 0.0)
        self.ctx["hire_prob"] = np.minimum(hire, 1.0)
        if self.engine == "numba":
            n_left = kernels.seek_job(
                t.n, t.alive, t.tier, t.city, t.employer, t.months_seeking, self.draws,
                self.ctx["hire_prob"], self.vacancies, self.city_firm_ptr, self.city_firms,
                self.vacancy_weights, self.vacancy_trees, int(P.job_search_patience_months),
                *self._left_buffers())
            self._after_talent_kernel(n_left)
        else:
            self.agents_by_type[Talent].do("seek_job")
        self.unfilled_vacancies = np.floor(self.vacancies[alive]).sum(axis=0)
        self.labour_need = need
        # Staff lists and talent counts after the labour market. Until the next month's
        # talent_supply nobody changes city, tier or pool; only exits (whose firms' staff
        # nobody reads again) and founding (spin-off parents) change employers, so
        # innovation, market and entry_exit read `staff`, and entry_exit and the next
        # apply_policy read `talent_counts` (tests/test_invariants.py checks both).
        self.staff = self.heads_by_firm()
        self.talent_counts = self.talent_by_city_tier()

    def _build_vacancy_trees(self, alive: np.ndarray) -> None:
        """Firms grouped by city (row order) and, per tier, Fenwick trees of their vacancies."""
        e = self.state.enterprises
        self.city_firm_ptr, self.city_firms = kernels.csr_by_city(alive, e.city[alive],
                                                                  self.n_cities)
        self.vacancy_weights = np.ascontiguousarray(self.vacancies[self.city_firms].T)
        self.vacancy_trees = kernels.vacancy_trees(self.vacancy_weights, self.city_firm_ptr)

    def pick_vacancy(self, city: int, tier: int, u: float) -> int:
        """A firm in `city` with an open `tier` vacancy, drawn in proportion to its openings
        (the same Fenwick draw as the numba kernel, `kernels.take_vacancy`)."""
        return int(kernels.take_vacancy(city, tier, u, self.vacancies, self.city_firm_ptr,
                                        self.city_firms, self.vacancy_weights,
                                        self.vacancy_trees))

    # ------------------------------------------------------------------ phase 5
    def finance(self):
        """Guidance funds close sub-funds; angel/VC and industrial funds invest and exit;
        the science fund finances basic research (三.(一))."""
        P, e = self.params, self.state.enterprises
        alive = e.alive_rows()
        age = self.month - e.birth_month[alive]
        revenue = e.revenue_year_100m_yuan[alive]
        noise = np.exp(P.screening_noise * self.rng.standard_normal(len(alive)))
        score = e.knowledge[alive] * noise
        self.ctx = {
            "deal_rows": alive,
            "deal_city": e.city[alive],
            "seed_weight": np.where((age < P.startup_age_months)
                                    & (revenue < P.seed_stage_max_revenue_100m_yuan_per_year),
                                    score, 0.0),
            "growth_weight": np.where((revenue >= P.growth_stage_min_revenue_100m_yuan_per_year)
                                      & (revenue < P.growth_stage_max_revenue_100m_yuan_per_year),
                                      score, 0.0),
            "sentiment": self._sentiment(),
        }
        self._exits()
        if self.engine == "numba":
            # funds are few and act through Python (deal choice, new sub-funds): the same
            # Fund.invest in the same row order, without making views of other agents
            self.sync_views(("funds",))
            for view in list(self._views["funds"][1]):
                if view is not None and self.state.funds.alive[view.row]:
                    view.invest()
        else:
            self.agents_by_type[Fund].do("invest")

    def _sentiment(self) -> float:
        """Investor sentiment from the province's AI revenue growth over the last year."""
        h = self.revenue_history
        if len(h) < 24:
            return 1.0
        P = self.params
        growth = sum(h[-12:]) / max(sum(h[-24:-12]), 1e-12) - 1.0
        raw = 1.0 + P.leverage_sentiment_elasticity * (growth - P.sentiment_reference_growth_per_year)
        return float(np.clip(raw, P.sentiment_min, P.sentiment_max))

    def _exits(self):
        """Investors exit firms that reached the exit revenue; failed firms are written off."""
        P, d, e = self.params, self.state.deals, self.state.enterprises
        rows = d.alive_rows()
        firm = d.firm[rows]
        failed = ~e.alive[firm]
        d.alive[rows[failed]] = False
        ready = ~failed & (e.revenue_year_100m_yuan[firm] >= P.exit_revenue_100m_yuan_per_year)
        for r in rows[ready]:
            growth = e.revenue_year_100m_yuan[d.firm[r]] / d.entry_revenue_100m_yuan[r]
            multiple = min(P.exit_multiple_cap, max(0.1, growth) ** P.exit_value_elasticity)
            self._fund_receive(d.fund[r], d.amount_100m_yuan[r] * multiple)
            self.state.funds.proceeds_100m_yuan[d.fund[r]] += d.amount_100m_yuan[r] * multiple
            d.alive[r] = False

    # ------------------------------------------------------------------ phase 6
    def innovation(self):
        """R&D, innovation and imitation (K+S), patents and standards (四.(四))."""
        P, e, cs = self.params, self.state.enterprises, self.state.cities
        n = e.n
        heads = self.staff
        total_heads = heads.sum(axis=1)
        high = (heads[:, TOP] + heads[:, HIGH_END]) / np.maximum(total_heads, 1)
        young_small = e.revenue_year_100m_yuan[:n] < P.register_threshold_100m_yuan_per_year
        # R&D user cost (Bloom, Griffith & Van Reenen 2002): tax relief (四.(二)) lowers it
        relief = self.lever("tax_incentive_pct_points") / 100.0 / (1.0 - P.corporate_tax_rate)
        intensity = P.rd_intensity * (1.0 + P.rd_user_cost_elasticity * relief)
        own_rd = np.maximum(intensity * e.revenue_month_100m_yuan[:n],
                            np.where(young_small, P.startup_rd_share_of_cash_per_month
                                     * np.maximum(e.cash_100m_yuan[:n], 0.0), 0.0))
        access = 1.0 - np.exp(-P.platform_access_per_platform
                              * (cs.innovation_platforms + P.rd_platform_weight * cs.rd_platforms))
        alive = e.alive_rows()
        best = np.zeros(self.n_cities)
        np.maximum.at(best, e.city[alive], e.knowledge[alive])
        pool = self.lever("patent_pool")
        leading = ((e.revenue_year_100m_yuan[:n] >= P.leading_revenue_100m_yuan_per_year)
                   & (e.invention_patents[:n] >= P.leading_min_invention_patents))
        self.ctx = {
            "own_rd": own_rd, "high_tier_share": high, "platform_access": access,
            "data_opening": cs.data_opening, "public_knowledge": cs.public_knowledge,
            "imitation_prob": np.minimum(1.0, P.imitation_rate_per_month
                                         * (1.0 + P.patent_pool_imitation_multiplier * pool)
                                         * (1.0 + access)),
            "best_knowledge": best,
            "international_catch_up": P.international_catch_up_per_year / 12.0
            * self.lever("international_cooperation"),
            "frontier": self.frontier, "is_leading": leading,
            "standard_prob": P.standard_rate_per_leading_firm_per_year / 12.0
            * (1.0 + P.standards_support_multiplier * self.lever("standards_support")),
        }
        rd_before = e.rd_ytd_100m_yuan[:n].copy()
        self._draw(n, 6)
        if self.engine == "numba":
            service = np.isin(np.arange(N_SECTORS), SERVICE_SECTORS)
            kernels.innovate(
                n, e.alive, e.city, e.sector, e.knowledge, e.core_share_base, e.cash_100m_yuan,
                e.outflow_month_100m_yuan, e.rd_month_100m_yuan, e.rd_ytd_100m_yuan,
                e.grant_rd_month_100m_yuan, e.grant_rd_months_left, e.invention_patents,
                e.core_patents, e.standards, self.draws, own_rd, high, access, cs.data_opening,
                cs.public_knowledge, self.ctx["imitation_prob"], best,
                self.ctx["international_catch_up"], self.frontier, leading,
                self.ctx["standard_prob"], service, P.high_tier_rd_multiplier,
                P.platform_rd_multiplier, P.data_rd_multiplier, P.public_knowledge_rd_multiplier,
                P.innovation_rate_per_100m_yuan, P.innovation_step_mean, P.imitation_catch_up,
                P.patents_per_100m_yuan_rd, P.core_patent_share_factor,
                P.core_share_knowledge_elasticity, self.year_counts["core_patents_granted"],
                self.year_counts["standards"])
        else:
            self.agents_by_type[Enterprise].do("innovate")
        spent = e.rd_ytd_100m_yuan[:n] - rd_before
        self.year_counts["firm_rd"] += np.bincount(e.city[:n], weights=spent, minlength=self.n_cities)
        self.frontier *= (1.0 + P.global_frontier_growth_per_year) ** (1 / 12)
        cs.public_knowledge *= (1.0 - P.public_knowledge_decay_per_year) ** (1 / 12)

    # ------------------------------------------------------------------ phase 7
    def market(self):
        """Bass adoption, sector demand (local + external), replicator shares, revenue, costs."""
        P, e, cs, s = self.params, self.state.enterprises, self.state.cities, self.scale
        n = e.n
        cs.gdp_100m_yuan *= (1.0 + P.gdp_growth_per_year) ** (1 / 12)
        self.ctx = {
            "bass_p": P.bass_innovation_per_year
            + P.pilot_innovation_uplift_per_year * cs.application_pilots
            + P.data_opening_innovation_uplift_per_year * cs.data_opening
            + P.patent_pool_innovation_uplift_per_year * self.lever("patent_pool"),
            "bass_q": P.bass_imitation_per_year
            + P.demo_zone_imitation_uplift_per_year * cs.demonstration_zones,
        }
        if self.engine == "numba":
            kernels.adopt(cs.adoption, self.ctx["bass_p"], self.ctx["bass_q"])
        else:
            self.agents_by_type[City].do("adopt")
        alive = e.alive_rows()
        demand_factor = np.array([self.event_factor("demand_shock", c) for c in range(self.n_cities)])
        local = self.purchase_share_of_gdp * (cs.adoption * cs.gdp_100m_yuan * demand_factor).sum() / 12.0
        rev_w = e.revenue_year_100m_yuan[alive]
        mean_k = float((e.knowledge[alive] * rev_w).sum() / max(rev_w.sum(), 1e-12))
        self.external_market_100m_yuan *= (1.0 + P.external_market_growth_per_year) ** (1 / 12)
        self.external_share = float(np.clip(
            self.external_share * (1.0 + P.external_replicator_speed_per_year / 12.0
                                   * (mean_k / self.frontier - 1.0)), 1e-4, 0.9))
        access = 1.0 + P.international_market_access * self.lever("international_cooperation")
        external = (self.external_market_100m_yuan * access * self.external_share / 12.0
                    * self.event_factor("demand_shock"))
        sector_demand = (local + external) * self.sector_mix * s
        chips = min(P.chip_supply_capacity, 1.0) * self.event_factor("chip_restriction")
        sector_demand[list(HARDWARE_SECTORS)] *= chips
        share = e.market_share[alive]
        sector = e.sector[alive]
        share_k = np.bincount(sector, weights=share * e.knowledge[alive], minlength=N_SECTORS)
        share_sum = np.bincount(sector, weights=share, minlength=N_SECTORS)
        self.ctx["mean_knowledge"] = share_k / np.maximum(share_sum, 1e-300)
        self.normals = self.rng.standard_normal(n)
        if self.engine == "numba":
            kernels.compete(n, e.alive, e.sector, e.knowledge, e.market_share,
                            e.revenue_year_100m_yuan, self.normals, self.ctx["mean_knowledge"],
                            P.demand_shock_sd_per_month, P.growth_spread_size_elasticity,
                            P.replicator_speed_per_year / 12.0)
        else:
            self.agents_by_type[Enterprise].do("compete")
        self.ctx["share_sum"] = np.maximum(
            np.bincount(sector, weights=e.market_share[alive], minlength=N_SECTORS), 1e-300)
        self.ctx["sector_demand"] = sector_demand
        heads = self.staff
        need = self.labour_need[:n].sum(axis=1)      # set by labour_market this month
        have = heads[:, ENTREPRENEUR:].sum(axis=1)
        self.ctx["labour_fill"] = np.where(need > 0, np.minimum(1.0, have / np.maximum(need, 1e-12)), 1.0)
        self.ctx["wage_bill"] = (heads * self.wages).sum(axis=1) * cs.wage_index[e.city[:n]] / 12.0
        self.ctx["tax_rate"] = max(0.0, P.corporate_tax_rate - self.lever("tax_incentive_pct_points") / 100.0)
        if self.engine == "numba":
            kernels.sell(n, self.month, e.alive, e.sector, e.market_share,
                         e.revenue_month_100m_yuan, e.revenue_ytd_100m_yuan,
                         e.revenue_year_100m_yuan, e.cash_100m_yuan, e.inflow_month_100m_yuan,
                         e.outflow_month_100m_yuan, e.rd_month_100m_yuan, e.incubated_until,
                         sector_demand, self.ctx["share_sum"], self.ctx["labour_fill"],
                         self.ctx["wage_bill"], self.ctx["tax_rate"],
                         P.labour_shortage_revenue_elasticity,
                         P.startup_fixed_cost_100m_yuan_per_month, P.incubator_cost_discount,
                         P.opex_share_of_revenue, e.profit_ytd_100m_yuan)
        else:
            self.agents_by_type[Enterprise].do("sell")
        self.revenue_history.append(float(e.revenue_month_100m_yuan[alive].sum() / s))

    # ------------------------------------------------------------------ phase 8
    def entry_exit(self):
        """Firms out of cash exit; leading entrepreneurs, engineers and incubators found firms."""
        P, e, t, cs = self.params, self.state.enterprises, self.state.talent, self.state.cities
        if self.engine == "numba":
            exits = np.empty(e.n, dtype=np.int64)
            n_exit = kernels.check_exit(e.n, e.alive, e.cash_100m_yuan, e.months_negative_cash,
                                        int(P.exit_grace_months), exits)
            self.exit_enterprises(exits[:n_exit])
        else:
            self.agents_by_type[Enterprise].do("check_exit")
        engineers = self.talent_counts[:, ENGINEER]
        free_seats = np.maximum(cs.incubator_seats - cs.incubator_occupied, 0.0)
        incubator = free_seats * P.incubator_startup_rate_per_seat_per_year / 12.0 / np.maximum(engineers, 1)
        base = P.startup_rate_per_engineer_per_year / 12.0 + incubator
        n = e.n
        heads = self.staff.sum(axis=1)
        spin = np.where(heads > 0, P.spinoff_rate_per_100m_yuan_per_year / 12.0
                        * e.revenue_year_100m_yuan[:n] / np.maximum(heads, 1), 0.0)
        self.ctx = {"found_prob_entrepreneur": P.startup_rate_per_entrepreneur_per_year / 12.0,
                    "found_prob_engineer": base, "spinoff_prob": spin}
        self._draw(t.n, 1)
        if self.engine == "numba":
            founders = np.empty(t.n, dtype=np.int64)
            n_found = kernels.consider_founding(
                t.n, t.alive, t.tier, t.city, t.employer, self.draws,
                self.ctx["found_prob_entrepreneur"], base, spin, founders)
            for row in founders[:n_found]:
                self.found_enterprise(int(row))
        else:
            self.agents_by_type[Talent].do("consider_founding")

    def found_enterprise(self, talent_row: int) -> int:
        """Talent `talent_row` founds a firm in its city; returns the new enterprise row."""
        P, e, t, cs, rng = self.params, self.state.enterprises, self.state.talent, self.state.cities, self.rng
        c = int(t.city[talent_row])
        parent = int(t.employer[talent_row])
        u = rng.random(3)
        if parent >= 0:
            sector = int(e.sector[parent])          # spin-off stays in its parent's sector
        else:
            sector = rules.choose_index(SECTOR_FIRM_MIX, u[0])
        alive = e.alive_rows()
        in_city = alive[e.city[alive] == c]
        mean_k = float(e.knowledge[in_city].mean()) if len(in_city) else float(e.knowledge[alive].mean())
        knowledge = mean_k * math.exp(self.initial.knowledge_dispersion * math.sqrt(2.0) * rules._erfinv(2 * u[1] - 1))
        incubated = cs.incubator_seats[c] - cs.incubator_occupied[c] >= 1.0 or (
            cs.incubator_seats[c] - cs.incubator_occupied[c] > u[2])
        sector_alive = alive[e.sector[alive] == sector]
        share_sum = float(e.market_share[sector_alive].sum()) if len(sector_alive) else 1.0
        rev_sector = float(e.revenue_month_100m_yuan[sector_alive].sum()) if len(sector_alive) else 1.0
        share = P.startup_revenue_100m_yuan_per_year / 12.0 * share_sum / max(rev_sector, 1e-9)
        seed = P.startup_seed_cash_100m_yuan
        row = int(e.add(1, alive=True, city=c, sector=sector, birth_month=self.month, exit_month=-1,
                        knowledge=knowledge, core_share_base=P.core_share_multiplier * SECTOR_CORE_SHARE[sector],
                        market_share=share, cash_100m_yuan=seed, inflow_month_100m_yuan=seed,
                        incubated_until=self.month + int(P.incubation_months) if incubated else -1)[0])
        if incubated:
            cs.incubator_occupied[c] += 1
        t.employer[talent_row] = row
        t.months_seeking[talent_row] = 0
        self.year_counts["new_startups"][c] += 1
        self.firm_flows["entries"] += 1
        return row

    def exit_enterprise(self, row: int) -> None:
        """Firm `row` closes: staff look for work, investors write off, incubator place freed."""
        self.exit_enterprises(np.array([row], dtype=np.int64))

    def exit_enterprises(self, rows: np.ndarray) -> None:
        """Firms `rows` close, in row order (`exit_enterprise` for each), with one pass over
        the talent for all their staff: a pass per firm made exits quadratic at scale 10."""
        if len(rows) == 0:
            return
        e, t, cs = self.state.enterprises, self.state.talent, self.state.cities
        e.alive[rows] = False
        e.exit_month[rows] = self.month
        staff = np.flatnonzero(np.isin(t.employer[: t.n], rows))
        t.employer[staff] = SEEKING
        t.months_seeking[staff] = 0
        for row in rows:
            c = e.city[row]
            if e.incubated_until[row] > self.month:
                cs.incubator_occupied[c] = max(0.0, cs.incubator_occupied[c] - 1)
            self.year_counts["exits"][c] += 1
        self.firm_flows["exits"] += len(rows)
        self._dead_rows["enterprises"].extend(int(r) for r in rows)

    # ------------------------------------------------------------------ phase 9
    def record(self):
        """Release incubator places that ended; in December, record the year's indicators."""
        e, cs = self.state.enterprises, self.state.cities
        n = e.n
        ended = (e.incubated_until[:n] == self.month) & e.alive[:n]
        if ended.any():
            cs.incubator_occupied -= np.bincount(e.city[:n][ended], minlength=self.n_cities)
            np.maximum(cs.incubator_occupied, 0.0, out=cs.incubator_occupied)
        if self.month % 12 == 11:
            self.recorder.record_year(self.year)
            e.view("revenue_prev_year_100m_yuan")[:] = e.view("revenue_ytd_100m_yuan")
