"""Token authentication that stops a client guessing tokens.

Each wrong token counts against the client's address (the ``failed_token`` throttle rate,
DRF's throttle cache); past the limit, token requests from that address are refused with
429 before any token is checked, so a lucky guess is refused too. Logins in the browser are
guarded by django-axes (see settings).
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts wrong tokens per client address; only failures are counted."""

    scope = "failed_token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def blocked(self, request: Request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record_failure(self) -> None:
        self.throttle_success()  # DRF's name for "add this moment to the history"


class GuardedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        throttle = FailedTokenThrottle()
        if throttle.blocked(request):
            wait = throttle.wait()
            raise Throttled(
                wait,
                detail="Too many invalid tokens from your address.",
            )
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure()
            raise
