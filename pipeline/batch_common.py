"""What both batch engines (batch.py's worker processes, batch_ray.py's Ray tasks) share: the
settings, the outcome of one document, the wrapper a document runs in (deadline, faults, the reply),
and the in-order release of outcomes with the progress bar.

Test-only fault injection: PERFAUDIT_TEST_FAULTS="crash:a.txt,hang:b.pdf,oom:c.docx,exit:d.html"
makes the worker that receives a file of that base name crash (SIGSEGV), sleep forever, allocate
until the memory limit, or exit with code 3 before reading it. It exists to test the isolation.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from .errors import InputError, one_line

DEFAULT_TIMEOUT = 300.0  # seconds per document; the slowest real reports take a few seconds
DEFAULT_MEMORY_GIB = 4.0  # address space a worker may add while reading one document
FAULTS_ENV = "PERFAUDIT_TEST_FAULTS"
FAULT_KINDS = ("crash", "hang", "oom", "exit")
ENGINES = ("local", "ray")
READ_SHARE = 0.6  # of a document's time, for reading pages; the rest for tables, rows, links and rules
POLL = 0.25  # seconds between progress refreshes and deadline checks


def default_workers() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class BatchSettings:
    workers: int | None = None  # None: all cores
    timeout: float = DEFAULT_TIMEOUT  # wall-clock seconds per document
    memory_gib: float = DEFAULT_MEMORY_GIB  # per worker, on top of what the loaded models take
    engine: str = "local"  # local: worker processes here; ray: Ray tasks (batch_ray.py)
    address: str | None = None  # the Ray cluster to join ('auto': the one on this machine); None starts one

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be at least 1, not {self.workers}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, not {self.timeout:g}")
        if self.memory_gib <= 0:
            raise ValueError(f"memory limit must be positive, not {self.memory_gib:g} GiB")


@dataclass(frozen=True)
class Outcome:
    """What became of one input: the task's value, or a one-line reason it failed."""

    index: int
    path: Path
    value: Any = None
    error: str | None = None
    detail: str | None = None  # the traceback of an internal error

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_faults(spec: str) -> dict[str, str]:
    """'crash:a.txt,hang:b.pdf' → {'a.txt': 'crash', 'b.pdf': 'hang'}; unknown kinds are refused."""
    faults = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        kind, _, name = item.partition(":")
        if kind not in FAULT_KINDS or not name:
            raise ValueError(f"{FAULTS_ENV}: expected KIND:BASENAME with KIND in {', '.join(FAULT_KINDS)}, got {item!r}")
        faults[name] = kind
    return faults


def inject_fault(kind: str | None) -> None:
    if kind == "crash":
        faulthandler.disable()  # no traceback dump from a test-made crash (pytest enables the handler)
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "hang":
        while True:
            time.sleep(3600)
    elif kind == "oom":
        hog = []
        while True:
            hog.append(bytearray(64 << 20))
    elif kind == "exit":
        os._exit(3)


def quiet_libraries() -> None:
    """Keep the warnings that pypdf, pdfminer, camelot and openpyxl log or warn about a damaged file
    off the user's terminal: what matters of them reaches the document's own warnings. --debug
    (PERFAUDIT_DEBUG=1) shows them."""
    if os.environ.get("PERFAUDIT_DEBUG"):
        return
    logging.getLogger().addHandler(logging.NullHandler())  # instead of logging's last-resort stderr handler
    for name in ("pypdf", "pdfminer", "camelot", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.simplefilter("ignore")


def _with_deadline(options: Any, deadline: float) -> Any:
    """The task's options with the time by which a reader should stop and return what it has read
    (long PDFs): a document that runs out of time keeps its first pages instead of losing them all."""
    if options is None or isinstance(options, dict):
        return {**(options or {}), "deadline": deadline}
    return options


def run_task(task: Callable, path: Path, options: Any, soft_deadline: float, fault: str | None) -> tuple[str, Any]:
    """One document, as a worker of either engine reads it: ("ok", value), ("oom", None), or
    ("failed", reason) with the traceback beside the reason for an internal error."""
    try:
        inject_fault(fault)
        return "ok", task(path, _with_deadline(options, soft_deadline))
    except MemoryError:
        return "oom", None
    except InputError as exc:
        return "failed", str(exc)
    except Exception as exc:  # a bug must not stop the batch; say what it was (the traceback for --debug)
        return "failed", (f"internal error: {type(exc).__name__}: {one_line(str(exc))}", traceback.format_exc())


def outcome_of(index: int, path: Path, status: str, value: Any, out_of_memory: str) -> Outcome:
    """A worker's reply (`run_task`) as the Outcome the runner yields."""
    if status == "ok":
        return Outcome(index, path, value=value)
    if status == "oom":
        return Outcome(index, path, error=out_of_memory)
    error, detail = value if isinstance(value, tuple) else (value, None)
    return Outcome(index, path, error=error, detail=detail)


class _Rate(ProgressColumn):
    """Files per second since the start."""

    def render(self, task) -> Text:
        elapsed = task.elapsed or 0.0
        return Text(f"{task.completed / elapsed:.1f} files/s" if elapsed > 0 else "– files/s")


def progress_bar(console: Console | None, total: int) -> Progress:
    """Files done/total, files/s, elapsed, ETA and failures so far. Refreshed by the runner's loop
    (auto_refresh off: no thread runs when workers are forked)."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
        TextColumn("failed: {task.fields[failed]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, auto_refresh=False, disable=console is None or total <= 1,
    )


class InputOrder:
    """Outcomes in the order documents finish → yielded in input order, the progress bar kept up to
    date (done, failed); `done` tells when every path has been yielded."""

    def __init__(self, console: Console | None, total: int, label: str):
        self.total, self.next, self.failed = total, 0, 0
        self.finished: dict[int, Outcome] = {}
        self.progress = progress_bar(console, total)
        self.bar = self.progress.add_task(label, total=total, failed=0)

    @property
    def done(self) -> bool:
        return self.next >= self.total

    def add(self, outcome: Outcome) -> None:
        self.finished[outcome.index] = outcome
        self.failed += not outcome.ok
        self.progress.update(self.bar, advance=1, failed=self.failed)

    def ready(self) -> Iterator[Outcome]:
        """The outcomes whose turn has come."""
        self.progress.refresh()
        while self.next in self.finished:
            yield self.finished.pop(self.next)
            self.next += 1
