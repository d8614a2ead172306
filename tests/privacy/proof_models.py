"""A test-only model with ID numbers and phone numbers, kept out of the project's app registry.

It lives in its own ``Apps`` registry, so ``regdesk vault`` and migrations never see it; tests create its table
with the schema editor when they need it.
"""

from __future__ import annotations

from typing import ClassVar

from django.apps.registry import Apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.dictionary import Category, PersonalField, Retention, register
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField

# Every key this module declares starts so: pages walked by other tests show the product's dictionary only.
PROOF_KEY_PREFIX = "proof."

register(
    PersonalField(
        key="proof.id_number",
        category=Category.ID_NUMBER,
        purpose=_("Tests"),
        legal_basis=_("Tests"),
        retention=Retention(_("Tests")),
    )
)
register(
    PersonalField(
        key="proof.phone",
        category=Category.PHONE,
        purpose=_("Tests"),
        legal_basis=_("Tests"),
        retention=Retention(_("Tests")),
    )
)
register(
    PersonalField(
        key="proof.name",
        category=Category.NAME,
        purpose=_("Tests"),
        legal_basis=_("Tests"),
        retention=Retention(_("Tests")),
    )
)

proof_apps = Apps([])


class ProofRecord(models.Model):
    name = EncryptedTextField(personal_field="proof.name", null=True)
    id_number = EncryptedTextField(personal_field="proof.id_number", null=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedTextField(personal_field="proof.phone", null=True)
    phone_index = BlindIndexField(source="phone")
    note = models.CharField(max_length=200, blank=True)

    # Declared because django-stubs' plugin does not see models outside the project's registry.
    objects: ClassVar[models.Manager[ProofRecord]] = models.Manager()

    class Meta:
        app_label = "privacy_proof"
        apps = proof_apps
        db_table = "privacy_proof_record"

    def __str__(self) -> str:
        return f"record {self.pk}"
