"""Where the per-article work runs: this process, a local Dask cluster, or an existing one.

Consumes a function of (task, settings), its tasks and the `Settings`; calls `on_done`
with each result as it finishes (in finishing order: the caller orders them). Dask
(`distributed`) does the scheduling, so nothing here is a home-made pool:

- `settings.scheduler` set (`--scheduler tcp://HOST:8786`, or `PIPELINE_DASK_SCHEDULER`):
  the tasks go to that cluster's workers, which need the pipeline package and the spaCy
  model installed (README, "Running on a cluster");
- `settings.scheduler` "local": a `LocalCluster` of `jobs` workers whatever the number of
  tasks (one worker included: the bench's one-worker baseline is the same executor);
- otherwise, with `settings.jobs` > 1 and enough tasks to be worth the workers' start-up
  (`settings.min_tasks_per_worker` each), a `LocalCluster` of `jobs` worker processes with one
  thread each (spaCy holds the GIL);
- otherwise, this process, one task after another.

A local worker uses one core: one thread, and one BLAS/OpenMP thread (Dask's nanny sets
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS to 1 before the worker starts, its
`distributed.nanny.pre-spawn-environ`; kept here explicitly), no statistical profiler
(Dask samples each worker's stack every 10 ms for its dashboard, which nobody reads here:
7-10% of a worker's CPU on this work), and glibc's own malloc trimming: the nanny's
MALLOC_TRIM_THRESHOLD_ (which also fixes the mmap threshold, so spaCy's and thinc's arrays
are mapped and unmapped again and again) is left out, ~10% less worker CPU (sys 0.8 -> 0.25 s
a worker over 60 articles, A/B twice).

A worker that dies mid-task does not lose it: the scheduler gives the task to another
worker (up to `distributed.scheduler.allowed-failures` times). Errors inside the function
are the function's to report (per_article returns them as outcomes); an exception that
escapes it, such as a missing spaCy model, is raised here and stops the run.
"""
from __future__ import annotations

import logging
from typing import Callable, Sequence

from pipeline.settings import Settings

LOCAL = "local"  # settings.scheduler: a local cluster even for one worker or a few tasks


def workers_for(settings: Settings, tasks: int) -> int:
    """How many local worker processes a run of `tasks` tasks gets (1: run in this process)."""
    if tasks < 2:
        return 1
    return max(1, min(settings.jobs, tasks // max(settings.min_tasks_per_worker, 1)))


def _local_cluster(workers: int):
    """A LocalCluster of `workers` processes, each of one thread, one BLAS thread, no profiler,
    glibc's malloc left as it is."""
    import dask
    from distributed import LocalCluster

    environ = {name: value for name, value in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if name != "MALLOC_TRIM_THRESHOLD_"}
    environ.update({name: 1 for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")})
    with dask.config.set({"distributed.worker.profile.enabled": False, "distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=logging.ERROR)


def run_tasks(function: Callable, tasks: Sequence, settings: Settings, on_done: Callable) -> str:
    """`function(task, settings)` for every task, `on_done(result)` as each finishes; returns
    where the work ran ("this process", "local cluster of N workers", or the scheduler)."""
    if not tasks:
        return "nothing to do"
    local = settings.scheduler == LOCAL
    workers = max(1, min(settings.jobs, len(tasks))) if local else workers_for(settings, len(tasks))
    if not settings.scheduler and workers == 1:
        for task in tasks:
            on_done(function(task, settings))
        return "this process"
    from distributed import Client, as_completed

    if settings.scheduler and not local:
        client, cluster, where = Client(settings.scheduler, timeout=30), None, settings.scheduler
    else:
        cluster = _local_cluster(workers)
        client, where = Client(cluster), f"local cluster of {workers} worker{'s' if workers > 1 else ''}"
    try:
        futures = client.map(function, list(tasks), settings=settings, pure=False)
        for future in as_completed(futures):
            on_done(future.result())
            future.release()  # the result is the caller's now; the cluster need not keep it
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return where
