"""Sweeps: worker-count independence, retries, kill -9 and resume, Dask with a lost worker,
run time limits. The `zjai sweep` / `zjai analyze` commands: tests/cli/."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from model import sweep as sweep_mod
from model.cli import main
from model.executors import InProcessExecutor
from model.experiments import load_experiment

ROOT = Path(__file__).resolve().parents[1]
TEST_EXP = ROOT / "tests" / "data" / "sweep_test.toml"
SMOKE = ROOT / "experiments" / "smoke.toml"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted in-process sweep of the test experiment."""
    out = tmp_path_factory.mktemp("ref") / "sweep"
    assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 0
    return pd.read_parquet(out / "results.parquet")


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    for workers in ("1", "2"):
        assert main(["sweep", str(SMOKE), "--workers", workers, "--out",
                     str(tmp_path / workers), "--quiet"]) == 0
    a, b = (pd.read_parquet(tmp_path / w / "results.parquet") for w in ("1", "2"))
    pd.testing.assert_frame_equal(a, b)
    assert (tmp_path / "1" / "results.parquet").read_bytes() == (
        tmp_path / "2" / "results.parquet").read_bytes()
    assert {"run_id", "point", "replicate", "seed", "year", "region", "indicator",
            "value"} <= set(a.columns)
    assert "seconds" not in a.columns


FORK_SCRIPT = """
import sys
from pathlib import Path
from model.executors import LocalPoolExecutor, make_executor
from model.experiments import load_experiment
from model.sweep import sweep

out = Path(sys.argv[2])
with make_executor(2) as ex:                 # a fresh process: no other thread, so it forks
    print(ex.description, flush=True)
exp = load_experiment(sys.argv[1])
for method in ("fork", "spawn"):
    with LocalPoolExecutor(2, start_method=method) as ex:
        assert method in ex.description
        assert not sweep(exp, out / method, ex).failed
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_forked_and_spawned_workers_give_the_same_results(tmp_path, reference):
    """The local pool forks workers from a coordinator with loaded kernels (Linux, in a
    process with no other thread: a fresh one here, since earlier tests leave Dask threads
    in this one) or spawns fresh interpreters: the results are the same bytes either way,
    and the in-process sweep's."""
    res = subprocess.run([sys.executable, "-c", FORK_SCRIPT, str(TEST_EXP), str(tmp_path)],
                         capture_output=True, text=True, env={**os.environ,
                                                              "PYTHONPATH": str(ROOT)},
                         timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "fork" in res.stdout.splitlines()[0]
    a, b = (pd.read_parquet(tmp_path / m / "results.parquet") for m in ("fork", "spawn"))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, reference)


def test_the_pool_forks_only_on_linux_and_without_other_threads(monkeypatch):
    from model import executors

    monkeypatch.setattr(executors.sys, "platform", "linux")
    monkeypatch.setattr(executors.threading, "active_count", lambda: 1)
    assert executors.pool_start_method() == "fork"
    monkeypatch.setattr(executors.threading, "active_count", lambda: 2)
    assert executors.pool_start_method() == "spawn"
    monkeypatch.setattr(executors.sys, "platform", "darwin")
    monkeypatch.setattr(executors.threading, "active_count", lambda: 1)
    assert executors.pool_start_method() == "spawn"


def test_failed_runs_are_recorded_retried_and_resumed(tmp_path, monkeypatch):
    exp = load_experiment(SMOKE)
    exp.retries = 0
    real = sweep_mod.execute_run

    def flaky(e, run):
        if run.run_id == "p00001-r000":
            raise RuntimeError("simulated crash")
        return real(e, run)

    monkeypatch.setattr(sweep_mod, "execute_run", flaky)
    with InProcessExecutor() as ex:
        report = sweep_mod.sweep(exp, tmp_path, ex)
    assert set(report.failed) == {"p00001-r000"} and report.done == 7
    assert not (tmp_path / "results.parquet").exists()
    lines = [json.loads(x) for x in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert any(x["status"] == "failed" and "simulated crash" in x["error"] for x in lines)
    monkeypatch.setattr(sweep_mod, "execute_run", real)       # the fault is gone: resume
    with InProcessExecutor() as ex:
        report = sweep_mod.sweep(exp, tmp_path, ex)
    assert report.done == 1 and report.skipped == 7 and not report.failed
    assert (tmp_path / "results.parquet").exists()


def test_a_retry_inside_the_same_sweep(tmp_path, monkeypatch):
    exp = load_experiment(SMOKE)
    exp.retries = 1
    real, calls = sweep_mod.execute_run, {"n": 0}

    def once(e, run):
        if run.run_id == "p00002-r001" and calls["n"] == 0:
            calls["n"] += 1
            raise RuntimeError("transient")
        return real(e, run)

    monkeypatch.setattr(sweep_mod, "execute_run", once)
    with InProcessExecutor() as ex:
        report = sweep_mod.sweep(exp, tmp_path, ex)
    assert not report.failed and report.done == 8


def _wait_for_runs(folder: Path, n: int, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(list((folder / "runs").glob("*.parquet"))) >= n:
            return
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        time.sleep(0.05)
    raise AssertionError("no progress")


def test_kill_9_mid_sweep_then_resume_gives_the_same_results(tmp_path, reference):
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "model.cli", "sweep", str(TEST_EXP), "--out", str(out),
           "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_runs(out, 3, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list((out / "runs").glob("*.parquet")))
    assert 3 <= done_before < 12 and not (out / "results.parquet").exists()
    assert not list((out / "runs").glob(".*.tmp"))  # nothing half-written survives a rename
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    assert f"{done_before} already finished" in res.stdout
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), reference)


def test_dask_cluster_with_a_lost_worker_gives_the_local_results(tmp_path, reference):
    dask = str(Path(sys.executable).with_name("dask"))
    sched_file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.time() + 60
        while not sched_file.exists() and time.time() < deadline:
            time.sleep(0.1)
        address = json.loads(sched_file.read_text())["address"]
        workers = [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--host", "127.0.0.1"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    cwd=tmp_path) for _ in range(2)]
        procs += workers
        out = tmp_path / "sweep"
        sweep = subprocess.Popen([sys.executable, "-m", "model.cli", "sweep", str(TEST_EXP),
                                  "--out", str(out), "--scheduler", address, "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(sweep)
        _wait_for_runs(out, 2, sweep)
        assert workers[0].poll() is None
        os.kill(workers[0].pid, signal.SIGKILL)           # lose a worker mid-sweep
        _, stderr = sweep.communicate(timeout=300)
        assert sweep.returncode == 0, stderr
        pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), reference)
        pids = [json.loads(x)["worker"] for x in (out / "manifest.jsonl").read_text().splitlines()]
        assert len(pids) == 12 and pids.count(workers[1].pid) >= 12 - 2 - 1  # survivor did the rest
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_explicit_points_design(tmp_path):
    exp = tmp_path / "p.toml"
    exp.write_text(f'[experiment]\nname = "pts"\nscenario = "{ROOT / "scenarios" / "plan.toml"}"\n'
                   "design = 'points'\nscale = 0.02\n[factors.land_guarantee]\nlow = 0\nhigh = 1\n"
                   "[[point]]\nland_guarantee = 0.1\n[[point]]\nland_guarantee = 0.9\n"
                   "[outcomes]\nindicators = ['major_projects']\nyears = [2018]\n",
                   encoding="utf-8")
    out = tmp_path / "sweep"
    assert main(["sweep", str(exp), "--out", str(out), "--quiet"]) == 0
    df = pd.read_parquet(out / "results.parquet")
    assert sorted(df.land_guarantee.unique()) == [0.1, 0.9]
