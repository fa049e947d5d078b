"""Phase 1, policy: the province applies the plan's levers (sections 二-四).

The fiscal AI budget accrues month by month (unspent money lapses in December); budget
permitting, the province awards key R&D projects (三.(二)), builds flagship R&D platforms
(一.(三)), funds innovation platforms, application pilots and demonstration zones per city
(三.(三), 二.(四)), the Deqing pilot zone (二.(三)) and incubator places (二.(五).1), and
subsidises major projects on guaranteed land (三.(二), 四.(二)). Outside the fiscal line it
funds Zhejiang Lab (三.(三)) and capitalises the guidance and science funds (三.(一)).
"""

from __future__ import annotations

import math

import numpy as np

from .. import rules
from ..state import HIGH_END, SERVICE_SECTORS, TOP


def key_rd_projects(model, alive: np.ndarray) -> None:
    """Key R&D projects (三.(二)): awarded to firms by technology and research staff."""
    P, e, rng, province = model.params, model.state.enterprises, model.rng, model.province
    heads = model.heads_by_firm()
    n_proj = rules.stochastic_round(model.lever("key_rd_projects_per_year") / 12.0 * model.scale,
                                    rng.random())
    weights = e.knowledge[alive] * (1.0 + heads[alive, HIGH_END] + heads[alive, TOP])
    for _ in range(n_proj):
        j = rules.choose_index(weights, rng.random())
        if j < 0 or not province.pay(P.key_rd_grant_100m_yuan):
            break
        i = alive[j]
        province.grant_firm(i, P.key_rd_grant_100m_yuan)
        months = int(P.key_rd_months)
        left = e.grant_rd_months_left[i]
        remaining = e.grant_rd_month_100m_yuan[i] * left if left > 0 else 0.0
        e.grant_rd_months_left[i] = months
        e.grant_rd_month_100m_yuan[i] = (remaining + P.key_rd_grant_100m_yuan) / months
        model.tally.year_counts["key_rd_projects"][e.city[i]] += 1


def rd_platforms(model) -> None:
    """Flagship R&D platforms (一.(三): 5), built in the city with most research talent."""
    P, s, cs, province = model.params, model.scale, model.state.cities, model.province
    target = int(model.lever("rd_platforms_target"))
    research = model.cache.talent_counts[:, [TOP, HIGH_END]].sum(axis=1) / s
    while cs.rd_platforms.sum() < target:
        ok = research >= P.rd_platform_min_high_end
        if not ok.any():
            break
        c = int(np.argmax(np.where(ok, research / (1.0 + cs.rd_platforms), -1.0)))
        if not province.pay(P.rd_platform_cost_100m_yuan * s):
            break
        cs.rd_platforms[c] += 1
        province.grant_city(c, P.rd_platform_cost_100m_yuan * s)


def city_programmes(model, alive: np.ndarray) -> None:
    """Innovation platforms, pilots and zones city by city (二.(三), 二.(四), 三.(三)), the
    Deqing pilot zone (二.(三)) and incubator places (二.(五).1)."""
    P, s, cs, e, province = (model.params, model.scale, model.state.cities,
                             model.state.enterprises, model.province)
    platforms = model.city_lever("innovation_platforms_per_year") / 12.0
    pilots = model.city_lever("application_pilots_per_year") / 12.0
    zones = model.city_lever("demonstration_zones_per_year") / 12.0
    firms_city = np.bincount(e.city[alive], minlength=model.n_cities) / s
    service_city = np.bincount(e.city[alive], weights=np.isin(e.sector[alive], SERVICE_SECTORS),
                               minlength=model.n_cities)
    u = model.rng.random((model.n_cities, 3))
    for c in range(model.n_cities):
        for _ in range(rules.stochastic_round(platforms[c], u[c, 0])):
            if province.pay(P.platform_cost_100m_yuan * s):
                cs.innovation_platforms[c] += 1
                province.grant_city(c, P.platform_cost_100m_yuan * s)
        for _ in range(rules.stochastic_round(pilots[c], u[c, 1])):
            # a pilot needs a local AI service provider to run it
            if service_city[c] > 0 and province.pay(P.pilot_cost_100m_yuan * s):
                cs.application_pilots[c] += 1
                province.grant_city(c, P.pilot_cost_100m_yuan * s)
        for _ in range(rules.stochastic_round(zones[c], u[c, 2])):
            if firms_city[c] >= P.demo_zone_min_firms and province.pay(
                    P.demo_zone_cost_100m_yuan * s):
                cs.demonstration_zones[c] += 1
                province.grant_city(c, P.demo_zone_cost_100m_yuan * s)
    # Deqing pilot county (二.(三)): a demonstration zone in Huzhou when the pilot starts
    deqing = model.tally.cum["deqing_zones"]
    if model.lever("deqing_pilot") >= 1 and deqing.sum() < P.deqing_pilot_zone_bonus:
        if province.pay(P.demo_zone_cost_100m_yuan * s):
            cs.demonstration_zones[model.huzhou] += 1
            deqing[model.huzhou] += 1
            province.grant_city(model.huzhou, P.demo_zone_cost_100m_yuan * s)
    # incubators and maker spaces (二.(五).1): places funded month by month
    seats = model.city_lever("incubator_seats") * s
    for c in range(model.n_cities):
        cost = seats[c] * P.incubator_subsidy_100m_yuan_per_seat_per_year / 12.0
        if cost > 0 and province.pay(cost):
            province.grant_city(c, cost)
            cs.incubator_seats[c] = seats[c]
        elif cost > 0:
            cs.incubator_seats[c] = min(seats[c], cs.incubator_occupied[c])
        else:
            cs.incubator_seats[c] = 0.0


def major_projects(model, alive: np.ndarray) -> None:
    """Offer major projects (三.(二)) to the largest firms; realised if land (四.(二)) and
    the host's finance allow."""
    P, e, rng, province = model.params, model.state.enterprises, model.rng, model.province
    n = rules.stochastic_round(model.lever("major_projects_per_year") / 12.0 * model.scale,
                               rng.random())
    if n == 0:
        return
    size = model.lever("major_project_investment_100m_yuan_per_project")
    land = model.lever("land_guarantee")
    own = P.major_project_own_share * size
    subsidy = P.major_project_subsidy_share * size
    cum = model.tally.cum
    for _ in range(n):
        # hosts: established firms that can pay their share, chosen by size
        revenue = e.revenue_year_100m_yuan[alive]
        weights = np.where((revenue >= P.exit_revenue_100m_yuan_per_year)
                           & (e.cash_100m_yuan[alive] >= own), revenue, 0.0)
        j = rules.choose_index(weights, rng.random())
        if j < 0 or rng.random() >= land:
            continue
        i = alive[j]
        if not province.pay(subsidy):
            continue
        province.grant_firm(i, subsidy)
        e.cash_100m_yuan[i] -= own + subsidy
        e.outflow_month_100m_yuan[i] += own + subsidy
        gain = P.major_project_knowledge_gain * size / (size + e.revenue_year_100m_yuan[i])
        e.knowledge[i] *= math.exp(gain)
        e.major_projects[i] += 1
        cum["major_projects"][e.city[i]] += 1
        cum["major_investment"][e.city[i]] += size


def zhejiang_lab_and_funds(model) -> None:
    """Zhejiang Lab (三.(三)) in Hangzhou and the province's fund capital (三.(一)), both
    outside the fiscal AI line."""
    P, s, cs, province = model.params, model.scale, model.state.cities, model.province
    lab = model.lever("zhejiang_lab_funding_100m_yuan_per_year") / 12.0
    if lab > 0:
        province.grant_city(model.hangzhou, lab * s)
        province.pay_off_budget(lab * s)
        cs.public_knowledge[model.hangzhou] += P.public_knowledge_per_100m_yuan * lab
        model.tally.year_counts["public_rd"][model.hangzhou] += lab * s
    freeze = model.event_factor("funding_freeze")
    funds = model.state.funds
    for row, lever in ((model.guidance_fund_row, "guidance_fund_capital_100m_yuan_per_year"),
                       (model.angel_guidance_row, "angel_vc_fund_support_100m_yuan_per_year"),
                       (model.science_fund_row, "provincial_science_fund_100m_yuan_per_year")):
        amount = model.lever(lever) / 12.0 * s * freeze
        if amount > 0:
            province.fund_receive(row, amount)
            province.pay_off_budget(amount)
            funds.government_capital_100m_yuan[row] += amount
            funds.committed_100m_yuan[row] += amount
            if row != model.science_fund_row:
                model.tally.cum["guidance_capital"][funds.city[row]] += amount


def apply_policy(model) -> None:
    """Province: monthly budget, key R&D and major projects, platforms, pilots, zones,
    incubator places, Zhejiang Lab, science and guidance funds (sections 二-四)."""
    fiscal = (model.lever("fiscal_ai_funding_100m_yuan_per_year")
              * model.event_factor("funding_freeze"))
    model.province.appropriate(fiscal / 12.0 * model.scale)
    alive = model.state.enterprises.alive_rows()
    key_rd_projects(model, alive)
    rd_platforms(model)
    city_programmes(model, alive)
    major_projects(model, alive)
    # public data opening (三.(四)): a level per city
    model.state.cities.data_opening[:] = model.city_lever("public_data_opening")
    zhejiang_lab_and_funds(model)
