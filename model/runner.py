"""Running scenarios: replicates with independent seeds, tidy output."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from .ecosystem import AIEcosystemModel
from .scenario import Scenario, load_scenario

TIDY_COLUMNS = ["scenario", "replicate", "seed", "year", "region", "indicator", "value"]


def replicate_seeds(master_seed: int, replicates: int) -> list[int]:
    """One integer seed per replicate, spawned from the master seed (SeedSequence.spawn)."""
    children = np.random.SeedSequence(int(master_seed)).spawn(int(replicates))
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


def run_to_end(model: AIEcosystemModel,
               on_step: Callable[[AIEcosystemModel], None] | None = None) -> AIEcosystemModel:
    """Step `model` month by month until it stops running; returns the model.

    `on_step(model)` is called after every month: it may collect (a panel, a progress bar)
    or raise to stop the run (a time limit); the exception propagates to the caller.
    """
    while model.running:
        model.step()
        if on_step is not None:
            on_step(model)
    return model


def run_one(scenario: Scenario, seed: int, scale: float = 1.0, engine: str = "numba",
            on_step: Callable[[], None] | None = None) -> pd.DataFrame:
    """Run one replicate to the scenario's end; returns year, region, indicator, value.

    The replicate runs its posterior draw, if the scenario has one (`Scenario.for_replicate`).
    `on_step()` (no arguments) is called after every month, e.g. to advance a progress bar.
    """
    model = AIEcosystemModel.from_scenario(scenario.for_replicate(seed), seed=seed, scale=scale,
                                           engine=engine)
    run_to_end(model, None if on_step is None else lambda _model: on_step())
    return model.recorder.frame()


def run_one_with_cache_report(scenario: Scenario, seed: int, scale: float = 1.0,
                              engine: str = "numba") -> tuple[pd.DataFrame, dict]:
    """`run_one`, plus which kernels this process loaded from the on-disk cache or compiled."""
    from .aggregates import cache_report

    frame = run_one(scenario, seed, scale, engine)
    return frame, cache_report()


def run_scenario(scenario, replicates: int | None = None, seed: int | None = None,
                 scale: float | None = None, engine: str = "numba",
                 on_step: Callable[[], None] | None = None,
                 timings: list | None = None) -> pd.DataFrame:
    """Run `replicates` replicates of a scenario (a Scenario or a path to a TOML file).

    Returns a tidy DataFrame with columns scenario, replicate, seed, year, region,
    indicator, value. Replicate seeds are spawned from `seed` (default: the scenario's); each
    replicate runs the posterior row its seed draws (`scenario.draw(seed)`), if any.
    If `timings` is a list, one {replicate, seed, seconds} record per replicate is appended.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    replicates = scenario.replicates if replicates is None else int(replicates)
    seed = scenario.seed if seed is None else int(seed)
    scale = scenario.scale if scale is None else float(scale)
    frames = []
    for r, s in enumerate(replicate_seeds(seed, replicates)):
        started = time.perf_counter()
        df = run_one(scenario, s, scale, engine, on_step)
        if timings is not None:
            timings.append({"replicate": r, "seed": s, "seconds": time.perf_counter() - started})
        df.insert(0, "seed", s)
        df.insert(0, "replicate", r)
        df.insert(0, "scenario", scenario.name)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]
