"""Imports of subscriber bases: CSV and Parquet files made here, per-row errors, idempotent re-imports, bounded
batches, the job from the desk and from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.audit.models import AuditEvent
from regdesk.rules.identity.checksums import mod_11_2_check
from regdesk.subscribers.imports.columns import COLUMNS
from regdesk.subscribers.imports.readers import Position
from regdesk.subscribers.imports.services import import_job_create, import_job_run, lines_classify
from regdesk.subscribers.models import (
    ImportJob,
    ImportRowError,
    ImportStatus,
    Line,
    LineRecord,
    LineStatus,
    RealNameState,
    Subscriber,
)
from regdesk.subscribers.services import RegistrationRefused
from tests.accounts.helpers import login_fully
from tests.subscribers.conftest import World


def resident_id(serial: int) -> str:
    body = f"11010519800101{serial:03d}"
    return body + mod_11_2_check(body)


def row(number: str, **values: Any) -> dict[str, Any]:
    """A registered line at hall-a, unless ``values`` say otherwise."""
    base: dict[str, Any] = {
        "number": number,
        "kind": "mobile",
        "payment": "prepaid",
        "status": "active",
        "outlet": "hall-a",
        "opened_at": "2012-05-01",
        "holder_kind": "individual",
        "document_type": "resident_id",
        "document_number": resident_id(int(number[-3:])),
        "name": "王小明",
        "address": "北京市朝阳区建国路1号",
        "prepaid_balance": "12.50",
        "unit_line": "0",
        "owner_not_user": "0",
    }
    return {**base, **values}


SAMPLE = [
    row("13900000001"),
    row("13900000002", name="临时账户"),
    row("13900000003", name="张三代办"),
    row("13900000004", address=""),
    row("13900000005", owner_not_user="1"),
    row("13900000006", unit_line="1", name="华信科技有限公司"),
    row("13900000007", document_number="110105198001010070"),  # wrong check character
    row("13900000008", status="one_way_suspended", name="测试"),
    row("01062345678", kind="fixed", payment="postpaid", prepaid_balance="", installation_address="北京市海淀区"),
]
EXPECTED_GROUPS = {
    "13900000001": ("registered", RealNameState.REGISTERED, LineStatus.ACTIVE),
    "13900000002": ("temporary_account", RealNameState.TEMPORARY_ACCOUNT, LineStatus.UNREGISTERED),
    "13900000003": ("temporary_account", RealNameState.TEMPORARY_ACCOUNT, LineStatus.UNREGISTERED),
    "13900000004": ("incomplete", RealNameState.INCOMPLETE, LineStatus.UNREGISTERED),
    "13900000005": ("owner_not_user", RealNameState.OWNER_NOT_USER, LineStatus.UNREGISTERED),
    "13900000006": ("unit_name", RealNameState.UNIT_NAME, LineStatus.UNREGISTERED),
    "13900000007": ("invalid_document", RealNameState.INCOMPLETE, LineStatus.UNREGISTERED),
    "13900000008": ("temporary_account", RealNameState.TEMPORARY_ACCOUNT, LineStatus.ONE_WAY_SUSPENDED),
    "01062345678": ("registered", RealNameState.REGISTERED, LineStatus.ACTIVE),
}


def write_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: [item.get(name) or None for item in rows] for name in COLUMNS})
    pq.write_table(table, path, row_group_size=4)
    return path


def run_file(world: World, path: Path, file_format: str = "csv", **options: Any) -> ImportJob:
    job = import_job_create(actor=None, unit=world.provider, file_format=file_format, path=str(path))
    return import_job_run(job=job, path=path, **options)


def line_by_number(number: str) -> Line:
    from regdesk.privacy.fields import blind_lookup

    return blind_lookup(Line.objects.exclude(status=LineStatus.CANCELLED), "number", number).get()


def assert_sample_imported(job: ImportJob) -> None:
    assert (job.status, job.rows_read, job.rows_created, job.rows_failed) == (ImportStatus.DONE, 9, 9, 0)
    for number, (group, state, status) in EXPECTED_GROUPS.items():
        line = line_by_number(number)
        assert (line.record.group, line.real_name_state, line.status) == (group, state, status), number
    registered = line_by_number("13900000001")
    assert registered.subscriber is not None
    assert registered.subscriber.name.reveal() == "王小明"
    assert line_by_number("13900000001").record.prepaid_balance_fen == 1250
    assert line_by_number("13900000002").subscriber is None
    assert job.groups == {
        "registered": 2,
        "temporary_account": 3,
        "incomplete": 1,
        "owner_not_user": 1,
        "unit_name": 1,
        "invalid_document": 1,
    }


def test_a_csv_base_is_imported_and_every_line_classified(world: World, tmp_path: Path) -> None:
    job = run_file(world, write_csv(tmp_path / "base.csv", SAMPLE))
    assert_sample_imported(job)
    record = line_by_number("13900000003").record
    assert record.reasons == ["agent_name"]
    assert record.name is not None
    assert record.name.reveal() == "张三代办"


def test_a_parquet_base_is_imported_the_same_way(world: World, tmp_path: Path) -> None:
    job = run_file(world, write_parquet(tmp_path / "base.parquet", SAMPLE), "parquet")
    assert_sample_imported(job)
    assert job.rows_total == 9


def test_personal_values_are_sealed_in_the_database(world: World, tmp_path: Path) -> None:
    from django.db import connection

    run_file(world, write_csv(tmp_path / "base.csv", SAMPLE))
    with connection.cursor() as cursor:
        for table in ("subscribers_line", "subscribers_linerecord", "subscribers_subscriber"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert "13900000001" not in dump
            assert "王小明" not in dump
            assert resident_id(1) not in dump
    for event in AuditEvent.objects.filter(action__startswith="line_import"):
        assert "13900000001" not in repr(event.changes)


def test_bad_rows_are_refused_one_by_one_without_their_values(world: World, tmp_path: Path) -> None:
    rows = [
        row("13900000011"),
        row("1390000001", name="李四"),  # ten digits
        row("13900000013", kind="satellite"),
        row("13900000014", prepaid_balance="-3"),
        row("13900000015", outlet="nowhere"),
        row("13900000016", opened_at="2012-13-45", status=""),
        row("13900000017", unit_line="maybe"),
        row("13900000018"),
    ]
    job = run_file(world, write_csv(tmp_path / "base.csv", rows))
    assert (job.status, job.rows_created, job.rows_failed) == (ImportStatus.DONE, 2, 6)
    errors = {(error.row_number, error.field, error.code) for error in ImportRowError.objects.filter(job=job)}
    assert errors == {
        (2, "number", "format"),
        (3, "kind", "unknown"),
        (4, "prepaid_balance", "invalid"),
        (5, "outlet", "unknown"),
        (6, "status", "required"),
        (6, "opened_at", "invalid"),
        (7, "unit_line", "invalid"),
    }
    texts = repr(list(ImportRowError.objects.values_list("field", "code")))
    assert "1390000001" not in texts
    assert "李四" not in texts


def test_a_reimport_updates_the_same_lines(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "base.csv", SAMPLE)
    run_file(world, path)
    changed = [row("13900000002", name="赵六", prepaid_balance="3.00"), *SAMPLE[2:]]
    second = run_file(world, write_csv(tmp_path / "again.csv", changed))
    assert (second.rows_created, second.rows_updated) == (0, 8)
    assert Line.objects.count() == 9
    assert LineRecord.objects.count() == 9
    line = line_by_number("13900000002")
    assert (line.record.group, line.status, line.record.prepaid_balance_fen) == ("registered", "active", 300)
    assert line.subscriber is not None
    third = run_file(world, path)
    assert (third.rows_created, third.rows_updated, Line.objects.count()) == (0, 9, 9)
    assert line_by_number("13900000002").record.group == "temporary_account"


def test_a_number_repeated_in_the_file_keeps_its_last_row(world: World, tmp_path: Path) -> None:
    rows = [row("13900000021", name="临时账户"), row("13900000021")]
    job = run_file(world, write_csv(tmp_path / "base.csv", rows))
    assert job.rows_created == 1
    assert line_by_number("13900000021").record.group == "registered"


def test_the_importer_holds_one_batch_at_a_time(world: World, tmp_path: Path) -> None:
    rows = [row(f"139000{serial:05d}") for serial in range(100, 153)]
    files = [(write_csv(tmp_path / "b.csv", rows), "csv"), (write_parquet(tmp_path / "b.parquet", rows), "parquet")]
    for path, file_format in files:
        sizes: list[int] = []
        read_at_hand_over: list[int] = []

        def on_batch(
            size: int, position: Position, sizes: list[int] = sizes, read: list[int] = read_at_hand_over
        ) -> None:
            sizes.append(size)
            read.append(position.rows_read)

        job = import_job_create(actor=None, unit=world.provider, file_format=file_format, path=str(path))
        import_job_run(job=job, path=path, batch_size=5, on_batch=on_batch)
        assert sum(sizes) == 53
        assert max(sizes) <= 5
        # Streaming: when a batch is handed over, the reader has read that batch and nothing beyond it.
        assert read_at_hand_over == [sum(sizes[: index + 1]) for index in range(len(sizes))]
    assert Line.objects.count() == 53


def test_a_file_without_a_required_column_fails_the_job(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "base.csv", SAMPLE, columns=tuple(c for c in COLUMNS if c != "outlet"))
    job = run_file(world, path)
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "column_missing")
    assert not Line.objects.exists()


def test_a_broken_encoding_fails_the_job_after_the_good_batches(world: World, tmp_path: Path) -> None:
    # Larger than the decoder's chunks, so that the good rows before the broken bytes are read first.
    path = write_csv(tmp_path / "base.csv", [row(f"139000{serial:05d}") for serial in range(200, 500)])
    with path.open("ab") as handle:
        handle.write(b"\xff\xfe\xfa,broken\n")
    job = run_file(world, path, batch_size=50)
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "encoding")
    assert Line.objects.count() >= 200
    assert ImportRowError.objects.get(job=job).field == "file"


def test_classification_runs_again(world: World, tmp_path: Path) -> None:
    run_file(world, write_csv(tmp_path / "base.csv", SAMPLE))
    record = line_by_number("13900000005").record
    LineRecord.objects.filter(pk=record.pk).update(owner_not_user=False)
    totals = lines_classify(actor=None)
    assert totals["owner_not_user"] == 0
    line = line_by_number("13900000005")
    assert (line.record.group, line.real_name_state, line.status) == ("registered", "registered", "active")


def test_a_counter_clerk_may_not_import(world: World, tmp_path: Path) -> None:
    with pytest.raises(RegistrationRefused) as raised:
        import_job_create(actor=world.clerk, unit=world.provider, file_format="csv", path=str(tmp_path))
    assert raised.value.code == "forbidden"
    assert not ImportJob.objects.exists()


def _upload(content: bytes, name: str = "base.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_an_upload_at_the_desk_runs_as_a_job_whose_page_shows_progress(
    world: World, client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    login_fully(client, world.compliance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("subscribers_campaigns:import_list"),
            {"unit": world.provider.code, "file_format": "csv", "file": _upload(_csv_bytes(SAMPLE))},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.rows_created, job.stored_file) == (ImportStatus.DONE, 9, "")
    page = client.get(reverse("subscribers_campaigns:import_detail", args=[job.pk]))
    assert page.status_code == 200
    progress = client.get(reverse("subscribers_campaigns:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200
    assert b"100%" in progress.content


@pytest.mark.parametrize("who", ["clerk", "anonymous"])
def test_the_import_pages_are_closed_to_others(world: World, client: Client, tmp_path: Path, who: str) -> None:
    job = run_file(world, write_csv(tmp_path / "base.csv", SAMPLE[:1]))
    if who == "clerk":
        login_fully(client, world.clerk)
    before = ImportJob.objects.count()
    post = client.post(
        reverse("subscribers_campaigns:import_list"),
        {"unit": world.provider.code, "file_format": "csv", "file": _upload(_csv_bytes(SAMPLE))},
    )
    assert post.status_code in (302, 403, 404)
    if who == "clerk":
        assert post.status_code == 403
    assert ImportJob.objects.count() == before
    detail = client.get(reverse("subscribers_campaigns:import_detail", args=[job.pk]))
    assert detail.status_code in (302, 404)


def test_a_bad_upload_names_the_field_and_creates_no_job(world: World, client: Client) -> None:
    login_fully(client, world.compliance)
    response = client.post(
        reverse("subscribers_campaigns:import_list"), {"unit": world.provider.code, "file_format": "xlsx"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "file_format" in form.errors
    assert "file" in form.errors
    assert not ImportJob.objects.exists()


def test_the_command_imports_and_prints_a_summary(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "base.csv", [*SAMPLE, row("139", name="x")])
    call_command("lines", "import", str(path), "--unit", world.provider.code, "--no-progress")
    output = capsys.readouterr().out
    assert "lines created 9" in output
    assert "rows refused 1" in output
    assert "row 10: number: format" in output
    assert Subscriber.objects.count() >= 1


def test_the_command_refuses_bad_usage_and_reports_a_failed_file(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as missing:
        call_command("lines", "import", str(tmp_path / "none.csv"))
    assert missing.value.returncode == 2
    broken = write_csv(tmp_path / "base.csv", SAMPLE, columns=("number", "kind"))
    with pytest.raises(CommandError) as failed:
        call_command("lines", "import", str(broken), "--unit", world.provider.code, "--no-progress")
    assert failed.value.returncode == 1


def test_the_classify_command_prints_lines_per_group(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_file(world, write_csv(tmp_path / "base.csv", SAMPLE))
    call_command("lines", "classify", "--unit", world.provider.code)
    output = capsys.readouterr().out
    assert "temporary_account: 3" in output
    assert "registered: 2" in output
