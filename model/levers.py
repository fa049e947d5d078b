"""The plan's policy levers (浙政发〔2017〕47号): name, unit, default, range, section, meaning.

Defaults are the pre-plan (2016) settings used by `scenarios/baseline.toml`; the plan's
values live in `scenarios/plan.toml`. Every lever acts through a mechanism in
`ecosystem.py` (see docs/ODD.md, "Submodels"); none writes an indicator.

`spatial` says how a lever reaches the 11 cities:
- "allocated": a province quantity split across cities by the regional layout
  (二.(三): `core_city_share` to Hangzhou and Ningbo, the rest by GDP), unless a
  scenario gives the city its own value under `[levers.city.<City>]`;
- "level": the same intensity in every city unless a city overrides it;
- "province": one value for the province; no city overrides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Lever:
    name: str
    unit: str
    default: float
    low: float
    high: float
    section: str
    meaning: str
    spatial: str = "province"
    integer: bool = False
    raises: str = ""


def _l(name, unit, default, low, high, section, meaning, spatial="province", integer=False):
    return Lever(name, unit, float(default), float(low), float(high), section, meaning, spatial,
                 integer, EXPECTED_EFFECTS[name])


# The indicator each lever is expected to raise ("indicator" for the province or
# "indicator@City"), through the mechanism named in the comment; tests/test_levers.py
# checks each direction (docs/ODD.md, "Submodels", explains the mechanisms).
EXPECTED_EFFECTS = {
    "fiscal_ai_funding_100m_yuan_per_year": "key_rd_projects",     # budget pays grants
    "key_rd_projects_per_year": "ai_rd_spend_100m_yuan",            # grants fund R&D
    "major_projects_per_year": "major_project_investment_100m_yuan",  # hosts invest
    "major_project_investment_100m_yuan_per_project": "major_project_investment_100m_yuan",
    "guidance_fund_capital_100m_yuan_per_year": "social_capital_mobilised_100m_yuan",  # sub-funds
    "guidance_fund_leverage": "social_capital_mobilised_100m_yuan",  # realised leverage
    "angel_vc_fund_support_100m_yuan_per_year": "social_capital_mobilised_100m_yuan",
    "provincial_science_fund_100m_yuan_per_year": "invention_patents",  # public knowledge
    "zhejiang_lab_funding_100m_yuan_per_year": "invention_patents@Hangzhou",
    "innovation_platforms_per_year": "invention_patents",          # platform access
    "rd_platforms_target": "rd_platforms",                         # built where talent is
    "talent_program_top_scientists_per_year": "talent_top_scientists",
    "talent_program_leading_entrepreneurs_per_year": "talent_leading_entrepreneurs",
    "talent_program_high_end_rd_per_year": "talent_high_end_rd",
    "talent_program_engineers_per_year": "talent_engineers",
    "talent_program_high_skill_per_year": "talent_high_skill",
    "ai_graduates_per_year": "talent_engineers",
    "incubator_seats": "new_startups",                              # incubated founding
    "tax_incentive_pct_points": "ai_rd_spend_100m_yuan",            # R&D user cost
    "land_guarantee": "major_projects",                             # projects get land
    "public_data_opening": "related_industry_revenue_100m_yuan",    # Bass p, data R&D
    "application_pilots_per_year": "related_industry_revenue_100m_yuan",  # Bass p
    "demonstration_zones_per_year": "related_industry_revenue_100m_yuan",  # Bass q
    "core_city_share": "demonstration_zones@Hangzhou",              # layout of measures
    "deqing_pilot": "demonstration_zones@Huzhou",
    "international_cooperation": "ai_enterprise_revenue_100m_yuan",  # frontier catch-up
    "standards_support": "standards",
    "patent_pool": "related_industry_revenue_100m_yuan",            # diffusion, adoption
    # demand by application sector (phases/adoption.py): each sector's push raises that
    # sector's Bass p; AIaaS raises the ceilings; platforms raise every p; chips lift the
    # hardware supply cap under a restriction
    **{f"ai_application_{k}": f"ai_adopting_gdp_{k}_100m_yuan" for k in (
        "manufacturing", "agriculture", "commerce_finance", "health_education",
        "public_services")},
    "ai_as_a_service": "related_industry_revenue_100m_yuan",
    "ai_infrastructure": "related_industry_revenue_100m_yuan",
    "chips_and_software": "ai_enterprise_revenue_100m_yuan",
}


_ALL = [
    _l("fiscal_ai_funding_100m_yuan_per_year", "1e8 yuan/year", 5, 0, 500, "三.(一)",
       "provincial budget for AI: key R&D grants, platforms, pilots, zones, incubators, "
       "major-project subsidies"),
    _l("key_rd_projects_per_year", "projects/year", 15, 0, 1000, "三.(二)",
       "provincial key R&D projects awarded to AI firms (plan: at least 50 a year)"),
    _l("major_projects_per_year", "projects/year", 0, 0, 200, "三.(二)",
       "major AI industrial projects offered to host firms (plan: 100 projects)"),
    _l("major_project_investment_100m_yuan_per_project", "1e8 yuan/project", 10, 0.5, 200,
       "三.(二)", "investment per major project (plan: 100 projects worth 千亿 in all)"),
    _l("guidance_fund_capital_100m_yuan_per_year", "1e8 yuan/year", 2, 0, 500, "三.(一)",
       "new government guidance-fund capital committed to AI sub-funds each year"),
    _l("guidance_fund_leverage", "social yuan per government yuan", 3, 0, 20, "三.(一)",
       "nominal leverage of social capital that guidance sub-funds seek"),
    _l("angel_vc_fund_support_100m_yuan_per_year", "1e8 yuan/year", 1, 0, 200, "三.(一)",
       "provincial tech-transfer fund capital put into angel and venture funds for AI"),
    _l("provincial_science_fund_100m_yuan_per_year", "1e8 yuan/year", 1, 0, 100, "三.(一)",
       "Zhejiang-NSFC joint fund and basic research for AI"),
    _l("zhejiang_lab_funding_100m_yuan_per_year", "1e8 yuan/year", 0, 0, 200, "三.(三)",
       "operating funds of Zhejiang Lab (之江实验室), located in Hangzhou"),
    _l("innovation_platforms_per_year", "platforms/year", 1, 0, 100, "三.(三)",
       "new AI key labs, engineering centres and enterprise research institutes",
       spatial="allocated"),
    _l("rd_platforms_target", "platforms", 0, 0, 20, "一.(三), 三.(三)",
       "flagship R&D platforms to build toward national level (plan: 5)", integer=True),
    _l("talent_program_top_scientists_per_year", "persons/year", 2, 0, 500, "二.(六).3",
       "programme slots for globally leading AI scientists (plan target: 50 gathered)"),
    _l("talent_program_leading_entrepreneurs_per_year", "persons/year", 20, 0, 5000, "二.(六).3",
       "programme slots for leading AI entrepreneurs (plan target: 500)"),
    _l("talent_program_high_end_rd_per_year", "persons/year", 40, 0, 10000, "二.(六).2",
       "programme slots for high-end AI R&D staff (plan target: 1000)"),
    _l("talent_program_engineers_per_year", "persons/year", 200, 0, 50000, "二.(六).2",
       "programme slots for AI engineers (plan target: 10000)"),
    _l("talent_program_high_skill_per_year", "persons/year", 2000, 0, 500000, "二.(六).2",
       "training and recruitment slots for high-skill AI workers (plan target: 100000)"),
    _l("ai_graduates_per_year", "persons/year", 800, 0, 100000, "二.(六).1",
       "AI-related graduates of Zhejiang universities (discipline building)"),
    _l("incubator_seats", "start-up places", 100, 0, 20000, "二.(五).1",
       "places for AI start-ups in incubators and maker spaces (plan: 200 new firms a year)",
       spatial="allocated"),
    _l("tax_incentive_pct_points", "percentage points", 10, 0, 25, "四.(二)",
       "cut of the 25% enterprise income tax for high-tech AI firms (10 = the 15% rate)"),
    _l("land_guarantee", "share of projects", 0.5, 0, 1, "四.(二)",
       "share of major projects whose land is guaranteed on time"),
    _l("public_data_opening", "index 0-1", 0.1, 0, 1, "三.(四), 四.(二)",
       "opening of public data to firms (城市大脑, data-trading rules)", spatial="level"),
    _l("application_pilots_per_year", "pilots/year", 0, 0, 100, "二.(四)",
       "industry application pilots (plan: more than 10)", spatial="allocated"),
    _l("demonstration_zones_per_year", "zones/year", 0, 0, 50, "二.(四), 二.(三)",
       "AI demonstration counties, high-tech parks and towns (plan: 10)", spatial="allocated"),
    _l("core_city_share", "share", 0.43, 0, 1, "二.(三)",
       "share of allocated levers placed in the Hangzhou-Ningbo cores (0.43 = their GDP share)"),
    _l("deqing_pilot", "0/1", 0, 0, 1, "二.(三)",
       "Deqing (Huzhou) smart eco-city and national pilot county", integer=True),
    _l("international_cooperation", "index 0-1", 0.2, 0, 1, "四.(三)",
       "international cooperation: overseas talent, frontier knowledge, offshore incubators"),
    _l("standards_support", "index 0-1", 0, 0, 1, "四.(四), 二.(五).2",
       "support for firms leading or joining AI technical standards"),
    _l("patent_pool", "0/1", 0, 0, 1, "四.(四)", "public AI patent pool", integer=True),
    _l("ai_application_manufacturing", "index 0-1", 0, 0, 1, "二.(四).1",
       "push for AI in manufacturing: the '智能一代' special programme, smart-factory pilots"),
    _l("ai_application_agriculture", "index 0-1", 0, 0, 1, "二.(四).2",
       "push for AI in agriculture: smart farms, agricultural big-data systems"),
    _l("ai_application_commerce_finance", "index 0-1", 0, 0, 1, "二.(四).3",
       "push for AI in finance, commerce and logistics (智能金融, 智能商务, 智能物流)"),
    _l("ai_application_health_education", "index 0-1", 0, 0, 1, "二.(四).3",
       "push for AI in health, education, culture and elderly care"),
    _l("ai_application_public_services", "index 0-1", 0, 0, 1, "二.(四).4, 二.(二).1",
       "push for AI in government, courts, transport (城市大脑), environment and security"),
    _l("ai_as_a_service", "index 0-1", 0, 0, 1, "二.(五).3",
       "AI-as-a-service platforms offering industrial software and models to SMEs"),
    _l("ai_infrastructure", "index 0-1", 0, 0, 1, "三.(四)",
       "AI open innovation and public service platforms (City Brain, cloud, test services)"),
    _l("chips_and_software", "index 0-1", 0, 0, 1, "二.(一).3",
       "AI chips, sensors, operating systems and servers developed in the province"),
]

LEVERS: dict[str, Lever] = {lever.name: lever for lever in _ALL}

TALENT_PROGRAM_LEVERS = (
    "talent_program_top_scientists_per_year",
    "talent_program_leading_entrepreneurs_per_year",
    "talent_program_high_end_rd_per_year",
    "talent_program_engineers_per_year",
    "talent_program_high_skill_per_year",
)


def schedule_value(spec, year: int) -> float:
    """Value of a constant or a {year: value} schedule, held between years (step function):
    the value of the latest year up to `year`, or of the first year before it."""
    if not isinstance(spec, dict):
        return float(spec)
    first = latest = None
    for key in spec:                 # one pass: looked up dozens of times a month
        y = int(key)
        if first is None or y < first:
            first = y
        if y <= year and (latest is None or y > latest):
            latest = y
    return float(spec[_key(spec, first if latest is None else latest)])


def _snapshot(spec):
    """A copy of a spec (constants, {year: value} tables and tuples of them) that later
    changes to the scenario's own tables cannot reach, for comparing with `==`."""
    if isinstance(spec, dict):
        return {k: _snapshot(v) for k, v in spec.items()}
    if isinstance(spec, tuple):
        return tuple(_snapshot(v) for v in spec)
    return spec


def _key(spec: dict, year: int):
    return year if year in spec else str(year)


class LeverSettings:
    """Resolved lever specs of a scenario: province values and per-city overrides."""

    def __init__(self, province: dict | None, city: dict | None, city_names: list[str]):
        self.province = {name: lever.default for name, lever in LEVERS.items()}
        self.province.update(province or {})
        self.city = city or {}
        self.city_names = list(city_names)
        self._memo: dict = {}

    def value(self, name: str, year: int) -> float:
        """The province value of `name` in `year` (remembered for the spec it came from:
        levers are looked up thousands of times a run, a third of a small run's Python)."""
        spec = self.province[name]
        hit = self._memo.get((name, year))
        if hit is not None and hit[0] == spec:
            return hit[1]
        value = schedule_value(spec, year)
        self._memo[(name, year)] = (_snapshot(spec), value)
        return value

    def city_values(self, name: str, year: int, gdp_share: np.ndarray,
                    is_core: np.ndarray) -> np.ndarray:
        """Per-city values of a spatial lever in `year`, after layout and overrides (a new
        array; remembered for the specs, overrides and arrays they came from)."""
        inputs = (self.province[name], self.province["core_city_share"],
                  tuple((city, levers.get(name)) for city, levers in self.city.items()))
        hit = self._memo.get(("city", name, year))
        if (hit is not None and hit[0] is gdp_share and hit[1] is is_core
                and hit[2] == inputs):
            return hit[3].copy()
        values = self._city_values(name, year, gdp_share, is_core)
        self._memo[("city", name, year)] = (gdp_share, is_core, _snapshot(inputs),
                                            values.copy())
        return values

    def _city_values(self, name: str, year: int, gdp_share: np.ndarray,
                     is_core: np.ndarray) -> np.ndarray:
        lever = LEVERS[name]
        total = self.value(name, year)
        if lever.spatial == "allocated":
            core = self.value("core_city_share", year)
            weights = np.where(is_core, core * gdp_share / gdp_share[is_core].sum(),
                               (1.0 - core) * gdp_share / gdp_share[~is_core].sum())
            values = total * weights
        elif lever.spatial == "level":
            values = np.full(len(self.city_names), total)
        else:
            raise ValueError(f"lever {name!r} is not spatial")
        for c, city in enumerate(self.city_names):
            spec = self.city.get(city, {}).get(name)
            if spec is not None:
                values[c] = schedule_value(spec, year)
        return values
