"""Market and demand: GDP, adoption by application sector, purchases, the national
market and its rivals, chip supply (phases/market.py, adoption.py, rivals.py)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
    # --- macro and demand (market phase) -------------------------------------------------
    _p("market", "gdp_growth_per_year", 0.07, "1/year", 0.0, 0.15,
       "observed: Zhejiang 2017 GDP +7.8% real (observed_zhejiang.csv, 2017 gdp row); "
       "nominal trend assumed 7%", "trend growth of every city's GDP, which scales AI demand"),
    _p("market", "adoption_2017", 0.10, "fraction", 0.01, 0.5,
       "assumption: early-2017 surveys put enterprise AI adoption below 10%",
       "initial share of potential adopters in each city using AI products"),
    _p("market", "bass_innovation_per_year", 0.005, "1/year", 0.0, 0.1,
       "assumption, below the Bass meta-analysis mean p=0.03 (Sultan, Farley & Lehmann 1990) "
       "for a new general-purpose technology", "spontaneous adoption rate (Bass p)"),
    _p("market", "bass_imitation_per_year", 0.12, "1/year", 0.0, 1.0,
       "Sultan, Farley & Lehmann (1990) meta-analysis mean q=0.38; lowered for B2B AI",
       "word-of-mouth adoption rate (Bass q)"),
    _p("market", "pilot_innovation_uplift_per_year", 0.004, "1/year per pilot", 0.0, 0.02,
       "no evidence for a per-pilot effect; varied in robustness. DiD studies find that "
       "China's AI pilot zones raise city innovation (e.g. 国家新一代人工智能创新发展试验区, "
       "https://tjlt.cbpt.cnki.net/portal/journal/portal/client/paper/bbdd21d035343cfad053a7755cb112ce) "
       "but report indices or patent counts per city, not adoption: no conversion to a Bass p "
       "per pilot exists. Range: 0 to 5x the value (0.02/yr per pilot = 4x the base p)",
       "increase of a city's Bass p per effective application pilot (lagged, depreciating)"),
    _p("market", "demo_zone_imitation_uplift_per_year", 0.02, "1/year per zone", 0.0, 0.1,
       "no evidence for a per-zone effect; varied in robustness. DiD studies of national "
       "big-data comprehensive pilot zones find lasting positive effects on cities' digital "
       "economy (Hu, Jiang, Guo & Li 2024, Heliyon, doi:10.1016/j.heliyon.2024.e24638) and "
       "firm TFP (Gao, Xu & Wang 2026, Energy & Environment 37(1)), in index units: no "
       "conversion to Bass q per zone. Range 0-0.1 (0.1 = most of the base q of 0.12)",
       "increase of a city's Bass q per effective demonstration zone (lagged, depreciating)"),
    _p("market", "data_opening_innovation_uplift_per_year", 0.01, "1/year", 0.0, 0.05,
       "no evidence in adoption units; varied in robustness. Multistage DiD of Chinese cities "
       "that opened government data platforms in 2014-2015 finds higher urban innovation "
       "(Sustainability 2021, 13(23) 13495, https://doi.org/10.3390/su132313495); staggered "
       "DiD of listed firms finds faster digital transformation (Li & Li 2026, Science Research "
       "Management 47(5)); neither gives a Bass p. Range 0-0.05 (10x the base p at full opening)",
       "increase of Bass p at full public-data opening in effect (lagged level)"),
    _p("market", "patent_pool_innovation_uplift_per_year", 0.005, "1/year", 0.0, 0.02,
       "no evidence for a diffusion gain, and the sign is contested: the first US patent pool "
       "discouraged patenting and innovation (Lampe & Moser 2010, J. Economic History 70(4), "
       "NBER w15061); varied in robustness over 0-0.02 (0 = no effect)",
       "increase of every city's Bass p with the patent pool in effect (lagged)"),
    _p("market", "international_market_access", 0.2, "fraction", 0.0, 1.0,
       "no evidence; assumption: '走出去' and Belt-and-Road diffusion (四.(三)) open foreign "
       "markets; varied in robustness", 
       "extra external market open to Zhejiang firms at full international cooperation"),
    _p("market", "local_sales_share_2017", 0.35, "fraction", 0.05, 0.9,
       "assumption: Zhejiang AI firms sold about a third of output in the province",
       "share of 2017 AI-enterprise revenue bought by adopters in Zhejiang"),
    _p("market", "national_share_2017", 0.25, "fraction", 0.12, 0.36,
       "Zhejiang held 8.3% of China's AI enterprises at the end of 2019 (中国新一代人工智能"
       "发展战略研究院, 中国新一代人工智能科技产业发展报告·2020; "
       "http://www.victorzhang.cn/page/2020/0922/8218004.shtml) but about 25% of the national "
       "core industry by revenue: observed row 2019 core_industry_scale 667亿 (series B, low "
       "confidence, narrow definition) against CAICT's 2020 industry 3031亿 at +15.1%, i.e. "
       "~2630亿 in 2019 (https://cdstm.cn/theme/khsj/khzx/khqw/202207/t20220727_1072078.html): "
       "0.254 in 2019; the model's share moves little 2017-2019 (+0.003 a year under the "
       "plan), so 0.25 in 2017; the range is half again either way for the definitions' "
       "mismatch (core vs all AI-firm revenue); varied in the robustness study",
       "Zhejiang firms' 2017 share of the national (+ export) AI market; sets the size of the "
       "market outside Zhejiang's adopters and Zhejiang's share of it "
       "(phases/rivals.py; the rivals hold the rest)"),
    _p("market", "external_market_growth_per_year", 0.07, "1/year", 0.0, 0.3,
       "nominal GDP growth of China, ~7-8%/year 2017-2019 (NBS); with the rest of China's "
       "adoption (phases/rivals.py) the national market grows ~14%/year 2020-2030 (plan, "
       "1:1), near the path the national plan (国发〔2017〕35号) sets for the core "
       "industry: above 1500亿 (2020), 4000亿 (2025), "
       "1万亿 (2030); CAICT: 3031亿 in 2020, +15.1% (https://cdstm.cn/theme/khsj/khzx/khqw/"
       "202207/t20220727_1072078.html); calibrated",
       "growth of the national (+ export) AI market outside Zhejiang's adopters at constant "
       "adoption (its GDP and AI spending per adopter)"),
    _p("market", "external_replicator_speed_per_year", 0.3, "1/year", 0.05, 2.0,
       "no evidence on how fast buyers of AI products switch provinces; 0.3 = a gap closed "
       "in about 3 years; varied in the robustness study",
       "rate at which Zhejiang's national-market share closes the gap to its logit target"),
    _p("market", "rival_share_knowledge_elasticity", 1.0, "1", 0.25, 4.0,
       "no estimate for provincial AI markets; the elasticity of trade shares to relative "
       "productivity is about 4 (Simonovska & Waugh 2014, J Int Econ 92) to 8 (Eaton & Kortum "
       "2002, Econometrica 70) for whole economies, an upper bound for a firm-level "
       "knowledge index; 1 matches the firms' linear replicator near parity; varied in the "
       "robustness study", "elasticity of Zhejiang's attractiveness in the national market "
       "to its revenue-weighted knowledge relative to the frontier (rivals' capability)"),
    _p("market", "rival_catch_up_per_year", 0.3, "1/year", 0.05, 1.0,
       "no estimate for provinces' AI capability; rivals imitate and hire away a lead "
       "(talent moves between Beijing, Shanghai, Shenzhen and Hangzhou); 0.3 caps a lead "
       "from 10%/year faster learning at about 1.3x; varied in the robustness study",
       "share of Zhejiang's knowledge lead over a rival that the rival closes per year"),
    _p("market", "home_share_2017", 0.6, "fraction", 0.3, 0.9,
       "no estimate for AI; Chinese provinces buy much of their goods within the province "
       "(home bias: Poncet 2005, Rev Int Econ 13, 'A fragmented China'); varied in the "
       "robustness study", "share of Zhejiang adopters' 2017 AI purchases bought from "
       "Zhejiang firms (rivals sell the rest)"),
    _p("market", "replicator_speed_per_year", 0.6, "1/year", 0.0, 3.0,
       "Dosi, Fagiolo & Roventini (2010) K+S replicator; annualised assumption",
       "speed at which a firm's sector share follows its relative competitiveness"),
    _p("market", "demand_shock_sd_per_month", 0.05, "log units", 0.0, 0.3,
       "assumption, tuned to annual growth-rate spreads of 20-40% for small firms "
       "(Bottazzi & Secchi 2006)", "s.d. of a firm's monthly demand shock at 1e8 yuan/yr"),
    _p("market", "growth_spread_size_elasticity", 0.2, "1", 0.0, 0.5,
       "Stanley et al. (1996, Nature 379) beta = 0.15-0.2",
       "growth-rate spread falls with annual revenue as size^-beta"),
    _p("market", "ai_enabled_output_share", 0.0167, "fraction of adopters' gross output",
       0.005, 0.05,
       "no direct evidence (the plan's '带动相关产业' has no published definition); set so that "
       "the 2017 value equals the former 0.05 x adoption x GDP; varied in the robustness study",
       "share of an AI adopter's gross output counted as AI-related industry revenue "
       "(一.(三) related industry); gross output = sector GDP / value-added ratio"),
    # --- demand with feedback: adoption by application sector (phases/adoption.py) ----------
    _p("market", "adoption_ceiling", 0.8, "fraction", 0.4, 1.0,
       "no direct evidence; Bass market potential m below 1 (Mahajan, Muller & Bass 1990); "
       "per-sector ratios in application_sectors.CEILING_RELATIVE; varied in the robustness "
       "study", "saturation share of a sector's potential adopters using AI (before AIaaS)"),
    _p("market", "ai_productivity_gain_per_adopter", 0.05, "fraction of output", 0.01, 0.15,
       "Wang, Sun & Xu (2023, Economic Change and Restructuring 56:1113, "
       "doi:10.1007/s10644-022-09467-4): AI raises TFP of Chinese listed manufacturers (DiD, "
       "2011-2020); Graetz & Michaels (2018, REStat 100:753): robots added ~0.37 pp a year "
       "to growth 1993-2007 (~5% over 15 years); Acemoglu (2024, NBER w32487, 'The Simple "
       "Macroeconomics of AI'): at most +0.66% TFP and +0.9-1.6% GDP over 10 years "
       "economy-wide. A full adopter's output +5% maps to +1.5-2.5% of GDP for 30-50 "
       "points of adoption, inside the Acemoglu-Graetz/Michaels range",
       "output gain of a sector when all its potential adopters use AI (per unit of "
       "adoption above 2017's)"),
    _p("market", "ai_productivity_lag_years", 2.0, "years", 0.5, 5.0,
       "Brynjolfsson, Rock & Syverson (2021, AEJ Macro 13:333, 'The Productivity J-Curve'): "
       "intangible complements delay measured gains of general-purpose technologies by years",
       "adjustment time of an adopter's productivity to its adoption"),
    _p("market", "sector_push_innovation_uplift_per_year", 0.02, "1/year at full push",
       0.0, 0.06,
       "no direct evidence on adoption speed; assumption of the same order as 5 pilots "
       "(pilot_innovation_uplift_per_year); varied in the robustness study",
       "increase of a sector's Bass p under the plan's full push for that sector (二.(四))"),
    _p("market", "infrastructure_innovation_uplift_per_year", 0.01, "1/year at full build-out",
       0.0, 0.04,
       "no direct evidence on adoption speed; assumption (open platforms such as City Brain, "
       "三.(四), lower the cost of an application); varied in the robustness study",
       "increase of every sector's Bass p with AI open platforms fully built"),
    _p("market", "aiaas_small_adopter_ceiling_uplift", 0.3, "fraction", 0.0, 0.8,
       "no direct evidence; assumption: AI-as-a-service (二.(五).3) turns the fixed cost of "
       "adoption into a fee, so part of the small adopters for whom AI did not pay adopt; "
       "varied in the robustness study",
       "share of the small adopters beyond the ceiling that full AIaaS brings within it"),
    _p("market", "domestic_chip_substitution_share", 0.3, "fraction", 0.0, 0.8,
       "assumption: domestic AI chips and system software (二.(一).3) replace part of restricted "
       "imports; China's chip self-sufficiency was ~16% in 2020 (IC Insights), so a third of a "
       "shortfall at full build-out is generous; varied in the robustness study",
       "share of a restricted hardware supply that the plan's chips-and-software push replaces"),
    _p("market", "core_share_multiplier", 1.0, "1", 0.2, 2.0,
       "calibrated to series B (2019 core industry, 2020 forecast floor); sector shares in "
       "initial.SECTOR_CORE_SHARE are assumptions", "scale of the sectors' AI-core revenue "
       "shares: how much of an AI firm's revenue the narrow 'core industry' (一.(三)) counts"),
    _p("market", "ai_value_added_per_revenue", 0.3, "yuan per yuan of revenue", 0.2, 0.45,
       "China's input-output tables: value added over gross output is about 0.2 for "
       "electronic equipment manufacturing and 0.4-0.45 for software and IT services; "
       "0.3 for the AI industry's mix (assumption within that range)",
       "value added per yuan of AI core and related revenue (the 2030 vision's measure)"),
    _p("market", "core_share_knowledge_elasticity", 0.5, "1", 0.0, 2.0,
       "assumption: firms with better AI capability sell more AI-core products",
       "elasticity of a firm's AI-core revenue share to its knowledge"),
    _p("market", "labour_shortage_revenue_elasticity", 0.3, "1", 0.0, 1.0,
       "assumption: AI talent is partly substitutable by other staff",
       "elasticity of revenue to the fill rate of a firm's AI talent needs"),
    _p("market", "chip_supply_capacity", 1.0, "fraction", 0.0, 1.0,
       "1 = unrestricted supply; lowered by supply-restriction events",
       "share of hardware-dependent demand that can be served"),
]
