"""The desk menu: each entry is shown only to a user whom the page's own gate lets in.

Every entry names the predicate the page itself applies before it answers, so the menu and the page cannot
disagree: a user never sees a link that answers 403 or 404. The filings desk is reached by name through
``import_module`` (as in ``regdesk.web.desk``): the owner portal of ``regdesk.filings`` builds on this shell's
views, and a static import back would make the two parts a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.accounts.models import User
from regdesk.accounts.permissions import is_staff_user
from regdesk.audit.permissions import can_read_audit_trail
from regdesk.calendars.permissions import can_manage_calendar
from regdesk.privacy.permissions import can_read_dictionary
from regdesk.subscribers.agents.permissions import agent_unit_ids
from regdesk.subscribers.campaigns.selectors import can_read as can_read_campaigns
from regdesk.subscribers.counter.selectors import is_supervisor
from regdesk.subscribers.inspection.permissions import READER_ROLES as INSPECTION_READER_ROLES
from regdesk.subscribers.permissions import outlets_for_counter, units_for_roles
from regdesk.subscribers.reports.permissions import report_unit_ids
from regdesk.web.desk import optional_selector

Gate = Callable[[User], bool]


def _may_use_filings_desk(user: User) -> bool:
    """The filings queue's gate (``regdesk.filings.desk.access.is_desk_user``)."""
    gate = optional_selector("regdesk.filings.desk.access", "is_desk_user")
    return bool(gate is not None and gate(user))


def _may_use_counter(user: User) -> bool:
    """The counter index's gate: an outlet to register at, or a review queue to decide."""
    return outlets_for_counter(user).exists() or is_supervisor(user)


def _may_read_rate_report(user: User) -> bool:
    """The rate report's gate (``require_report_reader``): a non-empty report scope."""
    return bool(report_unit_ids(user))


def _may_read_agents(user: User) -> bool:
    """The agent list's gate: agents in the user's scope."""
    return bool(agent_unit_ids(user))


def _may_read_inspections(user: User) -> bool:
    """The self-inspection list's gate: a compliance officer's or an auditor's unit."""
    return bool(units_for_roles(user, INSPECTION_READER_ROLES))


@dataclass(frozen=True)
class MenuEntry:
    """One link of the desk menu: its label, the URL it opens, and the gate of the page behind it."""

    label: str | Promise
    url_name: str
    gate: Gate

    def url(self) -> str:
        return reverse(self.url_name)


DESK_MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("Desk home"), "web:desk_home", is_staff_user),
    MenuEntry(_("ICP filings"), "filings_desk:queue", _may_use_filings_desk),
    MenuEntry(_("Audit trail"), "audit:event_list", can_read_audit_trail),
    MenuEntry(_("Calendar"), "calendars:home", can_manage_calendar),
    MenuEntry(_("Real-name registration"), "subscribers_counter:index", _may_use_counter),
    MenuEntry(_("Real-name rate"), "subscribers_reports:rate", _may_read_rate_report),
    MenuEntry(_("Remediation campaigns"), "subscribers_campaigns:campaign_list", can_read_campaigns),
    MenuEntry(pgettext_lazy("navigation", "Agents"), "subscribers_agents:list", _may_read_agents),
    MenuEntry(_("Self-inspection"), "subscribers_inspection:list", _may_read_inspections),
    MenuEntry(_("Privacy dictionary"), "privacy:dictionary", can_read_dictionary),
    MenuEntry(_("Organisation units"), "web:unit_list", is_staff_user),
)


@dataclass(frozen=True)
class MenuLink:
    """A menu entry as the template shows it."""

    label: str | Promise
    url: str
    current: bool


def desk_menu(request: HttpRequest) -> list[MenuLink]:
    """The entries of ``DESK_MENU`` whose page ``request.user`` may open, and the configuration site when the
    admin site admits the session; the entry whose address begins the current path is marked current."""
    user = request.user
    if not isinstance(user, User):
        return []
    links: list[MenuLink] = []
    for entry in DESK_MENU:
        if not entry.gate(user):
            continue
        url = entry.url()
        current = request.path == url if entry.url_name == "web:desk_home" else request.path.startswith(url)
        links.append(MenuLink(entry.label, url, current))
    if admin.site.has_permission(request):
        url = reverse("admin:index")
        links.append(MenuLink(_("Configuration"), url, request.path.startswith(url)))
    return links
