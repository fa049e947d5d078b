"""Lever monotonicity: raising each lever raises the indicator it is expected to raise.

The expected effect of every lever is declared beside it (`model.levers.EXPECTED_EFFECTS`);
here each is checked by two short runs with common random numbers (same seed), the lever
at a low and a high value, other levers as in CONTEXT so that the mechanism is not starved
(e.g. a budget large enough for the projects it pays for).
"""

import pytest

from model import AIEcosystemModel
from model.levers import LEVERS
from model.state import TIERS

SCALE = 0.03
SEEDS = (7, 11)   # the indicator is summed over these replicates

# lever: (low, high, context levers, end year)
CASES = {
    "fiscal_ai_funding_100m_yuan_per_year": (1, 60, {"key_rd_projects_per_year": 400}, 2019),
    # a grant adds only itself to R&D (sourced additionality 0, not 1:1 co-finance), so 300
    # projects a year were below two seeds' noise; 1000 add 3-10% on each of four seeds
    "key_rd_projects_per_year": (0, 1000, {"fiscal_ai_funding_100m_yuan_per_year": 500}, 2019),
    "major_projects_per_year": (0, 60, {"land_guarantee": 1.0,
                                        "fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "major_project_investment_100m_yuan_per_project": (
        2, 10, {"major_projects_per_year": 60, "land_guarantee": 1.0,
                "fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "guidance_fund_capital_100m_yuan_per_year": (0, 40, {}, 2020),
    "guidance_fund_leverage": (1, 8, {"guidance_fund_capital_100m_yuan_per_year": 20}, 2020),
    "angel_vc_fund_support_100m_yuan_per_year": (0, 30, {}, 2020),
    "provincial_science_fund_100m_yuan_per_year": (0, 100, {}, 2020),
    "zhejiang_lab_funding_100m_yuan_per_year": (0, 150, {}, 2020),
    "innovation_platforms_per_year": (0, 40, {"fiscal_ai_funding_100m_yuan_per_year": 100},
                                      2022),   # access accumulates: to 2020 the effect (+3%
                                               # over 6 seeds) was below two seeds' noise
    "rd_platforms_target": (0, 5, {"fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "talent_program_top_scientists_per_year": (0, 100, {}, 2019),
    "talent_program_leading_entrepreneurs_per_year": (0, 500, {}, 2019),
    "talent_program_high_end_rd_per_year": (0, 800, {}, 2019),
    "talent_program_engineers_per_year": (0, 5000, {}, 2019),
    "talent_program_high_skill_per_year": (0, 30000, {}, 2019),
    "ai_graduates_per_year": (0, 5000, {}, 2019),
    "incubator_seats": (0, 2000, {"fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "tax_incentive_pct_points": (0, 25, {}, 2019),
    "land_guarantee": (0.1, 1.0, {"major_projects_per_year": 60,
                                  "fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "public_data_opening": (0, 1, {}, 2022),
    "application_pilots_per_year": (0, 30, {"fiscal_ai_funding_100m_yuan_per_year": 100}, 2022),
    "demonstration_zones_per_year": (0, 10, {"fiscal_ai_funding_100m_yuan_per_year": 100}, 2022),
    "core_city_share": (0.1, 0.9, {"demonstration_zones_per_year": 10,
                                   "fiscal_ai_funding_100m_yuan_per_year": 100}, 2020),
    "deqing_pilot": (0, 1, {"fiscal_ai_funding_100m_yuan_per_year": 100}, 2019),
    "international_cooperation": (0, 1, {}, 2022),
    "standards_support": (0, 1, {}, 2030),
    # a diffusion uplift (+3-5% of related revenue): below two replicates' seed noise at
    # 0.03 (one seed in six moves the other way), so summed over six common seeds
    "patent_pool": (0, 1, {"seeds": range(6)}, 2026),
    **{f"ai_application_{k}": (0, 1, {}, 2020) for k in (
        "manufacturing", "agriculture", "commerce_finance", "health_education",
        "public_services")},
    "ai_as_a_service": (0, 1, {}, 2022),
    "ai_infrastructure": (0, 1, {}, 2022),
    # domestic chips matter only when outside supply is restricted
    "chips_and_software": (0, 1, {"events": [{"kind": "chip_restriction", "start": 2018,
                                              "duration": 3, "magnitude": 0.5}]}, 2020),
}


# Talent supply levers add people to the pool; the talent indicators count the employed
# (issue 13), and whether newcomers find jobs depends on vacancies, not on the lever. So a
# supply lever is checked on the pool of its tier (employed plus job seekers).
SUPPLY_LEVERS = {"talent_program_high_end_rd_per_year", "talent_program_engineers_per_year",
                 "talent_program_high_skill_per_year", "ai_graduates_per_year",
                 "talent_program_top_scientists_per_year",
                 "talent_program_leading_entrepreneurs_per_year"}


def _value(lever: str, level: float) -> float:
    low, high, context, end = CASES[lever]
    target = LEVERS[lever].raises
    indicator, _, region = target.partition("@")
    total = 0.0
    for seed in context.get("seeds", SEEDS):
        levers = {k: v for k, v in context.items() if k not in ("events", "seeds")}
        model = AIEcosystemModel(levers={**levers, lever: level}, seed=seed, scale=SCALE,
                                 end_year=end, events=context.get("events"))
        while model.running:
            model.step()
        if lever in SUPPLY_LEVERS:
            tier = TIERS.index(indicator.removeprefix("talent_"))
            total += model.talent_by_city_tier()[:, tier].sum() / SCALE
            continue
        df = model.recorder.frame()
        row = df[(df.year == end) & (df.region == (region or "Zhejiang"))
                 & (df.indicator == indicator)]
        total += float(row.value.iloc[0])
    return total


def test_every_lever_has_a_case():
    assert set(CASES) == set(LEVERS)


@pytest.mark.parametrize("lever", sorted(CASES))
def test_lever_raises_its_indicator(lever):
    low, high, _, _ = CASES[lever]
    assert LEVERS[lever].low <= low < high <= LEVERS[lever].high
    v_low, v_high = _value(lever, low), _value(lever, high)
    assert v_high > v_low, f"{lever}: {LEVERS[lever].raises} {v_low} -> {v_high}"


def test_remembered_lever_values_follow_changed_specs():
    """LeverSettings remembers values per (lever, year), but a spec replaced or changed in
    place after a lookup (as a phase test or an adaptive policy does) gives its new value."""
    import numpy as np

    from model.levers import LeverSettings

    names = ["Hangzhou", "Ningbo", "Wenzhou"]
    s = LeverSettings({"talent_program_engineers_per_year": {2017: 1.0, 2019: 2.0}},
                      {"Wenzhou": {"innovation_platforms_per_year": 5.0}}, names)
    assert s.value("talent_program_engineers_per_year", 2020) == 2.0
    s.province["talent_program_engineers_per_year"][2019] = 3.0          # in place
    assert s.value("talent_program_engineers_per_year", 2020) == 3.0
    s.province["talent_program_engineers_per_year"] = 4.0                # replaced
    assert s.value("talent_program_engineers_per_year", 2020) == 4.0
    share, core = np.array([0.5, 0.3, 0.2]), np.array([True, True, False])
    first = s.city_values("innovation_platforms_per_year", 2020, share, core)
    first[0] = -1.0                                  # the caller's copy, not the memo's
    again = s.city_values("innovation_platforms_per_year", 2020, share, core)
    assert again[0] != -1.0 and again[2] == 5.0
    s.city["Wenzhou"]["innovation_platforms_per_year"] = 6.0
    assert s.city_values("innovation_platforms_per_year", 2020, share, core)[2] == 6.0
    s.province["core_city_share"] = 0.9
    moved = s.city_values("innovation_platforms_per_year", 2020, share, core)
    assert moved[0] != again[0]
