"""Behavioural parameters: every number a mechanism uses, named, with unit and source.

Parameters describe how agents behave (the EMA Workbench "uncertainties"); they are
apart from the plan's policy levers (`levers.py`). A scenario may override any of
them under `[parameters]`. Values marked "assumption" are the modeller's stated
judgement; `zjai calibrate` fits a declared subset (experiments/calibration.toml) and writes
the fitted values to scenarios/calibrated.toml, which every shipped scenario extends.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Parameter:
    """One behavioural parameter: default value, unit, bounds, source and meaning."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str
    meaning: str
    group: str = field(default="")


def _p(group, name, default, unit, low, high, source, meaning):
    return Parameter(name, float(default), unit, float(low), float(high), source, meaning, group)


_ALL = [
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
    _p("market", "external_share_2017", 0.2, "fraction", 0.05, 0.35,
       "Zhejiang held 8.3% of China's AI enterprises at the end of 2019 (中国新一代人工智能"
       "发展战略研究院, 中国新一代人工智能科技产业发展报告·2020; "
       "http://www.victorzhang.cn/page/2020/0922/8218004.shtml) but about 25% of the national "
       "core industry by revenue (series B 2019 core 667亿 against CAICT's 2020 industry "
       "3031亿 at +15.1%, i.e. ~2630亿 in 2019; https://cdstm.cn/theme/khsj/khzx/khqw/202207/"
       "t20220727_1072078.html); 0.2 puts Zhejiang's national share at 0.24-0.29 in 2017-2019",
       "Zhejiang firms' 2017 share of the national (+ export) AI market outside Zhejiang's "
       "adopters; the rivals (phases/rivals.py) hold the rest"),
    _p("market", "external_market_growth_per_year", 0.07, "1/year", 0.0, 0.3,
       "nominal GDP growth of China, ~7-8%/year 2017-2019 (NBS); with the rest of China's "
       "adoption (phases/rivals.py) the outside market grows ~20%/year, as the national plan "
       "(国发〔2017〕35号) expects for the core industry: above 1500亿 (2020), 4000亿 (2025), "
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
    # --- costs and taxes ---------------------------------------------------------------------
    _p("firm", "opex_share_of_revenue", 0.74, "fraction", 0.3, 0.95,
       "assumption chosen so that the pre-tax margin is about 12%, close to the observed 2020 "
       "profit/revenue ratio 337.41/2693.43 (observed_zhejiang.csv, series A)",
       "non-AI operating costs (materials, other staff) per yuan of revenue"),
    _p("firm", "corporate_tax_rate", 0.25, "fraction", 0.0, 0.5,
       "PRC Enterprise Income Tax Law, art. 4", "statutory enterprise income tax rate"),
    _p("firm", "startup_fixed_cost_100m_yuan_per_month", 0.0006, "1e8 yuan/month", 0.0, 0.01,
       "assumption: office, cloud and services of a 5-10 person start-up (~70k yuan/month)",
       "fixed monthly cost of a firm outside an incubator"),
    _p("firm", "incubator_cost_discount", 0.5, "fraction", 0.0, 1.0,
       "no evidence; assumption: incubators and maker spaces (二.(五).1) provide low-cost "
       "space and services; varied in robustness",
       "share of fixed costs an incubated start-up saves"),
    _p("firm", "incubation_months", 24, "months", 0, 60,
       "typical incubator tenancy (MOST incubator rules: graduation within 2-3 years)",
       "how long a start-up stays in an incubator"),
    _p("firm", "startup_seed_cash_100m_yuan", 0.03, "1e8 yuan", 0.0, 1.0,
       "assumption: founders' own funds plus friends and family (~3m yuan)",
       "cash a new firm starts with"),
    _p("firm", "startup_revenue_100m_yuan_per_year", 0.03, "1e8 yuan/year", 0.0, 1.0,
       "assumption: first-year revenue run rate of an AI start-up selling projects (~3m yuan)",
       "annual revenue a new firm's first sector share corresponds to"),
    _p("firm", "register_threshold_100m_yuan_per_year", 0.2, "1e8 yuan/year", 0.0, 5.0,
       "NBS 'above designated size' threshold of 20m yuan revenue (series A counts above-size "
       "firms; observed_zhejiang.csv notes)", "annual revenue at which a firm enters the AI register"),
    _p("measurement", "directory_threshold_2020_on_100m_yuan_per_year", 0.2, "1e8 yuan/year",
       0.0, 0.2, "calibrated (experiments/calibration.toml); evidence: the 2021 report counts "
       "+239 directory firms (+50%) for +12% revenue, so with incumbents growing ~10% the added "
       "firms averaged under 20m yuan, i.e. the directory reached below the earlier threshold",
       "annual revenue from which a firm is listed in the provincial AI enterprise monitoring "
       "directory (series A) from 2020 on; before 2020 the register threshold applies. "
       "Measurement only: no firm behaves differently"),
    _p("firm", "leading_revenue_100m_yuan_per_year", 10.0, "1e8 yuan/year", 1.0, 100.0,
       "assumption operationalising 'domestically influential leading firm' (一.(三)): 1bn yuan revenue",
       "annual revenue above which a firm can count as a leading enterprise"),
    _p("firm", "leading_min_invention_patents", 30, "patents", 0, 1000,
       "assumption: leading firms also hold a patent portfolio (二.(五).2 专利布局)",
       "invention patents a leading enterprise must hold"),
    _p("firm", "exit_grace_months", 3, "months", 0, 24,
       "assumption: a firm with negative cash survives a few months of arrears",
       "months a firm may run with negative cash before it exits"),
    # --- labour --------------------------------------------------------------------------------
    _p("labour", "ai_labour_productivity_growth_per_year", 0.05, "1/year", 0.0, 0.2,
       "assumption, near China's labour-productivity growth of 6-7% a year in 2017-2019 (NBS)",
       "yearly fall in the AI talent a firm needs per yuan of revenue"),
    _p("labour", "match_efficiency_per_month", 0.5, "1/month", 0.0, 1.0,
       "assumption: mean unemployment spell of AI talent about two months",
       "share of vacancies (or seekers, if fewer) matched per month"),
    _p("labour", "layoff_rate_per_month", 0.1, "1/month", 0.0, 1.0,
       "assumption: firms shed excess AI staff within about a year",
       "share of a firm's excess AI staff released each month"),
    _p("labour", "vacancy_slack", 0.1, "fraction", 0.0, 1.0,
       "assumption", "over-staffing a firm tolerates before laying off"),
    _p("labour", "startup_team_engineers", 2, "persons", 0, 50,
       "assumption: typical seed-stage AI team", "engineers a start-up seeks besides its founder"),
    _p("labour", "startup_cash_share_for_engineers", 0.3, "fraction", 0.0, 1.0,
       "assumption: start-ups spend about a third of their cash on engineering staff",
       "share of a young firm's cash budgeted for engineers over a 24-month runway"),
    _p("labour", "startup_age_months", 36, "months", 6, 120,
       "assumption: firms younger than three years count as start-ups",
       "age below which a firm keeps a founding team and takes seed money"),
    _p("labour", "startup_runway_months", 24, "months", 6, 60,
       "assumption", "months over which a start-up budgets its cash for engineers"),
    _p("labour", "job_search_patience_months", 12, "months", 1, 60,
       "assumption", "months a job seeker waits before leaving Zhejiang's AI labour market"),
    # --- talent migration -----------------------------------------------------------------------
    # --- wages (phases/wages.py) --------------------------------------------------------------
    _p("wages", "wage_curve_unemployment_elasticity", 0.1, "1", 0.0, 0.3,
       "Blanchflower & Oswald (1994, The Wage Curve): about -0.1 in most countries; Nijkamp & "
       "Poot (2005, J Econ Surveys 19:421-450, https://ideas.repec.org/a/bla/jecsur/v19y2005i3"
       "p421-450.html): -0.07 over 208 estimates after publication bias (-0.5 to +0.1); China: "
       "Peng, Kang & Anwar (2026, Pacific Econ Rev 31:64-82, https://ideas.repec.org/a/bla/"
       "pacecr/v31y2026i1p64-82.html), negative in 298 cities 1999-2017; range 0.0-0.3",
       "fall of the target wage per unit rise of log unemployment of the city's tier, "
       "relative to the province's 2017 rate (the wage curve)"),
    _p("wages", "wage_tightness_elasticity", 0.05, "1", 0.0, 0.2,
       "no Chinese estimate found; varied in robustness. Adrjan & Lydon (2019, CB Ireland "
       "Econ Letter 6/EL/19, https://topsight.net/paper/W3217102966): advertised salaries higher "
       "where applicants per vacancy are few; half the wage-curve elasticity, range 0-0.2",
       "rise of the target wage per unit rise of log vacancies per job seeker of the city's "
       "tier, relative to the province's 2017 tightness"),
    _p("wages", "wage_income_elasticity", 1.0, "1", 0.5, 1.2,
       "assumption near NBS data: average wages of urban units grew about as fast as nominal "
       "GDP per head in 2010-2019 (roughly 9-10% vs 8% a year); range 0.5-1.2",
       "elasticity of a city's trend wage to its GDP per head relative to 2017"),
    _p("wages", "wage_adjustment_months", 12, "months", 1, 36,
       "assumption: annual salary reviews; range 1-36", "mean lag of wages behind their "
       "target (partial adjustment: a month closes 1/months of the log gap)"),
    _p("wages", "labour_demand_wage_elasticity", 0.3, "1", 0.1, 0.75,
       "Hamermesh (1993, Labor Demand): about 0.3 at constant output (0.15-0.75); Lichter, "
       "Peichl & Siegloch (2015, Eur Econ Rev 80:94-119, IZA DP 7958): modal about 0.4",
       "fall of a firm's AI talent need per unit rise of the log wage above its trend"),
    _p("wages", "labour_market_prior_persons", 20, "persons (1:1)", 0, 500,
       "assumption (statistical shrinkage, not behaviour): a city and tier with few seekers "
       "or vacancies is read as the province's market; varied in the robustness study",
       "weight, in 1:1 persons, of the province's tightness and unemployment rate in a "
       "city's (shrinkage toward the province)"),
    _p("wages", "wage_log_gap_cap", 1.0, "log units", 0.1, 3.0,
       "assumption: caps the tightness and unemployment terms at a factor e (no market in "
       "the data moved wages by more); varied in the robustness study",
       "largest absolute log deviation of tightness or unemployment from the reference"),
    # --- housing (phases/housing.py) -------------------------------------------------------------
    _p("talent", "housing_cost_income_elasticity_2017", 1.5, "1", 0.5, 3.0,
       "assumption: price-to-income ratios are higher in richer Chinese cities; no estimate "
       "for Zhejiang's prefectures found; varied in robustness",
       "elasticity of a city's 2017 housing-cost level to its GDP per head (cross-section)"),
    _p("talent", "housing_cost_income_elasticity", 0.7, "1", 0.3, 1.5,
       "Chow & Niu (2015, Pacific Econ Rev 20:1-16, http://121.192.176.75/index.php?ser_id=2&"
       "p_id=2250): long-run income elasticity of urban housing prices about 0.7 (supply "
       "elasticity of the stock 0.5); city supply elasticities of 2.65 (Liu 2014) to 2.8-5.6 "
       "(Wang, Chan & Xu 2012, J Real Estate Res) imply less, Gao's (2014) 0-0.8 more; "
       "range 0.3-1.5",
       "elasticity of a city's housing-cost index to its GDP per head relative to 2017"),
    _p("talent", "housing_cost_population_elasticity", 0.7, "1", 0.3, 1.34,
       "Wang, Hui & Sun (2017, Habitat International 66:49-56, https://research.polyu.edu.hk/"
       "en/publications/population-migration-urbanization-and-housing-prices-evidence-fro): "
       "+1% inter-regional migrants, +0.70% house prices; Lin et al. (2018, Sustainability "
       "10:3169, https://doi.org/10.3390/su10093169): +0.31% nationally, +1.34% in eastern "
       "cities per 1% population inflow; CJE 2023 (10.26599/CJE.2023.9300110): +0.59%; "
       "range 0.3-1.34", "elasticity of a city's housing-cost index to its population "
       "relative to 2017 (the AI-induced part: `ai_induced_population_10k`)"),
    _p("talent", "local_jobs_per_ai_job", 1.0, "jobs per job", 0.3, 5.0,
       "Wang & Chanda (2018, J Comparative Econ 46:515-543, doi 10.1016/j.jce.2017.10.002): "
       "0.34 non-tradable jobs per manufacturing job in Chinese prefectures, more for high-tech;"
       " Moretti (2010, AER P&P 100:373-377): about 5 per US high-tech job; range 0.3-5",
       "local service jobs each additional AI job brings to its city"),
    _p("talent", "residents_per_job", 1.5, "persons per job", 1.2, 2.5,
       "Zhejiang 2017: about 5,657 10k residents and 3,796 10k employed (Zhejiang Statistical "
       "Yearbook 2018), i.e. 1.49 residents per job; range 1.2-2.5",
       "residents (workers and dependants) per job a city gains"),
    _p("talent", "housing_adjustment_months", 12, "months", 3, 36,
       "assumption: housing costs follow demand with a lag (rents are set yearly, new supply "
       "takes years); varied in the robustness study",
       "mean lag of the housing-cost index behind its target (partial adjustment)"),
    _p("talent", "zhejiang_lab_amenity_per_100m_yuan", 0.1, "platform-equivalents per 1e8 yuan/yr",
       0.0, 1.0, "no evidence; assumption; varied in robustness",
       "Zhejiang Lab's pull on talent, in platform equivalents"),
    _p("talent", "overseas_share_per_cooperation", 0.3, "fraction", 0.0, 1.0,
       "no evidence; assumption: cooperation (四.(三)) brings overseas recruits; varied in "
       "robustness", "extra overseas share of arrivals at full international cooperation"),
    _p("talent", "relocation_review_rate_per_year", 0.12, "1/year", 0.0, 1.0,
       "assumption: about one in eight AI workers reconsiders location each year",
       "rate at which a talent agent reviews its city choice"),
    _p("talent", "logit_wage_weight", 2.0, "utility per log wage", 0.0, 10.0,
       "assumption, in the range of migration-logit estimates for skilled Chinese workers "
       "(e.g. Liu & Shen 2014)", "weight of the log wage index in city choice"),
    _p("talent", "logit_peer_weight", 0.5, "utility per log peers", 0.0, 5.0,
       "assumption: skilled-peer agglomeration (Moretti 2012)",
       "weight of log skilled AI peers in a city"),
    _p("talent", "logit_housing_weight", 1.0, "utility per log cost", 0.0, 5.0,
       "assumption", "weight of the log housing-cost index"),
    _p("talent", "logit_distance_weight_per_100km", 0.8, "utility per 100 km", 0.0, 5.0,
       "assumption: moving costs rise with distance", "weight of distance from the current city"),
    _p("talent", "logit_amenity_weight", 0.25, "utility per log platform-equivalent", 0.0, 1.0,
       "assumption", "weight of the AI-ecosystem amenity (platforms, zones, programmes)"),
    _p("talent", "outside_option_utility", 3.0, "utility", -10.0, 20.0,
       "assumption chosen so that 2-4% of AI talent leaves Zhejiang each year in 2017",
       "utility of leaving Zhejiang, relative to a city at the province's mean wage"),
    _p("talent", "attrition_per_year", 0.03, "1/year", 0.0, 0.2,
       "assumption: retirement and moves out of AI work", "exit rate from the AI talent pool"),
    _p("talent", "upskilling_high_skill_per_year", 0.004, "1/year", 0.0, 0.1,
       "assumption: training and on-the-job learning (二.(六).2); about 4% of the engineer "
       "stock a year comes from high-skill workers", "rate at which high-skill workers become engineers"),
    _p("talent", "upskilling_engineer_per_year", 0.01, "1/year", 0.0, 0.1,
       "assumption: about 10% of the high-end R&D stock a year comes from engineers",
       "rate at which engineers become high-end R&D staff"),
    _p("talent", "program_acceptance_base", 0.6, "fraction", 0.0, 1.0,
       "no evidence for provincial programmes; assumption. Shi, Liu & Wang (2023, Science 379, "
       "62-65, doi:10.1126/science.abq1218) show the Young Thousand Talents programme recruited "
       "high- (not top-) calibre scientists, i.e. many top offers are declined; varied in "
       "robustness", "acceptance of a talent-programme slot"),
    _p("talent", "graduate_high_end_share", 0.15, "fraction", 0.05, 0.3,
       "assumption: doctoral share of AI-related graduates",
       "share of graduates entering as high-end R&D (the rest as engineers)"),
    _p("talent", "market_inflow_per_vacancy_per_month", 0.25, "persons/vacancy/month", 0.0, 2.0,
       "assumption: unfilled vacancies pull workers from other provinces",
       "in-migration per unfilled vacancy"),
    _p("talent", "overseas_share_base", 0.1, "fraction", 0.0, 1.0,
       "assumption", "share of new arrivals from overseas at zero international cooperation"),
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
    # --- entry ----------------------------------------------------------------------------------
    _p("entry", "startup_rate_per_entrepreneur_per_year", 0.25, "1/year", 0.0, 2.0,
       "assumption: serial founding by leading entrepreneurs",
       "start-ups founded per unattached leading entrepreneur per year"),
    _p("entry", "startup_rate_per_engineer_per_year", 0.008, "1/year", 0.0, 0.1,
       "assumption: engineers founding firms", "start-ups founded per engineer per year"),
    _p("entry", "incubator_startup_rate_per_seat_per_year", 0.5, "1/year", 0.0, 1.5,
       "no evidence for Zhejiang; assumption: an incubator seat turns over every two years "
       "(incubation_months 24); varied in robustness",
       "start-ups created per incubator seat per year"),
    _p("entry", "spinoff_rate_per_100m_yuan_per_year", 0.01, "1/(1e8 yuan)", 0.0, 0.1,
       "assumption: spin-offs of large firms (二.(五).1 孵化派生)",
       "spin-offs per 1e8 yuan of a firm's annual revenue per year"),
    _p("entry", "incumbent_conversion_rate_per_year", 0.03, "1/year", 0.0, 0.3,
       "no evidence: calibrated to the directory's growth (experiments/calibration.toml); "
       "the 2020 directory added 239 firms (+50%) on +12% revenue (observed rows), most "
       "of them small existing firms, not start-ups",
       "share of the information economy's incumbents that start an AI line per year, "
       "at full AI adoption in their city (二.(五).2; model/phases/conversion.py)"),
    _p("entry", "converted_ai_revenue_100m_yuan_per_year", 0.15, "1e8 yuan/year", 0.03, 1.0,
       "assumption: the 2020 directory's additions averaged under 20m yuan a year "
       "(observed rows 2019-2020: +239 firms for +288e8 yuan, mostly incumbents' growth)",
       "annual AI revenue of an incumbent's new AI line when it converts"),
    _p("entry", "converted_cash_years_of_revenue", 0.5, "years", 0.1, 2.0,
       "assumption (no evidence): the parent funds half a year of the new line's revenue; "
       "varied in the robustness study", "cash a converting incumbent brings, in years of "
       "its AI revenue"),
    _p("entry", "deqing_pilot_zone_bonus", 1, "zones", 0, 5,
       "plan 二.(三): Deqing (Huzhou) smart eco-city pilot", "demonstration zones the pilot adds in Huzhou"),
]

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _ALL}


class Values:
    """Attribute access to the defaults of a registry, overridden by a scenario."""

    registry: dict[str, Parameter] = {}
    kind = "parameter"

    def __init__(self, overrides: dict[str, float] | None = None):
        values = {name: p.default for name, p in self.registry.items()}
        for name, value in (overrides or {}).items():
            if name not in self.registry:
                raise KeyError(f"unknown {self.kind} {name!r}")
            values[name] = float(value)
        self.__dict__.update(values)

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


class Params(Values):
    """Behavioural parameter values of one run."""

    registry = PARAMETERS
