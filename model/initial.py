"""Initial conditions for January 2017, backcast from the observed data.

Every number here is an `InitialValue` with its source; a scenario may override any
under `[initial]`. The backcast (docs/ODD.md, "Initialisation"):
- register revenue 2017 = 2019 series-A revenue 2405 / 1.1696^2, i.e. the province is
  assumed to have grown as Hangzhou did in 2019 (+16.96%, observed A_city row);
- register firms 2017 = 482 / 1.1696^2 (same assumption for the firm count);
- firm sizes follow a truncated Pareto whose exponent is solved so that the deterministic
  size quantiles of the register firms sum to the backcast revenue.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from .data import observed_value
from .params import Parameter, Values
from .state import N_SECTORS, N_TIERS

# the latest observed year the 2017 state is built from: a forecast made from an earlier
# origin would see its rows (forecast_scores)
BACKCAST_YEAR = 2019


def _seen(region: str, metric: str, year: int = BACKCAST_YEAR) -> float:
    return observed_value(year, region, metric)


HANGZHOU_GROWTH_2019 = (_seen("Hangzhou", "ai_enterprise_revenue")
                        / _seen("Hangzhou", "ai_enterprise_revenue", BACKCAST_YEAR - 1))


def _i(name, default, unit, low, high, source):
    return Parameter(name, float(default), unit, float(low), float(high), source,
                     "initial condition, January 2017", "initial")


_ALL = [
    _i("register_revenue_100m_yuan", _seen("Zhejiang", "ai_enterprise_revenue")
       / HANGZHOU_GROWTH_2019**2, "1e8 yuan/year", 100, 10000,
       "backcast: 2019 series A (2405) / 1.1696^2 (Hangzhou 2019 growth)"),
    _i("register_firms", _seen("Zhejiang", "ai_enterprises")
       / HANGZHOU_GROWTH_2019**2, "firms", 10, 5000,
       "backcast: 2019 series A firms (482) / 1.1696^2"),
    _i("small_firms_per_register_firm", 2.0, "ratio", 0, 20,
       "assumption: AI firms below the 20m-yuan register threshold, incl. start-ups"),
    _i("largest_firm_revenue_100m_yuan", 420, "1e8 yuan/year", 10, 2000,
       "assumption: the largest AI firm (Hikvision reported about 419e8 yuan for 2017)"),
    _i("hangzhou_firm_share", _seen("Hangzhou", "ai_enterprises")
       / _seen("Zhejiang", "ai_enterprises"), "fraction", 0, 1,
       "2019 rows: Hangzhou 212 of 482 register firms"),
    _i("hangzhou_revenue_share", _seen("Hangzhou", "ai_enterprise_revenue")
       / _seen("Zhejiang", "ai_enterprise_revenue"), "fraction", 0, 1,
       "2019 rows: Hangzhou 1157.69 of 2405e8 yuan (two sources; the 2020 directory gives "
       "0.578), placed on the larger half of the register firms"),
    _i("knowledge_dispersion", 0.15, "log s.d.", 0, 1,
       "assumption: dispersion of firms' technology levels"),
    _i("cash_months_of_revenue", 4, "months", 0, 36, "assumption: liquidity of AI firms"),
    _i("firm_age_max_years", 20, "years", 1, 40, "assumption: oldest register firms founded ~1997"),
    # AI technical talent (high-end R&D plus engineers): LinkedIn counted more than 50,000
    # AI technical professionals in China in Q1 2017 (a lower bound; observed row
    # ai_talent_linkedin 2017); Zhejiang's share of China's AI firms was 8.3-8.8% in
    # 2019-2020 (share_of_national_ai_enterprises_nankai) and of China's R&D 7.2% in 2016:
    # 50,000 x 0.072-0.088 = 3,600-4,400, a lower bound, so 4,950 (4,500 + 450) is used,
    # with the high-end tier a tenth of it (assumption). No source counts the other tiers;
    # they are assumptions with wide ranges for the robustness study.
    _i("talent_top_scientists", 20, "persons", 0, 200,
       "assumption (no count published): globally leading AI scientists working in Zhejiang"),
    _i("talent_leading_entrepreneurs", 200, "persons", 0, 2000,
       "assumption: about one leading founder per two register AI firms (352 in 2017)"),
    _i("talent_high_end_rd", 450, "persons", 0, 5000,
       "estimate: a tenth of the AI technical talent estimated from LinkedIn 2017 x "
       "Zhejiang's share of China's AI firms (see above)"),
    _i("talent_engineers", 4500, "persons", 0, 50000,
       "estimate: AI technical talent from LinkedIn 2017 (> 50,000 in China) x Zhejiang's "
       "share of China's AI firms (8.3-8.8%) and R&D (7.2%): 3,600-4,400 as a lower bound"),
    _i("talent_high_skill", 45000, "persons", 0, 500000,
       "assumption (no count published): ten high-skill workers per AI engineer"),
    _i("innovation_platforms", 20, "platforms", 0, 500,
       "assumption: AI-related key labs and engineering centres in 2017"),
    _i("adjacent_incumbent_firms", 4000, "firms", 0, 12000,
       "estimate: 11,931 high-tech enterprises in Zhejiang in 2019 (observed row "
       "high_tech_enterprises), about a third of them in the information economy "
       "(software, electronics, equipment, security; assumption, range 1/12 to all)"),
    _i("vc_funds", 40, "funds", 0, 2000, "assumption: angel/VC funds active in Zhejiang AI"),
    _i("vc_fund_size_100m_yuan", 2, "1e8 yuan", 0.1, 100, "assumption"),
    _i("industrial_funds", 5, "funds", 0, 200, "assumption: corporate and industrial funds"),
    _i("industrial_fund_size_100m_yuan", 10, "1e8 yuan", 0.1, 500, "assumption"),
    _i("research_base_hangzhou_share", 0.6, "fraction", 0, 1,
       "assumption: Zhejiang University and most institutes are in Hangzhou"),
]

INITIAL: dict[str, Parameter] = {v.name: v for v in _ALL}

# share of each tier employed by firms / by research institutes in 2017 (rest seeking)
FIRM_EMPLOYED_SHARE = np.array([0.2, 0.6, 0.6, 0.9, 0.93])   # assumption
RESEARCH_SHARE = np.array([0.8, 0.0, 0.35, 0.0, 0.0])          # assumption
# wages by tier, 1e8 yuan per person-year at the province's mean wage index (assumption,
# from 2017 job-board medians for AI roles in Hangzhou scaled to the province)
WAGE_100M_YUAN_PER_YEAR = np.array([0.02, 0.01, 0.006, 0.0025, 0.0012])

# sectors: 2017 revenue mix, firm-count mix and AI-core share of revenue (assumptions; the
# core shares make core ~ 26% of series A, near the implied 2019 share 667/2405, row B)
SECTOR_REVENUE_MIX = np.array([0.40, 0.06, 0.06, 0.12, 0.12, 0.16, 0.08])
SECTOR_FIRM_MIX = np.array([0.12, 0.06, 0.10, 0.10, 0.17, 0.28, 0.17])
SECTOR_CORE_SHARE = np.array([0.20, 0.12, 0.25, 0.08, 0.18, 0.55, 0.45])
assert len(SECTOR_REVENUE_MIX) == N_SECTORS and len(WAGE_100M_YUAN_PER_YEAR) == N_TIERS


class Initial(Values):
    """Initial-condition values of one run."""

    registry = INITIAL
    kind = "initial value"


def pareto_quantile_sizes(n: int, xmin: float, xmax: float, total: float) -> np.ndarray:
    """n deterministic quantiles of a truncated Pareto on [xmin, xmax] summing to `total`.

    The tail exponent is solved by root finding; sizes are returned largest first.
    """
    q = (np.arange(n) + 0.5) / n

    def sizes(alpha):
        r = (xmin / xmax) ** alpha
        return xmin * (1.0 - q * (1.0 - r)) ** (-1.0 / alpha)

    f = lambda a: sizes(a).sum() - total  # noqa: E731
    lo, hi = 0.05, 5.0
    if f(lo) < 0 or f(hi) > 0:
        alpha = lo if f(lo) < 0 else hi
    else:
        alpha = brentq(f, lo, hi)
    x = np.sort(sizes(alpha))[::-1]
    return x * (total / x.sum()), alpha
