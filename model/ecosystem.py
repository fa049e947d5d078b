"""AIEcosystemModel: Zhejiang's AI industry, one step a month from January 2017.

The province is the model itself: it holds the budget (`province.py`), applies the plan's
levers, and records indicators. `step()` is the model's process overview (docs/ODD.md §3);
each phase lives in its own module under `model/phases/`, with the agents' Mesa methods
(the mesa engine) and the numba kernels (the numba engine) of its rules side by side.
This class only builds the model, runs the phases in order, keeps the Mesa views, and
looks up levers and events.
"""

from __future__ import annotations

from types import SimpleNamespace

import mesa
import numpy as np

from . import aggregates, streams
from .agents import City, Enterprise, Fund, Talent
from .data import cities as city_table
from .data import distance_km
from .indicators import IndicatorRecorder, datacollector_for
from .init import populate
from .initial import WAGE_100M_YUAN_PER_YEAR, Initial
from .ledger import Ledger
from .levers import LeverSettings
from .month_cache import MonthCache
from .params import Params
from .phases.entry_exit import entry_exit
from .phases.finance import finance
from .phases.housing import housing
from .phases.innovation import innovation
from .phases.labour_market import labour_market
from .phases.market import market
from .phases.policy import apply_policy
from .phases.record import record
from .phases.talent_month import talent_month
from .phases.wages import wages
from .province import Province
from .state import (
    DEAL_COLUMNS,
    ENTERPRISE_COLUMNS,
    FUND_COLUMNS,
    N_TIERS,
    TALENT_COLUMNS,
    CityState,
    Economy,
    Population,
)
from .tallies import Tallies

ENGINES = ("mesa", "numba")
START_YEAR = 2017
VIEW_CLASSES = {"cities": City, "enterprises": Enterprise, "talent": Talent, "funds": Fund}


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
    agent_reporters : optional Mesa agent reporters for `datacollector` (its model reporters
        are the indicators; see `indicators.datacollector_for`).
    """

    def __init__(self, *, levers: dict | None = None, city_levers: dict | None = None,
                 parameters: dict | None = None, initial: dict | None = None,
                 start_year: int = START_YEAR, end_year: int = 2030, seed: int | None = None,
                 engine: str = "numba", scale: float = 1.0, scenario_name: str = "custom",
                 events: list | None = None, agent_reporters: dict | None = None):
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
        self.hangzhou = self.city_names.index("Hangzhou")
        self.huzhou = self.city_names.index("Huzhou")
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
        self.economy = Economy(WAGE_100M_YUAN_PER_YEAR)
        self.ledger = Ledger()
        self.province = Province(self.state, self.ledger)
        self.tally = Tallies(self.n_cities)
        self.cache = MonthCache()
        self.ctx = None                   # this phase's context (a NamedTuple)
        self.stream_key = streams.run_key(self.rng.bit_generator.seed_seq)
        self.draw_key = np.uint64(0)          # this phase's key of per-agent draws (`draw`)
        self._draw_key_int = 0                # the same, a Python int (`uniform`)
        populate(self, table)
        # Mesa views are made on demand (see `agents_by_type`): one list per population,
        # indexed by row, None where no view exists; rows that died wait in `dead_rows`
        self.city_agents = [City(self, c) for c in range(self.n_cities)]
        self._views = {name: [] for name in ("enterprises", "talent", "funds")}
        self.dead_rows = {name: [] for name in self._views}
        self.recorder = IndicatorRecorder(self)
        self.datacollector = datacollector_for(self, agent_reporters)
        census = self.census()
        self.cache.talent_counts = aggregates.talent_counts(census)
        self.cache.researchers = census.by_city[:, :, aggregates.RESEARCHERS].sum(axis=1)
        self.running = True
        self.datacollector.collect(self)

    @classmethod
    def from_scenario(cls, scenario, *, seed: int | None = None, engine: str = "numba",
                      scale: float | None = None) -> "AIEcosystemModel":
        """Build a model from a Scenario (or a path to a scenario file)."""
        from .scenario import Scenario, load_scenario

        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        return cls(**scenario.model_kwargs(), seed=scenario.seed if seed is None else seed,
                   engine=engine, scale=scenario.scale if scale is None else scale)

    # ------------------------------------------------------------------ the step
    def step(self):
        """One month: the phases of docs/ODD.md §3, in order (one module each)."""
        self.begin_month()
        apply_policy(self)       # province: budget, projects, platforms, pilots, zones, funds
        talent_month(self)       # each talent ages, reviews its city, faces layoffs; arrivals
        labour_market(self)      # vacancies, matching in each city
        wages(self)              # sticky wages per city and tier: income, tightness, wage curve
        housing(self)            # housing costs per city: income and AI-induced population
        finance(self)            # venture exits, guidance sub-funds, angel/VC deals, science
        innovation(self)         # R&D -> innovation, imitation, patents, standards
        market(self)             # Bass adoption, sector demand, replicator shares, revenue
        entry_exit(self)         # exits on negative cash; start-ups and spin-offs
        record(self)             # incubator tenancies end; annual indicators in December
        self.datacollector.collect(self)
        self.month += 1
        if self.month >= self.n_months:
            self.running = False

    def begin_month(self):
        """Zero the month's flow records (and in January the year's)."""
        e, f = self.state.enterprises, self.state.funds
        for pop in (e, f):
            pop.view("inflow_month_100m_yuan")[:] = 0.0
            pop.view("outflow_month_100m_yuan")[:] = 0.0
        e.view("grant_month_100m_yuan")[:] = 0.0
        self.state.cities.funds_received_100m_yuan[:] = 0.0
        self.state.cities.research_grants_100m_yuan[:] = 0.0
        new_year = self.month % 12 == 0
        self.tally.reset_month()
        self.ledger.begin_month(new_year)
        self.province.begin_month()
        if new_year:
            e.view("revenue_ytd_100m_yuan")[:] = 0.0
            e.view("profit_ytd_100m_yuan")[:] = 0.0
            e.view("rd_ytd_100m_yuan")[:] = 0.0
            self.tally.reset_year()

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

    def agent_set(self, population: str) -> mesa.agent.AgentSet:
        """The AgentSet of one population ("cities", "enterprises", "talent", "funds")."""
        return self.agents_by_type[VIEW_CLASSES[population]]

    def sync_views(self, names=None) -> None:
        """Create views for rows added since the last call and remove those of dead rows.

        Views are cheap to keep but not to create (a Mesa agent registers itself), so the
        numba engine makes them only when somebody looks; the mesa engine looks before
        every phase that iterates agents, so it always sees exactly the living agents.
        """
        for name in names or self._views:
            cls, views = VIEW_CLASSES[name], self._views[name]
            pop = getattr(self.state, name)
            for row in self.dead_rows[name]:
                if row < len(views) and views[row] is not None:
                    views[row].remove()
                    views[row] = None
            self.dead_rows[name].clear()
            alive = pop.alive
            for row in range(len(views), pop.n):
                views.append(cls(self, row) if alive[row] else None)

    def views(self, population: str) -> list:
        """A copy of one population's views by row (None where dead), brought up to date."""
        self.sync_views((population,))
        return list(self._views[population])

    def view(self, population: str, row: int):
        """The Mesa agent of `row` in `population` ("enterprises", "talent", "funds")."""
        self.sync_views()
        return self._views[population][row]

    def mark_dead(self, population: str, rows) -> None:
        """Rows of `population` that left the model: their views go at the next sync (rows
        beyond the views made so far have none: a view is made only for a living row)."""
        made = len(self._views[population])
        if made:
            self.dead_rows[population].extend(int(r) for r in rows if r < made)

    # ------------------------------------------------------------------ lookups
    @property
    def year(self) -> int:
        return self.start_year + self.month // 12

    def draw(self, stream: str) -> np.uint64:
        """Key this phase's per-agent draws (`streams.STREAMS`) for this month: rules then
        take `streams.uniform(model.draw_key, agent_row, k)`, computed where they are used."""
        self.draw_key = streams.phase_key_py(self.stream_key, self.month,
                                             streams.STREAMS[stream])
        self._draw_key_int = int(self.draw_key)
        return self.draw_key

    def use_draw_key(self, key: np.uint64, key_int: int) -> None:
        """Draw from a phase key made earlier in the month (`draw`'s value, and the same as
        a Python int): the talent's month runs three rules, each on its own stream, agent
        by agent."""
        self.draw_key, self._draw_key_int = key, key_int

    def uniform(self, row: int, k: int) -> float:
        """Draw `k` of agent `row` in this phase (the agents' methods; kernels call
        `streams.uniform` with the same key and get the same number)."""
        return streams.uniform_py(self._draw_key_int, int(row), k)

    def lever(self, name: str) -> float:
        """This month's province value of a lever (schedule, then active lever_change events)."""
        value = self.levers.value(name, self.year)
        for ev in self.events:
            if ev.get("kind") == "lever_change" and ev.get("lever") == name and self.active(ev):
                value = float(ev["value"])
        return value

    def active(self, ev: dict, month: int | None = None) -> bool:
        """Whether scheduled event `ev` is active this month (or in model month `month`)."""
        month = self.month if month is None else month
        start = (int(ev["start"]) - self.start_year) * 12
        return start <= month < start + int(round(float(ev.get("duration", 1)) * 12))

    def city_lever(self, name: str) -> np.ndarray:
        return self.levers.city_values(name, self.year, self.gdp_share, self.is_core)

    def event_factor(self, kind: str, city: int | None = None, month: int | None = None) -> float:
        """Multiplier from scheduled events of `kind` active this month, or in model month
        `month` (1 when none)."""
        factor = 1.0
        for ev in self.events:
            if ev.get("kind") != kind or not self.active(ev, month):
                continue
            # province-wide events act everywhere; city events only in their cities
            regions = ev.get("regions", ["Zhejiang"])
            if "Zhejiang" not in regions and (city is None or self.city_names[city] not in regions):
                continue
            factor *= float(ev.get("magnitude", 1.0))
        return factor

    def census(self) -> aggregates.Census:
        """Living talent now, by firm and tier and by city, tier and kind of employer."""
        t = self.state.talent
        census = aggregates.new_census(self.state.enterprises.n, self.n_cities)
        aggregates.count_all(t.n, t.alive, t.city, t.tier, t.employer, census)
        return census

    def heads_by_firm(self) -> np.ndarray:
        """Employed AI talent per enterprise row and tier (rows x 5)."""
        t = self.state.talent
        return aggregates.heads_by_firm(t.n, t.alive, t.employer, t.tier,
                                        self.state.enterprises.n, N_TIERS)

    def talent_by_city_tier(self, employer: int = aggregates.ALL_EMPLOYERS) -> np.ndarray:
        """Living talent per city and tier, optionally only of one employer code."""
        t = self.state.talent
        return aggregates.talent_by_city_tier(t.n, t.alive, t.city, t.tier, t.employer,
                                              employer, self.n_cities, N_TIERS)
