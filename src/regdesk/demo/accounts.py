"""Demo organisation (the provider, a branch, a hall, an agent) and one account for each role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from regdesk.accounts import services, totp
from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import STAFF_ROLES, Role, UnitKind
from regdesk.demo import credentials


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None
    region_code: str
    # The regions whose website owners the unit serves (new ICP filings go there).
    served_regions: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    email: str
    role: str
    unit: str


UNITS = [
    DemoUnit("provider", "华信云网络科技有限公司（演示）", UnitKind.PROVIDER, None, "110000"),
    DemoUnit("bj-branch", "北京分公司", UnitKind.BRANCH, "provider", "110000", served_regions="110000"),
    DemoUnit("bj-chaoyang-hall", "朝阳大悦城营业厅", UnitKind.OUTLET, "bj-branch", "110105"),
    DemoUnit("agent-xinda", "信达通讯（代理商）", UnitKind.AGENT, "bj-branch", "110108"),
]

USERS = [
    DemoUser("specialist", "王备案", "specialist@provider.example.cn", Role.SPECIALIST, "bj-branch"),
    DemoUser("clerk", "李营业", "clerk@provider.example.cn", Role.COUNTER_CLERK, "bj-chaoyang-hall"),
    DemoUser("agent", "陈代理", "agent@xinda.example.cn", Role.AGENT, "agent-xinda"),
    DemoUser("compliance", "赵合规", "compliance@provider.example.cn", Role.COMPLIANCE_OFFICER, "provider"),
    DemoUser("auditor", "孙审计", "auditor@provider.example.cn", Role.AUDITOR, "provider"),
    DemoUser("admin", "周管理", "admin@provider.example.cn", Role.ADMINISTRATOR, "provider"),
    DemoUser("owner", "刘主办", "owner@example.com", Role.WEBSITE_OWNER, "provider"),
]


def load() -> dict[str, int]:
    logins = credentials.load()
    units: dict[str, OrgUnit] = {}
    created_units = created_users = 0
    for demo_unit in UNITS:
        unit = OrgUnit.objects.filter(code=demo_unit.code).first()
        if unit is None:
            unit = services.org_unit_create(
                actor=None,
                code=demo_unit.code,
                name=demo_unit.name,
                kind=demo_unit.kind,
                parent=units[demo_unit.parent] if demo_unit.parent else None,
                region_code=demo_unit.region_code,
            )
            created_units += 1
        if demo_unit.served_regions and not unit.served_regions:
            unit = services.org_unit_served_regions_set(actor=None, unit=unit, served_regions=demo_unit.served_regions)
        units[demo_unit.code] = unit

    for demo_user in USERS:
        user = User.objects.filter(username=demo_user.username).first()
        if user is not None and demo_user.username in logins:
            continue
        password = credentials.new_password()
        if user is None:
            user = services.user_create(
                actor=None,
                username=demo_user.username,
                password=password,
                email=demo_user.email,
                display_name=demo_user.display_name,
            )
            created_users += 1
        else:
            services.user_set_password(actor=None, user=user, password=password)
        services.membership_grant(actor=None, user=user, unit=units[demo_user.unit], role=demo_user.role)
        secret: str | None = None
        if demo_user.role in STAFF_ROLES:
            services.totp_device_reset(actor=None, user=user)
            enrolment = services.totp_enrol_start(actor=None, user=user)
            # Confirm with the code of the previous time step, so that the current one stays free for a login.
            moment = timezone.now() - timedelta(seconds=30)
            services.totp_enrol_confirm(
                actor=None, user=user, code=totp.code_at(enrolment.secret, moment), moment=moment
            )
            secret = enrolment.secret
        if demo_user.role == Role.ADMINISTRATOR:
            services.user_grant_admin_site(actor=None, user=user)
        logins[demo_user.username] = {
            "username": demo_user.username,
            "password": password,
            "role": demo_user.role,
            "totp_secret": secret,
        }
        credentials.save(logins)
    return {"units_created": created_units, "users_created": created_users}
