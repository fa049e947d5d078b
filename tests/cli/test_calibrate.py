"""zjai calibrate: a fit from a file, its tables and files; bad --years exit 2."""

from pathlib import Path

import pytest

from model.cli import main
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
CALIBRATED = ROOT / "scenarios" / "calibrated.toml"


def test_calibrate_writes_a_loadable_parameter_file_and_prints_the_fit(tmp_path, capsys):
    cal = tmp_path / "tiny.toml"
    cal.write_text(f'[calibration]\nscenario = "{ROOT / "scenarios" / "plan.toml"}"\n'
                   "replicates = 1\nseed = 5\nscale = 0.02\nmax_evaluations = 4\n"
                   "years = [2019]\nfacts = []\n"
                   "[parameters.external_market_growth_per_year]\nlow = 0.0\nhigh = 0.2\n"
                   "start = 0.12\n", encoding="utf-8")
    out = tmp_path / "fitted.toml"
    assert main(["calibrate", str(cal), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "Calibration: J = " in printed and "2019 Zhejiang ai_enterprise_revenue" in printed
    assert f"wrote {out} and {out.with_suffix('.fit.json')}" in printed.replace("\n", "")
    fitted = load_scenario(out)
    assert 0.0 <= fitted.parameters["external_market_growth_per_year"] <= 0.2


def test_calibrate_years_outside_the_file_is_refused(tmp_path, capsys):
    cal = str(ROOT / "experiments" / "calibration.toml")
    unused = tmp_path / "unused.toml"
    assert main(["calibrate", cal, "--years", "2021", "--out", str(unused)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zjai: error: --years 2021: expected a comma-separated subset")
    assert "calibration.toml (2018,2019,2020)" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["calibrate", cal, "--years", "2019"]) == 2
    assert "expected --out FILE" in capsys.readouterr().err
    assert not unused.exists()


@pytest.mark.slow
def test_calibrate_reproduces_the_committed_file(tmp_path):
    """`zjai calibrate` from the committed seed gives the committed values (about 17 minutes
    on 2 cores; run with `pytest -m slow`)."""
    out = tmp_path / "calibrated.toml"
    assert main(["calibrate", str(ROOT / "experiments" / "calibration.toml"), "--workers", "2",
                 "--out", str(out), "--quiet"]) == 0
    fresh, committed = load_scenario(out), load_scenario(CALIBRATED)
    assert fresh.parameters == pytest.approx(committed.parameters, rel=1e-6)
    assert fresh.initial == pytest.approx(committed.initial, rel=1e-6)


def test_calibrate_identify_writes_the_jacobian_and_the_verdicts(tmp_path, capsys):
    """The identification check at a tiny scale, --replicates overriding the file's: the
    core-share multiplier moves series B only, never a firm count."""
    import pandas as pd

    cal = tmp_path / "tiny.toml"
    cal.write_text(f'[calibration]\nscenario = "{ROOT / "scenarios" / "plan.toml"}"\n'
                   'name = "tiny"\nreplicates = 4\nseed = 5\nscale = 0.02\nyears = [2019]\n'
                   "facts = []\n"
                   "[parameters.opex_share_of_revenue]\nlow = 0.65\nhigh = 0.85\n"
                   "[parameters.core_share_multiplier]\nlow = 0.3\nhigh = 1.5\n",
                   encoding="utf-8")
    out = tmp_path / "identify"
    assert main(["calibrate", str(cal), "--identify", "--replicates", "1", "--out", str(out),
                 "--quiet"]) == 0
    table = pd.read_csv(out / "identification.csv").set_index("parameter")
    assert list(table.index) == ["opex_share_of_revenue", "core_share_multiplier"]
    assert table.loc["core_share_multiplier", "pinned_by"] == "2019 Zhejiang core_industry_scale"
    jac = pd.read_csv(out / "jacobian.csv", index_col="moment")
    assert jac.loc["2019 Zhejiang ai_enterprises", "core_share_multiplier"] == 0
    report = (out / "identification.md").read_text(encoding="utf-8")
    assert "1 common-random-number replicates at scale 0.02" in report
    assert "wrote " in capsys.readouterr().out
    assert main(["calibrate", str(cal), "--identify", "--years", "2019"]) == 2
