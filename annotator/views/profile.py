"""The user's profile: their API token, to see and to regenerate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from rest_framework.authtoken.models import Token


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            Token.objects.create(user=request.user)
        messages.success(request, "A new API token was made; the old one no longer works.")
        return redirect("profile")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "annotator/profile.html", {"token": token})
