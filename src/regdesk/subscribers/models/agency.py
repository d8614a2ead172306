"""Supervision of agents (代理商): agency agreements and audits of the registrations made through their outlets.

The operator supervises its agents (MIIT Order No. 25 art. 14; DOMAIN.md §2): the agreement binds the agent to
the real-name duties and forbids sub-delegation, and compliance officers sample the agent's registrations and
record what they find. An agent that registers falsely loses its agency (``agent_status_set``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.subscribers.models.outlets import Agent


class AgencyAgreement(models.Model):
    """An agency agreement (代理协议) with its real-name duties, in force from ``valid_from`` to ``valid_until``.

    The signed document (a PDF) is sealed with the vault in the default storage, like case documents; the row keeps
    its storage name, size and SHA-256.
    """

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("agent"))
    reference = models.CharField(_("agreement number"), max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    signed_on = models.DateField(_("signed on"))
    duties_version = models.CharField(_("version of the real-name duties"), max_length=30)
    duties_text = models.TextField(_("real-name duties"))
    # DOMAIN.md §2: no sub-delegation. An agreement that allows it is refused by the service.
    forbids_sub_delegation = models.BooleanField(_("forbids sub-delegation"), default=True)
    document_storage_name = models.CharField(max_length=200, blank=True)
    document_size = models.PositiveIntegerField(_("document size"), null=True, blank=True)
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("agency agreement")
        verbose_name_plural = _("agency agreements")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "reference"], name="subscribers_agreement_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="subscribers_agreement_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.valid_from} – {self.valid_until})"


class AuditFinding(models.TextChoices):
    """What an audit found on one sampled registration."""

    CORRECT = "correct", _("correct")
    # The resident ID was typed by hand instead of read by the card reader (forbidden since 2016).
    TYPED_BY_HAND = "typed_by_hand", _("resident ID typed by hand")
    # The identity was not checked online, or the face was not compared with the ID photo.
    CHECK_MISSING = "check_missing", _("identity check or face match missing")
    # The person at the counter was not the holder and acted without the holder's authorisation.
    SOMEONE_ELSES_ID = "someone_elses_id", _("someone else's ID used")
    # The agent's or handler's ID, the letter of authorisation or the ID copy is missing.
    DOCUMENTS_MISSING = "documents_missing", _("documents missing")
    INCOMPLETE_DATA = "incomplete_data", _("registration data incomplete")
    # Cards opened in bulk under a few IDs, or card farming (养卡).
    BULK_OPENING = "bulk_opening", _("cards opened in bulk")
    OTHER = "other", _("other error")


class AgentAudit(models.Model):
    """A sample of ``sample_size`` registrations completed through the agent's outlets in a period.

    The sample is drawn with a pseudo-random generator seeded by ``seed`` over the registrations ordered by id, so
    anyone can check later that the sample was not picked by hand. ``population`` is how many there were to draw from.
    """

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="audits", verbose_name=_("agent"))
    period_from = models.DateField(_("registrations from"))
    period_to = models.DateField(_("registrations to"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    population = models.PositiveIntegerField(_("registrations in the period"))
    seed = models.CharField(max_length=32)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    errors_found = models.PositiveIntegerField(_("registrations with errors"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit of an agent")
        verbose_name_plural = _("audits of agents")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"audit #{self.pk} of agent {self.agent_id}"


class AgentAuditItem(models.Model):
    """One sampled registration and the finding on it.

    The registration is referred to by its case reference as well: when the retention purge removes the
    registration, the finding and the reference stay as evidence of the audit.
    """

    audit = models.ForeignKey(AgentAudit, on_delete=models.CASCADE, related_name="items")
    registration = models.ForeignKey(
        "subscribers.Registration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_reference = models.CharField(_("registration"), max_length=32)
    outlet = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"))
    finding = models.CharField(_("finding"), max_length=30, choices=AuditFinding.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audited registration")
        verbose_name_plural = _("audited registrations")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "case_reference"], name="subscribers_audit_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_reference}: {self.finding or '-'}"
