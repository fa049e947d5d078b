"""Entry: start-ups, spin-offs, incubators and incumbents turning to AI
(phases/entry_exit.py, conversion.py)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
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
       "annual AI revenue of an incumbent's new AI line when it converts (2017 yuan; "
       "moved to the month's yuan with the trend wage, phases/wages.income_trend)"),
    _p("entry", "converted_cash_years_of_revenue", 0.5, "years", 0.1, 2.0,
       "assumption (no evidence): the parent funds half a year of the new line's revenue; "
       "varied in the robustness study", "cash a converting incumbent brings, in years of "
       "its AI revenue"),
    _p("entry", "deqing_pilot_zone_bonus", 1, "zones", 0, 5,
       "plan 二.(三): Deqing (Huzhou) smart eco-city pilot", "demonstration zones the pilot adds in Huzhou"),
]
