"""Column-wise populations: one numpy array per state variable, rows are agents.

Row i of every column of a population is the i-th agent of that kind ever created;
rows are never reused, so a row index is a stable id. `alive` marks agents still in
the model. Capacity doubles when full, so appending is amortised O(1). Numba kernels
take these arrays directly; Mesa agents (`agents.py`) are thin views on a row.
"""

from __future__ import annotations

import numpy as np

TIERS = ("top_scientists", "leading_entrepreneurs", "high_end_rd", "engineers", "high_skill")
N_TIERS = len(TIERS)
TOP, ENTREPRENEUR, HIGH_END, ENGINEER, HIGH_SKILL = range(N_TIERS)

SECTORS = (
    "smart_security",       # 二.(二).1
    "smart_vehicles",       # 二.(二).2
    "robots",               # 二.(二).3
    "smart_home",           # 二.(二).4
    "smart_hardware",       # 二.(二).5, 二.(一).3 chips and devices
    "ai_software_platforms",  # 二.(一).3, 三.(四) open platforms
    "application_services",   # 二.(四), 二.(五).3 AI-as-a-service providers
)
N_SECTORS = len(SECTORS)
SERVICE_SECTORS = (5, 6)
HARDWARE_SECTORS = (0, 1, 2, 3, 4)

FUND_KINDS = ("guidance", "angel_vc", "industrial", "science")
GUIDANCE, ANGEL_VC, INDUSTRIAL, SCIENCE = range(len(FUND_KINDS))

# employer codes for talent not employed by a firm
SEEKING = -1            # looking for a job in its city
RESEARCH_INSTITUTE = -2  # university, Zhejiang Lab or another public lab

# column name -> (dtype, unit and meaning)
ENTERPRISE_COLUMNS = {
    "alive": (np.bool_, "still operating"),
    "city": (np.int64, "index into CITY order"),
    "sector": (np.int64, "index into SECTORS"),
    "birth_month": (np.int64, "model month of entry (0 = Jan 2017; negative = before)"),
    "exit_month": (np.int64, "model month of exit, -1 while alive"),
    "market_share": (np.float64, "share of its sector's Zhejiang sales, before capacity limits"),
    "knowledge": (np.float64, "productivity / technology level (1 = Zhejiang mean in 2017)"),
    "core_share_base": (np.float64, "AI-core share of revenue at knowledge 1 (by sector)"),
    "revenue_month_100m_yuan": (np.float64, "revenue in the current month"),
    "revenue_year_100m_yuan": (np.float64, "revenue over the last 12 months"),
    "revenue_prev_year_100m_yuan": (np.float64, "revenue of the previous calendar year"),
    "revenue_ytd_100m_yuan": (np.float64, "revenue since January"),
    "profit_ytd_100m_yuan": (np.float64, "pre-tax profit since January"),
    "cash_100m_yuan": (np.float64, "cash balance"),
    "inflow_month_100m_yuan": (np.float64, "all cash received this month"),
    "outflow_month_100m_yuan": (np.float64, "all cash paid this month"),
    "grant_month_100m_yuan": (np.float64, "provincial money received this month"),
    "equity_received_100m_yuan": (np.float64, "cumulative equity investment received"),
    "rd_month_100m_yuan": (np.float64, "R&D spending this month"),
    "rd_ytd_100m_yuan": (np.float64, "R&D spending since January"),
    "grant_rd_month_100m_yuan": (np.float64, "monthly R&D financed by key R&D grants"),
    "grant_rd_months_left": (np.int64, "months of key R&D grant spending left"),
    "invention_patents": (np.int64, "invention patents held"),
    "core_patents": (np.int64, "core AI invention patents held"),
    "standards": (np.int64, "standards led or joined"),
    "incubated_until": (np.int64, "model month its incubator tenancy ends (-1: none)"),
    "months_negative_cash": (np.int64, "consecutive months with negative cash"),
    "deals": (np.int64, "equity rounds received"),
    "major_projects": (np.int64, "major industrial projects hosted"),
}

# talent is most of the agents and every talent kernel passes over all of it: small
# integer types keep a pass's memory traffic (and a scale-10 run's memory) down
TALENT_COLUMNS = {
    "alive": (np.bool_, "in Zhejiang's AI talent pool"),
    "tier": (np.int8, "index into TIERS"),
    "city": (np.int8, "index into CITY order"),
    "employer": (np.int32, "enterprise row, SEEKING (-1) or RESEARCH_INSTITUTE (-2)"),
    "origin_overseas": (np.bool_, "arrived from overseas"),
    "arrival_month": (np.int32, "model month of arrival (negative = before 2017)"),
    "months_seeking": (np.int32, "consecutive months without a job"),
}

FUND_COLUMNS = {
    "alive": (np.bool_, "still investing or holding"),
    "kind": (np.int64, "index into FUND_KINDS"),
    "city": (np.int64, "home city (local reinvestment preference)"),
    "vintage_month": (np.int64, "model month of first close"),
    "committed_100m_yuan": (np.float64, "capital committed (government plus social)"),
    "government_capital_100m_yuan": (np.float64, "government part of committed capital"),
    "social_capital_100m_yuan": (np.float64, "social capital mobilised"),
    "dry_powder_100m_yuan": (np.float64, "capital not yet invested"),
    "invested_100m_yuan": (np.float64, "cumulative investments"),
    "proceeds_100m_yuan": (np.float64, "cumulative exit proceeds"),
    "inflow_month_100m_yuan": (np.float64, "cash received this month"),
    "outflow_month_100m_yuan": (np.float64, "cash paid this month"),
    "stage_preference": (np.int64, "0 = seed (angel), 1 = growth (VC)"),
}

# deals: one row per equity investment, so exits can be valued and write-offs booked
DEAL_COLUMNS = {
    "alive": (np.bool_, "held by the fund"),
    "fund": (np.int64, "fund row"),
    "firm": (np.int64, "enterprise row"),
    "amount_100m_yuan": (np.float64, "amount invested"),
    "entry_revenue_100m_yuan": (np.float64, "firm's annual revenue at entry (floor 0.01)"),
}


class Population:
    """Struct of arrays with growable capacity; `n` rows in use."""

    def __init__(self, columns: dict, capacity: int = 16):
        self.columns = columns
        self.n = 0
        self.generation = 0          # counts growths: each replaces every column array
        self._capacity = max(int(capacity), 16)
        for name, (dtype, _) in columns.items():
            setattr(self, name, np.zeros(self._capacity, dtype=dtype))

    def _grow(self, needed: int) -> None:
        new_cap = self._capacity
        while new_cap < needed:
            new_cap *= 2
        for name, (dtype, _) in self.columns.items():
            old = getattr(self, name)
            new = np.zeros(new_cap, dtype=dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        self._capacity = new_cap
        self.generation += 1

    def add(self, count: int, **values) -> np.ndarray:
        """Append `count` rows with the given column values; returns their row indices."""
        count = int(count)
        unknown = [name for name in values if name not in self.columns]
        if unknown:
            raise KeyError(f"unknown columns {sorted(unknown)}")
        if self.n + count > self._capacity:
            self._grow(self.n + count)
        start, stop = self.n, self.n + count
        for name, value in values.items():
            getattr(self, name)[start:stop] = value
        self.n = stop
        return np.arange(start, stop)

    def view(self, name: str) -> np.ndarray:
        """The used part of a column (a numpy view, writes go through)."""
        return getattr(self, name)[: self.n]

    def alive_rows(self) -> np.ndarray:
        """Rows alive now, in order: what the kernels over a population loop over."""
        return np.flatnonzero(self.alive[: self.n])


class CityState:
    """The 11 prefectures as fixed-length arrays (cities never enter or exit)."""

    COLUMNS = {
        "gdp_100m_yuan": "GDP this year: the trend raised by AI adopters' productivity gain",
        "gdp_trend_100m_yuan": "exogenous GDP trend (gdp_growth_per_year), without AI's gain",
        "population_10k": "resident population",
        "wage_index": "AI wage index, 2017 = 1 (the tiers' wages at the province's 2017 "
                      "tier weights; phases/wages.py)",
        "housing_cost_index": "housing cost index, 2017 = 1 (phases/housing.py)",
        "income_level_2017": "GDP per head relative to the province in 2017: the cross-section "
                             "of wages and housing costs",
        "gdp_per_head_2017": "GDP per head in 2017, 1e8 yuan per 1e4 residents",
        "ai_talent_2017_1to1": "living AI talent in January 2017, persons (1:1)",
        "ai_induced_population_10k": "residents added since 2017 by the city's AI talent and "
                                     "the local jobs it brings (phases/housing.py)",
        "adoption": "GDP-weighted mean of the application sectors' adoption",
        "innovation_platforms": "AI labs, engineering centres, enterprise institutes",
        "rd_platforms": "flagship R&D platforms",
        "demonstration_zones": "AI demonstration counties, parks, towns",
        "application_pilots": "industry application pilots launched",
        "incubator_seats": "start-up places in incubators and maker spaces",
        "incubator_occupied": "incubator places in use",
        "data_opening": "public data opening index 0-1",
        "effective_pilots": "application pilots in effect: lagged, depreciating "
                            "(phases/policy_effects.py)",
        "effective_zones": "demonstration zones in effect: lagged, depreciating",
        "effective_data_opening": "public data opening in effect (lagged level)",
        "public_knowledge": "basic-research knowledge index",
        "funds_received_100m_yuan": "provincial budget received this month (platforms, zones, "
                                    "pilots, incubators, Zhejiang Lab)",
        "research_grants_100m_yuan": "science-fund grants received this month",
        "adjacent_incumbents": "information-economy firms not (yet) in the AI industry "
                               "(real firms, 二.(五).2)",
    }

    # cities x application sectors (application_sectors.APPLICATION_SECTORS)
    SECTOR_COLUMNS = {
        "sector_adoption": "share of the sector's potential adopters using AI (Bass)",
        "ai_productivity_gain": "output gain of the sector from AI adoption (lagged)",
    }

    def __init__(self, n: int):
        from .application_sectors import N_APPLICATION_SECTORS

        self.n = n
        for name in self.COLUMNS:
            setattr(self, name, np.zeros(n))
        for name in self.SECTOR_COLUMNS:
            setattr(self, name, np.zeros((n, N_APPLICATION_SECTORS)))
        # cities x tiers (phases/wages.py)
        self.wage_100m_yuan_per_year = np.zeros((n, N_TIERS))   # annual AI wage per person
        self.wage_premium = np.ones((n, N_TIERS))               # wage over its income trend
        self.employment_rate = np.ones((n, N_TIERS))            # 1 - unemployment rate
        self.talent_2017 = np.zeros((n, N_TIERS))               # living talent, Jan 2017 (scaled)

    TIER_COLUMNS = ("wage_100m_yuan_per_year", "wage_premium", "employment_rate", "talent_2017")


class Economy:
    """Province-level state of the AI economy that is neither a city nor an agent.

    frontier                   global technology frontier (1 = Zhejiang's mean in 2017)
    wages                      annual wage per talent tier, 1e8 yuan/year, at the province's
                               mean wage level in 2017 (a city's 2017 wage is this times its
                               `income_level_2017`; wages then move in phases/wages.py)
    labour_reference           the province's tightness and unemployment rate per tier over
                               2017, the wage curve's reference (phases/wages.py)
    heads_per_revenue          AI talent per 1e8 yuan of annual revenue in 2017, by tier
    purchase_share_of_gdp      AI purchases per unit of adopting GDP, by product sector
    sector_mix                 shares of the seven sectors in 2017 sales
    sector_demand_100m_yuan    this month's demand per sector (scaled units), sizing entrants
    external_market_100m_yuan  national (+ export) AI market outside Zhejiang's adopters,
                               1e8 yuan/year (phases/rivals.py)
    external_share             Zhejiang's share of that market (rivals hold the rest)
    external_share_2017        its 2017 value (set by `national_share_2017`, phases/rivals.py)
    national_adoption          the rest of China's AI adoption (Bass, phases/rivals.py)
    home_share                 Zhejiang firms' share of Zhejiang adopters' AI purchases
    rival_weights              the rivals' 2017 weights in the logit share (phases/rivals.py)
    rival_knowledge            the rivals' capabilities (Zhejiang's 2017 knowledge = 1)
    knowledge_2017             Zhejiang's revenue-weighted knowledge in January 2017
    national_ytd               this year's national AI market and Zhejiang's sales in it,
                               1e8 yuan (1:1 units)
    revenue_history            province AI revenue per month so far, 1e8 yuan (scaled units)
    inside_probability_2017    first month's probability that a newcomer picks Zhejiang
    """

    def __init__(self, wages: np.ndarray):
        self.frontier = 1.0
        self.wages = np.asarray(wages, dtype=float).copy()
        self.heads_per_revenue = np.zeros(N_TIERS)
        self.purchase_share_of_gdp = np.zeros(N_SECTORS)
        self.sector_mix = np.zeros(N_SECTORS)
        self.sector_demand_100m_yuan = np.zeros(N_SECTORS)   # this month's, scaled units
        self.external_market_100m_yuan = 0.0
        self.external_share = 0.0
        self.external_share_2017 = 0.0
        self.home_share = 1.0
        self.national_adoption = 0.0
        self.rival_weights = np.zeros(0)
        self.rival_knowledge = np.zeros(0)
        self.knowledge_2017 = 1.0
        self.national_ytd = np.zeros(2)
        self.revenue_history: list[float] = []
        self.inside_probability_2017: float | None = None
        self.labour_reference = {"months": 0, "log_tightness": np.zeros(N_TIERS),
                                 "log_unemployment": np.zeros(N_TIERS)}
