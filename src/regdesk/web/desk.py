"""The sections of the desk home page, read from the apps that own them.

The case kernel (``regdesk.cases.selectors``), the calendar (``regdesk.calendars.selectors``) and the filings
(``regdesk.filings.selectors``) are imported lazily: while an app does not provide its selector yet, its section
is simply empty and the page says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from regdesk.accounts.models import User
from regdesk.accounts.permissions import has_role
from regdesk.accounts.roles import Role

logger = logging.getLogger(__name__)


def optional_selector(module_name: str, function_name: str) -> Callable[..., Any] | None:
    """``module.function`` when the owning app provides it, else ``None``."""
    try:
        module = import_module(module_name)
    except ImportError:
        logger.debug("selector module %s is not available yet", module_name)
        return None
    function = getattr(module, function_name, None)
    return function if callable(function) else None


def _call_list(module_name: str, function_name: str, *args: Any, **kwargs: Any) -> list[Any]:
    function = optional_selector(module_name, function_name)
    if function is None:
        return []
    return list(function(*args, **kwargs))


@dataclass
class HomeSections:
    """What the desk home shows: the user's cases, the clocks closest to breach, and (administrators) alerts."""

    my_cases: list[Any] = field(default_factory=list)
    clocks: list[Any] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)
    shows_alerts: bool = False


def home_sections(user: User) -> HomeSections:
    """Collect the desk home sections for ``user``."""
    shows_alerts = has_role(user, Role.ADMINISTRATOR)
    return HomeSections(
        my_cases=_call_list("regdesk.cases.selectors", "cases_assigned_to", user, limit=20),
        clocks=_call_list("regdesk.cases.selectors", "clocks_closest_to_breach", user, limit=10),
        alerts=_call_list("regdesk.calendars.selectors", "open_alerts") if shows_alerts else [],
        shows_alerts=shows_alerts,
    )


def owner_filings(user: User) -> list[Any]:
    """The owner's ICP filings, from ``regdesk.filings.selectors.filings_of_owner`` once that exists."""
    return _call_list("regdesk.filings.selectors", "filings_of_owner", user)
