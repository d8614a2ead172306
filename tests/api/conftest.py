"""Fixtures of the bad-input tests of the JSON API and the forms: a small unit tree, staff and an owner, a case in
review, an audit trail with events, and the three ways a caller reaches the API (no credentials, an API token, a
complete session)."""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from pytest_django import Settings

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import api_token_create
from regdesk.cases.models import Case
from regdesk.cases.services import case_start, case_transition, document_attach
from tests.accounts.helpers import login_fully, make_unit, make_user
from tests.cases import processes

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


class Identity(enum.StrEnum):
    ANONYMOUS = "anonymous"
    TOKEN = "token"
    SESSION = "session"


@dataclass
class Credentials:
    """What a request carries for one identity: headers and cookies."""

    headers: dict[str, str]
    cookies: dict[str, str]


@dataclass
class World:
    provider: OrgUnit
    branch: OrgUnit
    outlet: OrgUnit
    staff: User  # specialist in the branch, clerk at the outlet, compliance officer and auditor at the provider
    owner: User  # a website owner, no staff role
    waiting_case: Case  # submitted, with a running review clock and a document
    draft_case: Case


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Settings, tmp_path: Path) -> None:
    """Tasks run at once in the test's thread; documents go to a fresh directory; passwords hash fast."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@pytest.fixture
def world(db: None) -> World:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("branch-a", UnitKind.BRANCH, parent=provider)
    outlet = make_unit("outlet-a1", UnitKind.OUTLET, parent=branch)
    staff = make_user(
        "staff",
        (branch, Role.SPECIALIST),
        (outlet, Role.COUNTER_CLERK),
        (provider, Role.COMPLIANCE_OFFICER),
        (provider, Role.AUDITOR),
    )
    owner = make_user("owner", (provider, Role.WEBSITE_OWNER))
    waiting = case_start(actor=staff, process_key=processes.REVIEW.key, unit=outlet)
    document_attach(actor=staff, case=waiting, kind="form", filename="form.pdf", content=PDF_BYTES)
    waiting = case_transition(actor=staff, case=waiting, action="submit", role=Role.SPECIALIST)
    draft = case_start(actor=staff, process_key=processes.REVIEW.key, unit=outlet)
    return World(
        provider=provider,
        branch=branch,
        outlet=outlet,
        staff=staff,
        owner=owner,
        waiting_case=waiting,
        draft_case=draft,
    )


def session_credentials(user: User) -> Credentials:
    """A session past every login step, with a CSRF cookie and the matching header (unsafe methods need both)."""
    client = Client()
    login_fully(client, user)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret in the header
    return Credentials(
        headers={"X-CSRFToken": csrf},
        cookies={
            django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
    )


def credentials_for(identity: Identity, user: User) -> Credentials:
    if identity is Identity.TOKEN:
        _token, plain = api_token_create(actor=None, user=user, name="bad-input tests")
        return Credentials(headers={"Authorization": f"Bearer {plain}"}, cookies={})
    if identity is Identity.SESSION:
        return session_credentials(user)
    return Credentials(headers={}, cookies={})


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Let WSGI requests made in the test's thread run inside the test's transaction.

    Django's test client does the same: the real handler closes "old" connections at the start and the end of
    each request, which inside the test's transaction would mark it for rollback.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
