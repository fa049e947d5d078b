"""Executors behind one interface: in-process, a local process pool, or a Dask cluster.

Each executor submits `fn(*args)` and yields `(key, result, error)` as runs finish, so the
sweep coordinator (`sweep.py`) never depends on which engine runs the work. Results do not
depend on the executor: every run carries its own seed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

PR_SET_PDEATHSIG = 1          # <linux/prctl.h>
CONNECT_TIMEOUT_S = 5.0       # a Dask scheduler that does not answer in this time is an error
BATCH_COMMANDS = {"slurm": "sbatch", "pbs": "qsub"}
# dask-jobqueue options one may give on the command line (JobQueueCluster, Job, SLURMJob,
# PBSJob keywords that take a plain value)
CLUSTER_OPTIONS = {
    "common": ("cores", "memory", "processes", "queue", "account", "project", "walltime",
               "name", "job_name", "interface", "protocol", "death_timeout",
               "local_directory", "log_directory", "shebang", "python", "nanny",
               "shared_temp_directory", "dashboard_address", "host"),
    "slurm": ("job_cpu", "job_mem"),
    "pbs": ("resource_spec",),
}


class ExecutorError(Exception):
    """An executor that cannot start: a scheduler that does not answer, a cluster without
    the options or batch system it needs. Reported in one line, exit code 2."""


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL, poll_s: float = 1.0) -> None:
    """Make this process die when `parent_pid` does (a pool worker of a killed coordinator).

    On Linux the kernel sends `sig` when the parent exits (prctl PR_SET_PDEATHSIG); a daemon
    thread that watches `os.getppid()` covers other systems and the window before prctl.
    Top-level, so a spawned worker can receive it as its initializer.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:          # the parent died before prctl took effect
        os._exit(1)

    def watch():
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="zjai-parent-watchdog", daemon=True).start()


def _pdeathsig_preexec() -> None:               # pragma: no cover - runs in the child
    try:
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def run_child_until_signal(cmd: list[str], grace_s: float = 5.0, **popen_kwargs) -> int:
    """Run `cmd` in its own process group until it exits or this process gets SIGTERM,
    SIGINT or SIGHUP; forward the signal to the whole group, and on the way out terminate
    (then kill) whatever is left of the group, so no server outlives the command.

    Returns the child's exit status, or 0 when a forwarded signal stopped it (a user
    stopping a server is a normal end). On Linux the child also gets SIGTERM if this
    process is killed with SIGKILL (PR_SET_PDEATHSIG).
    """
    if sys.platform.startswith("linux") and "preexec_fn" not in popen_kwargs:
        popen_kwargs["preexec_fn"] = _pdeathsig_preexec
    proc = subprocess.Popen(cmd, start_new_session=True, **popen_kwargs)
    received: list[int] = []

    def forward(signum, _frame):
        received.append(signum)
        _signal_group(proc.pid, signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            previous[sig] = signal.signal(sig, forward)
    try:
        code = proc.wait()
    except BaseException:
        _signal_group(proc.pid, signal.SIGTERM)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _end_group(proc, grace_s)
    return 0 if received else code


def _signal_group(pgid: int, sig: int) -> bool:
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _end_group(proc: subprocess.Popen, grace_s: float) -> None:
    """Terminate the child's process group, waiting up to `grace_s` before SIGKILL."""
    if not _signal_group(proc.pid, signal.SIGTERM):
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        if not _signal_group(proc.pid, 0):        # nothing left in the group
            return
        time.sleep(0.05)
    _signal_group(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass


class Executor:
    """Submit keyed calls, then iterate over finished ones."""

    description = "executor"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        pass

    def submit(self, key: str, fn: Callable, *args) -> None:
        raise NotImplementedError

    def finished(self) -> Iterator[tuple[str, object, BaseException | None]]:
        raise NotImplementedError


class InProcessExecutor(Executor):
    """Runs each call when it is collected, in this process (one worker)."""

    description = "in-process (1 worker)"

    def __init__(self):
        self._queue: list = []

    def submit(self, key, fn, *args):
        self._queue.append((key, fn, args))

    def finished(self):
        while self._queue:
            key, fn, args = self._queue.pop(0)
            try:
                yield key, fn(*args), None
            except Exception as exc:  # noqa: BLE001 - a failed run is reported, not raised
                yield key, None, exc


def warm_kernels() -> None:
    """Load the model's compiled kernels into this process: one month of a tiny run (each
    kernel is loaded from numba's cache, or compiled, on its first call)."""
    from .ecosystem import AIEcosystemModel

    AIEcosystemModel(seed=1, scale=0.01, end_year=2017).step()


def pool_start_method() -> str:
    """How a local pool starts its workers: "fork" on Linux while this process runs no other
    Python thread (workers start at once, with the coordinator's imported modules and loaded
    kernels), else "spawn" (fork is unsafe on macOS and beside Python threads, such as a Dask
    client's; a spawned worker imports the model and loads its cached kernels, about 2 s:
    benchmarks/README.md). Native threads of OpenBLAS and pyarrow's allocator are not seen
    here; both libraries reset their state in a forked child."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


class LocalPoolExecutor(Executor):
    """A local process pool. Workers are forked from a coordinator that has loaded the
    kernels (`pool_start_method`), or spawned; either way they die with the coordinator,
    even under kill -9 (`die_with_parent`), and a run's result does not depend on which.
    """

    def __init__(self, workers: int, start_method: str | None = None):
        method = start_method or pool_start_method()
        if method == "fork":
            warm_kernels()
            if start_method is None:
                method = pool_start_method()           # warming started no thread
        self.description = f"local process pool ({workers} workers, {method})"
        self._pool = cf.ProcessPoolExecutor(max_workers=workers,
                                            mp_context=mp.get_context(method),
                                            initializer=die_with_parent,
                                            initargs=(os.getpid(),))
        if method == "fork":                 # fork every worker now, before any thread starts
            self._pool.submit(int).result()
        self._futures: dict = {}

    def submit(self, key, fn, *args):
        self._futures[self._pool.submit(fn, *args)] = key

    def finished(self):
        while self._futures:
            done, _ = cf.wait(list(self._futures), return_when=cf.FIRST_COMPLETED)
            for fut in done:
                key = self._futures.pop(fut)
                exc = fut.exception()
                yield key, (None if exc else fut.result()), exc

    def close(self):
        self._pool.shutdown(wait=False, cancel_futures=True)


class DaskExecutor(Executor):
    """A Dask cluster: an existing scheduler address, or SLURM/PBS through dask-jobqueue.

    Dask reschedules the tasks of a lost worker; finished results already collected by
    the coordinator are on disk, so a lost worker loses no finished run.
    """

    def __init__(self, scheduler: str | None = None, cluster: str | None = None,
                 jobs: int = 1, cluster_options: dict | None = None):
        from distributed import Client

        self._cluster = None
        if cluster:
            import dask_jobqueue

            cls = {"slurm": dask_jobqueue.SLURMCluster, "pbs": dask_jobqueue.PBSCluster}[cluster]
            self._cluster = cls(**(cluster_options or {}))
            self._cluster.scale(jobs=jobs)
            self._client = Client(self._cluster)
            self.description = f"Dask on {cluster.upper()} ({jobs} jobs)"
        else:
            try:
                self._client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(f"--scheduler {scheduler}: no Dask scheduler answered "
                                    f"within {CONNECT_TIMEOUT_S:g} s ({type(exc).__name__}); "
                                    "is it running and reachable from here?") from None
            self.description = f"Dask scheduler {scheduler}"
        self._futures: dict = {}
        self._completed = None
        self._attempt = 0

    def submit(self, key, fn, *args):
        self._attempt += 1
        fut = self._client.submit(fn, *args, key=f"zjai-{key}-{self._attempt}", pure=False)
        self._futures[fut] = key
        if self._completed is not None:
            self._completed.add(fut)

    def finished(self):
        from distributed import as_completed

        self._completed = as_completed(list(self._futures))
        for fut in self._completed:
            key = self._futures.pop(fut)
            try:
                yield key, fut.result(), None
            except Exception as exc:  # noqa: BLE001 - the run's own error, or a KilledWorker
                yield key, None, exc
            fut.release()

    def close(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_cluster_options(cluster: str, options: dict) -> dict:
    """Check `--job-option`s for a dask-jobqueue cluster before anything starts: known
    keys, cores and memory given (here or in the Dask config), the batch command present."""
    import difflib

    import dask.config
    from dask.utils import parse_bytes

    known = CLUSTER_OPTIONS["common"] + CLUSTER_OPTIONS[cluster]
    for key in options:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ExecutorError(f"--job-option {key}: not a {cluster} cluster option{hint}; "
                                f"expected one of {', '.join(known)}")
    for key in ("cores", "memory"):
        if key not in options and dask.config.get(f"jobqueue.{cluster}.{key}", None) is None:
            raise ExecutorError(f"--cluster {cluster} needs --job-option {key}=... (e.g. "
                                f"cores=16 memory=32GB), or jobqueue.{cluster}.{key} in the "
                                "Dask config")
    for key in ("cores", "processes"):
        if key in options and (not isinstance(options[key], int) or options[key] < 1):
            raise ExecutorError(f"--job-option {key}: expected a whole number >= 1, got "
                                f"{options[key]!r}")
    if "memory" in options:
        try:
            if parse_bytes(str(options["memory"])) <= 0:
                raise ValueError
        except (ValueError, TypeError):
            raise ExecutorError(f"--job-option memory: expected a size such as 32GB, got "
                                f"{options['memory']!r}") from None
    import shutil

    if shutil.which(BATCH_COMMANDS[cluster]) is None:
        raise ExecutorError(f"--cluster {cluster}: `{BATCH_COMMANDS[cluster]}` is not on PATH; "
                            f"run the sweep on a {cluster.upper()} login node")
    return options


def make_executor(workers: int = 1, scheduler: str | None = None, cluster: str | None = None,
                  jobs: int = 1, cluster_options: dict | None = None) -> Executor:
    """The executor the command line asked for."""
    if scheduler and cluster:
        raise ExecutorError("give --scheduler or --cluster, not both")
    if cluster_options and not cluster:
        raise ExecutorError("--job-option is for --cluster slurm|pbs")
    if cluster:
        cluster_options = check_cluster_options(cluster, cluster_options or {})
    if scheduler or cluster:
        return DaskExecutor(scheduler, cluster, jobs, cluster_options)
    if workers <= 1:
        return InProcessExecutor()
    return LocalPoolExecutor(workers)
