"""Firms' costs, taxes, margins and exit; the directory's measurement threshold
(phases/market.py, entry_exit.py; docs/indicators.md)."""

from __future__ import annotations

from .base import declare as _p

PARAMETERS = [
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
]
