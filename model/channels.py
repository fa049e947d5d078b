"""Through which behavioural parameters each of the plan's levers acts, and their evidence.

`LEVER_CHANNELS` maps every lever (`levers.py`) to the parameters (`params.py`) of the
mechanisms it works through (docs/ODD.md §7). Each such parameter's value, range and
source (published estimate, how the model's parameter maps to it, or "no evidence")
live in `params.py`; `channel_table()` renders them as the ODD's parameter table
(docs/ODD.md, "Parameters the levers act through"), and `python -m model.channels
docs/ODD.md` rewrites that table in place. A channel parameter without a published
estimate (its source starts "no ..." or "assumption") or with a wide range (`ALSO_VARIED`)
is a factor of experiments/robustness.toml over its full range; tests/test_channels.py
checks both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .application_sectors import SECTOR_LEVERS
from .levers import LEVERS, TALENT_PROGRAM_LEVERS
from .params import PARAMETERS

_PILOTS = ("pilot_innovation_uplift_per_year", "policy_effect_lag_months",
           "pilot_effect_decay_per_year", "pilot_setup_months", "pilot_failure_share",
           "pilot_cost_100m_yuan")
_ZONES = ("demo_zone_imitation_uplift_per_year", "policy_effect_lag_months",
          "demo_zone_effect_decay_per_year", "demo_zone_review_months",
          "demo_zone_failure_share", "demo_zone_min_firms", "demo_zone_cost_100m_yuan",
          "logit_amenity_weight")
_MAJOR = ("major_project_own_share", "major_project_subsidy_share",
          "major_project_knowledge_gain", "major_project_lead_months",
          "major_project_failure_share", "major_project_size_dispersion")
_GUIDANCE = ("subfund_close_prob_per_month", "subfund_size_100m_yuan",
             "leverage_sentiment_elasticity", "leverage_dispersion", "fund_local_preference",
             "vc_ticket_100m_yuan", "fund_deployment_months")
_PUBLIC_KNOWLEDGE = ("public_knowledge_per_100m_yuan", "public_knowledge_rd_multiplier",
                     "public_knowledge_decay_per_year")
_TALENT = ("program_acceptance_base", "talent_programme_subsidy_top_100m_yuan",
           "talent_programme_subsidy_high_end_100m_yuan",
           "talent_programme_subsidy_other_100m_yuan", "high_tier_rd_multiplier")

_ADOPTION = ("sector_push_innovation_uplift_per_year", "adoption_ceiling",
             "ai_productivity_gain_per_adopter", "ai_productivity_lag_years",
             "ai_enabled_output_share")

LEVER_CHANNELS: dict[str, tuple[str, ...]] = {
    "fiscal_ai_funding_100m_yuan_per_year": (
        "key_rd_grant_100m_yuan", "platform_cost_100m_yuan", "rd_platform_cost_100m_yuan",
        "pilot_cost_100m_yuan", "demo_zone_cost_100m_yuan",
        "incubator_subsidy_100m_yuan_per_seat_per_year", "major_project_subsidy_share",
        "talent_programme_subsidy_top_100m_yuan", "talent_programme_subsidy_high_end_100m_yuan",
        "talent_programme_subsidy_other_100m_yuan"),
    "key_rd_projects_per_year": ("key_rd_grant_100m_yuan", "key_rd_months",
                                 "key_rd_cofinance_ratio", "key_rd_own_rd_additionality",
                                 "key_rd_min_research_staff"),
    "major_projects_per_year": _MAJOR,
    "major_project_investment_100m_yuan_per_project": _MAJOR,
    "land_guarantee": _MAJOR,
    "guidance_fund_capital_100m_yuan_per_year": _GUIDANCE,
    "guidance_fund_leverage": _GUIDANCE,
    "angel_vc_fund_support_100m_yuan_per_year": ("angel_ticket_100m_yuan", "vc_ticket_100m_yuan",
                                                 "fund_deployment_months",
                                                 "fund_local_preference"),
    "provincial_science_fund_100m_yuan_per_year": _PUBLIC_KNOWLEDGE,
    "zhejiang_lab_funding_100m_yuan_per_year": _PUBLIC_KNOWLEDGE
    + ("zhejiang_lab_amenity_per_100m_yuan", "logit_amenity_weight"),
    "innovation_platforms_per_year": ("platform_access_per_platform", "platform_rd_multiplier",
                                      "platform_build_months", "platform_failure_share",
                                      "platform_cost_100m_yuan", "logit_amenity_weight"),
    "rd_platforms_target": ("rd_platform_weight", "rd_platform_build_months",
                            "rd_platform_failure_share", "rd_platform_cost_100m_yuan",
                            "rd_platform_min_high_end", "platform_rd_multiplier"),
    **{name: _TALENT for name in TALENT_PROGRAM_LEVERS},
    "ai_graduates_per_year": ("graduate_high_end_share",),
    "incubator_seats": ("incubator_startup_rate_per_seat_per_year", "incubator_cost_discount",
                        "incubation_months", "incubator_subsidy_100m_yuan_per_seat_per_year"),
    "tax_incentive_pct_points": ("rd_user_cost_elasticity",),
    "public_data_opening": ("data_opening_innovation_uplift_per_year", "data_rd_multiplier",
                            "policy_effect_lag_months"),
    "application_pilots_per_year": _PILOTS,
    "demonstration_zones_per_year": _ZONES,
    "core_city_share": (),              # a layout: moves the other levers between cities
    "deqing_pilot": ("deqing_pilot_zone_bonus",) + _ZONES,
    "international_cooperation": ("international_catch_up_per_year",
                                  "international_market_access",
                                  "overseas_share_per_cooperation"),
    "standards_support": ("standards_support_multiplier",),
    "patent_pool": ("patent_pool_innovation_uplift_per_year", "patent_pool_imitation_multiplier",
                    "policy_effect_lag_months"),
    # demand with feedback (phases/adoption.py, 二.(四), 二.(五).3, 三.(四), 二.(一).3)
    **{name: _ADOPTION for name in SECTOR_LEVERS},
    "ai_as_a_service": ("aiaas_small_adopter_ceiling_uplift",) + _ADOPTION[1:],
    "ai_infrastructure": ("infrastructure_innovation_uplift_per_year",) + _ADOPTION[1:],
    "chips_and_software": ("domestic_chip_substitution_share",),
}

# evidence exists but the range is wide: varied in the robustness study too
ALSO_VARIED = ("rd_user_cost_elasticity", "key_rd_own_rd_additionality",
               "pilot_effect_decay_per_year", "demo_zone_effect_decay_per_year",
               "public_knowledge_decay_per_year", "leverage_dispersion")

START, END = "<!-- channel-table:start -->", "<!-- channel-table:end -->"


def channel_parameters() -> list[str]:
    """Every parameter some lever acts through, in first-mention order."""
    seen: dict[str, None] = {}
    for names in LEVER_CHANNELS.values():
        seen.update(dict.fromkeys(names))
    return list(seen)


def has_evidence(name: str) -> bool:
    """False when the parameter's source says it has no published estimate."""
    return not PARAMETERS[name].source.lower().startswith(("no ", "assumption"))


def uncertain_parameters() -> list[str]:
    """Channel parameters the robustness study must vary: no evidence, or wide."""
    return [n for n in channel_parameters() if not has_evidence(n) or n in ALSO_VARIED]


def _fmt(x: float) -> str:
    return f"{x:g}"


def channel_table() -> str:
    """The ODD's markdown table: parameter, levers, value, unit, range, evidence, source."""
    levers_of: dict[str, list[str]] = {}
    for lever, names in LEVER_CHANNELS.items():
        for n in names:
            levers_of.setdefault(n, []).append(LEVERS[lever].name)
    rows = ["| parameter | levers | value | unit | range | evidence | source; mapping to the model |",
            "|---|---|---|---|---|---|---|"]
    for n in channel_parameters():
        p = PARAMETERS[n]
        status = "published" if has_evidence(n) else "none"
        if n in uncertain_parameters():
            status += ", varied"
        rows.append(f"| `{n}` | {', '.join(levers_of[n])} | {_fmt(p.default)} | {p.unit} | "
                    f"{_fmt(p.low)} to {_fmt(p.high)} | {status} | {p.source.replace('|', '/')} |")
    return "\n".join(rows)


def replace_table(text: str) -> str:
    """`text` with the block between the table markers replaced by `channel_table()`."""
    if START not in text or END not in text:
        raise ValueError(f"markers {START} and {END} not found")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{channel_table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m model.channels docs/ODD.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(replace_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
