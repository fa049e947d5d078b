"""Finance and the province's delivery: funds, deals, grants, programme items' costs,
delays and failures (phases/finance.py, policy.py)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
    # --- finance --------------------------------------------------------------------------------
    _p("finance", "angel_ticket_100m_yuan", 0.03, "1e8 yuan", 0.005, 0.1,
       "assumption: typical angel/seed round in China 2017 (~3m yuan)", "angel investment per deal"),
    _p("finance", "vc_ticket_100m_yuan", 0.3, "1e8 yuan", 0.05, 1.0,
       "assumption: typical series A/B round (~30m yuan)", "VC investment per deal"),
    _p("finance", "fund_deployment_months", 48, "months", 6, 120,
       "typical 4-5 year investment period of a Chinese VC fund", "months over which dry powder is invested"),
    _p("finance", "subfund_close_prob_per_month", 0.15, "1/month", 0.01, 1.0,
       "no direct estimate; varied in robustness. Wei, Ang & Jia (2023, China Quarterly, "
       "'The promise and pitfalls of government guidance funds in China', "
       "https://www.cambridge.org/core/journals/china-quarterly/article/promise-and-pitfalls-of-government-guidance-funds-in-china/9211F2954E797A29E82B540DA6D9A714): "
       "only 26% of GGFs had met their target capital by 2021, so closing is slow and "
       "incomplete", "monthly probability that each sub-fund-sized tranche of a guidance fund's "
       "uncommitted capital closes into a sub-fund"),
    _p("finance", "leverage_sentiment_elasticity", 3.0, "1", 0.0, 6.0,
       "assumption: social capital follows recent sector growth",
       "sensitivity of realised leverage to the AI revenue growth of the past year"),
    _p("finance", "sentiment_reference_growth_per_year", 0.12, "1/year", 0.0, 0.5,
       "assumption: investors are neutral at the growth of the external market",
       "AI revenue growth at which investor sentiment is neutral"),
    _p("finance", "sentiment_min", 0.2, "1", 0.0, 1.0, "assumption", "floor of investor sentiment"),
    _p("finance", "sentiment_max", 2.0, "1", 1.0, 5.0, "assumption", "cap of investor sentiment"),
    _p("finance", "leverage_dispersion", 1.0, "1", 0.0, 1.0,
       "assumption: realised leverage of sub-funds varies widely; consistent with Wei, Ang & "
       "Jia (2023, China Quarterly): realised GGF capital fell well short of targets, most "
       "in non-coastal regions",
       "realised leverage = nominal x sentiment x (1 + dispersion x U(-1, 1))"),
    _p("finance", "fund_local_preference", 3.0, "1", 1.0, 10.0,
       "assumption: guidance sub-funds must reinvest locally", "weight on deals in a fund's home city"),
    _p("finance", "fund_life_months", 120, "months", 24, 240,
       "typical 7+3-year fund term", "months after which a fund distributes and closes"),
    _p("finance", "seed_stage_max_revenue_100m_yuan_per_year", 1.0, "1e8 yuan/year", 0.0, 10.0,
       "assumption", "annual revenue up to which a firm younger than the start-up age takes seed money"),
    _p("finance", "growth_stage_min_revenue_100m_yuan_per_year", 0.05, "1e8 yuan/year", 0.0, 10.0,
       "assumption", "annual revenue from which a firm takes growth (VC) money"),
    _p("finance", "growth_stage_max_revenue_100m_yuan_per_year", 5.0, "1e8 yuan/year", 0.1, 100.0,
       "assumption", "annual revenue up to which a firm takes growth (VC) money"),
    _p("finance", "exit_multiple_cap", 20.0, "1", 1.0, 100.0, "assumption", "cap on an exit's multiple"),
    _p("finance", "exit_value_elasticity", 0.7, "1", 0.0, 2.0,
       "assumption", "elasticity of exit value to the firm's revenue growth since the deal"),
    _p("finance", "subfund_size_100m_yuan", 1.0, "1e8 yuan", 0.2, 5.0,
       "assumption", "government tranche committed per sub-fund"),
    _p("finance", "exit_revenue_100m_yuan_per_year", 1.0, "1e8 yuan/year", 0.1, 100.0,
       "assumption", "annual revenue at which an investor exits a portfolio firm"),
    _p("finance", "screening_noise", 0.5, "log units", 0.0, 3.0,
       "assumption", "noise in investors' assessment of a firm's knowledge"),
    _p("finance", "major_project_own_share", 0.5, "fraction", 0.2, 0.8,
       "assumption: host firms fund half of a major project, social capital the rest",
       "share of a major project a host firm pays from its cash"),
    _p("finance", "major_project_subsidy_share", 0.05, "fraction", 0.0, 0.2,
       "assumption", "share of a major project paid by the provincial budget"),
    _p("finance", "major_project_knowledge_gain", 0.3, "log knowledge", 0.0, 1.0,
       "no evidence; assumption: embodied technical change of a project as large as the "
       "host's revenue; varied in robustness",
       "knowledge gain of a major project, scaled by size relative to annual revenue"),
    _p("finance", "key_rd_grant_100m_yuan", 0.05, "1e8 yuan", 0.03, 0.1,
       "assumption: provincial key R&D projects typically carry 3-10m yuan",
       "provincial grant per key R&D project"),
    _p("finance", "key_rd_months", 36, "months", 6, 60,
       "typical 3-year project term", "months over which a key R&D grant is spent"),
    _p("delivery", "key_rd_cofinance_ratio", 1.0, "yuan per grant yuan", 0.0, 3.0,
       "assumption: provincial key R&D projects led by firms require the firm's own funds "
       "at least matching the grant (no published ratio found; varied in robustness). An "
       "eligibility rule only: whether that money adds R&D is key_rd_own_rd_additionality",
       "cash a firm must hold per yuan of key R&D grant to apply"),
    _p("delivery", "key_rd_own_rd_additionality", 0.0, "yuan per grant yuan", -0.5, 0.5,
       "Dimos & Pugh (2016, Research Policy 45(4) 797-815, meta-regression of 52 studies): "
       "crowding out rejected but no substantial additionality, i.e. about 0 own R&D added per "
       "grant yuan; Boeing (2016, Research Policy 45(9) 1774-1789, Chinese listed firms): one "
       "public yuan reduces own R&D by 0.5 yuan in the grant year, neutral later. Maps one to "
       "one (own R&D added per grant yuan over the project); range -0.5 to 0.5",
       "the host firm's net additional own R&D per yuan of key R&D grant, spent with the grant"),
    _p("delivery", "key_rd_min_research_staff", 1, "persons", 0, 5,
       "assumption", "top scientists or high-end R&D staff a firm needs to apply"),
    _p("delivery", "rd_platform_build_months", 24, "months", 6, 48,
       "assumption: national-level platforms take one to three years to build",
       "months from approval until a flagship R&D platform opens"),
    _p("delivery", "rd_platform_failure_share", 0.1, "fraction", 0.0, 0.5,
       "assumption (no evidence found; varied in robustness)",
       "share of approved flagship platforms that never open"),
    _p("delivery", "platform_build_months", 12, "months", 6, 24,
       "assumption", "months from approval until an innovation platform opens"),
    _p("delivery", "platform_failure_share", 0.05, "fraction", 0.0, 0.5,
       "assumption (no evidence found; varied in robustness)",
       "share of approved innovation platforms that never open"),
    _p("delivery", "pilot_setup_months", 6, "months", 0, 18,
       "assumption", "months from contract until an application pilot runs"),
    _p("delivery", "pilot_failure_share", 0.2, "fraction", 0.0, 0.6,
       "assumption: many industry pilots stall (no evidence found; varied in robustness)",
       "share of contracted application pilots that never run"),
    _p("delivery", "demo_zone_review_months", 12, "months", 6, 24,
       "assumption: designation follows a year of review",
       "months from application until a demonstration zone is designated"),
    _p("delivery", "demo_zone_failure_share", 0.1, "fraction", 0.0, 0.5,
       "assumption (no evidence found; varied in robustness)",
       "share of applying zones not designated"),
    _p("delivery", "policy_effect_lag_months", 12, "months", 0, 24,
       "no pooled estimate; varied in robustness. Event studies of China's place-based "
       "pilots (smart-city pilots: 何凌云 & 马青山 2021, 财贸研究 32(3), multi-period DiD; "
       "big-data pilot zones: effects 'dynamic and continuous', Information Technology for "
       "Development 31(4) 2025) estimate effects by year since designation; 12 months is the "
       "assumed median delay before a pilot, zone, data opening or patent pool acts",
       "months from delivery until a pilot, zone, data opening or the patent pool speeds adoption"),
    _p("delivery", "pilot_effect_decay_per_year", 0.15, "1/year", 0.0, 0.4,
       "Hall (2007, NBER w13473): knowledge capital is conventionally depreciated at 15%/yr "
       "(market-value estimates 20-40%, production-function estimates near 0); a pilot's "
       "demonstration value ages like the knowledge it shows (assumption). Half-life "
       "ln 2 / 0.15 = 4.6 years", "continuous depreciation rate of a pilot's effect on adoption"),
    _p("delivery", "demo_zone_effect_decay_per_year", 0.05, "1/year", 0.0, 0.2,
       "assumption: a zone is an institution (park, county) that keeps operating; DiD studies "
       "of big-data pilot zones find effects that persist ('dynamic and continuous', "
       "Information Technology for Development 31(4) 2025). Half-life 14 years; range up to "
       "0.2 (3.5 years)", "continuous depreciation rate of a zone's effect on adoption"),
    _p("delivery", "major_project_lead_months", 18, "months", 6, 48,
       "assumption: construction of a major industrial project takes about 1.5 years",
       "months from start until a major project is realised"),
    _p("delivery", "major_project_failure_share", 0.1, "fraction", 0.0, 0.5,
       "assumption (no evidence found; varied in robustness)",
       "share of started major projects that are abandoned"),
    _p("delivery", "major_project_size_dispersion", 0.5, "log s.d.", 0.0, 1.0,
       "assumption", "spread of a realised project's size around the planned size"),
    _p("delivery", "talent_programme_subsidy_top_100m_yuan", 0.01, "1e8 yuan/person", 0.002, 0.05,
       "assumption: provincial top-talent programmes grant about 1m yuan per recruit",
       "subsidy per top scientist or leading entrepreneur recruited"),
    _p("delivery", "talent_programme_subsidy_high_end_100m_yuan", 0.002, "1e8 yuan/person", 0.0005, 0.01, "assumption", "subsidy per high-end R&D recruit"),
    _p("delivery", "talent_programme_subsidy_other_100m_yuan", 0.0003, "1e8 yuan/person", 0.0001, 0.0005, "assumption: city living allowances for graduates of 10-50k yuan (Hangzhou 2019)",
       "subsidy per engineer or high-skill recruit"),
    _p("firm", "dividend_payout_ratio", 0.3, "fraction", 0.0, 0.8,
       "CSRC guidance for listed firms: cash dividends of at least 20-40% of distributable "
       "profit (2013 Guideline No. 3); applied to all AI firms (assumption)",
       "share of a month's after-tax profit paid to owners when cash exceeds the buffer"),
    _p("firm", "dividend_cash_buffer_months", 12, "months", 0, 36,
       "assumption", "months of costs a firm keeps as cash before it pays dividends"),
    _p("finance", "pilot_cost_100m_yuan", 0.2, "1e8 yuan", 0.05, 1.0,
       "assumption", "provincial contract paid to the firm that runs an application pilot"),
    _p("finance", "demo_zone_cost_100m_yuan", 0.5, "1e8 yuan", 0.1, 2.0,
       "assumption", "provincial subsidy for designating a demonstration zone"),
    _p("finance", "platform_cost_100m_yuan", 0.5, "1e8 yuan", 0.1, 2.0,
       "assumption", "provincial cost of an innovation platform (key lab, engineering centre)"),
    _p("finance", "rd_platform_cost_100m_yuan", 5.0, "1e8 yuan", 1.0, 20.0,
       "assumption", "provincial cost of a flagship R&D platform (一.(三), 5 targeted)"),
    _p("finance", "rd_platform_min_high_end", 100, "persons (1:1)", 20, 500,
       "assumption: a national-level platform needs a research base",
       "high-end R&D talent and top scientists a city needs to host a flagship platform"),
    _p("finance", "incubator_subsidy_100m_yuan_per_seat_per_year", 0.005, "1e8 yuan", 0.001, 0.02,
       "assumption (~0.5m yuan per incubated start-up and year)",
       "provincial operating subsidy per incubator seat"),
    _p("finance", "demo_zone_min_firms", 3, "firms (1:1)", 1, 20,
       "assumption", "AI firms a city needs before it can host a demonstration zone"),
]
