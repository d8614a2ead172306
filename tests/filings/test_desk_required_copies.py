"""The copies the on-site verification keeps (``conditions.required_copies``), which the desk's on-site screen
lists one by one and the process's guard checks."""

from __future__ import annotations

import pytest

from regdesk.filings.conditions import onsite_missing, required_copies
from regdesk.filings.models import AttachmentKind, Website
from regdesk.filings.services import filing_draft_create
from tests.filings.builders import World, filing_json, person

pytestmark = pytest.mark.django_db


def test_an_enterprise_whose_website_has_the_owners_person_in_charge(world: World) -> None:
    filing = filing_draft_create(actor=world.owner, data=filing_json(0))
    website = Website.objects.get(filing=filing)
    assert required_copies(filing) == [
        (AttachmentKind.OWNER_PERSON_ID_FRONT, None),
        (AttachmentKind.OWNER_PERSON_ID_BACK, None),
        (AttachmentKind.OWNER_CERTIFICATE, None),
        (AttachmentKind.DOMAIN_CERTIFICATE, website.pk),
    ]


def test_a_website_with_its_own_person_in_charge_needs_that_persons_id_too(world: World) -> None:
    data = filing_json(0, websites=2)
    data["websites"][1]["person_in_charge"] = {**person(1), "mobile": "13812340000"}
    filing = filing_draft_create(actor=world.owner, data=data)
    first, second = Website.objects.filter(filing=filing).order_by("position")
    copies = required_copies(filing)
    assert (AttachmentKind.DOMAIN_CERTIFICATE, first.pk) in copies
    assert (AttachmentKind.WEBSITE_PERSON_ID_FRONT, first.pk) not in copies
    assert copies[-3:] == [
        (AttachmentKind.DOMAIN_CERTIFICATE, second.pk),
        (AttachmentKind.WEBSITE_PERSON_ID_FRONT, second.pk),
        (AttachmentKind.WEBSITE_PERSON_ID_BACK, second.pk),
    ]
    # Before any notice the guard says the verification has not started.
    assert len(onsite_missing(filing)) == 1
