"""The one run loop (runner.run_to_end): a callback after every month may collect or stop
the run; its users (run_one, sweep time limits, validation's December panel) agree."""

import itertools
from pathlib import Path

import pandas as pd
import pytest

from model import AIEcosystemModel, load_scenario
from model.runner import run_one, run_to_end

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def short_plan():
    sc = load_scenario(ROOT / "scenarios" / "plan.toml")
    sc.end = 2018
    return sc


def _model(sc, seed=7):
    """The model `run_one` builds for this seed (with its posterior draw, if any)."""
    return AIEcosystemModel.from_scenario(sc.for_replicate(seed), seed=seed, scale=0.02)


def test_a_collecting_callback_sees_every_month_and_changes_nothing(short_plan):
    seen = []
    model = run_to_end(_model(short_plan), lambda m: seen.append((m.year, m.month)))
    assert not model.running
    assert len(seen) == 24 and seen == sorted(seen) and len(set(seen)) == 24
    pd.testing.assert_frame_equal(model.recorder.frame(), run_one(short_plan, 7, scale=0.02))


def test_a_callback_that_raises_stops_the_run_after_that_month(short_plan):
    class Stop(Exception):
        pass

    steps = itertools.count(1)

    def stop_after_five(m):
        if next(steps) == 5:
            raise Stop

    model = _model(short_plan)
    with pytest.raises(Stop):
        run_to_end(model, stop_after_five)
    assert model.running and next(steps) == 6       # five months stepped, then stopped


def test_run_one_progress_callback_takes_no_arguments(short_plan):
    ticks = []
    run_one(short_plan, 7, scale=0.02, on_step=lambda: ticks.append(1))
    assert len(ticks) == 24


def test_a_sweep_run_over_its_time_limit_stops_within_a_month(monkeypatch):
    """The cooperative limit: a clock advancing 1 s a call stops a 3.5 s run in month 4."""
    from model import sweep
    from model.experiments import load_experiment, runs

    exp = load_experiment(ROOT / "experiments" / "smoke.toml")
    exp.time_limit_s = 3.5
    clock = itertools.count()
    monkeypatch.setattr(sweep.time, "perf_counter", lambda: float(next(clock)))
    months = []
    real_step = AIEcosystemModel.step

    def counted_step(self):
        months.append(1)
        real_step(self)

    monkeypatch.setattr(AIEcosystemModel, "step", counted_step)
    with pytest.raises(sweep.RunTimeout, match="exceeded its time limit of 3.5 s"):
        sweep.execute_run(exp, runs(exp)[0])
    assert len(months) == 4


def test_the_validation_panel_holds_each_december(short_plan):
    from model.validation import run_with_panel

    frame, panel = run_with_panel(_model(short_plan))
    assert [p["year"] for p in panel] == [2017, 2018]
    assert {"revenue", "alive", "city", "birth", "exit"} <= set(panel[0])
    pd.testing.assert_frame_equal(frame, run_one(short_plan, 7, scale=0.02))


@pytest.mark.parametrize("engine", ["numba", "mesa"])
def test_a_finished_model_is_freed(engine):
    """Nothing outside a model keeps it alive (Mesa 3.3's class-level agent-id counters did:
    a calibration worker grew by 1.5 MB a run, to 4 GB)."""
    import gc
    import weakref

    from model import AIEcosystemModel

    model = AIEcosystemModel(seed=1, scale=0.01, end_year=2017, engine=engine)
    while model.running:
        model.step()
    model.views("enterprises")                    # the numba engine makes its views too
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None
