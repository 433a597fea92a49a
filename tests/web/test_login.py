"""Logging in, and the brute-force guard: repeated failures lock the username and the client
address out for a while, with a clear message on the login page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT
WRONG = "Please enter a correct username and password."
LOCKED = (
    "Too many failed logins for this account or from your network: logging in is paused for "
    "15 minutes. An administrator can unlock it sooner."
)

pytestmark = pytest.mark.django_db


def log_in(username: str, password: str, address: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"username": username, "password": password})


def page_says(response, text: str) -> bool:
    return text in response.content.decode()


def test_the_right_password_logs_in(alice):
    response = log_in("alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("project-list")


def test_repeated_failures_lock_the_account_with_a_clear_message(alice):
    for _ in range(LIMIT - 1):
        response = log_in("alice", "guess")
        assert response.status_code == 200 and page_says(response, WRONG)
    response = log_in("alice", "guess")
    assert response.status_code == 429
    assert page_says(response, LOCKED)
    assert 'value="alice"' in response.content.decode()  # the form keeps the username
    # Now even the right password is refused, from anywhere.
    response = log_in("alice", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429 and page_says(response, LOCKED)


def test_a_locked_account_does_not_lock_other_users_elsewhere(alice, bob):
    for _ in range(LIMIT):
        log_in("alice", "guess")
    assert log_in("bob", PASSWORD, address="10.9.9.9").status_code == 302


def test_guessing_many_usernames_from_one_address_locks_that_address(alice, bob):
    for n in range(LIMIT):
        log_in(f"user{n}", "guess")
    response = log_in("bob", PASSWORD)
    assert response.status_code == 429 and page_says(response, LOCKED)
    assert log_in("bob", PASSWORD, address="10.9.9.9").status_code == 302


def test_the_lock_ends_after_the_cool_off(alice):
    for _ in range(LIMIT):
        log_in("alice", "guess")
    assert log_in("alice", PASSWORD).status_code == 429
    # Failures while locked do not extend the lock.
    assert AccessAttempt.objects.get().failures_since_start == LIMIT
    later = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=later)
    assert log_in("alice", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account(alice):
    from django.core.management import call_command

    for _ in range(LIMIT):
        log_in("alice", "guess")
    call_command("axes_reset_username", "alice")
    assert log_in("alice", PASSWORD).status_code == 302


def test_the_admin_login_is_guarded_too(alice):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(LIMIT):
        response = client.post(reverse("admin:login"), {"username": "alice", "password": "guess"})
    assert response.status_code == 429 and page_says(response, LOCKED)
