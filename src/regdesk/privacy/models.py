"""Models of the personal-data vault."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regdesk.privacy import personal_data  # noqa: F401 - declares the dictionary keys used below
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField


class ContactPoint(models.Model):
    """A phone number or e-mail address of a user or of a case party, sealed by the vault.

    The case kernel and the owner portal send verification codes and notices to these. A contact point belongs to
    a user, or to a party of a case (``party_type`` and ``party_id`` name it, e.g. ``cases.party`` / ``42``).
    Look-ups by number or address go through the blind indexes (``privacy.selectors.contact_points_matching``).
    """

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone number")
        EMAIL = "email", _("e-mail address")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_points",
        verbose_name=_("user"),
    )
    party_type = models.CharField(_("party type"), max_length=100, blank=True)
    party_id = models.CharField(_("party"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    phone = EncryptedTextField(_("phone number"), personal_field="privacy.contact_phone", null=True)
    phone_index = BlindIndexField(_("phone number index"), source="phone")
    email = EncryptedTextField(_("e-mail address"), personal_field="privacy.contact_email", null=True)
    email_index = BlindIndexField(_("e-mail address index"), source="email")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="phone", phone__isnull=False, email__isnull=True)
                    | Q(kind="email", email__isnull=False, phone__isnull=True)
                ),
                name="contact_point_one_value_of_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | (~Q(party_type="") & ~Q(party_id="")),
                name="contact_point_has_an_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "phone_index"],
                condition=Q(user__isnull=False, phone_index__isnull=False),
                name="contact_point_unique_user_phone",
            ),
            models.UniqueConstraint(
                fields=["user", "email_index"],
                condition=Q(user__isnull=False, email_index__isnull=False),
                name="contact_point_unique_user_email",
            ),
        ]

    def __str__(self) -> str:
        # The value shows masked: PersonalValue's str() is its mask.
        return f"{self.get_kind_display()} {self.phone if self.kind == self.Kind.PHONE else self.email}"
