from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def scenarios_dir() -> Path:
    return ROOT / "scenarios"


@pytest.fixture
def posterior_scenarios(tmp_path, scenarios_dir):
    """A copy of scenarios/ whose calibrated.toml declares a small posterior sample
    (`calibrated.posterior.csv`: 200 rows, each calibrated parameter uniform over its
    calibration range, from a fixed seed). Returns the copy's folder."""
    import shutil

    import numpy as np

    from model.calibration import load_calibration
    from model.draws import posterior_text, with_posterior_block

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for f in scenarios_dir.glob("*.toml"):
        shutil.copy(f, folder / f.name)
    spec = load_calibration(ROOT / "experiments" / "calibration.toml")
    names = [p[0] for p in spec.parameters]
    lows, highs = (np.array([p[i] for p in spec.parameters]) for i in (1, 2))
    values = lows + np.random.default_rng(0).random((200, len(names))) * (highs - lows)
    (folder / "calibrated.posterior.csv").write_text(
        posterior_text(["a test sample: uniform over the calibration ranges"], names, values),
        encoding="utf-8")
    point = folder / "calibrated.toml"
    point.write_text(with_posterior_block(point.read_text(encoding="utf-8"),
                                          '[posterior]\nfile = "calibrated.posterior.csv"\n'),
                     encoding="utf-8")
    return folder
