"""zjai sweep and analyze on bad input: one line, exit 2, nothing written."""

from pathlib import Path

from model.cli import main

ROOT = Path(__file__).resolve().parents[2]
TEST_EXP = ROOT / "tests" / "data" / "sweep_test.toml"
SMOKE = ROOT / "experiments" / "smoke.toml"


def test_bad_experiment_and_foreign_folder_exit_2_and_write_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[experiment]\nscenario = 'nowhere.toml'\n[factors.land_guarantee]\n"
                   "low = 0\nhigh = 1\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["sweep", str(bad), "--out", str(out)]) == 2
    assert "file not found" in capsys.readouterr().err and not out.exists()
    assert main(["sweep", str(SMOKE), "--out", str(out), "--quiet"]) == 0
    assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "holds results of another experiment" in err and len(err.strip().splitlines()) == 1
    assert main(["analyze", str(tmp_path / "empty")]) == 2
    assert not (tmp_path / "empty").exists()


def test_a_bad_job_option_exits_2_before_anything_runs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(SMOKE), "--out", str(out), "--job-option", "cores"]) == 2
    assert capsys.readouterr().err == ("zjai: error: --job-option expects KEY=VALUE, "
                                       "got 'cores'\n")
    assert not out.exists()
