"""Phase 1, policy: the province runs the plan's programmes under a budget that binds.

In January the fiscal AI line is appropriated and allocated to the programmes by their
planned cost (`model/province.py`). Each month every programme plans its share of the
year's items (the lever, stochastically rounded at the run's scale), finds eligible
applicants, and delivers what its allocation pays; items under way complete after a
delay or fail. What was planned and what was delivered are counted apart
(`tally.planned` and the delivered counts). Programmes: key R&D projects (三.(二)), flagship
R&D platforms (一.(三)), innovation platforms (三.(三)), application pilots and
demonstration zones (二.(四), the Deqing pilot of 二.(三)), incubator places (二.(五).1),
major projects on guaranteed land (三.(二), 四.(二)), talent-programme subsidies (二.(六)).
Zhejiang Lab (三.(三)) and the funds' capital (三.(一)) are separately appropriated lines.
"""

from __future__ import annotations

import math

import numpy as np

from .. import rules
from ..levers import TALENT_PROGRAM_LEVERS
from ..province import PROGRAMMES
from ..state import HIGH_END, N_TIERS, TOP
from . import policy_effects
from .dispatch import columns
from .innovation import IS_SERVICE_SECTOR
from .policy_delivery import (
    CityTerms,
    GrantColumns,
    MajorTerms,
    NewItems,
    award_key_rd,
    deliver_city_programmes,
    deliver_major_projects,
    new_items,
)


def talent_subsidies(P) -> np.ndarray:
    """Provincial subsidy per programme recruit, by tier (1e8 yuan)."""
    top, high, other = (P.talent_programme_subsidy_top_100m_yuan,
                        P.talent_programme_subsidy_high_end_100m_yuan,
                        P.talent_programme_subsidy_other_100m_yuan)
    return np.array([top, top, high, other, other])


def planned_costs(model) -> dict[str, float]:
    """Each programme's cost for the year if delivered as planned (scaled 1e8 yuan)."""
    P, s, cs = model.params, model.scale, model.state.cities
    new_rd_platforms = max(0.0, model.lever("rd_platforms_target") - cs.rd_platforms.sum()
                           - model.province.under_way("rd_platforms"))
    slots = np.array([model.lever(name) for name in TALENT_PROGRAM_LEVERS])
    size = model.lever("major_project_investment_100m_yuan_per_project")
    return {
        "key_rd": model.lever("key_rd_projects_per_year") * P.key_rd_grant_100m_yuan * s,
        "rd_platforms": new_rd_platforms * P.rd_platform_cost_100m_yuan * s,
        "innovation_platforms": model.city_lever("innovation_platforms_per_year").sum()
        * P.platform_cost_100m_yuan * s,
        "pilots": model.city_lever("application_pilots_per_year").sum() * P.pilot_cost_100m_yuan * s,
        "zones": (model.city_lever("demonstration_zones_per_year").sum()
                  + (model.lever("deqing_pilot") >= 1) * P.deqing_pilot_zone_bonus)
        * P.demo_zone_cost_100m_yuan * s,
        "incubators": model.city_lever("incubator_seats").sum() * s
        * P.incubator_subsidy_100m_yuan_per_seat_per_year,
        "major_projects": model.lever("major_projects_per_year") * s
        * P.major_project_subsidy_share * size,
        "talent_programmes": float(slots @ talent_subsidies(P)) * s,
    }


def open_year(model) -> None:
    """January: appropriate the fiscal AI line (times the year's mean funding freeze) and
    allocate it by the programmes' planned costs."""
    freeze = np.mean([model.event_factor("funding_freeze", month=model.month + k)
                      for k in range(12)])
    appropriation = model.lever("fiscal_ai_funding_100m_yuan_per_year") * freeze * model.scale
    model.province.open_year(appropriation, planned_costs(model))
    model.tally.planned["key_rd_projects"] = model.lever("key_rd_projects_per_year")


def complete_projects(model) -> None:
    """Items under way whose delay is over: delivered, or failed."""
    cs, e, cum = model.state.cities, model.state.enterprises, model.tally.cum
    for item in model.province.take_completed(model.month):
        if item.failed:
            cum["failed_projects"][item.city] += 1
            continue
        if item.kind == "rd_platforms":
            cs.rd_platforms[item.city] += 1
        elif item.kind == "innovation_platforms":
            cs.innovation_platforms[item.city] += 1
        elif item.kind == "pilots":
            cs.application_pilots[item.city] += 1
        elif item.kind == "zones":
            cs.demonstration_zones[item.city] += 1
        elif item.kind == "major_projects":
            i = item.firm
            if e.alive[i]:
                # one of the host agent's 1/scale firms gains: the agent, `scale` of it
                gain = (model.params.major_project_knowledge_gain * item.size
                        / (item.size + e.revenue_year_100m_yuan[i]))
                e.knowledge[i] *= math.exp(gain * min(1.0, model.scale))
                e.major_projects[i] += 1
            cum["major_projects"][item.city] += 1
            cum["major_investment"][item.city] += item.size


def start(model, kind: str, city: int, months: float, failure_share: float, u: float,
          firm: int = -1, size: float = 0.0) -> None:
    """An approved item goes under way; it fails at completion with `failure_share`."""
    model.province.start_item(kind, city, model.month + int(months), u < failure_share, firm, size)


def put_under_way(model, items: NewItems, n: int) -> None:
    """The items a policy kernel approved, into the province's pipeline in order."""
    for j in range(n):
        model.province.start_item(PROGRAMMES[items.kind[j]], int(items.city[j]),
                                  int(items.done_month[j]), bool(items.failed[j]),
                                  int(items.firm[j]), float(items.size[j]))


def key_rd_projects(model, alive: np.ndarray) -> None:
    """Key R&D projects (三.(二)): firms with research staff that can co-finance apply; the
    province awards them by technology and research staff while the allocation pays
    (`policy_delivery.award_key_rd`)."""
    P, e, rng = model.params, model.state.enterprises, model.rng
    heads = model.cache.take("apply_policy", model.heads_by_firm)
    n_proj = rules.stochastic_round(model.lever("key_rd_projects_per_year") / 12.0 * model.scale,
                                    rng.random())
    grant = P.key_rd_grant_100m_yuan
    research = heads[alive, HIGH_END] + heads[alive, TOP]
    eligible = (research >= P.key_rd_min_research_staff) & (
        e.cash_100m_yuan[alive] >= P.key_rd_cofinance_ratio * grant)
    weights = np.where(eligible, e.knowledge[alive] * (1.0 + research), 0.0)
    if n_proj > 0:
        # the grant, plus the firm's net additional own R&D (crowding in > 0, out < 0), is
        # spent as R&D over the project's term
        award_key_rd(n_proj, weights, alive, float(grant),
                     grant * (1.0 + P.key_rd_own_rd_additionality), float(P.key_rd_months),
                     model.province.budget(), columns(e, GrantColumns),
                     model.tally.year_counts["key_rd_projects"], rng)


def rd_platforms(model) -> None:
    """Flagship R&D platforms (一.(三)): cities with a research base apply; the province
    builds toward the year's target in the city with most research talent per platform."""
    P, s, cs, province = model.params, model.scale, model.state.cities, model.province
    target = int(model.lever("rd_platforms_target"))
    model.tally.planned["rd_platforms"] = target
    research = model.cache.talent_counts[:, [TOP, HIGH_END]].sum(axis=1) / s
    built = cs.rd_platforms + province.under_way_by_city("rd_platforms", model.n_cities)
    while built.sum() < target:
        ok = research >= P.rd_platform_min_high_end
        if not ok.any():
            break
        c = int(np.argmax(np.where(ok, research / (1.0 + built), -1.0)))
        cost = P.rd_platform_cost_100m_yuan * s
        if not province.spend("rd_platforms", cost):
            break
        province.grant_city(c, cost)
        start(model, "rd_platforms", c, P.rd_platform_build_months, P.rd_platform_failure_share,
              model.rng.random())
        built[c] += 1


def city_programmes(model, alive: np.ndarray) -> None:
    """Innovation platforms, pilots and zones city by city (二.(三), 二.(四), 三.(三)), the
    Deqing pilot zone (二.(三)) and incubator places (二.(五).1), delivered by
    `policy_delivery.deliver_city_programmes`."""
    P, s, cs, e = model.params, model.scale, model.state.cities, model.state.enterprises
    planned = model.tally.planned
    platforms = model.city_lever("innovation_platforms_per_year") / 12.0
    pilots = model.city_lever("application_pilots_per_year") / 12.0
    zones = model.city_lever("demonstration_zones_per_year") / 12.0
    planned["application_pilots"] += pilots.sum()
    planned["demonstration_zones"] += zones.sum()
    firms_city = np.bincount(e.city[alive], minlength=model.n_cities) / s
    service = alive[IS_SERVICE_SECTOR[e.sector[alive]]]
    u = model.rng.random((model.n_cities, 4))
    deqing_on = model.lever("deqing_pilot") >= 1
    if deqing_on and not model.tally.deqing_planned:
        planned["demonstration_zones"] += P.deqing_pilot_zone_bonus     # planned once
        model.tally.deqing_planned = True
    seats = model.city_lever("incubator_seats") * s
    terms = CityTerms(
        model.month, platforms, pilots, zones, u, firms_city, service,
        P.platform_cost_100m_yuan * s, P.pilot_cost_100m_yuan * s, P.demo_zone_cost_100m_yuan * s,
        float(P.platform_build_months), float(P.pilot_setup_months),
        float(P.demo_zone_review_months),
        float(P.platform_failure_share), float(P.pilot_failure_share),
        float(P.demo_zone_failure_share), float(P.demo_zone_min_firms),
        model.tally.cum["deqing_zones"], bool(deqing_on), float(P.deqing_pilot_zone_bonus),
        int(model.huzhou), seats * P.incubator_subsidy_100m_yuan_per_seat_per_year / 12.0, seats,
        cs.incubator_seats, cs.incubator_occupied)
    items, n = deliver_city_programmes(terms, model.province.budget(), columns(e, GrantColumns),
                                       model.rng, new_items())
    put_under_way(model, items, n)


def major_projects(model, alive: np.ndarray) -> None:
    """Major projects (三.(二)): offered to established firms that can pay their share; a
    project needs guaranteed land (四.(二)) and co-finance from the budget, is realised after
    a lead time, and may fail. Its size varies around the planned size.

    Projects are few and lumpy (20 a year), so a scaled run delivers the 1:1 number of
    projects, each moving `scale` times its money: a host agent stands for 1/scale firms of
    which one hosts it (eligibility uses the per-firm values); scaling the count instead
    let a pro-rata allocation of 1.2 projects fund only one."""
    P, e, rng = model.params, model.state.enterprises, model.rng
    planned_n = model.lever("major_projects_per_year") / 12.0
    size_planned = model.lever("major_project_investment_100m_yuan_per_project")
    model.tally.planned["major_projects"] += planned_n
    model.tally.planned["major_investment"] += planned_n * size_planned
    n = rules.stochastic_round(planned_n, rng.random())
    if n == 0:
        return
    disp = P.major_project_size_dispersion
    terms = MajorTerms(
        model.month, float(size_planned), float(disp), 0.5 * disp ** 2,
        float(P.major_project_own_share), float(P.major_project_subsidy_share),
        float(P.exit_revenue_100m_yuan_per_year), float(model.lever("land_guarantee")),
        float(model.scale), float(P.major_project_lead_months),
        float(P.major_project_failure_share))
    items, n_items = deliver_major_projects(n, alive, terms, model.province.budget(),
                                            columns(e, GrantColumns), rng, new_items(), 0)
    put_under_way(model, items, n_items)


def talent_programmes(model) -> np.ndarray:
    """Talent-programme recruits the budget pays for this month (二.(六)), by tier, before
    acceptance: the programme's slots times the share of its plan that is funded."""
    P, s = model.params, model.scale
    slots = np.array([model.lever(name) for name in TALENT_PROGRAM_LEVERS]) / 12.0
    subsidy = talent_subsidies(P)
    planned = float(slots @ subsidy) * s
    funded = slots.copy()
    if planned > 0:
        share = min(1.0, model.province.allocation["talent_programmes"] / planned)
        funded = slots * share
        if model.province.spend("talent_programmes", planned * share):
            model.province.grant_households(planned * share)
        else:
            funded = np.zeros(N_TIERS)
    return funded


def zhejiang_lab_and_funds(model) -> None:
    """Zhejiang Lab (三.(三)) in Hangzhou and the province's fund capital (三.(一)): lines
    appropriated apart from the fiscal AI line and paid as appropriated."""
    P, s, cs, province = model.params, model.scale, model.state.cities, model.province
    lab = model.lever("zhejiang_lab_funding_100m_yuan_per_year") / 12.0
    if lab > 0:
        province.appropriate_line(lab * s)
        province.grant_city(model.hangzhou, lab * s)
        cs.public_knowledge[model.hangzhou] += P.public_knowledge_per_100m_yuan * lab
        model.tally.year_counts["public_rd"][model.hangzhou] += lab * s
    freeze = model.event_factor("funding_freeze")
    funds = model.state.funds
    for row, lever in ((model.guidance_fund_row, "guidance_fund_capital_100m_yuan_per_year"),
                       (model.angel_guidance_row, "angel_vc_fund_support_100m_yuan_per_year"),
                       (model.science_fund_row, "provincial_science_fund_100m_yuan_per_year")):
        amount = model.lever(lever) / 12.0 * freeze
        if amount > 0:
            province.appropriate_line(amount * s)
            province.capitalise_fund(row, amount * s)
            funds.government_capital_100m_yuan[row] += amount * s
            funds.committed_100m_yuan[row] += amount * s
            if row != model.science_fund_row:
                model.tally.planned["guidance_capital"] += amount


def apply_policy(model) -> None:
    """Province: open the year's budget in January, complete items under way, then run the
    programmes under their allocations; Zhejiang Lab and fund capital (sections 二-四)."""
    if model.month % 12 == 0:
        open_year(model)
    complete_projects(model)
    alive = model.state.enterprises.alive_rows()
    key_rd_projects(model, alive)
    rd_platforms(model)
    city_programmes(model, alive)
    major_projects(model, alive)
    # public data opening (三.(四)): a level per city
    model.state.cities.data_opening[:] = model.city_lever("public_data_opening")
    zhejiang_lab_and_funds(model)
    policy_effects.advance(model)     # lagged, depreciating stocks of pilots, zones, data
