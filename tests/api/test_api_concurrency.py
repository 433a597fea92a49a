"""Two clients PATCH the same claim with the same version at the same moment: one wins."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from django.db import connection

from annotator.api import claims as claim_api
from annotator.models import Claim
from tests.api.conftest import add_claim


@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_two_simultaneous_patches_wins(api, alice, document, monkeypatch):
    if connection.vendor == "sqlite":
        # The in-memory test database is shared-cache: a second writer gets "database table
        # is locked" at once instead of waiting (busy timeouts do not cover shared-cache
        # locks). A file database in WAL mode with BEGIN IMMEDIATE, as in production, queues.
        pytest.skip("needs a database server; SQLite's shared-cache test database refuses")
    claim = add_claim(alice, document)
    # The service module whose update_claim the API calls, and its row-locking read.
    service = sys.modules[claim_api.update_claim.__module__]
    locked = service._locked

    def slow_locked(*args, **kwargs):
        current = locked(*args, **kwargs)
        time.sleep(0.3)  # hold the row lock so that the other request surely overlaps
        return current

    monkeypatch.setattr(service, "_locked", slow_locked)
    clients = [api("alice"), api("alice")]
    start = threading.Barrier(2)
    results: dict[str, tuple[int, dict]] = {}

    def patch(note: str, client) -> None:
        try:
            start.wait()
            response = client.patch(
                f"/api/claims/{claim.pk}/", {"version": 1, "note": note}, format="json"
            )
            results[note] = (response.status_code, response.json())
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=patch, args=(n, c)) for n, c in zip("ab", clients, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(status for status, _ in results.values()) == [200, 409]
    winner = next(note for note, (status, _) in results.items() if status == 200)
    loser = next(body for status, body in results.values() if status == 409)
    assert loser["current"] == {**loser["current"], "note": winner, "version": 2}
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.note, claim.version) == (winner, 2)
    assert claim.history.count() == 2  # created, and the one change
