"""Indicators recorded each December for the province and each city (docs/indicators.md).

Population-based indicators (firms, revenue, patents, talent, money) are divided by the
run's `scale`, so a scaled run reports province-sized totals; facility counts (platforms,
pilots, zones) are city-level objects that are not scaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import repeat

import mesa
import numpy as np
import pandas as pd

from . import application_sectors as apps
from .application_sectors import APPLICATION_SECTORS
from .aggregates import EMPLOYED, RESEARCHERS, SEEKERS
from .data import PROVINCE
from .phases.rivals import national_indicators
from .state import SERVICE_SECTORS, TIERS

DIRECTORY_EXPANSION_YEAR = 2020     # the 2021 report's directory (observed_zhejiang.csv)


def directory_threshold(P, year: int) -> float:
    """Annual revenue (1e8 yuan) from which a firm is in the provincial AI enterprise
    monitoring directory (series A) in `year`: the register threshold before 2020, the
    calibrated expanded-directory threshold from 2020 on (measurement model, docs/indicators.md)."""
    if year >= DIRECTORY_EXPANSION_YEAR:
        return P.directory_threshold_2020_on_100m_yuan_per_year
    return P.register_threshold_100m_yuan_per_year


def core_shares(P, e) -> np.ndarray:
    """AI-core share of each firm's revenue (`rules.core_share`, vectorised)."""
    n = e.n
    return np.minimum(0.95, e.core_share_base[:n]
                      * np.maximum(e.knowledge[:n], 1e-6) ** P.core_share_knowledge_elasticity)


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    meaning: str
    scaled: bool = True          # divided by the run's scale (population-based)
    province_only: bool = False  # recorded for the province, not per city
    index: bool = False          # a price index: the province's value is a weighted mean
                                 # (`province_index`), not the sum over cities


INDICATORS: dict[str, Indicator] = {i.name: i for i in [
    Indicator("ai_enterprise_revenue_100m_yuan", "1e8 yuan/year",
              "calendar-year revenue of the firms in the AI enterprise directory (series A)"),
    Indicator("ai_enterprise_profit_100m_yuan", "1e8 yuan/year",
              "calendar-year pre-tax profit of the directory's firms (series A profit)"),
    Indicator("core_industry_revenue_100m_yuan", "1e8 yuan/year",
              "AI-core part of all AI firms' revenue (一.(三) core industry, 500 by 2022)"),
    Indicator("related_industry_revenue_100m_yuan", "1e8 yuan/year",
              "AI-enabled revenue: AI firms' non-core revenue plus the AI-enabled share of adopters' "
              "gross output by application sector "
              "(一.(三) related industry, 5000 by 2022)"),
    Indicator("ai_enterprises", "firms", "firms in the AI enterprise directory (series A): "
              "revenue >= 20m yuan, from 2020 >= the calibrated directory threshold"),
    Indicator("leading_enterprises", "firms",
              "register firms with revenue >= 1e9 yuan and >= 30 invention patents (target 20)"),
    Indicator("service_enterprises", "firms",
              "register firms in AI software/platforms and application services (target 100)"),
    Indicator("new_startups", "firms/year", "AI firms founded in the year (二.(五).1: >= 200)"),
    Indicator("incumbent_conversions", "firms/year", "information-economy incumbents that "
              "started an AI line in the year (二.(五).2)"),
    Indicator("invention_patents", "patents", "invention patents held by operating AI firms"),
    Indicator("core_invention_patents", "patents",
              "core AI invention patents granted since January 2017 (target 500)"),
    Indicator("standards", "standards", "standards led or joined since 2017 (target 10)"),
    Indicator("application_pilots", "pilots", "industry application pilots launched (target 10)",
              scaled=False),
    Indicator("demonstration_zones", "zones", "AI demonstration counties, parks, towns (target 10)",
              scaled=False),
    Indicator("rd_platforms", "platforms", "flagship R&D platforms built (target 5)", scaled=False),
    Indicator("key_rd_projects", "projects/year", "provincial key R&D projects awarded (>= 50/yr)"),
    Indicator("major_projects", "projects", "major AI industrial projects realised since 2017 (100)",
              scaled=False),
    Indicator("major_project_investment_100m_yuan", "1e8 yuan",
              "investment of realised major projects since 2017 (千亿 = 1000)", scaled=False),
    Indicator("ai_rd_spend_100m_yuan", "1e8 yuan/year",
              "R&D of AI firms plus public AI research (science fund, Zhejiang Lab)"),
    *[Indicator(f"talent_{tier}", "persons", f"employed AI talent in tier '{tier}' in "
                "Zhejiang (at firms or research institutes; job seekers are "
                "`unemployed_talent`)") for tier in TIERS],
    Indicator("unemployed_talent", "persons",
              "AI talent of all tiers looking for a job in Zhejiang (phases/labour_market.py)"),
    Indicator("wage_index", "2017 = 1", "AI wages at the 2017 tier weights (phases/wages.py); "
              "the province's: every city's wages at its 2017 talent", scaled=False, index=True),
    Indicator("housing_cost_index", "2017 = 1", "housing cost (phases/housing.py); the "
              "province's: the mean over cities weighted by 2017 population", scaled=False,
              index=True),
    Indicator("guidance_fund_capital_100m_yuan", "1e8 yuan",
              "government capital committed to AI guidance sub-funds that closed, since 2017"),
    Indicator("social_capital_mobilised_100m_yuan", "1e8 yuan",
              "social capital in guidance sub-funds closed since 2017"),
    # what the levers planned, beside what was delivered (model/phases/policy.py)
    Indicator("key_rd_projects_planned", "projects/year", "key R&D projects the lever asks for",
              scaled=False, province_only=True),
    Indicator("rd_platforms_planned", "platforms", "flagship R&D platforms the target asks for",
              scaled=False, province_only=True),
    Indicator("application_pilots_planned", "pilots", "application pilots planned since 2017",
              scaled=False, province_only=True),
    Indicator("demonstration_zones_planned", "zones", "demonstration zones planned since 2017",
              scaled=False, province_only=True),
    Indicator("major_projects_planned", "projects", "major projects planned since 2017",
              scaled=False, province_only=True),
    Indicator("major_project_investment_planned_100m_yuan", "1e8 yuan",
              "investment of the major projects planned since 2017", scaled=False,
              province_only=True),
    Indicator("guidance_fund_capital_planned_100m_yuan", "1e8 yuan",
              "government capital appropriated to guidance funds since 2017", scaled=False,
              province_only=True),
    # the 2030 vision made measurable (scenarios/targets.toml)
    Indicator("gdp_100m_yuan", "1e8 yuan/year",
              "GDP: the exogenous trend raised by AI adopters' productivity gain "
              "(phases/adoption.py)", scaled=False),
    Indicator("gdp_trend_100m_yuan", "1e8 yuan/year",
              "GDP trend without AI's productivity gain (gdp_growth_per_year)", scaled=False),
    *[Indicator(f"ai_adopting_gdp_{k}_100m_yuan", "1e8 yuan/year",
                f"GDP of the '{k}' application sector's AI adopters (adoption x sector GDP; "
                "adoption share = this / sector GDP)", scaled=False)
      for k in APPLICATION_SECTORS],
    Indicator("ai_value_added_share_of_gdp", "fraction",
              "value added of the AI core and related industries (revenue x "
              "`ai_value_added_per_revenue`) as a share of GDP: a pillar industry at >= 5%",
              scaled=False, province_only=True),
    # the national AI market and Zhejiang's rivals (model/phases/rivals.py)
    Indicator("national_ai_market_100m_yuan", "1e8 yuan/year",
              "national (+ export) AI market of the year: Zhejiang's adopters plus the outside "
              "market Zhejiang's firms reach", scaled=False, province_only=True),
    Indicator("national_ai_market_share", "fraction",
              "Zhejiang firms' sales over the national AI market (rivals sell the rest)",
              scaled=False, province_only=True),
    # the public accounts (model/province.py)
    Indicator("public_budget_100m_yuan", "1e8 yuan/year",
              "public AI money available in the year: fiscal AI line incl. carry-over, "
              "Zhejiang Lab and fund capital", province_only=True),
    Indicator("public_spending_100m_yuan", "1e8 yuan/year", "public AI money paid out in the year",
              province_only=True),
    Indicator("tax_expenditure_100m_yuan", "1e8 yuan/year",
              "corporate tax forgone through the AI tax relief (四.(二)), off-budget",
              province_only=True),
]}


class IndicatorRecorder:
    """Computes the indicators of a model each December; rows kept in `rows`."""

    def __init__(self, model):
        self.model = model
        self.rows: list[tuple[int, str, str, float]] = []
        self.latest: dict[str, float] = {}     # province values of the last December

    def compute(self, year: int | None = None,
                revenue_column: str = "revenue_ytd_100m_yuan") -> dict[str, np.ndarray]:
        """Per-city values (length 11) of every indicator, before rescaling; `year` (default:
        the model's current calendar year) picks the directory definition of series A.
        Revenue is the calendar year's (December) unless `revenue_column` names another,
        e.g. the rolling 12 months of a live view (`live_values`)."""
        m = self.model
        P, e, cs, nc = m.params, m.state.enterprises, m.state.cities, m.n_cities
        n = e.n
        year = m.year if year is None else year
        alive = e.alive[:n]
        city = e.city[:n]
        ytd = getattr(e, revenue_column)[:n]
        register = alive & (ytd >= P.register_threshold_100m_yuan_per_year)
        directory = alive & (ytd >= directory_threshold(P, year))
        core_share = core_shares(P, e)

        def by_city(weights, mask):
            return np.bincount(city[mask], weights=None if weights is None else weights[mask],
                               minlength=nc).astype(float)

        leading = register & (ytd >= P.leading_revenue_100m_yuan_per_year) & (
            e.invention_patents[:n] >= P.leading_min_invention_patents)
        service = register & np.isin(e.sector[:n], SERVICE_SECTORS)
        # adopters' AI-enabled output (phases/adoption.py): city-level, so times the scale
        # to add to the firms' sampled revenue before the indicator divides by it
        related_adopters = (P.ai_enabled_output_share * apps.adopters_output(cs).sum(axis=1)
                            * m.scale)
        by_kind = m.census().by_city
        talent = (by_kind[:, :, EMPLOYED] + by_kind[:, :, RESEARCHERS]).astype(float)
        out = {
            "ai_enterprise_revenue_100m_yuan": by_city(ytd, directory),
            "ai_enterprise_profit_100m_yuan": by_city(e.profit_ytd_100m_yuan[:n], directory),
            "core_industry_revenue_100m_yuan": by_city(ytd * core_share, alive),
            "related_industry_revenue_100m_yuan": by_city(ytd * (1 - core_share), alive)
            + related_adopters,
            "ai_enterprises": by_city(None, directory),
            "leading_enterprises": by_city(None, leading),
            "service_enterprises": by_city(None, service),
            "new_startups": m.tally.year_counts["new_startups"].copy(),
            "incumbent_conversions": m.tally.year_counts["conversions"].copy(),
            "invention_patents": by_city(e.invention_patents[:n].astype(float), alive),
            "core_invention_patents": m.tally.cum["core_patents_granted"].copy(),
            "standards": m.tally.cum["standards"].copy(),
            "application_pilots": cs.application_pilots.copy(),
            "demonstration_zones": cs.demonstration_zones.copy(),
            "rd_platforms": cs.rd_platforms.copy(),
            "key_rd_projects": m.tally.year_counts["key_rd_projects"].copy(),
            "major_projects": m.tally.cum["major_projects"].copy(),
            "major_project_investment_100m_yuan": m.tally.cum["major_investment"].copy(),
            "ai_rd_spend_100m_yuan": m.tally.year_counts["firm_rd"] + m.tally.year_counts["public_rd"],
            "guidance_fund_capital_100m_yuan": m.tally.cum["guidance_capital"].copy(),
            "social_capital_mobilised_100m_yuan": m.tally.cum["social_capital"].copy(),
        }
        for k, tier in enumerate(TIERS):
            out[f"talent_{tier}"] = talent[:, k]
        out["unemployed_talent"] = by_kind[:, :, SEEKERS].sum(axis=1).astype(float)
        out["wage_index"] = cs.wage_index.copy()
        out["housing_cost_index"] = cs.housing_cost_index.copy()
        planned, province = m.tally.planned, m.province
        adopting = cs.sector_adoption * apps.sector_gdp(cs)
        ai_revenue = (out["core_industry_revenue_100m_yuan"].sum()
                      + out["related_industry_revenue_100m_yuan"].sum()) / m.scale
        out.update({
            "gdp_100m_yuan": cs.gdp_100m_yuan.copy(),
            "gdp_trend_100m_yuan": cs.gdp_trend_100m_yuan.copy(),
            **{f"ai_adopting_gdp_{k}_100m_yuan": adopting[:, j]
               for j, k in enumerate(apps.APPLICATION_SECTORS)},
            "ai_value_added_share_of_gdp": P.ai_value_added_per_revenue * ai_revenue
            / cs.gdp_100m_yuan.sum(),
            "key_rd_projects_planned": planned["key_rd_projects"],
            "rd_platforms_planned": planned["rd_platforms"],
            "application_pilots_planned": planned["application_pilots"],
            "demonstration_zones_planned": planned["demonstration_zones"],
            "major_projects_planned": planned["major_projects"],
            "major_project_investment_planned_100m_yuan": planned["major_investment"],
            "guidance_fund_capital_planned_100m_yuan": planned["guidance_capital"],
            "public_budget_100m_yuan": province.budget_year_100m_yuan,
            "public_spending_100m_yuan": province.spending_year_100m_yuan,
            "tax_expenditure_100m_yuan": province.tax_expenditure_year_100m_yuan,
            **national_indicators(m.economy),
        })
        return out

    def record_year(self, year: int) -> None:
        m = self.model
        m.tally.close_year()
        values = self.compute(year)
        for name, ind in INDICATORS.items():
            v = np.asarray(values[name], dtype=float) / (m.scale if ind.scaled else 1.0)
            total = province_value(m, name, v)
            self.latest[name] = total
            self.rows.append((year, PROVINCE, name, total))
            if not ind.province_only:     # the cities' rows, as Python floats
                self.rows.extend(zip(repeat(year), m.city_names, repeat(name), v.tolist()))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["year", "region", "indicator", "value"])


def province_value(model, name: str, per_city: np.ndarray) -> float:
    """The province's value of an indicator from its per-city values: the sum, or for a
    price index the weighted mean (wages: all cities' wages at their 2017 talent; housing:
    weighted by 2017 population)."""
    if not INDICATORS[name].index:
        return float(np.sum(per_city))
    if name == "wage_index":
        from .phases.wages import province_wage_index
        return province_wage_index(model)
    return float(np.average(per_city, weights=model.state.cities.population_10k))


def latest_indicator(model, name: str) -> float:
    """Province value of indicator `name` in the last December recorded (NaN before)."""
    return model.recorder.latest.get(name, float("nan"))


class IndicatorCollector(mesa.DataCollector):
    """Mesa's DataCollector, collecting the indicator reporters without Mesa's per-reporter
    dispatch and copy (a float needs none): the same values, at a tenth of the cost, which
    was a twentieth of a month at a small scale. Agent reporters, or reporters added
    later, go Mesa's way."""

    def collect(self, model):
        ours = all(isinstance(r, partial) and r.func is latest_indicator
                   for r in self.model_reporters.values())
        if not ours or self.agent_reporters or self.agenttype_reporters:
            super().collect(model)
            return
        latest = model.recorder.latest
        for name, reporter in self.model_reporters.items():
            self.model_vars[name].append(latest.get(reporter.keywords["name"], float("nan")))


def datacollector_for(model, agent_reporters: dict | None = None) -> mesa.DataCollector:
    """A Mesa DataCollector fed by the recorder: every indicator as a model reporter (its
    province value of the last December), collected at the start and after every month, so
    that `mesa.batch_run` finds one value per step; agent reporters are optional (they make
    a view of every agent, which is slow at 1:1)."""
    reporters = {name: partial(latest_indicator, name=name) for name in INDICATORS}
    return IndicatorCollector(model_reporters=reporters, agent_reporters=agent_reporters)


def live_values(model, names) -> dict[str, float]:
    """Province values of indicators `names` now, with revenue over the last 12 months (the
    dashboard's live charts); the same formulas as the December record."""
    values = model.recorder.compute(revenue_column="revenue_year_100m_yuan")
    return {name: province_value(model, name, np.asarray(values[name], dtype=float)
                                 / (model.scale if INDICATORS[name].scaled else 1.0))
            for name in names}
