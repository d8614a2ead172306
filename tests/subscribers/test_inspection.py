"""Self-inspection on the known data set: the sections' figures, the findings, each finding followed up on a
``realname.inspection_finding`` case (open → in progress → closed, with a clock whose rungs fire), repeated
findings pointing at the open case, the desk pages and who may use them."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from regdesk.audit.models import AuditEvent
from regdesk.audit.services import audit_record
from regdesk.cases.models import Case, Clock, ClockRungFired, Notice
from regdesk.cases.services import TransitionRefused, case_transition, clock_sweep
from regdesk.subscribers import readers
from regdesk.subscribers.agents.errors import SupervisionRefused
from regdesk.subscribers.inspection.process import FINDING_PROCESS
from regdesk.subscribers.inspection.selectors import finding_text
from regdesk.subscribers.inspection.services import (
    inspection_finding_close,
    inspection_finding_start_work,
    self_inspection_due,
    self_inspection_run,
)
from regdesk.subscribers.models import (
    Campaign,
    CampaignLine,
    InspectionFinding,
    PurgeRecord,
    SelfInspection,
)
from regdesk.subscribers.retention.services import RULE_VERSION as RETENTION_RULE
from regdesk.subscribers.services import LineRequest, reader_enrol, registration_refuse, registration_start
from tests.accounts.helpers import login_fully
from tests.subscribers.test_report_dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
BUILT = dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI)
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 1))


@pytest.fixture
def dataset() -> Dataset:
    """The report's data set, a reader at hall-a that reads nothing in the period, a registration refused for a
    forged ID, and a reading refused for a bad signature at the agent's shop."""
    with time_machine.travel(BUILT, tick=False):
        data = build_dataset()
        key = Ed25519PrivateKey.generate()
        reader = reader_enrol(
            actor=None, outlet=data.units["hall-a"], public_key=readers.public_key_text(key.public_key())
        )
        data.lines["reader:" + reader.device_id] = []
    with time_machine.travel(BUILT + dt.timedelta(days=10), tick=False):
        refused = registration_start(
            actor=data.users["clerk_a"],
            outlet=data.units["hall-a"],
            kind="open",
            line=LineRequest(line_kind="mobile", payment="prepaid", number="13900000999"),
        )
        registration_refuse(actor=data.users["clerk_a"], registration=refused, reason="forged_or_altered_id")
        with transaction.atomic():
            audit_record(
                actor=None,
                action="card_reading.refuse",
                object_type="subscribers.cardreader",
                object_id="RDR-FORGED",
                changes={"reason": "signature_invalid", "outlet": "agent-x-shop"},
                unit=data.units["agent-x-shop"],
            )
    return data


def device_of(data: Dataset) -> str:
    return next(key.split(":", 1)[1] for key in data.lines if key.startswith("reader:"))


def run(data: Dataset, actor: Any = None, moment: dt.datetime = NOW) -> SelfInspection:
    with time_machine.travel(moment, tick=False):
        return self_inspection_run(
            actor=actor, unit=data.units["provider"], period_start=PERIOD[0], period_end=PERIOD[1]
        )


def kinds(inspection: SelfInspection) -> set[tuple[str, str]]:
    return {(finding.kind, finding.subject) for finding in inspection.findings.all()}


def test_the_inspection_finds_what_the_data_shows(dataset: Dataset) -> None:
    inspection = run(dataset, dataset.users["compliance"])
    device = device_of(dataset)
    assert kinds(inspection) == {
        ("rate_below_target", "provider"),
        ("channel_below_target", "own_hall"),
        ("channel_below_target", "cooperating_hall"),
        ("channel_below_target", "agent"),
        ("reader_unused", device),
        ("outlet_without_reader", "hall-b"),
        ("outlet_without_reader", "agent-x-shop"),
        ("readings_rejected", "RDR-FORGED"),
        ("agent_without_agreement", "agent-x"),
        ("agent_not_audited", "agent-x"),
        ("unregistered_without_campaign", "provider"),
    }
    sections = inspection.sections
    assert (sections["rate"]["registered"], sections["rate"]["total"], sections["rate"]["percent"]) == (11, 15, "73.33")
    assert sections["rate"]["by_channel"]["online"] == {"registered": 5, "total": 5, "percent": "100.00"}
    assert sections["rate"]["unregistered_by_state"] == {"owner_not_user": 1, "temporary_account": 2, "unit_name": 1}
    assert sections["refusals"] == {"by_reason": {"forged_or_altered_id": 1}, "total": 1}
    assert sections["readers"]["rejected_readings"] == {"signature_invalid": 1}
    assert sections["agents"]["agents"][0]["agent"] == "agent-x"
    assert sections["campaigns"] == {"running": [], "unregistered_without_campaign": 4}
    severities = {finding.kind: finding.severity for finding in inspection.findings.all()}
    assert severities["rate_below_target"] == "high"
    assert severities["readings_rejected"] == "high"
    assert severities["reader_unused"] == "low"
    rate = inspection.findings.get(kind="rate_below_target")
    with translation.override("en"):
        assert finding_text(rate) == (
            "The real-name rate is 73.33% (11 of 15 lines in service), below the target of 100%."
        )
    with translation.override("zh-hans"):
        assert "73.33%" in finding_text(rate)
    event = AuditEvent.objects.get(action="self_inspection.run")
    assert (event.changes["findings"], event.changes["cases_opened"]) == (11, 11)


def test_every_finding_becomes_a_case_with_a_running_clock(dataset: Dataset) -> None:
    inspection = run(dataset)
    for finding in inspection.findings.select_related("case", "unit"):
        case = finding.case
        assert case is not None
        assert (case.process_key, case.state, case.is_open) == (FINDING_PROCESS, "open", True)
        assert case.subject == finding
        assert case.unit == finding.unit
        clock = Clock.objects.get(case=case, name="follow_up")
        assert clock.due_at == NOW + dt.timedelta(days=30)
    # Findings of an outlet or an agent belong to that unit, so its own compliance officers follow them up.
    assert inspection.findings.get(kind="agent_without_agreement").unit == dataset.units["agent-x"]


def test_a_problem_found_again_points_at_its_open_case(dataset: Dataset) -> None:
    first = run(dataset)
    cases = Case.objects.filter(process_key=FINDING_PROCESS).count()
    second = run(dataset, moment=NOW + dt.timedelta(hours=1))
    assert Case.objects.filter(process_key=FINDING_PROCESS).count() == cases
    assert all(finding.repeated for finding in second.findings.all())
    earlier = {(f.kind, f.subject): f.case_id for f in first.findings.all()}
    assert {(f.kind, f.subject): f.case_id for f in second.findings.all()} == earlier


def test_a_finding_is_followed_up_to_its_close_and_then_found_anew(dataset: Dataset) -> None:
    officer = dataset.users["compliance"]
    inspection = run(dataset)
    finding = inspection.findings.get(kind="agent_without_agreement")
    with pytest.raises(SupervisionRefused) as early:
        inspection_finding_close(actor=officer, finding=finding, resolution="remedied")
    assert early.value.code == "case_wrong_state"
    inspection_finding_start_work(actor=officer, finding=finding)
    assert finding.case is not None
    finding.case.refresh_from_db()
    assert finding.case.state == "in_progress"
    with pytest.raises(SupervisionRefused) as unexplained:
        inspection_finding_close(actor=officer, finding=finding, resolution="risk_accepted")
    assert (unexplained.value.code, unexplained.value.field) == ("note_missing", "note")
    closed = inspection_finding_close(actor=officer, finding=finding, resolution="remedied", note="协议已补签")
    assert (closed.resolution, closed.resolved_by) == ("remedied", officer)
    finding.case.refresh_from_db()
    assert (finding.case.state, finding.case.is_open) == ("closed", False)
    assert Clock.objects.get(case=finding.case).state == "stopped"
    # Still no agreement: the next inspection opens a new case for it.
    again = run(dataset, moment=NOW + dt.timedelta(days=1)).findings.get(kind="agent_without_agreement")
    assert not again.repeated
    assert again.case_id != finding.case_id


def test_the_case_cannot_be_closed_around_the_service(dataset: Dataset) -> None:
    officer = dataset.users["compliance"]
    finding = run(dataset).findings.get(kind="reader_unused")
    inspection_finding_start_work(actor=officer, finding=finding)
    assert finding.case is not None
    with pytest.raises(TransitionRefused) as raised:
        case_transition(actor=officer, case=finding.case, action="close", payload={"resolution": "remedied"})
    assert raised.value.code == "guard"


@pytest.mark.parametrize("who", ["auditor_gd", "clerk_a", "agent_staff"])
def test_only_compliance_officers_run_inspections_and_follow_up(dataset: Dataset, who: str) -> None:
    with pytest.raises(SupervisionRefused) as raised:
        run(dataset, dataset.users[who])
    assert raised.value.status == 403
    finding = run(dataset).findings.first()
    assert finding is not None
    with pytest.raises(SupervisionRefused):
        inspection_finding_start_work(actor=dataset.users[who], finding=finding)
    assert SelfInspection.objects.count() == 1


def test_the_follow_up_clock_warns_and_then_breaches(dataset: Dataset) -> None:
    run(dataset)
    clock = Clock.objects.filter(case__process_key=FINDING_PROCESS).first()
    assert clock is not None
    clock_sweep(now=NOW + dt.timedelta(days=23))
    assert not ClockRungFired.objects.filter(clock=clock).exists()
    clock_sweep(now=NOW + dt.timedelta(days=24, minutes=1))
    assert set(ClockRungFired.objects.filter(clock=clock).values_list("rung", flat=True)) == {"warning"}
    clock_sweep(now=NOW + dt.timedelta(days=30, minutes=1))
    assert set(ClockRungFired.objects.filter(clock=clock).values_list("rung", flat=True)) == {"warning", "breach"}
    clock.refresh_from_db()
    assert clock.state == "breached"
    # The unit's compliance officer (who has an e-mail address) is told at each rung.
    assert Notice.objects.filter(case=clock.case, template="cases_clock_rung").count() == 2


def test_overdue_campaign_steps_are_a_finding(dataset: Dataset) -> None:
    line = dataset.lines["agent-x-shop:unregistered:temporary_account"][0]
    campaign = Campaign.objects.create(
        name="2026 临时账户清理", group="temporary_account", unit=dataset.units["bj"], notice_channel="sms",
        one_way_after=5, one_way_unit="working_days", reminder_after=5, reminder_unit="working_days",
        two_way_after=5, two_way_unit="working_days", cancel_after=5, cancel_unit="working_days",
        status="running", launched_at=BUILT,
    )  # fmt: skip
    CampaignLine.objects.create(
        campaign=campaign, line=line, stage="notified", is_open=True, next_step="one_way",
        next_step_at=NOW - dt.timedelta(days=3), entered_at=BUILT, stage_changed_at=BUILT,
    )  # fmt: skip
    inspection = run(dataset)
    assert ("campaign_overdue", str(campaign.pk)) in kinds(inspection)
    assert inspection.sections["campaigns"]["unregistered_without_campaign"] == 3
    assert inspection.sections["campaigns"]["running"] == [
        {"campaign": campaign.pk, "group": "temporary_account", "stages": {"notified": 1}, "overdue": 1}
    ]


def test_a_period_that_cannot_be_inspected_is_refused(dataset: Dataset) -> None:
    unit = dataset.units["provider"]
    for start, end, code in [
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1), "period_reversed"),
        (dt.date(2026, 1, 1), dt.date(2999, 1, 1), "period_future"),
        (dt.date(2024, 1, 1), dt.date(2026, 1, 1), "period_too_long"),
    ]:
        with pytest.raises(SupervisionRefused) as raised:
            self_inspection_run(actor=None, unit=unit, period_start=start, period_end=end)
        assert raised.value.code == code
    assert not SelfInspection.objects.exists()


def test_the_scheduled_inspection_runs_once_per_interval(dataset: Dataset) -> None:
    with time_machine.travel(NOW, tick=False):
        first = self_inspection_due()
    assert [inspection.unit.code for inspection in first] == ["provider"]
    assert first[0].period_end == NOW.date() - dt.timedelta(days=1)
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        assert self_inspection_due() == []
    with time_machine.travel(NOW + dt.timedelta(days=93), tick=False):
        (second,) = self_inspection_due()
    assert second.period_start == first[0].period_end + dt.timedelta(days=1)


# Desk pages ----------------------------------------------------------------------------------------------------------


def desk(client: Client, dataset: Dataset, who: str) -> Client:
    login_fully(client, dataset.users[who])
    return client


def test_compliance_runs_an_inspection_and_follows_a_finding_up_on_the_desk(client: Client, dataset: Dataset) -> None:
    desk(client, dataset, "compliance")
    listing = client.get("/desk/subscribers/inspections/")
    assert listing.status_code == 200
    assert 'data-testid="run-form"' in listing.content.decode()
    response = client.post(
        "/desk/subscribers/inspections/run",
        {"unit": "provider", "period_start": "2026-01-01", "period_end": "2026-03-01"},
    )
    assert response.status_code == 302
    inspection = SelfInspection.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-kind="rate_below_target"' in page
    finding = inspection.findings.get(kind="unregistered_without_campaign")
    action = f"/desk/subscribers/inspections/findings/{finding.pk}/action"
    assert client.post(action, {"action": "start_work"}).status_code == 302
    assert client.post(action, {"action": "close", "resolution": "nonsense"}).status_code == 400
    assert (
        client.post(action, {"action": "close", "resolution": "remedied", "note": "已发起整改活动"}).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.case is not None
    assert finding.case.state == "closed"


def test_a_bad_period_on_the_desk_names_its_field(client: Client, dataset: Dataset) -> None:
    desk(client, dataset, "compliance")
    response = client.post(
        "/desk/subscribers/inspections/run",
        {"unit": "provider", "period_start": "2026-03-01", "period_end": "2026-02-01"},
    )
    assert response.status_code == 400
    assert 'id="id_period_end_errors"' in response.content.decode()
    assert not SelfInspection.objects.exists()


def test_auditors_read_inspections_but_do_not_act(client: Client, dataset: Dataset) -> None:
    inspection = run(dataset)
    gd_finding = InspectionFinding.objects.filter(inspection=inspection).first()
    assert gd_finding is not None
    desk(client, dataset, "auditor_gd")
    # The provider's inspection lies above the auditor's branch: not theirs to read.
    assert client.get(f"/desk/subscribers/inspections/{inspection.pk}/").status_code == 404
    listing = client.get("/desk/subscribers/inspections/")
    assert listing.status_code == 200
    assert 'data-testid="run-form"' not in listing.content.decode()
    assert client.post("/desk/subscribers/inspections/run", {"unit": "gd"}).status_code == 403
    gd = self_inspection_run(
        actor=None, unit=dataset.units["gd"], period_start=PERIOD[0], period_end=timezone.localdate()
    )
    assert client.get(f"/desk/subscribers/inspections/{gd.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["clerk_a", "agent_staff", "owner"])
def test_others_cannot_open_the_inspection_pages(client: Client, dataset: Dataset, who: str) -> None:
    inspection = run(dataset)
    desk(client, dataset, who)
    assert client.get("/desk/subscribers/inspections/").status_code == 403
    assert client.get(f"/desk/subscribers/inspections/{inspection.pk}/").status_code == 404
    finding = inspection.findings.first()
    assert finding is not None
    assert (
        client.post(f"/desk/subscribers/inspections/findings/{finding.pk}/action", {"action": "start_work"}).status_code
        == 404
    )


# Every code is shown by its label ---------------------------------------------------------------------------------

SNAKE_CASE = re.compile(r"\b[A-Za-z]+(?:_[A-Za-z0-9]+)+\b")


def visible_text(content: str) -> str:
    """What the page shows: the text of its main element, without scripts, tags and attributes."""
    main = content.split("<main", 1)[1]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_inspection_pages_name_every_code(client: Client, dataset: Dataset, language: str) -> None:
    line = dataset.lines["agent-x-shop:unregistered:temporary_account"][0]
    campaign = Campaign.objects.create(
        name="2026 临时账户清理", group="temporary_account", unit=dataset.units["bj"], notice_channel="sms",
        one_way_after=5, one_way_unit="working_days", reminder_after=5, reminder_unit="working_days",
        two_way_after=5, two_way_unit="working_days", cancel_after=5, cancel_unit="working_days",
        status="running", launched_at=BUILT,
    )  # fmt: skip
    CampaignLine.objects.create(
        campaign=campaign, line=line, stage="one_way_suspended", is_open=True, next_step="reminder",
        next_step_at=NOW - dt.timedelta(days=3), entered_at=BUILT, stage_changed_at=BUILT,
    )  # fmt: skip
    # A purge as the retention run records it (counts per kind of record, the rule with its setting's name).
    PurgeRecord.objects.create(
        ran_at=NOW, rule_version=RETENTION_RULE, retention_days=730, cutoff=NOW - dt.timedelta(days=730),
        counts={"lines": 2, "lines_erased": 1, "registration_events": 3, "erased:subscribers.line": 1,
                "unused_card_readings": 4},
    )  # fmt: skip
    inspection = run(dataset)
    desk(client, dataset, "compliance")
    for url in ("/desk/subscribers/inspections/", f"/desk/subscribers/inspections/{inspection.pk}/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        assert SNAKE_CASE.findall(text) == [], url
        assert "realname." not in text
    detail = visible_text(client.get(f"/desk/subscribers/inspections/{inspection.pk}/").content.decode())
    listing = visible_text(client.get("/desk/subscribers/inspections/").content.decode())
    if language == "zh-hans":
        assert "自查规则第 1 版" in detail
        assert "临时账户" in detail
        assert "单向停机" in detail
        assert "保存期限规则第 1 版" in listing
        assert "保留但已清除个人信息的号码 1" in listing
