"""A strict Content-Security-Policy: only our own scripts and styles, never inline ones.

Article text, titles, notes and entity names are untrusted; even if markup slipped through,
the browser would refuse to run it.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Django's admin and Swagger UI set inline style attributes; styles cannot run code, so
# those pages (staff tools and API docs) may use them. Scripts stay 'self' everywhere.
RELAXED = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
RELAXED_PREFIXES = ("/admin/", "/api/docs/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = RELAXED if request.path.startswith(RELAXED_PREFIXES) else POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
