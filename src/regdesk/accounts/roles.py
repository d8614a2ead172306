"""Roles carried by memberships of organisation units, and the kinds of unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WEBSITE_OWNER = "website_owner", _("website owner")
    SPECIALIST = "specialist", _("registration specialist")
    COUNTER_CLERK = "counter_clerk", _("counter clerk")
    AGENT = "agent", _("agent")
    COMPLIANCE_OFFICER = "compliance_officer", _("compliance officer")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")


# Every role but the customer's: these people log in to the desk and need a second factor.
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
    PROVIDER = "provider", _("provider")
    BRANCH = "branch", _("branch")
    OUTLET = "outlet", _("outlet")
    AGENT = "agent", _("agent")
