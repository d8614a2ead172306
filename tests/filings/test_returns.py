"""Returns for changes carry a reason per field; the owner may then change those fields, and only those."""

from __future__ import annotations

import pytest
from django.utils import translation

from regdesk.cases.models import CaseEvent
from regdesk.filings.errors import FilingRefused, FilingValidationError
from regdesk.filings.models import Filing, FilingState, Website
from regdesk.filings.selectors import returned_fields
from regdesk.filings.services import (
    filing_draft_update,
    filing_fields_correct,
    filing_return_for_changes,
    filing_submit,
    stored_data,
)
from tests.filings.builders import World, filing_json, submitted

pytestmark = pytest.mark.django_db

REASONS = {
    "websites[0].name": "网站名称应体现网站内容。",
    "owner.person_in_charge.office_phone": "办公电话无法接通，请核实。",
}


def _returned(world: World) -> Filing:
    return filing_return_for_changes(actor=world.specialist, filing=submitted(world), reasons=REASONS)


def test_the_reasons_are_kept_per_field_and_in_the_history(world: World) -> None:
    filing = _returned(world)
    assert filing.state == FilingState.NEEDS_CHANGES
    assert filing.returned_fields == REASONS
    event = CaseEvent.objects.get(case=filing.case, action="return_for_changes")
    assert event.payload == {"reasons": REASONS}
    with translation.override("en"):
        labels = {item.path: item.label for item in returned_fields(filing)}
    assert labels == {
        "websites[0].name": "Websites 1 › name",
        "owner.person_in_charge.office_phone": "Owner › person in charge › office phone",
    }


def test_the_owner_corrects_a_returned_field(world: World) -> None:
    filing = _returned(world)
    corrected = filing_fields_correct(
        actor=world.owner,
        filing=filing,
        values={"websites[0].name": "青禾软件产品与服务网站", "owner.person_in_charge.office_phone": "021-65432199"},
    )
    assert Website.objects.get(filing=filing).name == "青禾软件产品与服务网站"
    assert stored_data(corrected).owner.person_in_charge.office_phone == "021-65432199"
    submitted_again = filing_submit(actor=world.owner, filing=corrected)
    assert submitted_again.state == FilingState.SUBMITTED
    assert submitted_again.returned_fields == {}
    assert submitted_again.submissions == 2


def test_a_field_that_was_not_returned_cannot_change(world: World) -> None:
    filing = _returned(world)
    with pytest.raises(FilingValidationError) as raised:
        filing_fields_correct(
            actor=world.owner,
            filing=filing,
            values={
                "websites[0].name": "青禾软件产品与服务网站",
                "websites[0].homepage_url": "https://owner0-site0.cn/",
            },
        )
    assert raised.value.codes == {"websites[0].homepage_url": ["not_returned"]}
    assert Website.objects.get(filing=filing).name != "青禾软件产品与服务网站", "nothing was saved"


def test_a_whole_data_update_is_held_to_the_returned_fields_too(world: World) -> None:
    filing = _returned(world)
    data = filing_json()
    data["owner"]["remarks"] = "新的备注"
    data["websites"][0]["domains"] = ["owner0-site0.cn", "owner0-site1.cn"]
    with pytest.raises(FilingValidationError) as raised:
        filing_draft_update(actor=world.owner, filing=filing, data=data)
    assert set(raised.value.codes) == {"owner.remarks", "websites[0].domains[1]"}


def test_a_returned_part_covers_every_field_inside_it(world: World) -> None:
    filing = filing_return_for_changes(
        actor=world.specialist, filing=submitted(world), reasons={"websites[0].domains": "请补充域名。"}
    )
    corrected = filing_fields_correct(
        actor=world.owner, filing=filing, values={"websites[0].domains": ["owner0-site0.cn", "owner0-site1.cn"]}
    )
    assert list(corrected.websites.get().domains.values_list("name", flat=True)) == [
        "owner0-site0.cn",
        "owner0-site1.cn",
    ]


def test_only_the_owner_and_the_specialist_may_correct(world: World) -> None:
    filing = _returned(world)
    for outsider in (world.other_owner, world.auditor, world.other_specialist):
        with pytest.raises(FilingRefused) as raised:
            filing_fields_correct(actor=outsider, filing=filing, values={"websites[0].name": "别人改的网站名称"})
        assert raised.value.code == "role"


def test_a_submitted_filing_cannot_be_changed(world: World) -> None:
    filing = submitted(world)
    with pytest.raises(FilingRefused) as raised:
        filing_fields_correct(actor=world.owner, filing=filing, values={"websites[0].name": "青禾软件产品与服务网站"})
    assert raised.value.code == "wrong_state"


def test_a_corrected_value_still_obeys_the_rules(world: World) -> None:
    filing = _returned(world)
    with pytest.raises(FilingValidationError) as raised:
        filing_fields_correct(actor=world.owner, filing=filing, values={"websites[0].name": "qinghe.cn"})
    assert "website_name_domain" in raised.value.codes["websites[0].name"]
