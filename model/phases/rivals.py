"""The national AI market and Zhejiang's rivals (part of phase 6, market).

China's AI market has two parts: the purchases of Zhejiang's own adopters (the market
phase's local demand) and the national (+ export) market outside them
(`Economy.external_market_100m_yuan`, 1:1 yuan a year). The outside market grows with the
rest of China's adoption, a Bass process with the model's base coefficients and ceiling
(the same technology, without Zhejiang's pilots, zones and open data), and at
`external_market_growth_per_year` at constant adoption (GDP and spending per adopter). Zhejiang's firms compete in both with five aggregate
rival agents (`RIVALS`: Beijing, Guangdong, Shanghai, Jiangsu, the rest of China). Each
supplier's attractiveness is capacity x capability^θ (θ = `rival_share_knowledge_elasticity`):

- Zhejiang: capacity s0 (its 2017 share of the outside market), capability k = its firms'
  revenue-weighted knowledge relative to 2017;
- rival r: capacity = its 2017 weight x its policy pushes (`rival_push` events), capability
  K_r growing at the frontier's pace (`global_frontier_growth_per_year`) and catching up on
  Zhejiang's lead at `rival_catch_up_per_year` (rivals imitate and poach: they respond).

The outside market's 2017 size is set by evidence on Zhejiang's share of the whole
national market (`national_share_2017`): (L + O) / (L / h0 + M) = S for Zhejiang's local
sales L, outside sales O and home share h0 gives the outside market M, and s0 = O / M.

Logit shares, in (0, 1) by construction: outside Zhejiang s* = a_Z / (a_Z + Σ a_r); in
Zhejiang's own market the same with a home bias that makes it `home_share_2017` in 2017.
Buyers switch with a lag: both shares close the gap to their targets at
`external_replicator_speed_per_year`. Everything here is province-level (no per-agent rule),
shared by both engines, and computed from 1:1 quantities (scale-free).
"""

from __future__ import annotations

import numpy as np

# Aggregate rival suppliers of the national AI market, and their 2017 weights: the shares
# of China's AI enterprises at the end of 2019 (中国新一代人工智能发展战略研究院, 《中国新一代
# 人工智能科技产业发展报告·2020》: Beijing 42.5%, Guangdong 16.9%, Shanghai 15.3%, Zhejiang
# 8.3%); Jiangsu is not given there: 5% of the remaining 17% is an assumption (it ranks in
# the first tier with the four others in the same institute's regional index), the rest is
# the rest of China. Normalised over the rivals; Zhejiang's own weight is its 2017 share of
# the outside market (`Economy.external_share_2017`, set by `national_share_2017`).
RIVALS = ("Beijing", "Guangdong", "Shanghai", "Jiangsu", "Rest of China")
RIVAL_FIRM_SHARE_2019 = np.array([0.425, 0.169, 0.153, 0.05, 0.12])
N_RIVALS = len(RIVALS)


def revenue_weighted_knowledge(e) -> float:
    """Zhejiang's capability: its living firms' knowledge weighted by annual revenue."""
    alive = e.alive_rows()
    w = e.revenue_year_100m_yuan[alive]
    return float((e.knowledge[alive] * w).sum() / max(w.sum(), 1e-12))


# Zhejiang's largest 2017 share of the outside market: where its own adopters' purchases alone
# would put its national share above `national_share_2017` (a large local sales share with a
# small home share, possible only in the robustness study's corners), the outside market is
# sized at this share instead and the 2017 national share comes out above the parameter
MAX_OUTSIDE_SHARE_2017 = 0.5


def outside_share_2017(P, local_sales_100m_yuan: float, outside_sales_100m_yuan: float) -> float:
    """Zhejiang's 2017 share of the outside market that makes its national share
    `national_share_2017`, given its local and outside sales (see the module note)."""
    L, O, h0 = local_sales_100m_yuan, outside_sales_100m_yuan, P.home_share_2017
    outside_market = (L + O) / P.national_share_2017 - L / h0
    if outside_market * MAX_OUTSIDE_SHARE_2017 <= O:
        return MAX_OUTSIDE_SHARE_2017
    return O / outside_market


def market_access(model) -> float:
    """How much of the outside market Zhejiang's firms reach this month, relative to no
    international cooperation: 1 + `international_market_access` x the cooperation lever."""
    return 1.0 + model.params.international_market_access * model.lever(
        "international_cooperation")


def init_national_market(model, local_sales_100m_yuan: float,
                         outside_sales_100m_yuan: float) -> None:
    """2017: the outside market that gives Zhejiang `national_share_2017` of the national
    market, the rivals' weights and capabilities, the home bias, and Zhejiang's capability
    as the 2017 reference (1:1 sales, 1e8 yuan/year)."""
    P, economy = model.params, model.economy
    s0 = outside_share_2017(P, local_sales_100m_yuan, outside_sales_100m_yuan)
    economy.external_share_2017 = s0
    # the market Zhejiang reaches is the outside market x its 2017 access
    economy.external_market_100m_yuan = outside_sales_100m_yuan / s0 / market_access(model)
    economy.external_share = s0
    economy.home_share = P.home_share_2017
    economy.rival_weights = (1.0 - s0) * RIVAL_FIRM_SHARE_2019 / RIVAL_FIRM_SHARE_2019.sum()
    economy.rival_knowledge = np.ones(N_RIVALS)
    economy.national_adoption = P.adoption_2017
    economy.knowledge_2017 = revenue_weighted_knowledge(model.state.enterprises)


def push_factors(model, month: int | None = None) -> np.ndarray:
    """Each rival's capacity multiplier from its `rival_push` events up to `month`: a push of
    magnitude m over d years phases in geometrically (m^(elapsed/d)) and stays at m after
    it ends (the rival's new capacity persists)."""
    month = model.month if month is None else month
    out = np.ones(N_RIVALS)
    for ev in model.events:
        if ev.get("kind") != "rival_push":
            continue
        start = (int(ev["start"]) - model.start_year) * 12
        months = max(1, round(float(ev.get("duration", 1)) * 12))
        done = min(max(month - start + 1, 0), months) / months
        out[RIVALS.index(ev["rival"])] *= float(ev.get("magnitude", 1.0)) ** done
    return out


def target_shares(P, economy, knowledge: float, pushes: np.ndarray) -> tuple[float, float]:
    """Zhejiang's logit shares (outside market, own market) at its capability `knowledge`
    (2017 = 1): both in (0, 1) for any positive input."""
    theta = P.rival_share_knowledge_elasticity
    s0, h0 = economy.external_share_2017, P.home_share_2017
    own = s0 * max(knowledge, 1e-12) ** theta
    rivals = float((economy.rival_weights * pushes * economy.rival_knowledge ** theta).sum())
    home = own * h0 / (1.0 - h0) * (1.0 - s0) / s0       # the 2017 home bias
    return own / (own + rivals), home / (home + rivals)


def compete(model) -> tuple[float, float]:
    """One month: the rest of China adopts and the outside market grows, rivals' capabilities grow and catch up, and
    Zhejiang's shares move toward their logit targets. Returns Zhejiang's outside sales this
    month (1:1 units, 1e8 yuan, before access and shocks) and the factor by which its share
    of its own adopters' purchases differs from 2017's."""
    P, economy = model.params, model.economy
    a, m = economy.national_adoption, P.adoption_ceiling
    # a Bass process saturating at the same ceiling as Zhejiang's sectors before AIaaS
    # (adoption.py); adoption at or above it stays where it is
    economy.national_adoption = min(m, a + (P.bass_innovation_per_year / 12.0
                                            + P.bass_imitation_per_year / 12.0 * a / m)
                                    * (m - a)) if a < m else a
    economy.external_market_100m_yuan *= ((1.0 + P.external_market_growth_per_year) ** (1 / 12)
                                          * economy.national_adoption / a)
    k = revenue_weighted_knowledge(model.state.enterprises) / economy.knowledge_2017
    kr = economy.rival_knowledge
    kr *= (1.0 + P.global_frontier_growth_per_year) ** (1 / 12)
    kr += P.rival_catch_up_per_year / 12.0 * np.maximum(k - kr, 0.0)
    s_star, h_star = target_shares(P, economy, k, push_factors(model))
    speed = min(1.0, P.external_replicator_speed_per_year / 12.0)
    economy.external_share += speed * (s_star - economy.external_share)
    economy.home_share += speed * (h_star - economy.home_share)
    return (economy.external_market_100m_yuan * economy.external_share / 12.0,
            economy.home_share / P.home_share_2017)


def record_national(model, market: float, zhejiang: float) -> None:
    """Add the month's national AI market (Zhejiang's adopters' purchases plus the outside
    market Zhejiang reaches) and what Zhejiang's firms sold in it, after the chip cap and
    labour shortages (1:1 units, 1e8 yuan), to the calendar year's."""
    economy = model.economy
    if model.month % 12 == 0:
        economy.national_ytd[:] = 0.0
    economy.national_ytd += (market, zhejiang)


def national_indicators(economy) -> dict[str, float]:
    """The year so far: national AI market (1e8 yuan) and Zhejiang's share of it (before
    any month has been sold, its share of the outside market)."""
    market, zhejiang = economy.national_ytd
    share = zhejiang / market if market > 0 else economy.external_share
    return {"national_ai_market_100m_yuan": float(market), "national_ai_market_share": float(share)}
