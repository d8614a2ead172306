"""The configuration site (/admin/) for administrators by their role: what the README says it configures (units,
staff roles, on-site offices and slots, the calendar) opens and saves through the audited services; nothing that
carries history is deleted; no personal field shows; other staff are not admitted."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.models import AuditEvent
from tests.accounts.helpers import login_fully, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider() -> OrgUnit:
    return make_unit("provider", UnitKind.PROVIDER)


@pytest.fixture
def branch(provider: OrgUnit) -> OrgUnit:
    return make_unit("sc-branch", UnitKind.BRANCH, parent=provider)


@pytest.fixture
def administrator(provider: OrgUnit) -> User:
    # The role alone: no Django staff flag, no per-user model permission.
    user = make_user("admin", (provider, Role.ADMINISTRATOR))
    assert not user.is_staff
    assert not user.user_permissions.exists()
    return user


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    login_fully(client, administrator)
    return client


def _unit_form(unit: OrgUnit | None = None, **values: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "code": "cd-branch",
        "name": "成都分公司",
        "kind": UnitKind.BRANCH,
        "parent": "",
        "region_code": "510100",
        "served_regions": "510000",
        "address": "成都市高新区天府大道1号",
        "phone": "028-12345678",
        "active": "on",
    }
    if unit is not None:
        form.update(
            name=unit.name,
            parent=str(unit.parent_id or ""),
            region_code=unit.region_code,
            served_regions=unit.served_regions,
            address=unit.address,
            phone=unit.phone,
        )
    form.update(values)
    return {key: value for key, value in form.items() if value is not False}


def test_the_administrator_opens_every_model_the_index_lists_and_its_add_page(admin_client: Client) -> None:
    index = admin_client.get(reverse("admin:index"))
    assert index.status_code == 200
    shown = {model["object_name"]: model for app in index.context["app_list"] for model in app["models"]}
    configured = {
        "OrgUnit",
        "Membership",
        "OnsiteOffice",
        "OutletProfile",
        "CardReader",
        "ImportedYear",
        "CalendarAlert",
    }
    assert configured <= set(shown)
    # The calendar is imported on the desk: the index links that page.
    assert reverse("calendars:home") in index.content.decode()
    for name, model in shown.items():
        assert admin_client.get(model["admin_url"]).status_code == 200, name
        if model["add_url"]:
            assert admin_client.get(model["add_url"]).status_code == 200, name
    assert shown["OrgUnit"]["add_url"]
    assert shown["Membership"]["add_url"]
    assert shown["OnsiteOffice"]["add_url"]
    assert shown["OutletProfile"]["add_url"]
    assert shown["CardReader"]["add_url"]


def test_a_unit_is_added_and_changed_through_the_audited_services(
    admin_client: Client, administrator: User, provider: OrgUnit
) -> None:
    response = admin_client.post(reverse("admin:accounts_orgunit_add"), _unit_form(parent=str(provider.pk)))
    assert response.status_code == 302, response.content.decode()
    unit = OrgUnit.objects.get(code="cd-branch")
    assert (unit.parent, unit.served_regions, unit.address, unit.phone) == (
        provider,
        "510000",
        "成都市高新区天府大道1号",
        "028-12345678",
    )
    created = AuditEvent.objects.get(action="org_unit.create", object_id=str(unit.pk))
    assert created.actor_id == administrator.pk

    change_url = reverse("admin:accounts_orgunit_change", args=[unit.pk])
    response = admin_client.post(change_url, _unit_form(unit, name="成都分公司（高新）", phone="400-820-8820 转 2"))
    assert response.status_code == 302, response.content.decode()
    unit.refresh_from_db()
    assert (unit.name, unit.phone) == ("成都分公司（高新）", "400-820-8820 转 2")
    changed = AuditEvent.objects.get(action="org_unit.change", object_id=str(unit.pk))
    assert changed.actor_id == administrator.pk
    assert set(changed.changes) == {"name", "phone"}

    # Deactivating is the way a unit goes out of use.
    response = admin_client.post(change_url, _unit_form(unit, active=False))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert not unit.active


def test_a_refused_unit_change_names_the_field_and_changes_nothing(
    admin_client: Client, provider: OrgUnit, branch: OrgUnit
) -> None:
    outlet = make_unit("sc-hall", UnitKind.OUTLET, parent=branch)
    events = AuditEvent.objects.count()
    change_url = reverse("admin:accounts_orgunit_change", args=[branch.pk])
    cases: list[tuple[dict[str, Any], str]] = [
        ({"phone": "call us"}, "phone"),
        ({"served_regions": "510000 99"}, "served_regions"),
        ({"parent": str(outlet.pk)}, "parent"),
        ({"parent": ""}, "parent"),
        ({"active": False}, "active"),
    ]
    for values, field in cases:
        response = admin_client.post(change_url, _unit_form(branch, **values))
        assert response.status_code == 200, values
        assert field in response.context["adminform"].form.errors, values
    branch.refresh_from_db()
    assert (branch.parent, branch.phone, branch.active) == (provider, "", True)
    assert AuditEvent.objects.count() == events
    taken = admin_client.post(reverse("admin:accounts_orgunit_add"), _unit_form(code="sc-hall", parent=str(branch.pk)))
    assert "code" in taken.context["adminform"].form.errors
    assert OrgUnit.objects.filter(code="sc-hall").count() == 1


def test_nobody_deletes_a_unit_or_a_membership_through_the_site(admin_client: Client, branch: OrgUnit) -> None:
    staff = make_user("clerk", (branch, Role.COUNTER_CLERK))
    membership = Membership.objects.get(user=staff)
    for url in (
        reverse("admin:accounts_orgunit_delete", args=[branch.pk]),
        reverse("admin:accounts_membership_delete", args=[membership.pk]),
    ):
        assert admin_client.get(url).status_code == 403
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.post(
        reverse("admin:accounts_orgunit_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [branch.pk], "post": "yes"},
    )
    assert changelist.status_code in {200, 302}
    assert OrgUnit.objects.filter(pk=branch.pk).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_staff_role_is_granted_and_revoked_through_the_audited_services(
    admin_client: Client, administrator: User, branch: OrgUnit
) -> None:
    newcomer = make_user("newcomer")
    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {"username": "newcomer", "unit": str(branch.pk), "role": Role.SPECIALIST},
    )
    assert response.status_code == 302, response.content.decode()
    membership = Membership.objects.get(user=newcomer, unit=branch, role=Role.SPECIALIST, active=True)
    granted = AuditEvent.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert granted.actor_id == administrator.pk

    response = admin_client.post(reverse("admin:accounts_membership_change", args=[membership.pk]), {})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    revoked = AuditEvent.objects.get(action="membership.revoke", object_id=str(membership.pk))
    assert revoked.actor_id == administrator.pk


def test_the_membership_form_refuses_unknown_accounts_and_the_customer_role(
    admin_client: Client, branch: OrgUnit
) -> None:
    make_user("newcomer")
    add_url = reverse("admin:accounts_membership_add")
    unknown = admin_client.post(add_url, {"username": "nobody", "unit": str(branch.pk), "role": Role.SPECIALIST})
    assert "username" in unknown.context["adminform"].form.errors
    customer = admin_client.post(add_url, {"username": "newcomer", "unit": str(branch.pk), "role": Role.WEBSITE_OWNER})
    assert "role" in customer.context["adminform"].form.errors
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_no_personal_field_and_no_customer_shows_on_the_configuration_site(
    admin_client: Client, provider: OrgUnit, branch: OrgUnit
) -> None:
    make_user("owner-zhang", (provider, Role.WEBSITE_OWNER))
    clerk = make_user("clerk", (branch, Role.COUNTER_CLERK))
    User.objects.filter(pk=clerk.pk).update(display_name="李营业")
    page = admin_client.get(reverse("admin:accounts_membership_changelist")).content.decode()
    assert "clerk" in page
    assert "owner-zhang" not in page
    assert "李营业" not in page
    assert "@example.cn" not in page
    # Accounts themselves (passwords, e-mail addresses) are not on the site.
    assert not admin.site.is_registered(User)


def test_other_staff_get_no_configuration_site(client: Client, branch: OrgUnit) -> None:
    specialist = make_user("specialist", (branch, Role.SPECIALIST))
    specialist.is_staff = True  # even with Django's flag: the role decides
    specialist.save(update_fields=["is_staff"])
    login_fully(client, specialist)
    for url in (reverse("admin:index"), reverse("admin:accounts_orgunit_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_the_index_reads_in_chinese(admin_client: Client) -> None:
    body = admin_client.get(reverse("admin:index"), headers={"accept-language": "zh-hans"}).content.decode()
    for words in (
        "系统配置",
        "组织与人员",
        "组织单元",
        "成员资格",
        "当面核验点",
        "营业网点",
        "身份证阅读器",
        "导入节假日安排",
    ):
        assert words in body, words
    for english in ("Accounts", "Calendars", "Model name", "Configured on the desk"):
        assert english not in body, english
