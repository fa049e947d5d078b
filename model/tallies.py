"""Counters the phases add to and the recorder reads: per city, per tier, per year.

cum          since January 2017, per city: core patents granted, standards, major projects
             realised and their investment, government capital committed to guidance
             sub-funds, social capital, Deqing pilot zones, programme items that failed
planned      what the levers asked for (province totals, 1:1 units): see PLANNED
year_counts  since January of this year, per city: core patents, standards, key R&D
             projects, new start-ups, exits, firm R&D, public R&D (1e8 yuan)
flows        this month, per talent tier: arrivals by channel, departures by reason,
             promotions and moves (the head-count identity, tests/test_invariants.py)
firm_flows   this month: entries and exits of firms
"""

from __future__ import annotations

import numpy as np

from .state import N_TIERS

CUMULATIVE = ("core_patents_granted", "standards", "major_projects", "major_investment",
              "guidance_capital", "social_capital", "deqing_zones", "failed_projects")
# what the levers planned, province totals in real (1:1) units: cumulative since 2017 except
# key R&D projects (this year's) and R&D platforms (this year's target)
PLANNED = ("key_rd_projects", "rd_platforms", "application_pilots", "demonstration_zones",
           "major_projects", "major_investment", "guidance_capital")
YEARLY = ("core_patents_granted", "standards", "key_rd_projects", "new_startups", "conversions",
          "exits",
          "firm_rd", "public_rd")
TALENT_FLOWS = ("graduates", "programme", "market_inflow", "attrition", "out_migration",
                "gave_up", "promoted_in", "promoted_out", "moved")


class Tallies:
    """The model's counters (see the module docstring)."""

    def __init__(self, n_cities: int):
        self.n_cities = n_cities
        self.cum = {name: np.zeros(n_cities) for name in CUMULATIVE}
        self.planned = dict.fromkeys(PLANNED, 0.0)
        self.deqing_planned = False          # the Deqing pilot's zone is planned once
        self.reset_year()
        self.reset_month()

    def reset_year(self) -> None:
        self.year_counts = {name: np.zeros(self.n_cities) for name in YEARLY}

    def reset_month(self) -> None:
        self.flows = {name: np.zeros(N_TIERS, dtype=np.int64) for name in TALENT_FLOWS}
        self.firm_flows = {"entries": 0, "exits": 0}

    def close_year(self) -> None:
        """Add the year's patents and standards to the cumulative counts (in December)."""
        self.cum["core_patents_granted"] += self.year_counts["core_patents_granted"]
        self.cum["standards"] += self.year_counts["standards"]
