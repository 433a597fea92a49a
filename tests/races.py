"""Real concurrency for race tests: calls started together, each in its own thread with its
own database connection, against a database server (see the ``concurrency`` marker)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

ROUNDS = 10


def together(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Start the calls at the same moment; their results (or the exceptions they raised), in
    order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[index] = call()
        except BaseException as exc:  # the test reports it, whatever it was
            results[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a concurrent call did not finish"
    return results


def statuses(responses: list[Any]) -> list[int | str]:
    """Status codes, or the exception's name for a call that raised."""
    return [getattr(r, "status_code", type(r).__name__) for r in responses]
