"""The identity check simulator over real sockets: its API, its idempotency, its state file, its page (masked
numbers only), and the ``python -m regdesk.simulators`` entry that starts it beside the JSON simulators."""

from __future__ import annotations

import ast
import base64
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regdesk.simulators.identity import IdentitySimulator, mask_id_number
from tests.fixtures.simulators import IdentitySimulatorHandle, free_simulator_ports, simulator_port_arguments

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def call(method: str, url: str, document: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = json.dumps(document).encode() if document is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def verification(person: dict[str, Any], photo: bytes | None = JPEG) -> dict[str, Any]:
    return {
        "name": person["name"],
        "id_number": person["id_number"],
        "photo": base64.b64encode(photo).decode() if photo is not None else None,
    }


@pytest.fixture
def identity(identity_simulator: IdentitySimulatorHandle) -> IdentitySimulatorHandle:
    identity_simulator.reset()
    return identity_simulator


def test_a_check_is_created_then_repeated_from_its_key(identity: IdentitySimulatorHandle) -> None:
    body = verification(identity.example("match"))
    created = call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k-1"})
    repeated = call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k-1"})
    assert created[0] == 201
    assert created[1]["result"] == "match"
    assert repeated == (200, {**created[1], "duplicate": True})


def test_a_key_reused_for_another_person_is_a_conflict(identity: IdentitySimulatorHandle) -> None:
    call("POST", f"{identity.url}/verifications", verification(identity.example("match")), {"Idempotency-Key": "k"})
    status, answer = call(
        "POST", f"{identity.url}/verifications", verification(identity.example("match", 1)), {"Idempotency-Key": "k"}
    )
    assert (status, answer["error"]["code"]) == (409, "idempotency_conflict")


@pytest.mark.parametrize(
    ("change", "headers", "status", "code"),
    [
        ({}, {}, 400, "idempotency_key"),
        ({"name": "  "}, {"Idempotency-Key": "k"}, 422, "name"),
        ({"id_number": "1101051949123100"}, {"Idempotency-Key": "k"}, 422, "id_number"),
        ({"id_number": 110105194912310021}, {"Idempotency-Key": "k"}, 422, "id_number"),
        ({"photo": "not base64!"}, {"Idempotency-Key": "k"}, 422, "photo"),
        ({"photo": base64.b64encode(b"GIF89a").decode()}, {"Idempotency-Key": "k"}, 422, "photo"),
        ({"photo": base64.b64encode(b"\xff\xd8\xff" * 200_000).decode()}, {"Idempotency-Key": "k"}, 422, "photo"),
    ],
)
def test_malformed_requests_are_refused_with_the_field(
    identity: IdentitySimulatorHandle, change: dict[str, Any], headers: dict[str, str], status: int, code: str
) -> None:
    body = {**verification(identity.example("match")), **change}
    answer = call("POST", f"{identity.url}/verifications", body, headers)
    assert (answer[0], answer[1]["error"]["code"]) == (status, code)
    assert identity.verifications() == []


def test_a_body_that_is_not_a_json_object_is_refused(identity: IdentitySimulatorHandle) -> None:
    assert call("POST", f"{identity.url}/verifications", [1], {"Idempotency-Key": "k"})[0] == 400


def test_lower_case_x_and_spaces_are_accepted(identity: IdentitySimulatorHandle) -> None:
    person = identity.example("match", 1)
    assert person["id_number"].endswith("X")
    body = {**verification(person), "id_number": f" {person['id_number'].lower()} ", "name": f" {person['name']} "}
    assert call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k"})[1]["result"] == "match"


def test_middle_dot_variants_in_names_are_the_same_name(identity: IdentitySimulatorHandle) -> None:
    person = identity.example("match", 2)
    assert "·" in person["name"]
    body = {**verification(person), "name": person["name"].replace("·", "•")}
    assert call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k"})[1]["result"] == "match"


def test_a_face_can_only_be_registered_for_someone_who_exists(identity: IdentitySimulatorHandle) -> None:
    body = {"id_number": identity.example("number_not_found")["id_number"], "photo": base64.b64encode(JPEG).decode()}
    assert call("POST", f"{identity.url}/control/faces", body)[0] == 404


def test_the_check_log_and_the_state_file_hold_no_names_or_numbers(identity: IdentitySimulatorHandle) -> None:
    person = identity.example("name_mismatch")
    call("POST", f"{identity.url}/verifications", verification(person), {"Idempotency-Key": "k-2"})
    identity.register_face(person["id_number"], JPEG)
    [check] = identity.verifications()
    assert set(check) == {"id", "idempotency_key", "result", "similarity", "received_at"}
    stored = (identity.state_dir / "identity-checks.json").read_text(encoding="utf-8")
    for secret in (person["name"], person["registered_name"], person["id_number"]):
        assert secret not in stored


def test_the_people_list_and_the_page_show_masked_numbers_only(identity: IdentitySimulatorHandle) -> None:
    with urllib.request.urlopen(f"{identity.url}/", timeout=10) as response:
        page = response.read().decode()
    listed = call("GET", f"{identity.url}/people")[1]["people"]
    assert len(listed) == len(identity.data["people"]) >= 200
    for person in identity.data["people"]:
        masked = mask_id_number(person["id_number"])
        assert person["id_number"] not in page
        assert masked in page
        assert masked == person["id_number"][:4] + "*" * 10 + person["id_number"][-4:]
    assert all("*" * 10 in entry["id_number"] for entry in listed)


def test_injected_failures_and_the_request_count(identity: IdentitySimulatorHandle) -> None:
    identity.fail_next(1, status=500)
    body = verification(identity.example("match"))
    assert call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k-3"})[0] == 500
    assert call("POST", f"{identity.url}/verifications", body, {"Idempotency-Key": "k-3"})[0] == 201
    assert identity.requests() == {"verify": 2}
    assert call("POST", f"{identity.url}/control/failures", {"count": 1, "status": 200})[0] == 400


def test_unknown_paths_are_not_found(identity: IdentitySimulatorHandle) -> None:
    assert call("GET", f"{identity.url}/nothing")[0] == 404
    assert call("POST", f"{identity.url}/nothing", {})[0] == 404


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[list[IdentitySimulator]]:
    simulators: list[IdentitySimulator] = []
    try:
        yield simulators
    finally:
        for simulator in simulators:
            simulator.stop()


def test_a_restarted_simulator_remembers_keys_and_faces(
    tmp_path: Path, restartable: list[IdentitySimulator], identity_simulator: IdentitySimulatorHandle
) -> None:
    owner, other = identity_simulator.example("match", 0), identity_simulator.example("match", 1)
    first = IdentitySimulator(port=0, state_dir=tmp_path)
    first.start()
    restartable.append(first)
    created = call("POST", f"{first.url}/verifications", verification(owner), {"Idempotency-Key": "k-4"})[1]
    face = {"id_number": owner["id_number"], "photo": base64.b64encode(JPEG).decode()}
    assert call("POST", f"{first.url}/control/faces", face)[0] == 200
    first.stop()
    restartable.remove(first)
    second = IdentitySimulator(port=0, state_dir=tmp_path)
    second.start()
    restartable.append(second)
    repeated = call("POST", f"{second.url}/verifications", verification(owner), {"Idempotency-Key": "k-4"})
    assert repeated == (200, {**created, "duplicate": True})
    mismatch = call("POST", f"{second.url}/verifications", verification(other), {"Idempotency-Key": "k-5"})[1]
    assert mismatch["result"] == "photo_mismatch"


SIMULATOR_MODULES = ("identity.py", "registry.py", "provisioning.py", "json_service.py")
ALLOWED = {"regdesk.simulators.serving", "regdesk.simulators.json_service"}


@pytest.mark.parametrize("module", SIMULATOR_MODULES)
def test_the_json_simulators_import_nothing_from_regdesk_but_the_serving_helpers(module: str) -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "regdesk" / "simulators" / module
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert {name for name in imported if name.startswith("regdesk")} <= ALLOWED
    assert "django" not in {name.split(".")[0] for name in imported}


@pytest.mark.usefixtures("default_ports_taken")
def test_module_entry_starts_the_json_simulators(tmp_path: Path) -> None:
    ports = free_simulator_ports()
    process = subprocess.Popen(
        [sys.executable, "-m", "regdesk.simulators", "--state-dir", str(tmp_path), *simulator_port_arguments(ports)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(6)]
        json_simulators = ("identity", "registry", "provisioning")
        for line, name in zip(lines[3:], json_simulators, strict=True):
            assert f"127.0.0.1:{ports[name]}" in line
        for name in json_simulators:
            with urllib.request.urlopen(f"http://127.0.0.1:{ports[name]}/", timeout=10) as response:
                assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
