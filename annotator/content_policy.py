"""The views that may use inline style attributes under our Content-Security-Policy.

The policy itself is in settings (``CONTENT_SECURITY_POLICY``, served by django-csp): only our
own scripts and styles, never inline ones. Article text, titles, notes and entity names are
untrusted; even if markup slipped through, the browser would refuse to run it.

Django's admin and Swagger UI set inline style attributes; styles cannot run code, so those
pages (staff tools and API docs) may use them. Scripts stay 'self' everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

INLINE_STYLES = {"style-src": [UNSAFE_INLINE]}


def inline_styles(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let ``view`` use inline styles, in the enforced and in the report-only policy alike
    (whichever of the two settings turns on)."""
    return csp_update(INLINE_STYLES)(csp_update(INLINE_STYLES, REPORT_ONLY=True)(view))


class StaffAdminSite(admin.AdminSite):
    """Django's admin with inline styles allowed on each of its pages."""

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        # Every admin page but the login form goes through here (ModelAdmin's ones too).
        return inline_styles(super().admin_view(view, cacheable))

    login = inline_styles(admin.AdminSite.login)


class StaffAdminConfig(AdminConfig):
    default_site = "annotator.content_policy.StaffAdminSite"
