"""The configuration site (/admin/) with the desk's one login.

Django's admin brings its own login form, which would check the password alone: no second factor, no lockout, no
audit of failures. Here its login page sends to the desk's login (``accounts:login``) with ``next`` pointing back,
and the site admits only active staff sessions that have passed the second factor.

Installed through ``regdesk.accounts.admin_config.AdminSiteConfig`` in place of ``django.contrib.admin``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from regdesk.accounts.login_state import second_factor_satisfied


class DeskLoginAdminSite(AdminSite):
    """Django's admin site, logging in through the desk and requiring the second factor."""

    def has_permission(self, request: HttpRequest) -> bool:
        """Active staff (Django's staff flag) whose session has passed the TOTP step."""
        return bool(request.user.is_active and request.user.is_staff and second_factor_satisfied(request))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponseRedirect:
        """``/admin/login/``: to the desk's login, whatever the method, so no password is ever checked here."""
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("accounts:login"))
