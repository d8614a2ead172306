"""Template helpers of the web shell."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from regdesk.accounts.login_state import second_factor_satisfied
from regdesk.accounts.permissions import is_staff_user
from regdesk.web import labels
from regdesk.web.navigation import MenuLink
from regdesk.web.navigation import desk_menu as menu_links

register = template.Library()


@register.simple_tag
def desk_navigation_visible(request: HttpRequest) -> bool:
    """Staff whose login is complete see the desk navigation; nobody else does."""
    return second_factor_satisfied(request) and is_staff_user(request.user)


@register.simple_tag
def login_complete(request: HttpRequest) -> bool:
    """Whether the session passed every login step (the top bar shows the user only then)."""
    return second_factor_satisfied(request)


@register.simple_tag
def desk_menu(request: HttpRequest) -> list[MenuLink]:
    """The desk menu entries whose pages the user may open (``regdesk.web.navigation``)."""
    return menu_links(request)


@register.filter
def audit_action_label(action: str) -> str:
    """``{{ event.action|audit_action_label }}``: the action in words (``regdesk.web.labels``)."""
    return labels.audit_action_label(str(action))


@register.filter
def object_label(object_type: str) -> str:
    """``{{ event.object_type|object_label }}``: the kind of object in words."""
    return labels.object_label(str(object_type))


@register.filter
def role_label(role: str) -> str:
    """``{{ event.role|role_label }}``: the role in words."""
    return labels.role_label(str(role))


@register.filter
def purpose_label(purpose: str) -> str:
    """``{{ event.purpose|purpose_label }}``: a system purpose translated, a person's own as written."""
    return labels.purpose_label(str(purpose))


@register.filter
def case_state_label(case: Any) -> str:
    """``{{ case|case_state_label }}``: the state of a case in words."""
    return labels.state_label(str(getattr(case, "state", "") or ""))


@register.filter
def clock_label(clock: Any) -> str:
    """``{{ clock|clock_label }}``: a clock's label from its case's process definition."""
    case = clock.case
    return labels.clock_label(case.process_key, case.process_version, clock.name)
