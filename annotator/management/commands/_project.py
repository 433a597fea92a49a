"""The project a command names, or the error every command gives for an unknown slug."""

from __future__ import annotations

from django.core.management.base import CommandError

from annotator.models import Project


def named_project(slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise CommandError(f"unknown project {slug!r}")
    return project
