"""The sweep store under races and damage: one sweep per folder, damaged or foreign run files
quarantined and recomputed, pool workers that die with a killed coordinator, durable and
group-readable files, attempt numbers across invocations, and servers that stop with `zjai`."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from model import provenance
from model import sweep as sweep_mod
from model.cli import main
from model.executors import InProcessExecutor
from model.experiments import load_experiment
from model.provenance import FolderLock, FolderLocked, atomic_write

ROOT = Path(__file__).resolve().parents[1]
TEST_EXP = ROOT / "tests" / "data" / "sweep_test.toml"
SMOKE = ROOT / "experiments" / "smoke.toml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """An uninterrupted in-process sweep of the test experiment: its folder and results."""
    out = tmp_path_factory.mktemp("clean") / "sweep"
    assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 0
    return out, pd.read_parquet(out / "results.parquet")


def _manifest(folder):
    return [json.loads(x) for x in (folder / "manifest.jsonl").read_text().splitlines()]


def _dead(pid):
    """No such process, or a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


def _children(pid):
    """Pids whose parent is `pid` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _pool_workers(pid):
    """The multiprocessing workers among `pid`'s children (not its resource tracker)."""
    out = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:        # spawned (spawn_main) or forked
            out.append(child)
    return out


# -- one sweep per folder -----------------------------------------------------------------

def test_a_second_sweep_on_a_busy_folder_is_refused_and_the_first_finishes(tmp_path, clean,
                                                                          capsys):
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "model.cli", "sweep", str(TEST_EXP), "--out", str(out),
           "--quiet"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=ENV)
    try:
        deadline = time.time() + 120
        while not list((out / "runs").glob("*.parquet")):
            assert first.poll() is None and time.time() < deadline, "first sweep ended early"
            time.sleep(0.05)
        assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert str(out) in err and "in use by another sweep" in err
        assert f"pid {first.pid} on {socket.gethostname()}" in err
        _, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), clean[1])
    assert len([e for e in _manifest(out) if e["status"] == "done"]) == 12
    assert not (out / ".zjai.lock").exists()             # released on the way out


def test_folder_lock_refuses_a_live_holder_and_takes_over_a_dead_ones(tmp_path):
    with FolderLock(tmp_path) as held:
        with pytest.raises(FolderLocked, match=f"pid {os.getpid()} on "):
            FolderLock(tmp_path).acquire()
        assert json.loads(held.path.read_text())["pid"] == os.getpid()
    assert not (tmp_path / ".zjai.lock").exists()
    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / ".zjai.lock").write_text(json.dumps({"pid": gone.pid,
                                                     "host": socket.gethostname()}))
    with FolderLock(tmp_path) as lock:                   # stale: taken over with a note
        assert f"stale lock of pid {gone.pid}" in lock.note
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    (tmp_path / ".zjai.lock").write_text(json.dumps({"pid": 1, "host": "node-elsewhere"}))
    with pytest.raises(FolderLocked, match="node-elsewhere.*delete"):
        FolderLock(tmp_path).acquire()                   # cannot judge another host's pid


# -- damaged and foreign run files ------------------------------------------------------

def _retag(src, dest, **meta):
    table = pq.read_table(src)
    md = dict(table.schema.metadata)
    md.update({k.encode(): v.encode() for k, v in meta.items()})
    pq.write_table(table.replace_schema_metadata(md), dest)


def test_damaged_and_foreign_run_files_are_quarantined_and_recomputed(tmp_path, clean, capsys):
    out = tmp_path / "sweep"
    shutil.copytree(clean[0], out)
    (out / "results.parquet").unlink()
    runs = out / "runs"
    truncated = runs / "p00000-r000.parquet"
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    (runs / "p00001-r001.parquet").write_bytes(b"")
    _retag(runs / "p00002-r000.parquet", runs / "p00002-r000.parquet",
           **{"zjai.experiment_sha256": "0" * 64})                # another experiment's run
    pd.DataFrame({"a": [1, 2]}).to_parquet(runs / "notes.parquet")  # a stray file
    pd.DataFrame({"a": [1]}).to_parquet(runs / "p00003-r000.parquet")  # foreign, run's name
    shutil.copy(runs / "p00004-r000.parquet", runs / "p00004-r001.parquet")  # wrong run id

    assert main(["sweep", str(TEST_EXP), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    warnings = [x for x in captured.err.splitlines() if "quarantined" in x]
    assert len(warnings) == 6
    assert "7 already finished" in captured.out and "5 runs done" in captured.out
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), clean[1])
    moved = {p.name.split(".")[0] for p in (out / "runs" / "quarantine").glob("*.parquet")}
    assert moved == {"p00000-r000", "p00001-r001", "p00002-r000", "notes", "p00003-r000",
                     "p00004-r001"}
    reasons = {e["file"]: e["reason"] for e in _manifest(out) if e["status"] == "quarantined"}
    assert "unreadable" in reasons["p00000-r000.parquet"]
    assert "empty" in reasons["p00001-r001.parquet"]
    assert "another experiment" in reasons["p00002-r000.parquet"]
    assert "foreign" in reasons["notes.parquet"] and "foreign" in reasons["p00003-r000.parquet"]
    assert "p00004-r000" in reasons["p00004-r001.parquet"]
    assert len((out / "runs" / "quarantine" / "reasons.jsonl").read_text().splitlines()) == 6
    for p in runs.glob("*.parquet"):                   # every kept file is tagged
        md = pq.read_schema(p).metadata
        assert md[b"zjai.run_id"] == p.stem.encode()
    assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 0  # now clean
    assert "quarantined" not in capsys.readouterr().err


def test_a_missing_experiment_stamp_keeps_this_experiments_runs_only(tmp_path, clean, capsys):
    out = tmp_path / "sweep"
    shutil.copytree(clean[0], out)
    (out / "experiment.json").unlink()
    (out / "results.parquet").unlink()
    assert main(["sweep", str(TEST_EXP), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "experiment.json is missing" in captured.err and "12 already finished" in captured.out
    assert json.loads((out / "experiment.json").read_text())["name"] == "sweep_test"
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), clean[1])
    # a folder of another experiment's runs whose stamp was lost is refused, not emptied
    (out / "experiment.json").unlink()
    assert main(["sweep", str(SMOKE), "--out", str(out), "--quiet"]) == 2
    assert "holds runs of another experiment" in capsys.readouterr().err
    assert len(list((out / "runs").glob("*.parquet"))) == 12


# -- workers die with their coordinator ---------------------------------------------------

POOL_SCRIPT = textwrap.dedent("""
    import sys, time
    from model.executors import LocalPoolExecutor
    ex = LocalPoolExecutor(2, start_method=sys.argv[1])
    for k in range(2):
        ex.submit(str(k), time.sleep, 120)
    print("submitted", flush=True)
    time.sleep(300)
""")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers_busy_in_a_run_die_when_the_coordinator_is_killed(tmp_path, method):
    coord = subprocess.Popen([sys.executable, "-c", POOL_SCRIPT, method],
                             stdout=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path)
    workers = []
    try:
        assert coord.stdout.readline().strip() == "submitted"
        deadline = time.time() + 60
        while len(workers := _pool_workers(coord.pid)) < 2:
            assert time.time() < deadline, "no pool workers started"
            time.sleep(0.1)
        time.sleep(1.0)                                   # both are inside time.sleep(120)
        os.kill(coord.pid, signal.SIGKILL)
        coord.wait()
        deadline = time.time() + 5
        while not all(_dead(p) for p in workers) and time.time() < deadline:
            time.sleep(0.1)
        survivors = [p for p in workers if not _dead(p)]
        assert not survivors, f"pool workers {survivors} outlived their coordinator"
    finally:
        _kill_all(coord, workers)


def _kill_all(coord, workers) -> None:
    """Leave no process of a test behind, whatever it asserted."""
    if coord.poll() is None:
        coord.kill()
        coord.wait()
    for p in workers:
        if not _dead(p):
            os.kill(p, signal.SIGKILL)


def test_kill_9_of_a_pooled_sweep_leaves_no_worker(tmp_path):
    out = tmp_path / "sweep"
    coord = subprocess.Popen([sys.executable, "-m", "model.cli", "sweep", str(TEST_EXP),
                              "--out", str(out), "--workers", "2", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    workers = []
    try:
        deadline = time.time() + 120
        while not list((out / "runs").glob("*.parquet")):   # workers exist and are working
            assert coord.poll() is None and time.time() < deadline
            time.sleep(0.05)
        workers = _pool_workers(coord.pid)
        assert workers
        os.kill(coord.pid, signal.SIGKILL)
        coord.wait()
        deadline = time.time() + 5
        while not all(_dead(p) for p in workers) and time.time() < deadline:
            time.sleep(0.1)
        assert all(_dead(p) for p in workers)
    finally:
        _kill_all(coord, workers)


# -- durable, group-readable files; attempts across invocations ----------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_atomic_write_respects_the_umask_and_fsyncs(tmp_path, monkeypatch, umask, mode):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "a.txt", lambda p: Path(p).write_text("x"))
        dir_mode = (tmp_path / "d").mkdir() or (tmp_path / "d").stat().st_mode & 0o777
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == mode
    assert dir_mode == 0o777 & ~umask
    assert len(synced) >= 2                              # the file, then its folder
    assert not list(tmp_path.glob(".*.tmp"))


def test_run_files_are_group_readable_and_synced(tmp_path, monkeypatch):
    exp = load_experiment(TEST_EXP)
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    store = sweep_mod.Store(tmp_path, exp, notify=lambda m: None)
    store.runs_dir.mkdir(parents=True)
    old = os.umask(0o022)
    try:
        store.save("p00000-r000", pd.DataFrame({"run_id": ["p00000-r000"], "value": [1.0]}))
    finally:
        os.umask(old)
    path = tmp_path / "runs" / "p00000-r000.parquet"
    assert path.stat().st_mode & 0o777 == 0o644 and len(synced) >= 2
    md = pq.read_schema(path).metadata
    assert md[b"zjai.experiment_sha256"] == exp.sha256.encode()
    assert store.check(path) is None


def test_manifest_attempt_numbers_continue_across_invocations(tmp_path, monkeypatch):
    exp = load_experiment(SMOKE)
    exp.retries = 0
    real, calls = sweep_mod.execute_run, {"n": 0}

    def fails_twice(e, run):
        if run.run_id == "p00001-r000" and calls["n"] < 2:
            calls["n"] += 1
            raise RuntimeError(f"crash {calls['n']}")
        return real(e, run)

    monkeypatch.setattr(sweep_mod, "execute_run", fails_twice)
    for expected_failed in (1, 1, 0):
        with InProcessExecutor() as ex:
            report = sweep_mod.sweep(exp, tmp_path, ex)
        assert len(report.failed) == expected_failed
    attempts = [(e["attempt"], e["status"]) for e in _manifest(tmp_path)
                if e["run_id"] == "p00001-r000"]
    assert attempts == [(1, "failed"), (2, "failed"), (3, "done")]
    assert {e["attempt"] for e in _manifest(tmp_path) if e["run_id"] != "p00001-r000"} == {1}


# -- a served child stops with its parent ------------------------------------------------

SERVER = textwrap.dedent("""
    import subprocess, sys, time
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    print(grandchild.pid, flush=True)
    time.sleep(120)
""")


def test_run_child_until_signal_stops_the_whole_group_on_sigterm(tmp_path):
    pids = tmp_path / "pids"
    code = ("import sys; from model.executors import run_child_until_signal; "
            f"sys.exit(run_child_until_signal([sys.executable, '-c', {SERVER!r}], "
            f"stdout=open({str(pids)!r}, 'w')))")
    helper = subprocess.Popen([sys.executable, "-c", code], env=ENV)
    try:
        deadline = time.time() + 30
        while not (pids.exists() and pids.read_text().strip()):
            assert helper.poll() is None and time.time() < deadline
            time.sleep(0.05)
        server = _children(helper.pid)
        grandchild = int(pids.read_text())
        assert len(server) == 1 and not _dead(grandchild)
        assert os.getpgid(grandchild) == server[0] != os.getpgid(helper.pid)
        helper.send_signal(signal.SIGTERM)
        assert helper.wait(timeout=15) == 0
        deadline = time.time() + 5
        while not (_dead(server[0]) and _dead(grandchild)) and time.time() < deadline:
            time.sleep(0.05)
        assert _dead(server[0]) and _dead(grandchild)
    finally:
        if helper.poll() is None:
            helper.kill()
            helper.wait()


def test_current_umask_is_read_without_changing_it():
    old = os.umask(0o027)
    try:
        assert provenance.current_umask() == 0o027
        assert provenance.current_umask() == 0o027
    finally:
        os.umask(old)


def test_a_full_disk_while_writing_results_keeps_the_previous_results(tmp_path, clean,
                                                                      monkeypatch, capsys):
    import errno

    out = tmp_path / "sweep"
    shutil.copytree(clean[0], out)
    before = (out / "results.parquet").read_bytes()

    def disk_full(self, path, **kwargs):
        Path(path).write_bytes(b"PAR1 half a file")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    assert main(["sweep", str(TEST_EXP), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "rerun" in err and len(err.splitlines()) == 1
    assert (out / "results.parquet").read_bytes() == before
    assert not list(out.glob(".*.tmp")) and not (out / ".zjai.lock").exists()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names fsynced files via /proc")
def test_the_manifest_is_synced_once_at_the_end_and_never_hides_the_sweeps_error(
        tmp_path, monkeypatch):
    """Manifest lines are flushed as written and fsynced when the sweep ends; if the sweep
    fails, the failure is what the caller sees, even when that last fsync fails too."""
    import errno

    exp = load_experiment(TEST_EXP)
    real = os.fsync
    synced = []

    def fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        synced.append(name)
        if name.endswith("manifest.jsonl") and "broken" in name:
            raise OSError(errno.EIO, "Input/output error")
        return real(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    with InProcessExecutor() as ex:
        sweep_mod.sweep(exp, tmp_path / "ok", ex, notify=lambda m: None)
    at = [i for i, name in enumerate(synced) if name.endswith("manifest.jsonl")]
    runs = [i for i, name in enumerate(synced) if "/runs/" in name and ".parquet" in name]
    assert len(at) == 1 and runs and at[0] > max(runs)   # once, after every run file
    assert len((tmp_path / "ok" / "manifest.jsonl").read_text().splitlines()) >= 1

    class BrokenExecutor:
        description = "broken"

        def submit(self, *a):
            pass

        def finished(self):
            raise RuntimeError("worker pool died")
            yield
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.jsonl").write_text("")
    with pytest.raises(RuntimeError, match="worker pool died"):
        sweep_mod.sweep(exp, tmp_path / "broken", BrokenExecutor(), notify=lambda m: None)
