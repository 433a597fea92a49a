"""Job kinds: what a worker can run, and the one interface a job reports progress through.

A kind is a function ``(job, progress) -> result`` registered with ``@job_kind``. It reads
its ``job.params`` (and ``job.input`` when the job came with a file), calls one service, and
returns a JSON-able result (counts, figures). It raises DomainError (ImportFailed for a file
with bad lines) for input it refuses. Its writes and the job's "done" commit together: a
failed, cancelled or killed job writes nothing.

``progress(done, total=None)`` says how far it is, in the kind's unit; each call may raise
JobCancelled when someone cancelled the job, so a service that reports progress is
cancellable at those points. Kinds that ``plan`` split a job into parts that several
workers run at once (each part runs the same function on its own params).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from annotator.models import Role

if TYPE_CHECKING:
    from annotator.models.job import Job


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


def no_progress(done: int, total: int | None = None) -> None:
    """For services called outside a job."""


class JobCancelled(Exception):
    """Someone cancelled the job; the runner rolls back whatever it wrote."""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    unit: str
    run: Callable[[Job, Progress], dict[str, Any]]
    role: str  # the least role that may start one
    plan: Callable[[Job], list[dict[str, Any]]] | None = None
    priority: int = 0  # the queue's: higher runs first


KINDS: dict[str, Kind] = {}


def job_kind(
    name: str,
    *,
    label: str,
    unit: str = "",
    role: str = Role.MANAGER,
    plan: Callable[[Job], list[dict[str, Any]]] | None = None,
    priority: int = 0,
) -> Callable[[Callable[[Job, Progress], dict[str, Any]]], Callable[[Job, Progress], Any]]:
    """Register a function as the job kind ``name`` (see the module's docstring)."""

    def register(run: Callable[[Job, Progress], dict[str, Any]]) -> Callable:
        if name in KINDS and KINDS[name].run is not run:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = Kind(name, label, unit, run, role, plan, priority)
        return run

    return register


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"unknown job kind {name!r}") from None
