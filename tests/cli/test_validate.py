"""zjai validate: observed rows, stylized facts, figures; the report is
`reports.validation_report`'s."""

import pandas as pd
import pytest

from model import reports
from model.cli import main


@pytest.fixture(scope="module")
def validated(tmp_path_factory, scenarios_dir):
    """One validation run with the report's clock and revision fixed."""
    out = tmp_path_factory.mktemp("val") / "val"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reports, "now_iso", lambda: "2030-01-01T00:00:00+00:00")
        mp.setattr(reports, "git_revision", lambda: "abc123")
        assert main(["validate", str(scenarios_dir / "plan.toml"), "--replicates", "2",
                     "--scale", "0.05", "--out", str(out), "--quiet"]) == 0
    return out


def test_validate_writes_the_observed_table_facts_and_figures(validated):
    from model.validation import FACT_BANDS, OBSERVED_TARGETS

    out = validated
    obs = pd.read_csv(out / "validation.csv")
    assert len(obs) == len(OBSERVED_TARGETS)
    assert {"observed", "model_median", "model_p10", "model_p90", "error",
            "observed_in_band"} <= set(obs.columns)
    hz = obs[obs.observed_metric == "share_of_provincial_ai_revenue"].iloc[0]
    assert hz.observed == pytest.approx(0.578) and 0 < hz.model_median < 1
    facts = pd.read_csv(out / "stylized_facts.csv")
    assert set(facts.fact) == set(FACT_BANDS)
    report = (out / "validation.md").read_text(encoding="utf-8")
    assert "## Observed rows" in report and "figures/observed_vs_model.png" in report
    assert "(2030-01-01T00:00:00+00:00, git abc123)" in report
    assert (out / "figures" / "stylized_facts.png").exists()


def test_a_notebook_writes_the_same_validation_report(validated, scenarios_dir):
    """The notebook route (validation.simulate, the tables, reports.validation_report) gives
    the CLI's validation.md byte for byte."""
    from pathlib import Path

    from model import load_scenario, validation

    sc = load_scenario(scenarios_dir / "plan.toml")
    traj, facts = validation.simulate(sc, 2, sc.seed, 0.05)
    obs, ft = validation.observed_table(traj), validation.facts_table(facts)
    text = reports.validation_report(sc.name, 2, 0.05, sc.seed, "numba", obs, ft,
                                     Path("observed_vs_model.png"), Path("stylized_facts.png"),
                                     created="2030-01-01T00:00:00+00:00", git="abc123")
    assert text == (validated / "validation.md").read_text(encoding="utf-8")
