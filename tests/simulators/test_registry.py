"""The enterprise registry simulator over real sockets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from regdesk.simulators.registry import RegistrySimulator
from tests.fixtures.simulators import RegistrySimulatorHandle


def call(method: str, url: str, document: Any = None) -> tuple[int, Any]:
    data = json.dumps(document).encode() if document is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def registry(registry_simulator: RegistrySimulatorHandle) -> RegistrySimulatorHandle:
    registry_simulator.reset()
    return registry_simulator


def verify(registry: RegistrySimulatorHandle, **document: str) -> tuple[int, Any]:
    return call("POST", f"{registry.url}/enterprises/verify", document)


def test_lookup_answers_found_or_not_found(registry: RegistrySimulatorHandle) -> None:
    known, unknown = registry.example("match")["uscc"], registry.example("not_found")["uscc"]
    status, answer = call("GET", f"{registry.url}/enterprises/{known}")
    assert (status, answer["found"], answer["enterprise"]["uscc"]) == (200, True, known)
    assert call("GET", f"{registry.url}/enterprises/{unknown}") == (200, {"found": False})
    assert registry.requests() == {"lookup": 2}


@pytest.mark.parametrize("code", ["91110108MA01ABCD2", "91110108MA01ABCDOX", "%20"])
def test_lookup_refuses_what_is_not_a_code(registry: RegistrySimulatorHandle, code: str) -> None:
    status, answer = call("GET", f"{registry.url}/enterprises/{code}")
    assert (status, answer["error"]["code"]) == (422, "uscc")


def test_the_order_of_the_checks(registry: RegistrySimulatorHandle) -> None:
    closed = registry.example("deregistered")
    # A closed enterprise is reported as closed even when the name given is wrong too.
    status, answer = verify(registry, uscc=closed["uscc"], name="别的名称有限公司", legal_representative="某某")
    assert (status, answer) == (200, {"result": "deregistered", "status": "deregistered"})
    active = registry.example("match")
    answer = verify(registry, uscc=active["uscc"], name="别的名称有限公司", legal_representative="某某")[1]
    assert answer == {"result": "name_mismatch", "status": "active"}


def test_names_are_compared_without_width_or_spaces(registry: RegistrySimulatorHandle) -> None:
    enterprise = registry.example("match", 1)
    spaced = " ".join(enterprise["name"])
    answer = verify(registry, uscc=enterprise["uscc"].lower(), name=spaced, legal_representative="X")[1]
    # The name passes, so the check reaches the legal representative.
    assert answer["result"] == "representative_mismatch"
    answer = verify(
        registry,
        uscc=enterprise["uscc"],
        name=spaced,
        legal_representative=f" {enterprise['legal_representative']} ",
    )[1]
    assert answer["result"] == "match"


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"name": "某公司", "legal_representative": "某"}, "uscc"),
        ({"uscc": "91110108MA01ABCD2X", "legal_representative": "某"}, "name"),
        ({"uscc": "91110108MA01ABCD2X", "name": "某公司", "legal_representative": ""}, "legal_representative"),
        ({"uscc": "NOT-A-CODE", "name": "某公司", "legal_representative": "某"}, "uscc"),
    ],
)
def test_verify_refuses_missing_fields(registry: RegistrySimulatorHandle, document: dict[str, str], field: str) -> None:
    status, answer = call("POST", f"{registry.url}/enterprises/verify", document)
    assert (status, answer["error"]["code"]) == (422, field)


def test_the_list_and_the_page_show_the_register(registry: RegistrySimulatorHandle) -> None:
    listed = call("GET", f"{registry.url}/enterprises")[1]["enterprises"]
    assert [item["uscc"] for item in listed] == [item["uscc"] for item in registry.data["enterprises"]]
    with urllib.request.urlopen(f"{registry.url}/", timeout=10) as response:
        page = response.read().decode()
    assert all(item["uscc"] in page for item in registry.data["enterprises"])
    assert "注销" in page
    assert "吊销" in page


def test_injected_failures(registry: RegistrySimulatorHandle) -> None:
    registry.fail_next(1, status=503)
    enterprise = registry.example("match")
    assert call("GET", f"{registry.url}/enterprises/{enterprise['uscc']}")[0] == 503
    assert call("GET", f"{registry.url}/enterprises/{enterprise['uscc']}")[0] == 200
    assert registry.requests() == {"lookup": 2}


def test_another_data_file_can_be_served(tmp_path: Path, registry: RegistrySimulatorHandle) -> None:
    [first, *_rest] = registry.data["enterprises"]
    data_file = tmp_path / "register.json"
    data_file.write_text(json.dumps({"enterprises": [first], "examples": {}}), encoding="utf-8")
    simulator = RegistrySimulator(port=0, data_file=data_file)
    simulator.start()
    try:
        assert len(call("GET", f"{simulator.url}/enterprises")[1]["enterprises"]) == 1
    finally:
        simulator.stop()
