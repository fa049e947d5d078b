"""Delivered, not copied (model/phases/policy.py): outcomes of the plan's programmes come
from applicants selected under a budget that binds, and are recorded beside what was
planned."""

import pytest

from model import load_scenario
from model.runner import run_scenario

DELIVERED = ("rd_platforms", "major_projects", "key_rd_projects", "application_pilots",
             "demonstration_zones")
PLANNED = {"rd_platforms": "rd_platforms_planned", "major_projects": "major_projects_planned",
           "key_rd_projects": "key_rd_projects_planned",
           "application_pilots": "application_pilots_planned",
           "demonstration_zones": "demonstration_zones_planned"}


def _values_2022(scenario):
    df = run_scenario(scenario, replicates=2, seed=9, scale=0.1)
    df = df[(df.region == "Zhejiang") & (df.year == 2022)]
    return df.groupby("indicator").value.mean()


@pytest.fixture(scope="module")
def plan_and_squeeze(scenarios_dir):
    plan = load_scenario(scenarios_dir / "plan.toml")
    plan.end = 2022
    squeezed = load_scenario(scenarios_dir / "plan.toml")
    squeezed.end = 2022
    squeezed.levers["fiscal_ai_funding_100m_yuan_per_year"] = {2017: 5, 2018: 3}
    return _values_2022(plan), _values_2022(squeezed)


def test_cutting_the_fiscal_budget_to_3e8_cuts_every_delivered_programme(plan_and_squeeze):
    plan, squeezed = plan_and_squeeze
    for name in DELIVERED:
        assert plan[name] > 0, name
        assert squeezed[name] <= 0.7 * plan[name], (name, plan[name], squeezed[name])
        # what was planned does not depend on the money
        assert squeezed[PLANNED[name]] == pytest.approx(plan[PLANNED[name]]), name


def test_planned_and_delivered_are_recorded_apart(plan_and_squeeze):
    plan, _ = plan_and_squeeze
    assert plan["major_projects"] < plan["major_projects_planned"]
    assert plan["rd_platforms_planned"] == 5
    assert plan["public_spending_100m_yuan"] <= plan["public_budget_100m_yuan"]
    assert plan["guidance_fund_capital_100m_yuan"] < plan["guidance_fund_capital_planned_100m_yuan"]
