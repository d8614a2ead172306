"""Every field rule of DOMAIN.md §1.3, through the services: its specific error at its field, in Chinese and English,
and nothing saved (a draft refuses a wrong value; a submission refuses a missing one and stays a draft)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, CaseEvent
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import ContactMobile, Filing, FilingState, Owner, Website
from regdesk.filings.services import filing_document_upload, filing_draft_create, filing_draft_update, filing_submit
from tests.filings.builders import World, draft, filing_json, submitted

pytestmark = pytest.mark.django_db

Change = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Rule:
    name: str
    change: Change
    field: str
    code: str


def _owner(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["owner"].update(values)

    return change


def _person(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["owner"]["person_in_charge"].update(values)

    return change


def _certificate(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["owner"]["certificate"].update(values)

    return change


def _address(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["owner"]["address"].update(values)

    return change


def _website(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["websites"][0].update(values)

    return change


def _range(start: str, end: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["websites"][0]["access"][0]["ip_ranges"] = [{"start": start, "end": end}]

    return change


def _ranges(*pairs: tuple[str, str]) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["websites"][0]["access"][0]["ip_ranges"] = [{"start": start, "end": end} for start, end in pairs]

    return change


def _access(**values: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["websites"][0]["access"][0].update(values)

    return change


def _second_website_with_same_domain(data: dict[str, Any]) -> None:
    second = dict(data["websites"][0])
    second["name"] = data["websites"][0]["name"].replace("官方网站", "技术博客")
    data["websites"].append(second)


OWNER = "owner"
PERSON = "owner.person_in_charge"
SITE = "websites[0]"

# Wrong values: refused as soon as they are entered, even in a draft.
DRAFT_RULES = [
    # The owner (主办者): its name, nature, certificate, divisions, address, reporting mode.
    Rule("owner name is a domain", _owner(name="qinghe-soft.cn"), f"{OWNER}.name", "owner_name_domain"),
    Rule(
        "organisation name of letters only",
        _owner(name="Qinghe Software Ltd"),
        f"{OWNER}.name",
        "owner_name_latin_only",
    ),
    Rule("unknown nature", _owner(nature=99), f"{OWNER}.nature", "code_unknown"),
    Rule(
        "certificate type of another nature",
        _certificate(type=9),
        f"{OWNER}.certificate.type",
        "certificate_type_nature_mismatch",
    ),
    Rule(
        "personal document for an organisation",
        _certificate(type=2),
        f"{OWNER}.certificate.type",
        "certificate_type_individual_mismatch",
    ),
    Rule(
        "credit code with a wrong check character",
        _certificate(number="91310110MAPF9TJ48E"),
        f"{OWNER}.certificate.number",
        "document_checksum",
    ),
    Rule(
        "organisation code instead of the credit code",
        _certificate(number="MAPF9TJ4-8"),
        f"{OWNER}.certificate.number",
        "certificate_number_superseded",
    ),
    Rule(
        "certificate address in another province",
        _certificate(address="北京市海淀区中关村大街1号"),
        f"{OWNER}.certificate.address",
        "address_province_mismatch",
    ),
    Rule("unknown province code", _address(province="990000"), f"{OWNER}.address.province", "division_unknown"),
    Rule("county outside the city", _address(county="110105"), f"{OWNER}.address.county", "division_outside"),
    Rule(
        "reporting mode other than 0 or 1",
        _owner(reporting_mode=3),
        f"{OWNER}.reporting_mode",
        "reporting_mode_invalid",
    ),
    # The person in charge (主体负责人).
    Rule("person's name with digits", _person(name="张帅2"), f"{PERSON}.name", "person_name_characters"),
    Rule(
        "resident ID with a wrong check character",
        _person(document_number="320831197308202730"),
        f"{PERSON}.document_number",
        "document_checksum",
    ),
    Rule(
        "legacy 15-digit resident ID",
        _person(document_number="320831730820273"),
        f"{PERSON}.document_number",
        "legacy_resident_id",
    ),
    Rule(
        "organisation's certificate as a person's document",
        _person(document_type=1),
        f"{PERSON}.document_type",
        "person_document_not_personal",
    ),
    Rule(
        "office phone with letters", _person(office_phone="021-6543210A"), f"{PERSON}.office_phone", "phone_characters"
    ),
    Rule(
        "office phone of a wrong shape", _person(office_phone="12345678901"), f"{PERSON}.office_phone", "phone_format"
    ),
    Rule("mobile of a wrong shape", _person(mobile="23812345678"), f"{PERSON}.mobile", "mobile_format"),
    Rule(
        "mobile in a machine-to-machine segment",
        _person(mobile="14412345678"),
        f"{PERSON}.mobile",
        "mobile_prefix_not_personal",
    ),
    Rule("e-mail without @", _person(email="zhangshuai.example.cn"), f"{PERSON}.email", "email_missing_at"),
    Rule(
        "e-mail on an unknown domain", _person(email="zhang@example.invalid"), f"{PERSON}.email", "email_domain_unknown"
    ),
    # The website (网站): name, domains, homepage, codes.
    Rule(
        "website name under three Chinese characters",
        _website(name="青禾"),
        f"{SITE}.name",
        "website_name_too_few_chinese",
    ),
    Rule("website name is a domain", _website(name="www.qinghe-soft.cn"), f"{SITE}.name", "website_name_domain"),
    Rule("website name of letters only", _website(name="Qinghe Home"), f"{SITE}.name", "website_name_latin_only"),
    Rule("website name with 中国", _website(name="中国青禾软件官方网站"), f"{SITE}.name", "website_name_reserved_word"),
    Rule(
        "subdomain instead of the registered domain",
        _website(domains=["www.owner0-site0.cn"]),
        f"{SITE}.domains[0]",
        "domain_not_registrable",
    ),
    Rule(
        "domain under an unknown suffix",
        _website(domains=["owner0-site0.notatld"]),
        f"{SITE}.domains[0]",
        "domain_unknown_suffix",
    ),
    Rule(
        "domain on a TLD MIIT has not approved",
        _website(domains=["owner0-site0.zip"]),
        f"{SITE}.domains[0]",
        "domain_tld_not_approved",
    ),
    Rule(
        "web address instead of a domain",
        _website(domains=["https://owner0-site0.cn/"]),
        f"{SITE}.domains[0]",
        "domain_url_given",
    ),
    Rule(
        "homepage without the website's domain (1041)",
        _website(homepage_url="https://www.other-site.cn/"),
        f"{SITE}.homepage_url",
        "homepage_url_domain_mismatch",
    ),
    Rule(
        "one domain in two websites",
        _second_website_with_same_domain,
        "websites[1].domains[0]",
        "domain_in_other_website",
    ),
    Rule("unknown language", _website(languages=[99]), f"{SITE}.languages[0]", "code_unknown"),
    Rule("service content twice", _website(service_contents=[2, 2]), f"{SITE}.service_contents[1]", "duplicate"),
    # The access (接入): IP ranges inside the provider's own filing (1063), server location.
    Rule(
        "IP range outside the provider's networks (1063)",
        _range("8.8.8.8", "8.8.8.8"),
        f"{SITE}.access[0].ip_ranges[0]",
        "ip_range_outside_provider",
    ),
    Rule("private IP range", _range("10.0.0.1", "10.0.0.9"), f"{SITE}.access[0].ip_ranges[0]", "ip_range_not_public"),
    Rule(
        "IP range ending before it starts",
        _range("192.88.99.20", "192.88.99.10"),
        f"{SITE}.access[0].ip_ranges[0]",
        "ip_range_order",
    ),
    Rule(
        "not an IP address",
        _range("192.88.99.300", "192.88.99.301"),
        f"{SITE}.access[0].ip_ranges[0].start",
        "ip_address_invalid",
    ),
    Rule(
        "overlapping IP ranges",
        _ranges(("192.88.99.10", "192.88.99.20"), ("192.88.99.15", "192.88.99.30")),
        f"{SITE}.access[0].ip_ranges[1]",
        "ip_range_overlap",
    ),
    Rule("unknown access method", _access(method=77), f"{SITE}.access[0].method", "code_unknown"),
    Rule(
        "server location that is no division",
        _access(server_location="999999"),
        f"{SITE}.access[0].server_location",
        "server_location_invalid",
    ),
    # Values of the wrong kind.
    Rule("a list where text belongs", _owner(name=["x"]), f"{OWNER}.name", "not_text"),
    Rule("a field that does not exist", _owner(shoe_size=42), f"{OWNER}.shoe_size", "unknown_field"),
]


def _counts() -> tuple[int, ...]:
    return (
        Owner.objects.count(),
        Filing.objects.count(),
        Website.objects.count(),
        Case.objects.count(),
        ContactMobile.objects.count(),
        AuditEvent.objects.count(),
    )


def _refusal(call: Callable[[], object]) -> FilingValidationError:
    before = _counts()
    with pytest.raises(FilingValidationError) as raised:
        call()
    assert _counts() == before, "a refused request saved something"
    return raised.value


def _assert_error(error: FilingValidationError, field: str, code: str) -> None:
    assert code in error.codes.get(field, []), error.codes
    found = next(item for item in error.errors if item.field == field and item.code == code)
    assert found.message_zh
    assert found.message_en
    assert found.message_zh != found.message_en
    assert found.message_zh in error.fields("zh-hans")[field]
    assert found.message_en in error.fields("en")[field]


@pytest.mark.parametrize("rule", DRAFT_RULES, ids=[rule.name for rule in DRAFT_RULES])
def test_a_wrong_value_is_refused_with_its_specific_error_and_nothing_is_saved(world: World, rule: Rule) -> None:
    data = filing_json()
    rule.change(data)
    error = _refusal(lambda: filing_draft_create(actor=world.owner, data=data))
    _assert_error(error, rule.field, rule.code)


def test_an_update_with_a_wrong_value_changes_nothing(world: World) -> None:
    filing = draft(world)
    data = filing_json()
    data["websites"][0]["homepage_url"] = "https://www.other-site.cn/"
    error = _refusal(lambda: filing_draft_update(actor=world.owner, filing=filing, data=data))
    _assert_error(error, "websites[0].homepage_url", "homepage_url_domain_mismatch")
    assert Website.objects.get(filing=filing).homepage_url == "https://www.owner0-site0.cn/"


# Missing values: a draft keeps them, the submission refuses them.
SUBMIT_RULES = [
    Rule("no website at all", lambda data: data.update(websites=[]), "websites", "required"),
    Rule("organisation without the office phone", _person(office_phone=None), f"{PERSON}.office_phone", "required"),
    Rule("no domain", _website(domains=[]), f"{SITE}.domains", "required"),
    Rule("no server location", _access(server_location=None), f"{SITE}.access[0].server_location", "required"),
    Rule(
        "forum without its approval",
        _website(service_contents=[15]),
        f"{SITE}.service_contents[0]",
        "pre_approval_missing",
    ),
    Rule(
        "news content declared without its approval",
        _website(content_categories=[1]),
        f"{SITE}.content_categories[0]",
        "pre_approval_missing",
    ),
    Rule(
        "论坛 in the name without the approval",
        _website(name="青禾软件论坛网站"),
        f"{SITE}.name",
        "website_name_needs_approval",
    ),
]


@pytest.mark.parametrize("rule", SUBMIT_RULES, ids=[rule.name for rule in SUBMIT_RULES])
def test_a_missing_value_waits_in_the_draft_and_is_refused_at_submission(world: World, rule: Rule) -> None:
    data = filing_json()
    rule.change(data)
    filing = filing_draft_create(actor=world.owner, data=data)
    events = CaseEvent.objects.filter(case=filing.case).count()
    error = _refusal(lambda: filing_submit(actor=world.owner, filing=filing))
    _assert_error(error, rule.field, rule.code)
    filing.refresh_from_db()
    assert filing.state == FilingState.DRAFT
    assert CaseEvent.objects.filter(case=filing.case).count() == events


def test_content_needing_a_pre_approval_is_filed_with_its_approval(world: World) -> None:
    data = filing_json()
    data["websites"][0]["service_contents"] = [15]
    filing = filing_draft_create(actor=world.owner, data=data)
    scan = filing_document_upload(
        actor=world.owner, filing=filing, kind="pre_approval", filename="approval.png", content=_small_png()
    )
    data["websites"][0]["pre_approvals"] = [{"type": 8, "number": "沪通信管电公〔2026〕001号", "document_id": scan.pk}]
    filing_draft_update(actor=world.owner, filing=filing, data=data)
    assert filing_submit(actor=world.owner, filing=filing).state == FilingState.SUBMITTED


def test_a_pre_approval_document_over_100k_is_refused(world: World) -> None:
    filing = draft(world)
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(3)
    buffer = __import__("io").BytesIO()
    Image.fromarray(rng.integers(0, 255, (400, 400, 3), dtype=np.uint8)).save(buffer, format="PNG")
    scan = filing_document_upload(
        actor=world.owner, filing=filing, kind="pre_approval", filename="approval.png", content=buffer.getvalue()
    )
    assert scan.size > 100 * 1024
    data = filing_json()
    data["websites"][0]["service_contents"] = [15]
    data["websites"][0]["pre_approvals"] = [{"type": 8, "number": "沪通信管电公〔2026〕001号", "document_id": scan.pk}]
    error = _refusal(lambda: filing_draft_update(actor=world.owner, filing=filing, data=data))
    _assert_error(error, "websites[0].pre_approvals[0].document", "pre_approval_document_too_large")


def test_a_pre_approval_document_of_another_filing_is_refused(world: World) -> None:
    other = draft(world, 1)
    scan = filing_document_upload(
        actor=world.owner, filing=other, kind="pre_approval", filename="approval.png", content=_small_png()
    )
    data = filing_json()
    data["websites"][0]["service_contents"] = [15]
    data["websites"][0]["pre_approvals"] = [{"type": 8, "number": "沪通信管电公〔2026〕001号", "document_id": scan.pk}]
    error = _refusal(lambda: filing_draft_create(actor=world.owner, data=data))
    _assert_error(error, "websites[0].pre_approvals[0].document", "document_missing")


def _small_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 220, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_one_mobile_number_belongs_to_one_owner(world: World) -> None:
    submitted(world, 0)
    data = filing_json(1)
    data["owner"]["person_in_charge"]["mobile"] = filing_json(0)["owner"]["person_in_charge"]["mobile"]
    error = _refusal(lambda: filing_draft_create(actor=world.other_owner, data=data))
    _assert_error(error, "owner.person_in_charge.mobile", "mobile_used_by_other_owner")


def test_a_mobile_number_of_a_withdrawn_application_is_free(world: World) -> None:
    draft(world, 0)  # a draft holds no number
    data = filing_json(1)
    data["owner"]["person_in_charge"]["mobile"] = filing_json(0)["owner"]["person_in_charge"]["mobile"]
    data["websites"][0]["person_in_charge"]["mobile"] = data["owner"]["person_in_charge"]["mobile"]
    assert filing_draft_create(actor=world.other_owner, data=data).state == FilingState.DRAFT


def test_a_website_person_in_charge_serves_no_unrelated_owner(world: World) -> None:
    submitted(world, 0)
    data = filing_json(1)
    data["websites"][0]["person_in_charge"] = filing_json(0)["websites"][0]["person_in_charge"] | {
        "mobile": data["owner"]["person_in_charge"]["mobile"]
    }
    error = _refusal(lambda: filing_draft_create(actor=world.other_owner, data=data))
    _assert_error(error, "websites[0].person_in_charge", "person_in_charge_for_unrelated_owners")


def test_an_individual_owner_is_a_person(world: World) -> None:
    data = filing_json()
    data["owner"] |= {
        "name": "张帅1",
        "nature": 5,
        "certificate": {"type": 2, "number": "320831197308202739", "address": "上海市杨浦区国定路100号"},
    }
    error = _refusal(lambda: filing_draft_create(actor=world.owner, data=data))
    _assert_error(error, "owner.name", "person_name_characters")
