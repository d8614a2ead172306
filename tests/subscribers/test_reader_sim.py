"""``regdesk reader-sim`` (the desk's ID-card reader, simulated) and ``regdesk readers`` (its enrolment)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regdesk.cli import main as regdesk
from regdesk.simulators import card_reader as reader_sim
from regdesk.simulators.face_match import face_mark
from regdesk.subscribers import readers
from regdesk.subscribers.models import CardReader
from regdesk.subscribers.services import reading_verify
from tests.subscribers.conftest import World


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = regdesk(["reader-sim", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_enrol_keeps_the_key_private_and_prints_the_public_half(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--keys-dir", str(tmp_path), "enrol", "--outlet", "hall-a")
    assert code == 0
    details = json.loads(out)
    assert details["device_id"] == readers.device_id_for(details["public_key"])
    key_file = tmp_path / f"{details['device_id']}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key_file.read_bytes()
    assert "PRIVATE" not in out
    assert f"regdesk readers enrol --device {details['device_id']}" in err


def test_a_reading_verifies_with_the_enrolled_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "--keys-dir", str(tmp_path), "enrol", "--outlet", "hall-a")
    device = json.loads(out)
    code, out, _err = run(capsys, "--keys-dir", str(tmp_path), "read", "--device", device["device_id"], "--sample", "3")
    assert code == 0
    document = json.loads(out)
    reading, signature = readers.parse_signed_reading(document)
    assert readers.signature_valid(reading, signature, device["public_key"])
    person = reader_sim.sample_people()[3]
    assert (reading["id_number"], reading["name"], reading["device_id"]) == (
        person["id_number"],
        person["name"],
        device["device_id"],
    )


def test_people_are_listed_with_masked_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "people", "--limit", "3")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    for line, person in zip(lines, reader_sim.sample_people(), strict=False):
        assert person["id_number"] not in line
        assert person["name"] in line


def test_the_camera_photo_shows_the_same_face_as_the_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "live.jpg"
    assert run(capsys, "photo", "--sample", "5", "--output", str(output))[0] == 0
    card = reader_sim.card_of(reader_sim.sample_people()[5])
    assert face_mark(output.read_bytes()) == card["face_id"]
    assert face_mark(reader_sim.face_photo(card["face_id"])) == card["face_id"]
    assert output.read_bytes() != reader_sim.face_photo(card["face_id"])


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        (("read", "--device", "rd-missing", "--sample", "1"), 1),
        (("read", "--device", "../etc", "--sample", "1"), 1),
        (("read", "--sample", "1"), 2),
        (("photo", "--sample", "100000", "--output", "-"), 2),
        (("bogus",), 2),
    ],
)
def test_usage_errors_and_unknown_devices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: tuple[str, ...], code: int
) -> None:
    assert run(capsys, "--keys-dir", str(tmp_path), *arguments)[0] == code


def test_a_person_file_can_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "--keys-dir", str(tmp_path), "enrol", "--outlet", "hall-a")
    device = json.loads(out)
    person_file = tmp_path / "person.json"
    person_file.write_text(json.dumps({"id_number": "11010519491231002X", "name": "张三"}), encoding="utf-8")
    code, out, _err = run(
        capsys, "--keys-dir", str(tmp_path), "read", "--device", device["device_id"], "--person", str(person_file)
    )
    assert code == 0
    reading = json.loads(out)["reading"]
    assert (reading["sex"], reading["birth_date"], reading["valid_until"]) == ("女", "1949-12-31", "long_term")
    assert reading["issuing_authority"].endswith("分局")


@pytest.mark.django_db
def test_the_readers_command_enrols_a_simulated_device(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run(capsys, "--keys-dir", str(tmp_path), "enrol", "--outlet", world.outlet.code)
    device = json.loads(out)
    call_command("readers", "enrol", "--device", device["device_id"], "--keys-dir", str(tmp_path))
    reader = CardReader.objects.get(device_id=device["device_id"])
    assert (reader.outlet, reader.active, reader.enrolled_by) == (world.outlet, True, None)
    details, key = reader_sim.load_device(tmp_path, device["device_id"])
    document = reader_sim.build_reading(
        reader_sim.card_of(reader_sim.sample_people()[0]), device_id=details["device_id"], private_key=key
    )
    assert reading_verify(actor=world.clerk, outlet=world.outlet, document=document)
    call_command("readers", "deactivate", device["device_id"], "--reason", "moved to the store room")
    assert not CardReader.objects.get(device_id=device["device_id"]).active
    with pytest.raises(CommandError):
        call_command("readers", "enrol", "--device", "rd-none", "--keys-dir", str(tmp_path))


def test_the_simulator_and_the_server_agree_on_the_card_validity_rule() -> None:
    """The reader simulator keeps its own copy of the issuing authority's rule (it imports only ``regdesk.rules``)."""
    from regdesk.subscribers.rules import card_validity_years

    assert [reader_sim.card_validity_years(age) for age in range(120)] == [
        card_validity_years(age) for age in range(120)
    ]
    assert reader_sim.CARD_FIELDS == readers.CARD_FIELDS
    assert reader_sim.LONG_TERM == readers.LONG_TERM
