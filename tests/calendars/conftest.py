"""Fixtures of the calendars tests: people with and without the administrator role, a clean calendar cache."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pytest_django import Settings

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.calendars.selectors import invalidate_working_calendar

STUB_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # The calendar is cached per process; every test starts from (and leaves) an empty cache.
    invalidate_working_calendar()
    yield
    invalidate_working_calendar()


@pytest.fixture
def desk_settings(settings: Settings) -> Settings:
    """The web app's base template and the login page, or stand-ins while those apps do not provide them."""
    try:
        get_template("web/base.html")
    except TemplateDoesNotExist:
        templates: list[dict[str, Any]] = copy.deepcopy(django_settings.TEMPLATES)
        templates[0]["DIRS"] = [*templates[0].get("DIRS", []), STUB_TEMPLATES]
        settings.TEMPLATES = templates
    try:
        reverse(django_settings.LOGIN_URL)
    except NoReverseMatch:
        settings.LOGIN_URL = "/accounts/login/"
    return settings


@pytest.fixture
def unit() -> OrgUnit:
    return OrgUnit.objects.create(code="hq", name="Head office", kind="provider")


def _member(username: str, unit: OrgUnit, role: str, *, active: bool = True) -> User:
    user = User.objects.create_user(username=username, password="unused-password-123")
    Membership.objects.create(user=user, unit=unit, role=role, active=active)
    return user


@pytest.fixture
def administrator(unit: OrgUnit) -> User:
    return _member("admin1", unit, "administrator")


@pytest.fixture
def specialist(unit: OrgUnit) -> User:
    return _member("specialist1", unit, "specialist")


@pytest.fixture
def former_administrator(unit: OrgUnit) -> User:
    return _member("admin0", unit, "administrator", active=False)


def login(client: Client, user: User) -> Client:
    """Log ``user`` in, with the second factor passed when the accounts app asks for one."""
    client.force_login(user)
    try:
        from regdesk.accounts.login_state import SECOND_FACTOR_KEY
    except ImportError:  # no second factor in this checkout
        return client
    session = client.session
    session[SECOND_FACTOR_KEY] = int(timezone.now().timestamp())
    session.save()
    return client
