"""Reports from result tables alone, as a notebook calls them (no CLI, no simulation)."""

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from rich.console import Console

from model import reports


def test_numbers_are_formatted_to_about_three_significant_digits():
    assert [reports.fmt(x) for x in (123456.7, 12.34, 1.2345, -0.012345)] == [
        "123,457", "12.3", "1.23", "-0.0123"]
    row = SimpleNamespace(observed_low=90.0, observed_high=float("inf"))
    assert reports.band_text(row) == ">= 90.0"
    row.observed_high = 110.0
    assert reports.band_text(row) == "90.0-110"


def _attainment() -> pd.DataFrame:
    rows = []
    for scenario, median, diff in (("baseline", 800.0, 0.0), ("plan", 1200.0, 400.0)):
        rows.append({"scenario": scenario, "indicator": "core_industry_revenue_100m_yuan",
                     "year": 2022, "target": 1000.0, "section": "2.1", "median": median,
                     "p10": median - 50, "p90": median + 50, "p_met": float(median >= 1000),
                     "diff_vs_first": diff})
    return pd.DataFrame(rows)


def test_compare_report_from_a_table():
    scenarios = [SimpleNamespace(name="baseline", description="No plan.\n  Status quo.",
                                 files=["/x/baseline.toml"]),
                 SimpleNamespace(name="plan", description="The 2017 plan.",
                                 files=["/x/calibrated.toml", "/x/plan.toml"])]
    meta = {"created": "2030-01-01", "command": "nb", "zjai_version": "0.1.0",
            "git_revision": "abc", "engine": "numba", "scale": None, "replicates": 3}
    text = reports.compare_report(scenarios, _attainment(), [Path("figures/heat.png")], meta)
    lines = text.splitlines()
    assert lines[0] == "# Scenario comparison: baseline, plan"
    assert "scale per scenario, replicates 3." in lines[2]
    assert "- **baseline** (`baseline.toml`): No plan. Status quo." in lines
    assert "- **plan** (`plan.toml`): The 2017 plan." in lines
    assert ("| core_industry_revenue_100m_yuan (2.1) | 2022 | 1,000 | 800 [750-850] 0.00 | "
            "1,200 [1,150-1,250] 1.00 | plan +400 |") in lines
    assert text.endswith("![heat](figures/heat.png)\n\n")


def test_tables_render_in_a_console():
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(reports.headline_table(_attainment()))
    console.print(reports.targets_table(_attainment().iloc[:1], "baseline: targets"))
    text = console.export_text()
    assert "Target attainment: median (P met)" in text and "1,200 (1.00)" in text
    assert "baseline: targets" in text and "750-850" in text
