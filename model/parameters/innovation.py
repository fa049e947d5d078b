"""Innovation: R&D, innovation and imitation, patents, standards, public knowledge
(phases/innovation.py)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
    # --- innovation -----------------------------------------------------------------------------
    _p("innovation", "innovation_rate_per_100m_yuan", 8.0, "1/(1e8 yuan/month)", 0.0, 100.0,
       "K+S (Dosi et al. 2010) zeta; assumption for the scale of Zhejiang firms",
       "zeta in P(innovation) = 1 - exp(-zeta * effective R&D)"),
    _p("innovation", "innovation_step_mean", 0.006, "log knowledge", 0.0, 0.3,
       "assumption", "mean productivity gain of a successful innovation (exponential)"),
    _p("innovation", "ideas_harder_beyond_frontier", 1.0, "1", 0.2, 3.0,
       "Bloom, Jones, Van Reenen & Webb (2020), Are ideas getting harder to find?, AER 110(4): "
       "research productivity falls with the level of technology as A^-beta, beta from about "
       "0.2 (Moore's law) to about 3 (US aggregate TFP). Mapping: applied only to a firm's "
       "knowledge beyond the global frontier (below it catching up is easier, distance to "
       "frontier: Aghion & Howitt); wide range, varied in the robustness study",
       "beta: a successful innovation's mean step shrinks as (frontier / knowledge)^beta "
       "once a firm is ahead of the global frontier"),
    _p("innovation", "imitation_rate_per_month", 0.03, "1/month", 0.0, 0.5,
       "assumption; imitation as in Nelson & Winter (1982)",
       "base probability of a successful imitation"),
    _p("innovation", "imitation_catch_up", 0.2, "fraction", 0.0, 1.0,
       "assumption", "share of the gap to the city's best firm closed by an imitation"),
    _p("innovation", "global_frontier_growth_per_year", 0.06, "1/year", 0.0, 0.3,
       "assumption: productivity growth of the AI frontier outside Zhejiang",
       "growth of the external competitors' knowledge"),
    _p("innovation", "international_catch_up_per_year", 0.05, "1/year", 0.0, 0.2,
       "no evidence; assumption: cooperation (四.(三)) brings frontier knowledge in; varied in "
       "robustness", "catch-up to the global frontier at full international cooperation"),
    _p("innovation", "rd_intensity", 0.10, "fraction of revenue", 0.0, 0.5,
       "assumption: Hikvision and Dahua report 9-10% R&D/revenue in 2017 annual reports",
       "own-funded R&D per yuan of revenue"),
    _p("innovation", "rd_user_cost_elasticity", 1.0, "1", 0.3, 2.0,
       "Chen, Liu, Suarez Serrato & Xu (2021, AER 111(7) 2065-2100, 'Notching R&D investment "
       "with corporate income tax cuts in China', https://hdl.handle.net/10161/25064): user-cost "
       "elasticity of R&D 1.14 for real R&D (2 for reported R&D, which includes relabelling); "
       "Bloom, Griffith & Van Reenen (2002, J Public Econ 85): long run about 1. Maps one to "
       "one: the model's R&D rises by elasticity x the relief's share of the after-tax cost. "
       "Range 0.3 (the WP's bunching tax elasticity 0.34) to 2 (reported R&D)",
       "response of R&D intensity to the tax relief on profits, as a share of after-tax cost"),
    _p("innovation", "startup_rd_share_of_cash_per_month", 0.03, "1/month", 0.0, 0.5,
       "assumption: pre-revenue firms spend down their cash on R&D",
       "share of a start-up's cash spent on R&D each month"),
    _p("innovation", "high_tier_rd_multiplier", 2.0, "1", 0.0, 5.0,
       "no evidence for a per-person multiplier; varied in robustness. Young Thousand Talents "
       "recruits publish more after return, but mainly last-authored papers and explained by "
       "larger funding and teams (Shi, Liu & Wang 2023, Science 379, 62-65), not by the "
       "person alone; Jia & Fleisher (2020, IZA DP 13073) find the programme's hires lowered "
       "the output of colleagues already in post", "effective R&D multiplier at a 100% share "
       "of high-end talent"),
    _p("innovation", "platform_rd_multiplier", 0.5, "1", 0.0, 2.0,
       "no evidence; assumption: lab and platform access (三.(三)) raises R&D productivity; "
       "varied in robustness", "effective R&D multiplier at full platform access"),
    _p("innovation", "platform_access_per_platform", 0.05, "1/platform", 0.0, 0.3,
       "no evidence; assumption; varied in robustness",
       "rate in access = 1 - exp(-rate * platforms in the city)"),
    _p("innovation", "data_rd_multiplier", 0.5, "1", 0.0, 2.0,
       "no evidence in R&D-productivity units; varied in robustness. Open government data "
       "raises listed firms' TFP (staggered DiD, 'Public data resources and total factor "
       "productivity of enterprises', SMU INK soa_research/2048, 2024) and investment (+0.003 "
       "on a mean investment rate of 0.054, i.e. about +5%, JDIS 2025, doi:10.2478/jdis-2025-0047)",
       "effective R&D multiplier of software/service firms at full data opening"),
    _p("innovation", "public_knowledge_rd_multiplier", 0.3, "1", 0.0, 2.0,
       "no evidence; assumption: basic research (science fund, Zhejiang Lab) spills into "
       "firms; varied in robustness", "effective R&D multiplier at a public-knowledge index of 1"),
    _p("innovation", "public_knowledge_per_100m_yuan", 0.02, "1/(1e8 yuan)", 0.0, 0.1,
       "no evidence; assumption; varied in robustness",
       "public-knowledge index gained per 1e8 yuan of basic research"),
    _p("innovation", "public_knowledge_decay_per_year", 0.1, "1/year", 0.0, 0.4,
       "Hall (2007, NBER w13473, 'Measuring the returns to R&D: the depreciation problem'): "
       "R&D capital is conventionally depreciated at 15%/yr; production-function estimates "
       "imply near 0, market-value estimates 20-40%; 0.1 for basic research, which ages "
       "more slowly than firms' R&D (Hall, Mairesse & Mohnen 2010, Handbook of the Economics "
       "of Innovation ch. 24)", "depreciation of the public-knowledge index"),
    _p("innovation", "rd_platform_weight", 3.0, "platform-equivalents", 0.0, 10.0,
       "no evidence; assumption: a flagship platform (一.(三)) is worth several ordinary labs; "
       "varied in robustness",
       "ordinary platforms a flagship R&D platform counts for in access and amenity"),
    _p("innovation", "standards_support_multiplier", 2.0, "1", 0.0, 5.0,
       "no evidence; assumption; varied in robustness",
       "increase of the standards rate at full standards support (四.(四))"),
    _p("innovation", "patents_per_100m_yuan_rd", 3.0, "patents per 1e8 yuan", 0.0, 50.0,
       "assumption: Chinese enterprise invention grants per R&D yuan (CNIPA / NBS ratios)",
       "expected invention patents per 1e8 yuan of effective R&D"),
    _p("innovation", "core_patent_share_factor", 0.6, "1", 0.0, 1.0,
       "assumption: not all a firm's AI-core patents are core AI technology",
       "core patents as a share of patents, per unit of the firm's AI-core revenue share"),
    _p("innovation", "standard_rate_per_leading_firm_per_year", 0.08, "1/year", 0.0, 2.0,
       "assumption", "rate at which a leading firm leads or joins a technical standard"),
    _p("innovation", "patent_pool_imitation_multiplier", 1.0, "1", 0.0, 2.0,
       "no evidence; sign contested: the Sewing Machine Combination slowed innovation by "
       "members and outsiders (Lampe & Moser 2010, J. Economic History 70(4)); varied in "
       "robustness over 0 (no effect) to 2",
       "imitation-rate multiplier with the patent pool in place"),
]
