"""The configuration site (/admin/) with the desk's one login, open to administrators by their role.

Django's admin brings its own login form, which would check the password alone: no second factor, no lockout, no
audit of failures. Here its login page sends to the desk's login (``accounts:login``) with ``next`` pointing back,
and the site admits only active users holding the administrator role whose session has passed the second factor.

What an administrator configures here, every model admin grants by the same role (``ConfigurationAdmin``) rather
than by Django's per-user permissions: a new administrator needs a membership, nothing else. Nothing is deleted
through the site (units and offices carry history; they are made inactive), every save calls the app's service
(validated and audited, DESIGN rule 1), and no personal field is shown. Configuration that has a desk page of its
own (the calendar import) is linked from the index (``register_desk_page``).

Installed through ``regdesk.accounts.admin_config.AdminSiteConfig`` in place of ``django.contrib.admin``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.login_state import second_factor_satisfied
from regdesk.accounts.models import User
from regdesk.accounts.permissions import can_configure


def configures(request: HttpRequest) -> bool:
    """Whether the request comes from an administrator (by role) whose session has passed the second factor."""
    return bool(can_configure(request.user) and second_factor_satisfied(request))


@dataclass(frozen=True)
class DeskPage:
    """A configuration page of the desk, linked from the site's index for those its gate admits."""

    label: str | Promise
    url_name: str
    gate: Callable[[User], bool]


_DESK_PAGES: list[DeskPage] = []


def register_desk_page(label: str | Promise, url_name: str, gate: Callable[[User], bool]) -> None:
    """Link a desk page from the configuration site's index (called by an app's ``admin.py``; idempotent)."""
    page = DeskPage(label, url_name, gate)
    if page not in _DESK_PAGES:
        _DESK_PAGES.append(page)


class ConfigurationAdmin:
    """Mix-in for a ``ModelAdmin`` (or inline) of configuration: administrators view, add and change by their role;
    nobody deletes (what carries history is made inactive instead), and there are no bulk actions."""

    actions: Any = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return configures(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return configures(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return configures(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return configures(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyConfigurationAdmin(ConfigurationAdmin):
    """Configuration an administrator reads here and changes elsewhere (a desk page or a command)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeskLoginAdminSite(AdminSite):
    """Django's admin site, logging in through the desk, requiring the second factor and the administrator role."""

    site_title = _("regdesk configuration")
    site_header = _("regdesk configuration")
    index_title = _("Configuration")
    index_template = "accounts/admin/index.html"

    def has_permission(self, request: HttpRequest) -> bool:
        """Active administrators (by role) whose session has passed the TOTP step."""
        return configures(request)

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """The models the administrator configures here, and the desk pages that configure the rest."""
        user = request.user
        pages = [
            (page.label, reverse(page.url_name)) for page in _DESK_PAGES if isinstance(user, User) and page.gate(user)
        ]
        return super().index(request, {**(extra_context or {}), "desk_pages": pages})

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponseRedirect:
        """``/admin/login/``: to the desk's login, whatever the method, so no password is ever checked here."""
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("accounts:login"))
