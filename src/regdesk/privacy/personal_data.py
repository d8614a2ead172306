"""The personal-data fields of the privacy app itself, declared in the data dictionary."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from regdesk.privacy.dictionary import Category, PersonalField, Retention, register

CONTACT_PHONE = register(
    PersonalField(
        key="privacy.contact_phone",
        category=Category.PHONE,
        label=_("contact phone number"),
        purpose=_("Verification codes and notices about the person's applications and lines"),
        legal_basis=_("Necessary to perform the contract with the person (PIPL art. 13(2))"),
        retention=Retention(
            _("While the account or case party exists; deleted with it"), setting="REGDESK_RETENTION_CONTACT_DAYS"
        ),
    )
)

CONTACT_EMAIL = register(
    PersonalField(
        key="privacy.contact_email",
        category=Category.EMAIL,
        label=_("contact e-mail address"),
        purpose=_("Notices and documents about the person's applications"),
        legal_basis=_("Necessary to perform the contract with the person (PIPL art. 13(2))"),
        retention=Retention(
            _("While the account or case party exists; deleted with it"), setting="REGDESK_RETENTION_CONTACT_DAYS"
        ),
    )
)
