"""Fixtures of the case-kernel tests: the example process, a small unit tree, staff in their roles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_django import Settings

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.cases.models import Case
from regdesk.cases.services import case_start, document_attach
from tests.accounts.helpers import make_unit, make_user
from tests.cases import processes

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Settings, tmp_path: Path) -> None:
    """Tasks run at once in the test's thread; documents go to a fresh directory; passwords hash fast."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


@dataclass
class World:
    provider: OrgUnit
    branch: OrgUnit
    outlet: OrgUnit
    other_branch: OrgUnit
    specialist: User  # specialist in the branch
    compliance: User  # compliance officer at the provider (covers everything)
    other_clerk: User  # counter clerk in the other branch (cannot see the branch's cases)
    outsider: User  # no membership at all
    process_key: str = processes.REVIEW.key


@pytest.fixture
def world(db: None) -> World:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("branch-a", UnitKind.BRANCH, parent=provider)
    outlet = make_unit("outlet-a1", UnitKind.OUTLET, parent=branch)
    other_branch = make_unit("branch-b", UnitKind.BRANCH, parent=provider)
    return World(
        provider=provider,
        branch=branch,
        outlet=outlet,
        other_branch=other_branch,
        specialist=make_user("specialist", (branch, Role.SPECIALIST)),
        compliance=make_user("compliance", (provider, Role.COMPLIANCE_OFFICER)),
        other_clerk=make_user("clerk-b", (other_branch, Role.COUNTER_CLERK)),
        outsider=make_user("outsider"),
    )


def start_case(world: World, *, unit: OrgUnit | None = None) -> Case:
    return case_start(actor=world.specialist, process_key=processes.REVIEW.key, unit=unit or world.outlet)


def submitted_case(world: World) -> Case:
    """A case in ``waiting`` with its review clock running (started at the current, possibly frozen, time)."""
    from regdesk.cases.services import case_transition

    case = start_case(world)
    document_attach(actor=world.specialist, case=case, kind="form", filename="form.pdf", content=PDF_BYTES)
    return case_transition(actor=world.specialist, case=case, action="submit")
