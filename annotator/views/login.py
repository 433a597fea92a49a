"""What django-axes needs from us: the client's address, and the page a locked-out login
gets (the login page, saying why and for how long, with 429 Too Many Requests)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """The same address the API's throttles count (NUM_PROXIES decides on X-Forwarded-For)."""
    return BaseThrottle().get_ident(request)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Too many failed logins for this account or from your network: logging in is "
        f"paused for {minutes} minutes. An administrator can unlock it sooner."
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next")}
    return render(request, "registration/login.html", context, status=429)
