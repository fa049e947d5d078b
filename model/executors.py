"""Executors behind one interface: in-process, a local process pool, or a Dask cluster.

Each executor submits `fn(*args)` and yields `(key, result, error)` as runs finish, so the
sweep coordinator (`sweep.py`) never depends on which engine runs the work. Results do not
depend on the executor: every run carries its own seed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
from collections.abc import Callable, Iterator


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


class LocalPoolExecutor(Executor):
    """A local process pool (spawned workers, as Mesa sets multiprocessing to spawn)."""

    def __init__(self, workers: int):
        self.description = f"local process pool ({workers} workers)"
        self._pool = cf.ProcessPoolExecutor(max_workers=workers,
                                            mp_context=mp.get_context("spawn"))
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
            self._client = Client(scheduler)
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


def make_executor(workers: int = 1, scheduler: str | None = None, cluster: str | None = None,
                  jobs: int = 1, cluster_options: dict | None = None) -> Executor:
    """The executor the command line asked for."""
    if scheduler or cluster:
        return DaskExecutor(scheduler, cluster, jobs, cluster_options)
    if workers <= 1:
        return InProcessExecutor()
    return LocalPoolExecutor(workers)
