"""The personal-data fields of ICP filing, declared in the data dictionary (imported first by ``models``).

The owner (主办者), its person in charge (主体负责人) and each website's person in charge (网站负责人) are filed with
the Communications Administration: names, identity document numbers, addresses, phones and e-mail addresses are
collected because the law requires the provider to verify and file them.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.dictionary import Category, PersonalField, Retention, register

PURPOSE = _("ICP filing of the website owner's websites and verification of the owner's identity")
LEGAL_BASIS = _(
    "Legal duty: filing of internet information services and verification of the owners' identity "
    "(Measures on non-commercial internet information services, MIIT Order No. 33; MIIT notice 2010 No. 64)"
)
RETENTION = Retention(
    _("While the filing is in force, and two years after it is cancelled"),
    days=730,
    setting="REGDESK_RETENTION_ICP_FILING_DAYS",
)


def _field(key: str, category: Category, label: str | Promise) -> PersonalField:
    return register(
        PersonalField(
            key=key, category=category, label=label, purpose=PURPOSE, legal_basis=LEGAL_BASIS, retention=RETENTION
        )
    )


OWNER_NAME = _field("filings.owner_name", Category.NAME, _("owner's name"))
OWNER_CERTIFICATE_NUMBER = _field(
    "filings.owner_certificate_number", Category.ID_NUMBER, _("owner's certificate number")
)
OWNER_CERTIFICATE_ADDRESS = _field(
    "filings.owner_certificate_address", Category.ADDRESS, _("address on the owner's certificate")
)
OWNER_POSTAL_ADDRESS = _field("filings.owner_postal_address", Category.ADDRESS, _("owner's postal address"))
OWNER_INVESTOR = _field("filings.owner_investor", Category.NAME, _("investor or superior unit"))

OWNER_PERSON_NAME = _field("filings.owner_person_name", Category.NAME, _("name of the person in charge"))
OWNER_PERSON_DOCUMENT_NUMBER = _field(
    "filings.owner_person_document_number", Category.ID_NUMBER, _("ID number of the person in charge")
)
OWNER_PERSON_OFFICE_PHONE = _field(
    "filings.owner_person_office_phone", Category.PHONE, _("office phone of the person in charge")
)
OWNER_PERSON_MOBILE = _field("filings.owner_person_mobile", Category.PHONE, _("mobile of the person in charge"))
OWNER_PERSON_EMAIL = _field("filings.owner_person_email", Category.EMAIL, _("e-mail of the person in charge"))

WEBSITE_PERSON_NAME = _field("filings.website_person_name", Category.NAME, _("name of the website's person in charge"))
WEBSITE_PERSON_DOCUMENT_NUMBER = _field(
    "filings.website_person_document_number", Category.ID_NUMBER, _("ID number of the website's person in charge")
)
WEBSITE_PERSON_OFFICE_PHONE = _field(
    "filings.website_person_office_phone", Category.PHONE, _("office phone of the website's person in charge")
)
WEBSITE_PERSON_MOBILE = _field(
    "filings.website_person_mobile", Category.PHONE, _("mobile of the website's person in charge")
)
WEBSITE_PERSON_EMAIL = _field(
    "filings.website_person_email", Category.EMAIL, _("e-mail of the website's person in charge")
)

CONTACT_MOBILE = _field("filings.contact_mobile", Category.PHONE, _("a contact's mobile number (one per owner)"))
