"""The counter pages of real-name registration: who reaches what (and that a denial changes nothing), a line
registered end to end through the pages against the simulators, readings pasted, uploaded or sent as JSON by a
reader agent, typed resident-ID data refused, the per-ID limit, refusals, the supervisor's decision, organisations
and agents."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, CaseEvent, Document
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import CardReading, Line, Registration
from regdesk.subscribers.services import HolderRecord, line_take_over
from tests.accounts.helpers import login_fully
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import PDF_BYTES, World, live_photo, mobile_number, valid_people

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]
USCC = "91310110MAPF9TJ48D"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        login_fully(client, user)
    return client


def snapshot() -> tuple[int, ...]:
    return (
        Registration.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        CardReading.objects.count(),
        Line.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"subscribers_counter:{name}", args=args)


def start(client: Client, world: World, number: str, service: str = "open_mobile", **extra: str) -> Registration:
    before = set(Registration.objects.values_list("pk", flat=True))
    response = client.post(
        url("start", world.outlet.code), {"service": service, "number": number, "payment": "prepaid", **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.exclude(pk__in=before).get()
    assert response["Location"] == url("registration", registration.pk)
    return registration


def paste_reading(
    client: Client, world: World, registration: Registration, who: dict[str, Any], slot: str = "subscriber"
) -> Any:
    document = world.device.read(who)
    return client.post(url("reading_add", registration.pk, slot), {f"{slot}-reading": json.dumps(document)})


def capture(client: Client, registration: Registration, **fields: str) -> Any:
    data = {
        "subscriber_kind": "individual",
        "acting_party": "subscriber",
        "subscriber_source": "reading",
        "representative_source": "reading",
        **fields,
    }
    return client.post(url("identity", registration.pk), data)


def run_checks(client: Client, registration: Registration, photo: bytes) -> Any:
    upload = io.BytesIO(photo)
    upload.name = "camera.jpg"
    return client.post(url("check", registration.pk), {"live_photo": upload})


def state(registration: Registration) -> str:
    registration.refresh_from_db()
    assert registration.case_id is not None
    return Case.objects.get(pk=registration.case_id).state


def holding(world: World, who: dict[str, Any], count: int, first: int = 500) -> None:
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=who["id_number"], name=who["name"], address="北京市"
    )
    for serial in range(count):
        line_take_over(
            actor=None,
            outlet=world.outlet,
            number=mobile_number(first + serial),
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered",
            holder=holder,
        )


# --------------------------------------------------------------------------------------------------------------
# Who reaches what


@pytest.fixture
def started(world: World) -> Registration:
    return start(client_for(world.clerk), world, mobile_number(9000))


PEOPLE = ("clerk", "other_clerk", "owner", "anonymous")


def person(world: World, name: str) -> User | None:
    return None if name == "anonymous" else getattr(world, name)


READ_PAGES = {
    # page: expected status for clerk of this outlet, clerk of another outlet, website owner, anonymous
    "outlet": (200, 404, 404, 302),
    "lookup": (200, 404, 404, 302),
    "registration": (200, 404, 404, 302),
    "decide": (403, 404, 404, 302),
}


@pytest.mark.parametrize("page", sorted(READ_PAGES))
@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_open_a_page(world: World, started: Registration, page: str, who: str) -> None:
    address = {
        "outlet": url("outlet", world.outlet.code),
        "lookup": url("lookup", world.outlet.code),
        "registration": url("registration", started.pk),
        "decide": url("decide", started.pk),
    }[page]
    before = snapshot()
    response = client_for(person(world, who)).get(address)
    assert response.status_code == READ_PAGES[page][PEOPLE.index(who)]
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot() == before


ACTIONS: dict[str, Callable[[World, Registration], tuple[str, dict[str, str]]]] = {
    "start": lambda world, registration: (
        url("start", world.outlet.code),
        {"service": "open_mobile", "number": mobile_number(9001), "payment": "prepaid"},
    ),
    "identity": lambda world, registration: (
        url("identity", registration.pk),
        {
            "subscriber_kind": "individual",
            "acting_party": "subscriber",
            "subscriber_source": "typed",
            "representative_source": "reading",
            "subscriber_document_type": "passport",
            "subscriber_number": "L898902C36UTO7408122F3504152ZE184226B<<<<<16",
            "subscriber_name": "ERIKSSON ANNA MARIA",
            "subscriber_address": "Stockholm",
        },
    ),
    "refuse": lambda world, registration: (url("refuse", registration.pk), {"reason": "no_id_shown"}),
    "abandon": lambda world, registration: (url("abandon", registration.pk), {}),
    "reading": lambda world, registration: (
        url("reading_add", registration.pk, "subscriber"),
        {"subscriber-reading": json.dumps({"format": "regdesk-reader/1"})},
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["other_clerk", "owner", "anonymous"])
def test_a_denied_action_changes_nothing(world: World, started: Registration, action: str, who: str) -> None:
    address, data = ACTIONS[action](world, started)
    before = snapshot()
    response = client_for(person(world, who)).post(address, data)
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert snapshot() == before
    assert state(started) == "started"


def test_the_clerk_of_the_outlet_may_take_the_same_actions(world: World, started: Registration) -> None:
    client = client_for(world.clerk)
    address, data = ACTIONS["identity"](world, started)
    assert client.post(address, data).status_code == 302
    assert state(started) == "identity_captured"


def test_the_counter_index_leads_a_clerk_to_the_outlet_and_refuses_an_owner(world: World) -> None:
    response = client_for(world.clerk).get(url("index"))
    assert (response.status_code, response["Location"]) == (302, url("outlet", world.outlet.code))
    assert client_for(world.owner).get(url("index")).status_code == 403
    supervisor = client_for(world.supervisor).get(url("index"))
    assert supervisor.status_code == 200
    assert world.outlet.code in supervisor.content.decode()
    assert world.other_outlet.code in supervisor.content.decode()
    assert client_for(world.compliance).get(url("review")).status_code == 200
    assert client_for(world.clerk).get(url("review")).status_code == 403


# --------------------------------------------------------------------------------------------------------------
# A line registered through the pages


def test_a_line_is_registered_through_the_pages(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(1))
    page = client.get(url("registration", registration.pk)).content.decode()
    assert "reading-form-subscriber" in page
    response = paste_reading(client, world, registration, who)
    assert response.status_code == 302
    page = client.get(url("registration", registration.pk)).content.decode()
    card = reader_sim.card_of(who)
    masked_number = card["id_number"][:4] + "*" * 10 + card["id_number"][-4:]
    assert masked_number in page
    assert card["id_number"] not in page
    assert card["name"] not in page
    assert card["address"] not in page
    reading = CardReading.objects.get()
    # The card's photo is embedded in the page, revealed through the vault (audited), and the page is not cached.
    assert 'data-testid="id-photo" ' in page or 'data-testid="id-photo">' in page
    assert "data:image/jpeg;base64," in page
    reveals = AuditEvent.objects.filter(action="personal_data.reveal", object_id=str(reading.pk))
    assert reveals.count() == 1
    assert reveals.get().purpose.startswith("Compare the ID card's photo")
    assert "no-store" in client.get(url("registration", registration.pk))["Cache-Control"]

    assert capture(client, registration).status_code == 302
    assert state(registration) == "identity_captured"
    assert run_checks(client, registration, live_photo(who)).status_code == 302
    assert state(registration) == "checks_passed"
    page = client.get(url("registration", registration.pk)).content.decode()
    assert 'data-testid="complete"' in page
    assert client.post(url("complete", registration.pk)).status_code == 302
    assert state(registration) == "registered"
    page = client.get(url("registration", registration.pk)).content.decode()
    assert "139****0001" in page
    assert mobile_number(1) not in page
    line = Line.objects.get()
    assert line.number.reveal() == mobile_number(1)
    closed = client.get(url("outlet", world.outlet.code)).content.decode()
    assert registration.case is not None
    assert registration.case.reference in closed


def test_the_reader_agent_posts_the_reading_as_json(world: World, identity_simulator: IdentitySimulatorHandle) -> None:
    who = valid_people(identity_simulator, 1)[0]
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(2))
    address = url("reading_add", registration.pk, "subscriber")
    response = client.post(address, json.dumps(world.device.read(who)), content_type="application/json")
    assert response.status_code == 201
    answer = response.json()
    assert answer["reading"]["id_number"].count("*") == 10
    assert answer["page"] == url("registration", registration.pk)
    forged = world.device.read(who)
    forged["reading"]["name"] = "王五"
    refused = client.post(address, json.dumps(forged), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "signature_invalid"
    assert CardReading.objects.count() == 1


def test_a_reading_file_is_uploaded(world: World, identity_simulator: IdentitySimulatorHandle) -> None:
    who = valid_people(identity_simulator, 1)[0]
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(3))
    upload = io.BytesIO(json.dumps(world.device.read(who), ensure_ascii=False).encode("utf-8"))
    upload.name = "reading.json"
    response = client.post(url("reading_add", registration.pk, "subscriber"), {"subscriber-reading_file": upload})
    assert response.status_code == 302
    assert CardReading.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请粘贴读卡器输出的签名读卡数据"),
        ("not json", "不是 JSON 文档"),
        ('{"format": "regdesk-reader/1"}', "不是身份证阅读器签名的读卡数据"),
        ("x" * (1024 * 1024 + 1), "读卡数据超出了读卡数据的最大长度"),
    ],
)
def test_a_bad_reading_is_refused_at_its_field(world: World, started: Registration, text: str, message: str) -> None:
    before = snapshot()
    response = client_for(world.clerk).post(url("reading_add", started.pk, "subscriber"), {"subscriber-reading": text})
    assert response.status_code == 422
    assert message in response.content.decode()
    # A malformed reading is a security event: only its audit record is written.
    assert snapshot()[:-1] == before[:-1]


def test_a_hand_typed_resident_id_is_refused(world: World, started: Registration) -> None:
    before = snapshot()
    response = capture(
        client_for(world.clerk),
        started,
        subscriber_source="typed",
        subscriber_document_type="resident_id",
        subscriber_number="11010519491231002X",
        subscriber_name="张三",
        subscriber_address="北京市朝阳区建国路1号",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "禁止人工录入居民身份证信息" in page
    assert 'data-testid="field-errors"' in page
    assert snapshot() == before
    assert state(started) == "started"


def test_the_identity_form_needs_a_reading_when_the_card_is_chosen(world: World, started: Registration) -> None:
    before = snapshot()
    response = capture(client_for(world.clerk), started)
    assert response.status_code == 422
    assert "请先在身份证阅读器上读卡" in response.content.decode()
    assert snapshot() == before


def test_a_mistyped_passport_names_its_field(world: World, started: Registration) -> None:
    response = capture(
        client_for(world.clerk),
        started,
        subscriber_source="typed",
        subscriber_document_type="passport",
        subscriber_number="L898902C36UTO7408122F3504152ZE184226B<<<<<15",
        subscriber_name="ERIKSSON ANNA MARIA",
        subscriber_address="Stockholm",
    )
    assert response.status_code == 422
    assert 'id="id_subscriber_number_errors"' in response.content.decode()
    assert state(started) == "started"


def test_the_start_form_names_the_field_at_fault(world: World) -> None:
    client = client_for(world.clerk)
    before = snapshot()
    bad_number = client.post(
        url("start", world.outlet.code), {"service": "open_mobile", "number": "12345", "payment": "prepaid"}
    )
    assert bad_number.status_code == 422
    assert 'id="id_number_errors"' in bad_number.content.decode()
    no_line = client.post(url("start", world.outlet.code), {"service": "transfer", "number": mobile_number(77)})
    assert no_line.status_code == 422
    assert "没有使用该号码的线路" in no_line.content.decode()
    fixed = client.post(
        url("start", world.outlet.code), {"service": "fixed_install", "number": "01062009999", "payment": "prepaid"}
    )
    assert fixed.status_code == 422
    assert 'id="id_installation_address_errors"' in fixed.content.decode()
    assert snapshot() == before


# --------------------------------------------------------------------------------------------------------------
# Outcomes: per-ID limit, refusals, supervisor


def test_a_sixth_line_is_refused_with_the_number_of_lines(world: World, checks: Checks) -> None:
    who = valid_people(checks[0], 1)[0]
    holding(world, who, 5)
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(6))
    paste_reading(client, world, registration, who)
    capture(client, registration)
    run_checks(client, registration, live_photo(who))
    assert state(registration) == "refused"
    page = client.get(url("registration", registration.pk)).content.decode()
    assert "该证件已有 5 个在用号码" in page
    assert Line.objects.count() == 5
    assert checks[0].verifications() == []


def test_the_clerk_refuses_for_a_reason_of_their_own(world: World, started: Registration) -> None:
    client = client_for(world.clerk)
    page = client.get(url("registration", started.pk)).content.decode()
    for reason in ("no_id_shown", "data_withheld", "someone_elses_id", "forged_or_altered_id"):
        assert f'value="{reason}"' in page
    # The reasons the checks reach are listed, and not offered.
    assert page.count("disabled>") >= 2
    before = snapshot()
    refused = client.post(url("refuse", started.pk), {"reason": "per_id_limit_reached"})
    assert refused.status_code == 422
    assert "请选择原因" in refused.content.decode()
    assert snapshot() == before
    assert client.post(url("refuse", started.pk), {"reason": "forged_or_altered_id"}).status_code == 302
    assert state(started) == "refused"
    assert "用户使用伪造、变造的证件" in client.get(url("registration", started.pk)).content.decode()


def test_a_low_face_score_waits_for_a_supervisor_who_decides(world: World, checks: Checks) -> None:
    holder, stranger = valid_people(checks[0], 2)
    clerk = client_for(world.clerk)
    registration = start(clerk, world, mobile_number(11))
    paste_reading(clerk, world, registration, holder)
    capture(clerk, registration)
    run_checks(clerk, registration, live_photo(stranger))
    assert state(registration) == "awaiting_supervisor"
    page = clerk.get(url("registration", registration.pk)).content.decode()
    assert "低于阈值" in page
    assert clerk.get(url("decide", registration.pk)).status_code == 403
    assert client_for(world.other_clerk).get(url("decide", registration.pk)).status_code == 404
    supervisor = client_for(world.supervisor)
    assert registration.case is not None
    assert registration.case.reference in supervisor.get(url("review")).content.decode()
    decision_page = supervisor.get(url("decide", registration.pk))
    assert decision_page.status_code == 200
    # The ID photo and the counter photo side by side, both opened with a stated purpose.
    assert decision_page.content.decode().count("data:image/jpeg;base64,") == 2
    assert AuditEvent.objects.filter(action="document.open", actor=world.supervisor).count() == 1
    before = snapshot()
    short = supervisor.post(url("decide", registration.pk), {"decision": "approve", "note": "ok"})
    assert short.status_code == 422
    # Only the reads of the photos on the page shown again are audited.
    assert snapshot()[:-1] == before[:-1]
    assert state(registration) == "awaiting_supervisor"
    approved = supervisor.post(
        url("decide", registration.pk),
        {"decision": "approve", "note": "Compared the card with the customer in person."},
    )
    assert approved.status_code == 302
    assert state(registration) == "checks_passed"
    clerk.post(url("complete", registration.pk))
    assert state(registration) == "registered"


def test_a_supervisor_declines(world: World, checks: Checks) -> None:
    holder, stranger = valid_people(checks[0], 2)
    clerk = client_for(world.clerk)
    registration = start(clerk, world, mobile_number(12))
    paste_reading(clerk, world, registration, holder)
    capture(clerk, registration)
    run_checks(clerk, registration, live_photo(stranger))
    evidence = io.BytesIO(PDF_BYTES)
    evidence.name = "evidence.pdf"
    response = client_for(world.compliance).post(
        url("decide", registration.pk),
        {"decision": "decline", "reason": "someone_elses_id", "note": "Not the cardholder.", "evidence": evidence},
    )
    assert response.status_code == 302
    assert state(registration) == "refused"
    assert "用户冒用他人的证件" in clerk.get(url("registration", registration.pk)).content.decode()


# --------------------------------------------------------------------------------------------------------------
# Organisations and agents


def test_an_organisation_registers_through_its_handler_with_the_letter(world: World, checks: Checks) -> None:
    handler = valid_people(checks[0], 1)[0]
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(21))
    paste_reading(client, world, registration, handler, slot="representative")
    response = capture(
        client,
        registration,
        subscriber_kind="organisation",
        acting_party="handler",
        subscriber_source="typed",
        subscriber_document_type="uscc",
        subscriber_number=USCC,
        subscriber_name="上海青禾软件有限公司",
        subscriber_address="上海市杨浦区国定路1号",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    missing = run_checks(client, registration, live_photo(handler))
    assert missing.status_code == 422
    assert "请先上传单位授权书" in missing.content.decode()
    letter = io.BytesIO(PDF_BYTES)
    letter.name = "letter.pdf"
    attached = client.post(url("document", registration.pk), {"kind": "authorisation_letter", "file": letter})
    assert attached.status_code == 302
    run_checks(client, registration, live_photo(handler))
    assert state(registration) == "checks_passed"
    client.post(url("complete", registration.pk))
    assert state(registration) == "registered"


def test_an_agent_shows_both_ids(world: World, checks: Checks) -> None:
    subscriber, agent = valid_people(checks[0], 2)
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(22))
    paste_reading(client, world, registration, subscriber)
    paste_reading(client, world, registration, agent, slot="representative")
    assert capture(client, registration, acting_party="agent").status_code == 302
    registration.refresh_from_db()
    assert registration.subscriber_reading_id is not None
    assert registration.representative_reading_id is not None
    run_checks(client, registration, live_photo(agent))
    assert state(registration) == "checks_passed"
    assert registration.case is not None
    page = client.get(url("registration", registration.pk)).content.decode()
    assert 'data-testid="id-card-representative"' in page


def test_the_counter_speaks_chinese_first_and_english_on_request(world: World, started: Registration) -> None:
    client = client_for(world.clerk)
    assert "开始登记" in client.get(url("outlet", world.outlet.code)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url("registration", started.pk)).content.decode()
    assert "Identity documents" in page
    assert "waiting for the identity documents" in page
    assert "Start a registration" in client.get(url("outlet", world.outlet.code)).content.decode()


def test_a_military_id_is_typed_and_goes_to_a_supervisor(world: World, checks: Checks) -> None:
    client = client_for(world.clerk)
    registration = start(client, world, mobile_number(31))
    response = capture(
        client,
        registration,
        subscriber_source="typed",
        subscriber_document_type="military_id",
        subscriber_number="南字第2019123号",
        subscriber_name="李四",
        subscriber_address="北京市海淀区中关村南大街1号",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(url("check", registration.pk))
    assert state(registration) == "awaiting_supervisor"
    page = client.get(url("registration", registration.pk)).content.decode()
    assert "由主管查看证件后决定" in page
    assert "李*" in page
    assert "李四" not in page
