"""The audit desk page, the auditor's JSON API and the admin: who may read, filters, paging, read-only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.test import Client, RequestFactory, override_settings

from regdesk.audit.admin import AuditEventAdmin
from regdesk.audit.models import AuditCheckpoint, AuditEvent
from regdesk.audit.services import audit_record
from tests.audit.people import desk_login, person
from tests.audit.tamper import as_database_superuser

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def record(action: str, object_type: str = "filing", object_id: str = "1", actor: object = None) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id)  # type: ignore[arg-type]


@pytest.fixture
def auditor_client(client: Client) -> Client:
    return desk_login(client, person("auditor", "auditor"))


@pytest.mark.parametrize("role", ["auditor", "compliance_officer"])
def test_readers_see_the_page(client: Client, role: str) -> None:
    record("filing.submit")
    desk_login(client, person("reader", role))
    response = client.get("/desk/audit/")
    assert response.status_code == 200
    assert "filing.submit" in response.content.decode()


@pytest.mark.parametrize(
    ("roles", "active"),
    [(("administrator",), True), (("specialist", "counter_clerk"), True), (("auditor",), False), ((), True)],
)
def test_others_get_not_found(client: Client, roles: tuple[str, ...], active: bool) -> None:
    event = record("filing.submit")
    desk_login(client, person("other", *roles, active=active))
    assert client.get("/desk/audit/").status_code == 404
    assert client.get(f"/desk/audit/{event.sequence}/").status_code == 404
    assert client.get("/desk/audit/999/").status_code == 404


def test_superuser_without_role_gets_not_found(client: Client) -> None:
    from regdesk.accounts.models import User

    desk_login(client, User.objects.create_superuser("root", password="correct horse battery staple"))
    assert client.get("/desk/audit/").status_code == 404


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/desk/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_filters(auditor_client: Client) -> None:
    clerk = person("clerk", "counter_clerk")
    record("filing.submit", "filing", "1")
    record("personal_data.reveal", "privacy.contactpoint", "7", actor=clerk)
    record("line.register", "line", "9", actor=clerk)

    def actions(query: str) -> list[str]:
        response = auditor_client.get(f"/desk/audit/?{query}")
        assert response.status_code == 200
        return [event.action for event in response.context["page"].object_list]

    assert actions("actor=CLE") == ["line.register", "personal_data.reveal"]
    assert actions("action=personal_data") == ["personal_data.reveal"]
    assert actions("action=filing.submit") == ["filing.submit"]
    assert actions("object_type=line&object_id=9") == ["line.register"]
    assert actions("object_type=line&object_id=1") == []


def test_date_range_counts_local_days(auditor_client: Client) -> None:
    # 23:30 in Shanghai on 1 March is 15:30 UTC the same day; 00:30 on 2 March is 16:30 UTC on 1 March.
    with time_machine.travel(dt.datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI), tick=False):
        record("thing.first")
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI), tick=False):
        record("thing.second")
    page = auditor_client.get("/desk/audit/?date_from=2026-03-02&date_to=2026-03-02").context["page"]
    assert [event.action for event in page.object_list] == ["thing.second"]
    page = auditor_client.get("/desk/audit/?date_to=2026-03-01").context["page"]
    assert [event.action for event in page.object_list] == ["thing.first"]


@pytest.mark.parametrize("query", ["date_from=2026-13-40", "date_from=2026-03-05&date_to=2026-03-01"])
def test_bad_filter_input_is_an_error_not_a_crash(auditor_client: Client, query: str) -> None:
    record("thing.first")
    response = auditor_client.get(f"/desk/audit/?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def test_paging(auditor_client: Client) -> None:
    for number in range(60):
        record("thing.touch", object_id=str(number))
    first = auditor_client.get("/desk/audit/?action=thing.touch")
    assert len(first.context["page"].object_list) == 50
    assert "action=thing.touch&amp;page=2" in first.content.decode()
    second = auditor_client.get("/desk/audit/?action=thing.touch&page=2")
    assert [event.sequence for event in second.context["page"].object_list] == list(range(10, 0, -1))
    assert auditor_client.get("/desk/audit/?page=abc").status_code == 200


def test_detail_page(auditor_client: Client) -> None:
    with transaction.atomic():
        event = audit_record(
            actor=None, action="filing.submit", object_type="filing", object_id=1, changes={"domain": "example.cn"}
        )
    response = auditor_client.get(f"/desk/audit/{event.sequence}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert event.hash in body
    assert "example.cn" in body


def test_page_is_read_only(auditor_client: Client) -> None:
    assert auditor_client.post("/desk/audit/").status_code == 405


def test_api_lists_with_filters_and_pages(client: Client) -> None:
    for number in range(3):
        record("filing.submit", object_id=str(number))
    record("line.register", "line", "5")
    desk_login(client, person("auditor", "auditor"))
    response = client.get("/api/v1/audit/events?action=filing&page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["object_id"] for item in body["items"]] == ["2", "1"]
    assert set(body["items"][0]) >= {"sequence", "occurred_at", "actor_name", "hash", "previous_hash", "changes"}
    second = client.get("/api/v1/audit/events?action=filing&page_size=2&page=2").json()
    assert [item["object_id"] for item in second["items"]] == ["0"]
    single = client.get(f"/api/v1/audit/events/{body['items'][0]['sequence']}")
    assert single.status_code == 200
    assert single.json()["object_id"] == "2"


def test_api_refuses_others(client: Client) -> None:
    event = record("filing.submit")
    assert client.get("/api/v1/audit/events").status_code == 401
    desk_login(client, person("admin", "administrator"))
    response = client.get("/api/v1/audit/events")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert client.get(f"/api/v1/audit/events/{event.sequence}").status_code == 404


def test_api_bad_dates(client: Client) -> None:
    desk_login(client, person("auditor", "auditor"))
    bad = client.get("/api/v1/audit/events?date_from=yesterday")
    assert bad.status_code == 422
    assert "date_from" in bad.json()["error"]["fields"]
    reversed_range = client.get("/api/v1/audit/events?date_from=2026-03-05&date_to=2026-03-01")
    assert reversed_range.status_code == 422
    assert "date_to" in reversed_range.json()["error"]["fields"]


def test_admin_is_read_only_for_everyone() -> None:
    from regdesk.accounts.models import User

    model_admin = site._registry[AuditEvent]
    assert isinstance(model_admin, AuditEventAdmin)
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = User.objects.create_superuser("root", password="correct horse battery staple")
    event = record("filing.submit")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)
    assert "hash" in model_admin.get_readonly_fields(request, event)


# --- verification page -------------------------------------------------------------------------------------------


def test_verification_page_shows_the_last_checkpoint(auditor_client: Client) -> None:
    record("filing.submit")
    english = auditor_client.get("/desk/audit/verification/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No checkpoint has been signed yet." in english
    response = auditor_client.post("/desk/audit/verification/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-outcome="intact"' in body
    assert "The audit trail is intact: 1 events." in body
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.actor_name, checkpoint.event_count) == ("auditor", 1)
    chinese = auditor_client.get("/desk/audit/verification/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "最近签署的检查点" in chinese
    assert checkpoint.head_hash in chinese


@pytest.mark.parametrize(
    ("language", "finding"),
    [("en", "the last events were deleted"), ("zh-hans", "最后的若干事件已被删除")],
)
def test_verification_page_names_a_truncation(auditor_client: Client, language: str, finding: str) -> None:
    events = [record("filing.submit", object_id=str(number)) for number in range(3)]
    assert auditor_client.post("/desk/audit/verification/").status_code == 200
    as_database_superuser()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 3")
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_sequence = 2, last_hash = %s WHERE id = 1", [events[1].hash]
        )
    body = auditor_client.post("/desk/audit/verification/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'data-outcome="truncated"' in body
    assert finding in body
    assert AuditCheckpoint.objects.count() == 1


def test_verification_page_is_for_readers_only(client: Client) -> None:
    desk_login(client, person("clerk", "counter_clerk"))
    assert client.get("/desk/audit/verification/").status_code == 404
    assert client.post("/desk/audit/verification/").status_code == 404
    assert not AuditCheckpoint.objects.exists()


def test_verification_page_without_a_key_says_so(auditor_client: Client, tmp_path: Path) -> None:
    with override_settings(REGDESK_AUDIT_CHECKPOINT_KEY_FILE=str(tmp_path / "missing")):
        response = auditor_client.post("/desk/audit/verification/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "The checkpoint key cannot be read" in response.content.decode()
    assert str(tmp_path) not in response.content.decode()
