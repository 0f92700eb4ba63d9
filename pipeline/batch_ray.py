"""The Ray engine of the batch runner: each document is a Ray task on a Ray cluster (one started here
for the run, or an existing one joined by address), and the driver, this process, gets the values
back and yields them in input order, so that every output, the DuckDB corpus included, is written
by the driver alone and is byte-identical to the local engine's.

What stays as in the local engine: one document per task; at most one task per worker CPU in flight,
so a task's wall-clock limit counts from about when it starts; a task that crashes its worker, times
out (it is cancelled, which kills its worker) or runs out of memory is recorded as failed with the
reason, and the batch goes on. Ray reuses its worker processes, so the models a worker loads on first
use stay loaded for its next documents. What differs: Ray's own memory monitor, not an address-space
limit, stops a task that runs the node out of memory. Inputs are read by the workers at the path the
driver was given: on a cluster they must sit on a file system every node mounts at the same place.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from rich.console import Console

from .batch_common import POLL, READ_SHARE, BatchSettings, InputOrder, Outcome, outcome_of, quiet_libraries, run_task
from .errors import InputError, one_line

RAY_MISSING = "the Ray engine needs ray: pip install 'perfaudit[ray]'"


def _run_document(task: Callable, path: str, options: Any, timeout: float, fault: str | None) -> tuple[str, Any]:
    """The Ray task: the local worker's body for one document (its clock, not the driver's, sets the
    reader's soft deadline)."""
    quiet_libraries()
    return run_task(task, Path(path), options, time.monotonic() + READ_SHARE * timeout, fault)


def connect(address: str | None, workers: int | None) -> bool:
    """Join the Ray cluster at `address` ('auto': the one `ray start` runs on this machine), or start a
    local one with `workers` CPUs; True when this call started or joined it (and so should leave it)."""
    try:
        import ray
    except ImportError:
        raise InputError(RAY_MISSING) from None
    if ray.is_initialized():
        return False
    if address not in (None, "auto", "local") and not address.startswith("ray://"):
        _reachable(address)  # Ray itself retries an unanswered address for minutes
    try:
        ray.init(address=address, num_cpus=workers if address is None else None, include_dashboard=False,
                 log_to_driver=False, logging_level=logging.ERROR)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise InputError(f"cannot reach the Ray cluster at {address or 'a new local instance'}: {one_line(str(exc))}") from None
    return True


def _reachable(address: str, wait: float = 5.0) -> None:
    """A one-line error, in seconds, when nothing answers at the cluster's host:port."""
    import socket

    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=wait):
            return
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot reach the Ray cluster at {address}: {getattr(exc, 'strerror', None) or exc}") from None


def _failure(exc: Exception, settings: BatchSettings) -> tuple[str, str | None]:
    """A Ray error as the local engine's one-line reason (and a traceback where there is one)."""
    import ray.exceptions as rex

    if isinstance(exc, rex.OutOfMemoryError):
        return "out of memory (Ray's memory monitor stopped the task)", None
    if isinstance(exc, (rex.WorkerCrashedError, rex.NodeDiedError, rex.LocalRayletDiedError)):
        return "worker crashed (the Ray worker process died)", None
    if isinstance(exc, rex.TaskCancelledError):
        return f"timed out after {settings.timeout:g} s", None
    return f"internal error: {type(exc).__name__}: {one_line(str(exc))}", traceback.format_exc()


def run_ray_batch(
    paths: Sequence[Path], task: Callable[[Path, Any], Any], options: Any, settings: BatchSettings,
    faults: dict[str, str], *, console: Console | None = None, label: str = "processing",
) -> Iterator[Outcome]:
    """`run_batch` on Ray: one Outcome per path, in input order."""
    started_here = connect(settings.address, settings.workers)
    import ray

    running: dict[Any, tuple[int, Path, float]] = {}  # task ref → (index, path, deadline)
    try:
        remote = ray.remote(max_retries=0, num_cpus=1)(_run_document)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        in_flight = max(1, min(settings.workers or cpus, cpus, len(paths)))
        todo = deque(enumerate(paths))
        order = InputOrder(console, len(paths), label)
        with order.progress:
            while not order.done:
                while todo and len(running) < in_flight:
                    index, path = todo.popleft()
                    ref = remote.remote(task, str(path), options, settings.timeout, faults.get(Path(path).name))
                    running[ref] = (index, path, time.monotonic() + settings.timeout)
                done, _ = ray.wait(list(running), num_returns=1, timeout=POLL)
                for ref in done:
                    order.add(_outcome(ref, *running.pop(ref)[:2], settings))
                now = time.monotonic()
                for ref in [r for r, (_, _, deadline) in running.items() if now >= deadline]:
                    index, path, _ = running.pop(ref)
                    ray.cancel(ref, force=True)  # kills the worker; Ray starts another
                    order.add(Outcome(index, path, error=f"timed out after {settings.timeout:g} s"))
                yield from order.ready()
    finally:
        for ref in running:  # an interrupted run leaves nothing running on the cluster
            ray.cancel(ref, force=True)
        if started_here:
            ray.shutdown()


def _outcome(ref, index: int, path: Path, settings: BatchSettings) -> Outcome:
    import ray

    try:
        status, value = ray.get(ref)
    except Exception as exc:  # the task did not return: its worker died, or Ray stopped it
        error, detail = _failure(exc, settings)
        return Outcome(index, path, error=error, detail=detail)
    return outcome_of(index, path, status, value, "out of memory")
