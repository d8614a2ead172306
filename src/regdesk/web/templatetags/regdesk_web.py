"""Template helpers of the web shell."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from regdesk.accounts.login_state import second_factor_satisfied
from regdesk.accounts.permissions import is_staff_user

register = template.Library()


@register.simple_tag
def desk_navigation_visible(request: HttpRequest) -> bool:
    """Staff whose login is complete see the desk navigation; nobody else does."""
    return second_factor_satisfied(request) and is_staff_user(request.user)


@register.simple_tag
def login_complete(request: HttpRequest) -> bool:
    """Whether the session passed every login step (the top bar shows the user only then)."""
    return second_factor_satisfied(request)
