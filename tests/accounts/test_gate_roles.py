"""The gates of the layers below accounts/ (the audit trail, the vault) name roles by their stored values: each name
must be a role of accounts, or the gate would silently let nobody in."""

from __future__ import annotations

import pytest

from regdesk.accounts.roles import Role
from regdesk.audit.permissions import AUDIT_READER_ROLES
from regdesk.privacy.permissions import DICTIONARY_READER_ROLES, REVEAL_ROLES


@pytest.mark.parametrize(
    ("gate", "roles"),
    [
        ("audit trail readers", AUDIT_READER_ROLES),
        ("personal-data revealers", REVEAL_ROLES),
        ("data dictionary readers", DICTIONARY_READER_ROLES),
    ],
)
def test_every_role_a_gate_names_is_a_role_of_accounts(gate: str, roles: frozenset[str]) -> None:
    assert roles, gate
    assert roles <= set(Role.values), f"{gate}: {sorted(roles - set(Role.values))} are not roles"


def test_administrators_reveal_nothing_and_auditors_read_but_do_not_reveal() -> None:
    assert Role.ADMINISTRATOR.value not in REVEAL_ROLES
    assert Role.AUDITOR.value not in REVEAL_ROLES
    assert Role.AUDITOR.value in AUDIT_READER_ROLES
