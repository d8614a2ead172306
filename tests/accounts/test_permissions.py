"""The gates: roles through memberships (ancestor units included), staff detection, visible units, 404 alike."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.permissions import (
    get_object_for_user_or_404,
    has_role,
    is_staff_user,
    needs_second_factor,
    require_role,
    unit_visibility,
    units_visible_to,
)
from regdesk.accounts.roles import STAFF_ROLES, Role, UnitKind
from regdesk.accounts.services import membership_revoke
from tests.accounts.helpers import enrol_totp, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, OrgUnit]:
    provider = make_unit("provider", UnitKind.PROVIDER)
    beijing = make_unit("beijing", UnitKind.BRANCH, provider)
    shanghai = make_unit("shanghai", UnitKind.BRANCH, provider)
    return {
        "provider": provider,
        "beijing": beijing,
        "shanghai": shanghai,
        "haidian": make_unit("haidian", UnitKind.OUTLET, beijing),
        "chaoyang": make_unit("chaoyang", UnitKind.OUTLET, beijing),
        "pudong": make_unit("pudong", UnitKind.OUTLET, shanghai),
        "agent": make_unit("agent", UnitKind.AGENT, make_unit("pudong-agents", UnitKind.AGENT, shanghai)),
    }


def ancestors_or_self(unit: OrgUnit) -> set[int]:
    found: set[int] = set()
    current: OrgUnit | None = unit
    while current is not None:
        found.add(current.pk)
        current = current.parent
    return found


def test_a_membership_covers_its_unit_and_every_unit_below(tree: dict[str, OrgUnit]) -> None:
    members = {unit.code: make_user(f"member-{unit.code}", (unit, Role.SPECIALIST)) for unit in tree.values()}
    for member_unit, queried in itertools.product(tree.values(), repeat=2):
        expected = member_unit.pk in ancestors_or_self(queried)
        assert has_role(members[member_unit.code], Role.SPECIALIST, unit=queried) is expected, (
            member_unit.code,
            queried.code,
        )


def test_has_role_matches_roles_and_ignores_inactive_memberships(tree: dict[str, OrgUnit]) -> None:
    user = make_user("manager", (tree["beijing"], Role.SPECIALIST))
    assert has_role(user)
    assert has_role(user, Role.SPECIALIST, Role.AUDITOR)
    assert not has_role(user, Role.AUDITOR)
    assert has_role(user, Role.SPECIALIST, unit=tree["haidian"])
    assert not has_role(user, Role.SPECIALIST, unit=tree["pudong"])
    membership_revoke(actor=None, membership=Membership.objects.get(user=user))
    assert not has_role(user, Role.SPECIALIST)


def test_inactive_users_units_and_anonymous_hold_no_role(tree: dict[str, OrgUnit]) -> None:
    user = make_user("clerk", (tree["haidian"], Role.COUNTER_CLERK))
    assert has_role(user, Role.COUNTER_CLERK)
    OrgUnit.objects.filter(pk=tree["haidian"].pk).update(active=False)
    assert not has_role(user, Role.COUNTER_CLERK)
    OrgUnit.objects.filter(pk=tree["haidian"].pk).update(active=True)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    assert not has_role(user, Role.COUNTER_CLERK)
    assert not has_role(AnonymousUser(), Role.COUNTER_CLERK)
    assert not has_role(None)


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_every_staff_role_is_staff(tree: dict[str, OrgUnit], role: str) -> None:
    assert is_staff_user(make_user("staff", (tree["beijing"], role)))


def test_website_owners_are_not_staff_and_need_no_second_factor_until_they_enrol(tree: dict[str, OrgUnit]) -> None:
    owner = make_user("owner", (tree["provider"], Role.WEBSITE_OWNER))
    assert not is_staff_user(owner)
    assert not needs_second_factor(owner)
    enrol_totp(owner)
    assert needs_second_factor(owner)
    assert needs_second_factor(make_user("clerk", (tree["pudong"], Role.COUNTER_CLERK)))
    assert not needs_second_factor(AnonymousUser())


def test_require_role_raises_403_for_pages_and_404_for_objects(tree: dict[str, OrgUnit]) -> None:
    clerk = make_user("clerk", (tree["haidian"], Role.COUNTER_CLERK))
    require_role(clerk, Role.COUNTER_CLERK, unit=tree["haidian"])
    with pytest.raises(PermissionDenied):
        require_role(clerk, Role.COUNTER_CLERK, unit=tree["pudong"])
    with pytest.raises(Http404):
        require_role(clerk, Role.COUNTER_CLERK, unit=tree["pudong"], object_access=True)
    with pytest.raises(PermissionDenied):
        require_role(AnonymousUser(), Role.AUDITOR)


def test_units_visible_to_staff_are_their_units_and_below(tree: dict[str, OrgUnit]) -> None:
    manager = make_user("manager", (tree["beijing"], Role.SPECIALIST))
    assert {unit.code for unit in units_visible_to(manager)} == {"beijing", "haidian", "chaoyang"}
    auditor = make_user("auditor", (tree["provider"], Role.AUDITOR))
    assert units_visible_to(auditor).count() == OrgUnit.objects.count()
    owner = make_user("owner", (tree["provider"], Role.WEBSITE_OWNER))
    assert not units_visible_to(owner).exists()
    assert not units_visible_to(AnonymousUser()).exists()


def test_the_gate_answers_404_alike_for_missing_forbidden_and_malformed(tree: dict[str, OrgUnit]) -> None:
    manager = make_user("manager", (tree["beijing"], Role.SPECIALIST))
    queryset = OrgUnit.objects.all()
    assert get_object_for_user_or_404(queryset, manager, tree["haidian"].pk, visible=unit_visibility) == tree["haidian"]
    missing = OrgUnit.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    for key in (tree["pudong"].pk, missing, "not-a-number", None):
        with pytest.raises(Http404):
            get_object_for_user_or_404(queryset, manager, key, visible=unit_visibility)
    with pytest.raises(Http404):
        get_object_for_user_or_404(queryset, AnonymousUser(), tree["haidian"].pk, visible=lambda user: Q())


def test_administrators_hold_no_other_role_by_virtue_of_theirs(tree: dict[str, OrgUnit]) -> None:
    administrator = make_user("admin", (tree["provider"], Role.ADMINISTRATOR))
    assert is_staff_user(administrator)
    assert not has_role(administrator, Role.AUDITOR, Role.COMPLIANCE_OFFICER, Role.SPECIALIST)
