"""The personal-data fields of real-name registration (电话用户真实身份信息登记), declared in the data dictionary.

Imported first by ``models``. The law requires the provider to record the document type, name, number and address
of every line's subscriber, and of the agent or handler who acted for them (MIIT Order No. 25 art. 9); the card
reader's data (photo included) is what proves that a resident ID card was read and not typed.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.dictionary import Category, PersonalField, Retention, register

PURPOSE = _("Real-name registration of phone and data lines and verification of the subscriber's identity")
LEGAL_BASIS = _(
    "Legal duty: real-name registration of telephone users (MIIT Order No. 25; Anti-Terrorism Law art. 21; "
    "Anti-Telecom-Network-Fraud Law arts. 9-12)"
)
# DOMAIN.md §2: registration data is kept for the service period and two years after it ends.
REGISTRATION_RETENTION = Retention(
    _("While the line is in service, and two years after the service ends"),
    days=730,
    setting="REGDESK_RETENTION_LINE_REGISTRATION_DAYS",
)
# A reading that served no registration has no further purpose.
READING_RETENTION = Retention(
    _("With the registration it served; a reading that served none is deleted after 30 days"),
    days=30,
    setting="REGDESK_RETENTION_CARD_READING_DAYS",
)


def _field(key: str, category: Category, label: str | Promise, retention: Retention = REGISTRATION_RETENTION) -> str:
    register(
        PersonalField(
            key=key, category=category, label=label, purpose=PURPOSE, legal_basis=LEGAL_BASIS, retention=retention
        )
    )
    return key


SUBSCRIBER_NAME = _field("subscribers.subscriber_name", Category.NAME, _("subscriber's name"))
SUBSCRIBER_DOCUMENT_NUMBER = _field(
    "subscribers.subscriber_document_number", Category.ID_NUMBER, _("subscriber's document number")
)
SUBSCRIBER_ADDRESS = _field(
    "subscribers.subscriber_address", Category.ADDRESS, _("address on the subscriber's document")
)
REPRESENTATIVE_NAME = _field(
    "subscribers.representative_name", Category.NAME, _("name of the agent or handler acting for the subscriber")
)
REPRESENTATIVE_DOCUMENT_NUMBER = _field(
    "subscribers.representative_document_number",
    Category.ID_NUMBER,
    _("document number of the agent or handler acting for the subscriber"),
)
REPRESENTATIVE_ADDRESS = _field(
    "subscribers.representative_address",
    Category.ADDRESS,
    _("address on the document of the agent or handler acting for the subscriber"),
)
LINE_NUMBER = _field("subscribers.line_number", Category.PHONE, _("line number"))
INSTALLATION_ADDRESS = _field(
    "subscribers.installation_address", Category.ADDRESS, _("installation address of a fixed line")
)
DECISION_NOTE = _field(
    "subscribers.decision_note", Category.FREE_TEXT, _("supervisor's note on a registration held for review")
)
DISPUTE_STATEMENT = _field(
    "subscribers.dispute_statement", Category.FREE_TEXT, _("customer's statement disputing a line")
)
READING_NAME = _field("subscribers.reading_name", Category.NAME, _("name read from an ID card"), READING_RETENTION)
READING_ID_NUMBER = _field(
    "subscribers.reading_id_number", Category.ID_NUMBER, _("number read from an ID card"), READING_RETENTION
)
READING_ADDRESS = _field(
    "subscribers.reading_address", Category.ADDRESS, _("address read from an ID card"), READING_RETENTION
)
READING_BIRTH_DATE = _field(
    "subscribers.reading_birth_date", Category.BIRTH_DATE, _("birth date read from an ID card"), READING_RETENTION
)
READING_PHOTO = _field(
    "subscribers.reading_photo", Category.PHOTO, _("photo read from an ID card (base64 JPEG)"), READING_RETENTION
)
# Sex, ethnicity (sensitive personal information, PIPL art. 28), issuing authority and validity, as JSON.
READING_DETAILS = _field(
    "subscribers.reading_details",
    Category.FREE_TEXT,
    _("other data read from an ID card (sex, ethnicity, issuing authority, validity)"),
    READING_RETENTION,
)
