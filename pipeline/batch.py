"""The batch runner behind `extract`, `check` and `corpus build`: documents go to a small pool of
worker processes, one document at a time, and come back in input order.

Isolation: each worker runs under a memory limit (RLIMIT_AS), and each document under a wall-clock
limit. A document that crashes its worker (segfault, abort, os._exit), hangs past the limit or exhausts
the memory is recorded as failed with the reason, the worker is replaced, and the batch goes on.
(`concurrent.futures.ProcessPoolExecutor` is not used because one dead worker breaks the whole pool.)

Workers are forked from the parent after it has loaded the models once (`warm`), so a replacement
worker starts in milliseconds and the workers share the loaded pages. The parent forks only while
no other Python thread runs: the progress bar is refreshed by hand, not by rich's refresh thread.

Results are yielded in input order whatever the worker count, so outputs are byte-identical with 1 or
N workers. At most `window` finished documents wait for a slower one ahead of them.

With `BatchSettings(engine="ray")` the same contract (one Outcome per path, in input order; failures
as outcomes) is met by Ray tasks instead (batch_ray.py).

What both engines share (settings, outcomes, the task wrapper, in-order release, fault injection
for tests) is in batch_common.py.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from rich.console import Console

from .batch_common import (DEFAULT_MEMORY_GIB, DEFAULT_TIMEOUT, ENGINES, FAULTS_ENV, POLL, READ_SHARE, BatchSettings,
                           InputOrder, Outcome, default_workers, outcome_of, parse_faults, quiet_libraries, run_task)
from .errors import one_line

__all__ = ["DEFAULT_MEMORY_GIB", "DEFAULT_TIMEOUT", "ENGINES", "FAULTS_ENV", "BatchSettings", "Outcome", "run_batch",
           "warm_extraction"]

GIB = 1 << 30


# ---------------------------------------------------------------- the worker side


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (Linux), else 0."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _limit_memory(gib: float) -> None:
    """Cap the address space at what the worker maps now plus `gib`: a forked worker already maps
    the loaded models, which are not the document's doing."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return
    limit = _address_space() + int(gib * GIB)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the parent dies (kill -9 of the run leaves no orphans)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(conn: Connection, task: Callable, options: Any, memory_gib: float, faults: dict[str, str], parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    quiet_libraries()
    _die_with_parent(parent)
    _limit_memory(memory_gib)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path, soft_deadline = job
        reply = (index, *run_task(task, path, options, soft_deadline, faults.get(Path(path).name)))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((index, "oom", None))
        except Exception as exc:  # the value cannot be pickled
            conn.send((index, "failed", f"internal error: result not transferable: {type(exc).__name__}: {one_line(str(exc))}"))
        if reply[1] == "oom":
            return  # a worker that ran out of memory may be left in a bad state: start afresh


# ---------------------------------------------------------------- the parent side


class _Slot:
    """One worker process and the document it is reading."""

    def __init__(self, ctx, task: Callable, options: Any, settings: BatchSettings, faults: dict[str, str]):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, task, options, settings.memory_gib, faults, os.getpid()), daemon=True)
        self.proc.start()
        child.close()  # so that the parent sees EOF when the worker dies
        self.job: tuple[int, Path] | None = None
        self.deadline = 0.0

    def give(self, index: int, path: Path, timeout: float) -> bool:
        """Hand the worker a document; False if the worker is gone (it died while idle)."""
        now = time.monotonic()
        try:
            self.conn.send((index, path, now + READ_SHARE * timeout))
        except OSError:
            return False
        self.job = (index, path)
        self.deadline = now + timeout
        return True

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(timeout=None if kill else 5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "unknown"
        hint = ": the system may have run out of memory" if sig == signal.SIGKILL else ""
        return f"worker crashed (signal {sig}, {name}{hint})"
    return f"worker exited with code {exitcode}"


def _context():
    """fork where it is safe (Linux), so that workers inherit the loaded models; spawn elsewhere."""
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def run_batch(
    paths: Sequence[Path], task: Callable[[Path, Any], Any], options: Any = None, settings: BatchSettings | None = None,
    *, warm: Callable[[], None] | None = None, console: Console | None = None, label: str = "processing",
) -> Iterator[Outcome]:
    """Run `task(path, options)` on every path in worker processes; yield one Outcome per path, in
    input order. `task` must be a module-level function; its value is pickled back to the parent.
    `warm()` runs once in the parent before the workers are forked (model loading)."""
    settings = settings or BatchSettings()
    if not paths:
        return
    faults = parse_faults(os.environ.get(FAULTS_ENV, ""))
    if settings.engine == "ray":
        from .batch_ray import run_ray_batch

        yield from run_ray_batch(paths, task, options, settings, faults, console=console, label=label)
        return
    ctx = _context()
    n_workers = min(settings.workers or default_workers(), len(paths))
    # warm up only when a worker reads more than one document: otherwise each loads, on first use,
    # only what its document needs (a target table needs no reason model), as fast as the parent would
    if warm is not None and ctx.get_start_method() == "fork" and len(paths) > n_workers:
        warm()
        # the loaded models move to the permanent generation: the workers' collector never scans them,
        # so their pages stay shared instead of being copied into every worker
        gc.freeze()
    window = max(32, 8 * n_workers)
    todo = deque(enumerate(paths))
    slots = [_Slot(ctx, task, options, settings, faults) for _ in range(n_workers)]
    order = InputOrder(console, len(paths), label)
    try:
        with order.progress:
            while not order.done:
                for slot in slots:
                    if slot.job is None and todo and todo[0][0] < order.next + window and slot.give(*todo[0], settings.timeout):
                        todo.popleft()
                busy = [s for s in slots if s.job is not None]
                deadline = min((s.deadline for s in busy), default=time.monotonic() + POLL)
                wait([s.conn for s in busy] + [s.proc.sentinel for s in slots], max(0.0, min(POLL, deadline - time.monotonic())))
                for i, slot in enumerate(slots):
                    outcome, replace = _collect(slot, settings)
                    if replace:
                        slot.stop(kill=True)
                        slots[i] = _Slot(ctx, task, options, settings, faults)
                    if outcome is not None:
                        order.add(outcome)
                yield from order.ready()
    finally:
        for slot in slots:
            slot.stop(kill=slot.job is not None)


def _collect(slot: _Slot, settings: BatchSettings) -> tuple[Outcome | None, bool]:
    """The slot's finished document, if any, and whether its worker must be replaced."""
    if slot.job is None:
        return None, not slot.proc.is_alive()  # an idle worker that died (killed from outside)
    index, path = slot.job
    if slot.conn.poll():
        try:
            _, status, value = slot.conn.recv()
        except (EOFError, OSError):
            status = "died"
        if status != "died":
            slot.job = None
            return outcome_of(index, path, status, value, f"out of memory (limit {settings.memory_gib:g} GiB)"), status == "oom"
    if not slot.proc.is_alive():
        slot.proc.join()
        slot.job = None
        return Outcome(index, path, error=_death_reason(slot.proc.exitcode)), True
    if time.monotonic() >= slot.deadline:
        slot.job = None
        return Outcome(index, path, error=f"timed out after {settings.timeout:g} s"), True
    return None, False


def warm_extraction(options: dict | None = None) -> None:
    """Load what `extract_file` loads on first use (tokenizer, catalog, reason model), so that
    forked workers start with it and a document's time limit does not pay for it."""
    options = options or {}
    if options.get("link", True):
        from .link import default_linker
        from .segment import nlp

        nlp()
        default_linker()
    if options.get("reasons", True):
        from .reasons import default_model

        try:
            default_model()
        except FileNotFoundError:  # no trained model: extract_file reports it per document
            pass
