"""Scenario discovery: PRIM finds a planted box, its trajectory and pasting behave as the
method says, discrete factors are peeled by levels, CART agrees, and `discover` reads a
sweep folder, writes its three files, and refuses bad input without writing anything."""

import argparse
import json
import re

import numpy as np
import pandas as pd
import pytest

from model import discover as disc
from model.discover import DiscoverError, add_arguments, discover, run_cli
from model.prim import Box, box_stats, cart_boxes, prim

TRUE_X0_HIGH, TRUE_X1_LOW = 0.3, 0.6


def planted(seed: int, n: int = 2000):
    """x uniform on [0,1]^4; cases inside x0 < 0.3 and x1 > 0.6.

    Label noise: 5% of the runs inside the box are not cases and 1% of those outside are.
    (Flipping 5% of all labels would put a third of the cases outside the box, capping
    any box's coverage near 0.72.)
    """
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["x0", "x1", "x2", "x3"])
    inside = ((x.x0 < TRUE_X0_HIGH) & (x.x1 > TRUE_X1_LOW)).to_numpy()
    y = np.where(inside, rng.uniform(size=n) > 0.05, rng.uniform(size=n) < 0.01)
    return x, y.astype(int)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_finds_the_planted_box(seed):
    x, y = planted(seed)
    result = prim(x, y)
    chosen = result.choose()
    lim = chosen.limits.set_index("factor")
    assert abs(lim.high["x0"] - TRUE_X0_HIGH) < 0.05
    assert abs(lim.low["x1"] - TRUE_X1_LOW) < 0.05
    assert list(lim.index[lim.restricted]) == ["x0", "x1"]
    for name in ("x2", "x3"):       # unrestricted factors keep the full observed range
        assert chosen.box.limits[name] == (x[name].min(), x[name].max())
    assert chosen.stats.coverage > 0.85 and chosen.stats.density > 0.85
    assert (lim.qp_value[["x0", "x1"]] < 1e-6).all()


def test_peeling_trajectory_starts_full_and_shrinks():
    x, y = planted(3)
    t = prim(x, y).trajectory
    assert list(t.columns[:5]) == ["box", "coverage", "density", "mass", "n_restricted"]
    first = t.iloc[0]
    assert first.coverage == 1 and first.mass == 1 and first.n_restricted == 0
    assert first.density == pytest.approx(y.mean())
    assert (np.diff(t.mass) < 0).all()
    assert (np.diff(t.coverage) <= 0).all()
    assert (np.diff(t.density) > -0.02).all()          # peeling can dip, never by much
    assert t.density.iloc[-1] > 0.9
    assert t.mass.iloc[-1] >= 0.05                       # the minimum mass holds
    assert len(t) > 10


def test_min_mass_stops_peeling_earlier():
    x, y = planted(4)
    assert prim(x, y, min_mass=0.3).trajectory.mass.min() >= 0.3
    assert len(prim(x, y, min_mass=0.3).trajectory) < len(prim(x, y).trajectory)


@pytest.mark.parametrize("seed", [5, 6])
def test_pasting_never_lowers_density_nor_shrinks_the_box(seed):
    # a weak, noisy signal, so that peeling overshoots and pasting has work to do
    rng = np.random.default_rng(seed)
    n = 600
    x = pd.DataFrame(rng.uniform(size=(n, 3)), columns=["a", "b", "c"])
    x["k"] = rng.integers(0, 4, n)
    y = (rng.uniform(size=n) < 0.15 + 0.5 * (x.a > 0.5) * (x.k >= 2)).astype(int)
    result = prim(x, y, alpha=0.1)
    grew = 0
    for i in range(len(result.boxes)):
        peeled, pasted = result.choose(i, paste=False), result.choose(i)
        assert pasted.box.contains_box(peeled.box)
        assert pasted.stats.density >= peeled.stats.density - 1e-12
        assert pasted.stats.n >= peeled.stats.n
        grew += pasted.stats.n > peeled.stats.n
    assert grew > 0                                      # the check is not vacuous


def test_integer_and_categorical_factors_are_peeled_by_levels():
    rng = np.random.default_rng(7)
    n = 2000
    x = pd.DataFrame({"k": rng.integers(0, 5, n), "c": rng.choice(list("abcd"), n),
                      "u": rng.uniform(size=n)})
    y = ((x.k <= 1) & x.c.isin(["a", "b"])).to_numpy().astype(int)
    y = np.where(rng.uniform(size=n) < 0.02, 1 - y, y)
    result = prim(x, y)
    assert result.kinds == {"k": "levels", "c": "categorical", "u": "continuous"}
    for box in result.boxes:                 # limits on whole levels, never between them
        low, high = box.limits["k"]
        assert low in range(5) and high in range(5)
        assert box.limits["c"] <= {"a", "b", "c", "d"}
    chosen = result.choose()
    assert chosen.box.limits["k"] == (0, 1)
    assert chosen.box.limits["c"] == frozenset({"a", "b"})
    assert "u" not in chosen.box.restricted(result.full)


def test_levels_can_be_declared_for_a_many_valued_factor():
    rng = np.random.default_rng(8)
    n = 1000
    x = pd.DataFrame({"g": rng.choice(np.arange(15.0), n), "u": rng.uniform(size=n)})
    y = (x.g <= 3).to_numpy().astype(int)
    auto, declared = prim(x, y), prim(x, y, kinds={"g": "levels"})
    assert auto.kinds["g"] == "continuous" and declared.kinds["g"] == "levels"
    # by levels, each peel on g removes exactly one level from an end
    for a, b in zip(declared.boxes, declared.boxes[1:]):
        if a.limits["g"] != b.limits["g"]:
            assert abs((b.limits["g"][1] - b.limits["g"][0])
                       - (a.limits["g"][1] - a.limits["g"][0])) == 1
    assert declared.choose().box.limits["g"] == (0, 3)


def test_cart_recovers_the_planted_box():
    x, y = planted(0)
    leaves = cart_boxes(x, y)
    assert leaves
    best = leaves[0]
    assert abs(best.box.limits["x0"][1] - TRUE_X0_HIGH) < 0.05
    assert abs(best.box.limits["x1"][0] - TRUE_X1_LOW) < 0.05
    assert best.stats.coverage > 0.85 and best.stats.density > 0.85
    # a box's limits select exactly its leaf's runs (limits snapped to observed values)
    for leaf in leaves:
        assert box_stats(leaf.box.contains(x), y) == leaf.stats


def test_box_contains_closed_limits():
    x = pd.DataFrame({"a": [0.0, 0.5, 1.0], "c": ["p", "q", "p"]})
    box = Box({"a": (0.5, 1.0), "c": frozenset({"p"})})
    assert box.contains(x).tolist() == [False, False, True]


# ---------------------------------------------------------------- discover on a sweep folder

FUNDING = "fiscal_ai_funding_100m_yuan_per_year"
TALENT = "talent_program_engineers_per_year"
PARKS = "demonstration_zones_per_year"   # a factor with declared levels (grid-like)
REVENUE = "ai_enterprise_revenue_100m_yuan"


def write_sweep(folder, points: int = 60, replicates: int = 2, seed: int = 11):
    """A sweep folder as `zjai sweep` leaves it: results.parquet (tidy, one column per
    factor, sorted), experiment.json and metadata.json. Revenue in 2030 is low when
    funding < 30 and the talent program < 1600."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    rows = []
    for p in range(points):
        f, t = rng.uniform(5, 60), rng.uniform(200, 3000)
        parks = float(rng.choice([0.0, 1.0, 2.0]))
        for r in range(replicates):
            low = f < 30 and t < 1600
            for year in (2022, 2030):
                rev = (300 if low else 900) * (year - 2017) / 13 + rng.normal(0, 20)
                for ind, v in ((REVENUE, rev), ("new_startups", 50 + rng.normal(0, 5))):
                    rows.append({"run_id": f"p{p:05d}-r{r:03d}", "point": p, "replicate": r,
                                 "seed": int(rng.integers(2**62)), FUNDING: f, TALENT: t,
                                 PARKS: parks, "year": year, "region": "Zhejiang",
                                 "indicator": ind, "value": v})
    df = pd.DataFrame(rows)
    df["seed"] = df.groupby("run_id").seed.transform("first")
    df = df.sort_values(["run_id", "year", "region", "indicator"], ignore_index=True)
    df.to_parquet(folder / "results.parquet", index=False)
    (folder / "experiment.json").write_text(json.dumps(
        {"name": "synthetic", "sha256": "0" * 64, "file": "x.toml", "created": "now"}))
    (folder / "metadata.json").write_text(json.dumps({"factors": [
        {"name": FUNDING, "kind": "lever", "low": 5, "high": 60, "levels": []},
        {"name": TALENT, "kind": "lever", "low": 200, "high": 3000, "levels": []},
        {"name": PARKS, "kind": "lever", "low": 0, "high": 2, "levels": [0, 1, 2]}]}))
    return folder


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    return write_sweep(tmp_path_factory.mktemp("discover") / "sweep")


def test_discover_end_to_end(sweep_dir):
    d = discover(sweep_dir, REVENUE, 2030, below=500)
    out = sweep_dir / f"discover_{REVENUE}_2030"
    assert d.out == out
    assert sorted(p.name for p in out.iterdir()) == ["boxes.csv", "summary.md", "tradeoff.png"]
    assert (out / "tradeoff.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    boxes = pd.read_csv(out / "boxes.csv")
    for col in ("method", "box", "factor", "low", "high", "coverage", "density", "mass",
                "chosen", "restricted"):
        assert col in boxes.columns
    assert set(boxes.method) == {"prim", "prim_pasted", "cart"}
    chosen = boxes[boxes.chosen]
    assert set(chosen.method) == {"prim_pasted"}
    assert sorted(chosen.factor) == sorted([FUNDING, TALENT, PARKS])   # one row per factor
    lim = chosen.set_index("factor")
    assert lim.restricted[FUNDING] and lim.restricted[TALENT] and not lim.restricted[PARKS]
    assert 25 < lim.high[FUNDING] < 31 and 1300 < lim.high[TALENT] < 1650
    assert lim.low[PARKS] == 0 and lim.high[PARKS] == 2      # unrestricted: full range
    assert d.prim.kinds[PARKS] == "levels"                    # from metadata.json
    assert len(d.table) == 120 and d.chosen.stats.density > 0.9
    text = (out / "summary.md").read_text()
    assert "120 runs (60 points × 2 replicates)" in text and f"{FUNDING} ≤" in text
    assert "coverage" in text
    assert "CART" in text and "No restriction is significant" not in text
    # running again replaces the folder whole
    discover(sweep_dir, REVENUE, 2030, below=500)
    assert not [p for p in sweep_dir.iterdir() if p.name.startswith(".")]


def test_discover_above_and_custom_out(sweep_dir, tmp_path):
    d = discover(sweep_dir, REVENUE, 2030, above=500, out=tmp_path / "high")
    assert (tmp_path / "high" / "summary.md").is_file()
    # the complement of the low-revenue corner: no single box, but density above base rate
    assert d.chosen.stats.density >= d.table.case.mean()


def test_an_outcome_unrelated_to_the_factors_is_reported_as_such(sweep_dir, tmp_path):
    # new_startups is noise around 50 whatever the factors
    d = discover(sweep_dir, "new_startups", 2030, above=50, out=tmp_path / "noise")
    assert "No restriction is significant" in d.summary


@pytest.mark.parametrize("kwargs, message", [
    ({"outcome": "ai_enterprise_revenu", "year": 2030, "below": 500},
     "unknown outcome 'ai_enterprise_revenu' (did you mean 'ai_enterprise_revenue_100m_yuan'?)"),
    ({"outcome": REVENUE, "year": 2025, "below": 500}, "year 2025 is not in this sweep"),
    ({"outcome": REVENUE, "year": 2030}, "give exactly one of --below X or --above X"),
    ({"outcome": REVENUE, "year": 2030, "below": 500, "above": 100},
     "give exactly one of --below X or --above X"),
    ({"outcome": REVENUE, "year": 2030, "below": -1e6}, "no run has ai_enterprise_revenue"),
    ({"outcome": REVENUE, "year": 2030, "below": 1e6}, "every run has ai_enterprise_revenue"),
    ({"outcome": REVENUE, "year": 2030, "below": 500, "region": "Hangzou"},
     "region 'Hangzou' is not in this sweep"),
])
def test_bad_input_one_message_nothing_written(sweep_dir, tmp_path, kwargs, message):
    before = sorted(p.name for p in sweep_dir.iterdir())
    with pytest.raises(DiscoverError, match="^" + re.escape(message)):
        discover(sweep_dir, out=tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in sweep_dir.iterdir()) == before


def test_bad_folders(tmp_path):
    with pytest.raises(DiscoverError, match="no results.parquet here"):
        discover(tmp_path, REVENUE, 2030, below=500)
    with pytest.raises(DiscoverError, match="no such folder"):
        discover(tmp_path / "nope", REVENUE, 2030, below=500)
    small = write_sweep(tmp_path / "small", points=5, replicates=2)
    with pytest.raises(DiscoverError, match="only 10 runs .* at least 20"):
        discover(small, REVENUE, 2030, below=500)
    empty = tmp_path / "empty"
    empty.mkdir()
    pd.read_parquet(small / "results.parquet").iloc[:0].to_parquet(empty / "results.parquet")
    with pytest.raises(DiscoverError, match="holds no runs"):
        discover(empty, REVENUE, 2030, below=500)
    assert sorted(p.name for p in empty.iterdir()) == ["results.parquet"]
    assert not any(p.name.startswith("discover_") for p in small.iterdir())


def test_a_failed_write_leaves_nothing(sweep_dir, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(disc, "plot_tradeoff", broken)
    with pytest.raises(OSError, match="disk full"):
        discover(sweep_dir, REVENUE, 2030, below=500, out=tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_run_cli(sweep_dir, tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="zjai discover")
    add_arguments(parser)
    args = parser.parse_args([str(sweep_dir), "--outcome", REVENUE, "--year", "2030",
                              "--below", "500", "--out", str(tmp_path / "ok")])
    assert run_cli(args) == 0
    out = capsys.readouterr().out
    assert "PRIM box" in out and "wrote" in out
    args = parser.parse_args([str(sweep_dir), "--outcome", "new_startup", "--year", "2030",
                              "--above", "3", "--out", str(tmp_path / "bad")])
    assert run_cli(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean 'new_startups'" in err
    assert not (tmp_path / "bad").exists()
