"""Labour and talent: staffing and matching, wages, housing, migration and supply
(phases/labour_market.py, wages.py, housing.py, talent_migration.py, talent_supply.py)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
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
]
