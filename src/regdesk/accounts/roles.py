"""Roles carried by memberships of organisation units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WEBSITE_OWNER = "website_owner", _("网站主办者")
    SPECIALIST = "specialist", _("备案专员")
    COUNTER_CLERK = "counter_clerk", _("营业员")
    AGENT = "agent", _("代理商")
    COMPLIANCE_OFFICER = "compliance_officer", _("合规专员")
    AUDITOR = "auditor", _("审计员")
    ADMINISTRATOR = "administrator", _("系统管理员")


STAFF_ROLES = frozenset(
    {
        Role.SPECIALIST,
        Role.COUNTER_CLERK,
        Role.AGENT,
        Role.COMPLIANCE_OFFICER,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)


class UnitKind(models.TextChoices):
    PROVIDER = "provider", _("运营主体")
    BRANCH = "branch", _("分公司")
    OUTLET = "outlet", _("营业厅")
    AGENT = "agent", _("代理商")
