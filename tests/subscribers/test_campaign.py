"""Remediation campaigns: steps on working or calendar days with frozen time (across the National Day holiday),
service restored at once on registration (the provisioning simulator's state over its socket), no fees while
suspended, the refund on cancellation, withdrawal, and the desk pages' permissions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.accounts.roles import Role
from regdesk.cases.models import Case
from regdesk.subscribers.campaigns.selectors import billing_held
from regdesk.subscribers.campaigns.services import (
    Intervals,
    campaign_close,
    campaign_create,
    campaign_launch,
    campaign_line_withdraw,
    campaign_sweep,
)
from regdesk.subscribers.models import (
    BillingEventKind,
    Campaign,
    CampaignLetter,
    CampaignLine,
    CampaignStatus,
    Line,
    LineBillingEvent,
    LineStatus,
    Stage,
)
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    LineRequest,
    RegistrationRefused,
    registration_check,
    registration_complete,
    registration_start,
)
from tests.accounts.helpers import login_fully, make_unit, make_user
from tests.fixtures.simulators import ProvisioningSimulatorHandle, SmsSimulatorHandle
from tests.subscribers.conftest import World, live_photo, read_card, valid_people
from tests.subscribers.test_import import line_by_number, row, run_file, write_csv

SHANGHAI = ZoneInfo("Asia/Shanghai")
Checks = Any


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def mode_of(simulator: ProvisioningSimulatorHandle, line: Line) -> str | None:
    entry = simulator.state()["lines"].get(f"line-{line.pk}")
    return None if entry is None else str(entry["mode"])


def intervals(**changes: Any) -> Intervals:
    values: dict[str, Any] = {
        "one_way_after": 5,
        "one_way_unit": "working_days",
        "reminder_after": 2,
        "reminder_unit": "calendar_days",
        "two_way_after": 3,
        "two_way_unit": "working_days",
        "cancel_after": 10,
        "cancel_unit": "calendar_days",
    }
    return Intervals(**{**values, **changes})


def launched(world: World, capture: DjangoCaptureOnCommitCallbacks, **changes: Any) -> Campaign:
    campaign = campaign_create(
        actor=world.compliance,
        unit=world.provider,
        name="临时账户补登记",
        group="temporary_account",
        notice_channel="sms",
        intervals=intervals(**changes),
    )
    with capture(execute=True):
        campaign_launch(actor=world.compliance, campaign=campaign)
    return campaign


def sweep(capture: DjangoCaptureOnCommitCallbacks) -> list[str]:
    with capture(execute=True):
        report = campaign_sweep()
    return [step for _entry, step in report.fired]


@pytest.fixture
def outside(
    use_provisioning_simulator: ProvisioningSimulatorHandle, use_sms_simulator: SmsSimulatorHandle
) -> tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle]:
    return use_provisioning_simulator, use_sms_simulator


def test_working_day_steps_wait_out_the_national_day_holiday(
    world: World,
    tmp_path: Path,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    network, sms = outside
    capture = django_capture_on_commit_callbacks
    # Friday 26 September 2025. Sunday 28 September is a make-up working day; 1-8 October are off.
    with time_machine.travel(at(2025, 9, 26, 10, 0), tick=False) as clock:
        run_file(world, write_csv(tmp_path / "base.csv", [row("13900000101", name="临时账户"), row("13900000102")]))
        launched(world, capture)
        entry = CampaignLine.objects.get()
        line = entry.line
        assert line == line_by_number("13900000101")
        # 5 working days: 28, 29, 30 September, 9 and 10 October.
        assert entry.next_step_at == at(2025, 10, 10, 23, 59, 59)
        assert [message["to"][-11:] for message in sms.messages()] == ["13900000101"]

        clock.move_to(at(2025, 10, 10, 12, 0))
        assert sweep(capture) == []
        assert mode_of(network, line) is None
        clock.move_to(at(2025, 10, 11, 0, 0, 30))
        assert sweep(capture) == ["one_way"]
        line.refresh_from_db()
        assert line.status == LineStatus.ONE_WAY_SUSPENDED
        assert mode_of(network, line) == "one_way_suspended"
        assert billing_held(line)

        # The reminder 2 calendar days later, to the minute.
        clock.move_to(at(2025, 10, 13, 0, 0, 29))
        assert sweep(capture) == []
        clock.move_to(at(2025, 10, 13, 0, 0, 31))
        assert sweep(capture) == ["reminder"]
        assert len(sms.messages()) == 2
        # 3 working days after Monday 13 October: the end of Thursday 16 October.
        clock.move_to(at(2025, 10, 16, 23, 0))
        assert sweep(capture) == []
        clock.move_to(at(2025, 10, 17, 0, 0, 1))
        assert sweep(capture) == ["two_way"]
        assert mode_of(network, line) == "two_way_suspended"
        # Cancellation 10 calendar days later; the prepaid balance (12.50 yuan) is refunded.
        clock.move_to(at(2025, 10, 27, 0, 0, 2))
        assert sweep(capture) == ["cancel"]
        line.refresh_from_db()
        assert line.status == LineStatus.CANCELLED
        assert mode_of(network, line) == "cancelled"
        refund = LineBillingEvent.objects.get(line=line, kind=BillingEventKind.REFUND)
        assert refund.amount_fen == 1250
        entry.refresh_from_db()
        assert (entry.stage, entry.is_open) == (Stage.CANCELLED, False)
        assert entry.case is not None
        assert Case.objects.get(pk=entry.case.pk).state == "cancelled"
        clock.move_to(at(2025, 12, 1, 0, 0))
        assert sweep(capture) == []


def test_calendar_days_run_through_the_holiday(
    world: World,
    tmp_path: Path,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    network, _sms = outside
    with time_machine.travel(at(2025, 9, 26, 10, 0), tick=False) as clock:
        run_file(world, write_csv(tmp_path / "base.csv", [row("13900000111", name="临时账户")]))
        launched(world, django_capture_on_commit_callbacks, one_way_unit="calendar_days")
        entry = CampaignLine.objects.get()
        assert entry.next_step_at == at(2025, 10, 1, 10, 0)
        clock.move_to(at(2025, 10, 1, 9, 59))
        assert sweep(django_capture_on_commit_callbacks) == []
        clock.move_to(at(2025, 10, 1, 10, 0, 1))
        assert sweep(django_capture_on_commit_callbacks) == ["one_way"]
        assert mode_of(network, entry.line) == "one_way_suspended"


def register_again(world: World, line: Line, who: dict[str, Any]) -> None:
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="re_registration",
        line=LineRequest(target_line=line),
        identity=IdentityCapture(subscriber=DocumentInput(reading=read_card(world, who))),
    )
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    registration_complete(actor=world.clerk, registration=registration)


def test_a_registration_during_suspension_restores_service_at_once(
    world: World,
    tmp_path: Path,
    checks: Checks,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    network, _sms = outside
    capture = django_capture_on_commit_callbacks
    start = timezone.now().astimezone(SHANGHAI).replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        run_file(world, write_csv(tmp_path / "base.csv", [row("13900000121", name="临时账户")]))
        launched(world, capture, one_way_after=1, one_way_unit="calendar_days")
        line = line_by_number("13900000121")
        clock.move_to(start + dt.timedelta(days=1, minutes=1))
        assert sweep(capture) == ["one_way"]
        assert mode_of(network, line) == "one_way_suspended"
        assert billing_held(line)

        with capture(execute=True):
            register_again(world, line, valid_people(checks[0], 1)[0])
        # No sweep: the registration itself sent the command once it committed.
        assert mode_of(network, line) == "normal"
        line.refresh_from_db()
        assert (line.status, line.real_name_state) == (LineStatus.ACTIVE, "registered")
        entry = CampaignLine.objects.get(line=line)
        assert (entry.stage, entry.is_open, entry.billing_held) == (Stage.REGISTERED, False, False)
        assert not billing_held(line)
        kinds = list(LineBillingEvent.objects.filter(line=line).values_list("kind", flat=True))
        assert kinds == [BillingEventKind.HOLD, BillingEventKind.RELEASE]
        # The steps stop: nothing fires later.
        clock.move_to(start + dt.timedelta(days=90))
        assert sweep(capture) == []
        assert mode_of(network, line) == "normal"


def test_a_line_taken_over_suspended_is_restored_when_registered(
    world: World,
    tmp_path: Path,
    checks: Checks,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    network, _sms = outside
    run_file(world, write_csv(tmp_path / "base.csv", [row("13900000131", name="临时账户", status="two_way_suspended")]))
    line = line_by_number("13900000131")
    with django_capture_on_commit_callbacks(execute=True):
        register_again(world, line, valid_people(checks[0], 1, skip=1)[0])
    assert mode_of(network, line) == "normal"


def test_no_fees_are_charged_while_suspended_and_withdrawal_restores(
    world: World,
    tmp_path: Path,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    network, _sms = outside
    capture = django_capture_on_commit_callbacks
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        run_file(world, write_csv(tmp_path / "base.csv", [row("13900000141", name="临时账户")]))
        launched(world, capture, one_way_after=1, one_way_unit="calendar_days")
        line = line_by_number("13900000141")
        assert not billing_held(line)
        clock.move_to(start + dt.timedelta(days=1, seconds=1))
        sweep(capture)
        assert billing_held(line)
        entry = CampaignLine.objects.get(line=line)
        with pytest.raises(RegistrationRefused) as refused:
            campaign_line_withdraw(actor=world.clerk, entry=entry, reason="registered elsewhere")
        assert refused.value.code == "forbidden"
        assert billing_held(line)
        with capture(execute=True):
            campaign_line_withdraw(actor=world.compliance, entry=entry, reason="wrongly classified")
        assert not billing_held(line)
        assert mode_of(network, line) == "normal"
        line.refresh_from_db()
        assert line.status == LineStatus.UNREGISTERED


def test_a_letter_campaign_writes_letters_and_closing_withdraws_every_line(
    world: World,
    tmp_path: Path,
    outside: tuple[ProvisioningSimulatorHandle, SmsSimulatorHandle],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _network, sms = outside
    run_file(world, write_csv(tmp_path / "base.csv", [row(f"139000002{n:02d}", address="") for n in range(3)]))
    campaign = campaign_create(
        actor=world.compliance,
        unit=world.provider,
        name="资料不全",
        group="incomplete",
        notice_channel="letter",
        intervals=intervals(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign_launch(actor=world.compliance, campaign=campaign)
    assert CampaignLetter.objects.filter(entry__campaign=campaign, step="notice").count() == 3
    assert sms.messages() == []
    with django_capture_on_commit_callbacks(execute=True):
        campaign_close(actor=world.compliance, campaign=campaign)
    assert set(CampaignLine.objects.values_list("stage", flat=True)) == {Stage.WITHDRAWN}
    assert Campaign.objects.get().status == CampaignStatus.CLOSED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"one_way_after": 0}, "one_way_after"),
        ({"cancel_after": 400}, "cancel_after"),
        ({"two_way_unit": "fortnights"}, "two_way_unit"),
    ],
)
def test_bad_intervals_name_their_field_and_create_nothing(world: World, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(RegistrationRefused) as refused:
        campaign_create(
            actor=world.compliance,
            unit=world.provider,
            name="x",
            group="incomplete",
            notice_channel="sms",
            intervals=intervals(**changes),
        )
    assert refused.value.field == field
    assert not Campaign.objects.exists()


def test_registered_lines_are_no_campaign_group(world: World) -> None:
    with pytest.raises(RegistrationRefused) as refused:
        campaign_create(
            actor=world.compliance,
            unit=world.provider,
            name="x",
            group="registered",
            notice_channel="sms",
            intervals=intervals(),
        )
    assert refused.value.field == "group"


def _form(world: World) -> dict[str, Any]:
    return {
        "name": "单位卡整治",
        "group": "unit_name",
        "unit": world.provider.code,
        "notice_channel": "sms",
        **dict(intervals().__dict__.items()),
    }


def test_a_compliance_officer_creates_launches_and_follows_a_campaign(
    world: World,
    client: Client,
    tmp_path: Path,
    outside: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    run_file(world, write_csv(tmp_path / "base.csv", [row("13900000301", unit_line="1", name="城建集团")]))
    login_fully(client, world.compliance)
    assert client.get(reverse("subscribers_campaigns:campaign_list")).status_code == 200
    created = client.post(reverse("subscribers_campaigns:campaign_new"), _form(world))
    assert created.status_code == 302
    campaign = Campaign.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        launch = client.post(reverse("subscribers_campaigns:campaign_launch", args=[campaign.pk]))
    assert launch.status_code == 302
    page = client.get(reverse("subscribers_campaigns:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    assert b'data-stage="notified"><td>' in page.content
    progress = page.context["progress"]
    assert {value: count for value, _label, count in progress.stages}["notified"] == 1
    lines = client.get(reverse("subscribers_campaigns:group_lines", args=["unit_name"]))
    assert lines.status_code == 200
    assert b"13900000301" not in lines.content  # masked
    assert b"139****0301" in lines.content


def test_a_bad_campaign_form_names_the_field(world: World, client: Client) -> None:
    login_fully(client, world.compliance)
    response = client.post(reverse("subscribers_campaigns:campaign_new"), {**_form(world), "one_way_after": "-1"})
    assert response.status_code == 200
    assert "one_way_after" in response.context["form"].errors
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "auditor", "other_officer", "anonymous"])
def test_the_campaign_pages_refuse_others_and_change_nothing(world: World, client: Client, who: str) -> None:
    campaign = campaign_create(
        actor=world.compliance,
        unit=world.outlet,
        name="x",
        group="incomplete",
        notice_channel="sms",
        intervals=intervals(),
    )
    users = {
        "clerk": world.clerk,
        "auditor": make_user("auditor", (world.provider, Role.AUDITOR)),
        "other_officer": make_user("officer-b", (world.other_outlet, Role.COMPLIANCE_OFFICER)),
    }
    if who in users:
        login_fully(client, users[who])
    detail = client.get(reverse("subscribers_campaigns:campaign_detail", args=[campaign.pk]))
    create = client.post(reverse("subscribers_campaigns:campaign_new"), _form(world))
    launch = client.post(reverse("subscribers_campaigns:campaign_launch", args=[campaign.pk]))
    if who == "anonymous":
        assert {detail.status_code, create.status_code, launch.status_code} == {302}
    elif who == "auditor":
        assert (detail.status_code, create.status_code, launch.status_code) == (200, 403, 403)
    elif who == "other_officer":
        # Sees neither the campaign (another unit's) nor can create one for the provider.
        assert detail.status_code == 404
        assert launch.status_code == 404
        assert create.status_code == 200
        assert "unit" in create.context["form"].errors
    else:
        assert (detail.status_code, create.status_code, launch.status_code) == (404, 403, 404)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert Campaign.objects.count() == 1


def test_units_outside_the_campaign_are_not_enrolled(
    world: World,
    tmp_path: Path,
    outside: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    rows = [row("13900000401", name="临时账户"), row("13900000402", name="临时账户", outlet="hall-b")]
    run_file(world, write_csv(tmp_path / "base.csv", rows))
    other_branch = make_unit("sh-branch", parent=world.provider)
    assert other_branch.parent_id == world.provider.pk
    campaign = campaign_create(
        actor=world.compliance,
        unit=world.outlet,
        name="hall a",
        group="temporary_account",
        notice_channel="sms",
        intervals=intervals(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign_launch(actor=world.compliance, campaign=campaign)
    assert [entry.line.outlet.code for entry in CampaignLine.objects.select_related("line__outlet")] == ["hall-a"]


def test_the_sweep_command_takes_due_steps_and_refuses_bad_usage(
    world: World,
    tmp_path: Path,
    outside: Any,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management import CommandError, call_command

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        run_file(world, write_csv(tmp_path / "base.csv", [row("13900000501", name="临时账户")]))
        launched(world, django_capture_on_commit_callbacks, one_way_after=1, one_way_unit="calendar_days")
        clock.move_to(start + dt.timedelta(days=1, seconds=5))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("campaign", "sweep")
        assert "steps taken 1" in capsys.readouterr().out
        call_command("campaign", "list")
        assert "one_way_suspended 1" in capsys.readouterr().out
    with pytest.raises(CommandError) as refused:
        call_command("campaign", "sweep", "--loop", "0")
    assert refused.value.returncode == 2
