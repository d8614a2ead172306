"""A claim to an owner already on file under another portal account (认领主办者).

An owner record is unique per certificate, so a person who applies with a certificate another account has already
used cannot start a filing. They ask to be made the owner's portal user instead; a registration specialist of the
owner's unit checks who they are and approves or rejects the request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OwnerClaimState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("owner claim", "waiting for the provider")
    APPROVED = "approved", pgettext_lazy("owner claim", "approved")
    REJECTED = "rejected", pgettext_lazy("owner claim", "rejected")


class OwnerClaim(models.Model):
    """One portal user's request to become the portal user of an owner, and the specialist's decision."""

    owner = models.ForeignKey("filings.Owner", on_delete=models.PROTECT, related_name="claims", verbose_name=_("owner"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="icp_owner_claims",
        verbose_name=_("requested by"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=OwnerClaimState.choices, default=OwnerClaimState.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("owner claim")
        verbose_name_plural = _("owner claims")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "requester"],
                condition=models.Q(state="pending"),
                name="filings_one_pending_claim_per_requester",
            )
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.state})"
