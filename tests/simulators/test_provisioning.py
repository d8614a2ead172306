"""The network provisioning simulator over real sockets: requests, refusals, idempotency, its state file."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from regdesk.simulators.provisioning import ProvisioningSimulator
from tests.fixtures.simulators import ProvisioningSimulatorHandle

ACCESS = {"domains": ["Example-Tech.CN."], "ip_ranges": [{"start": "192.0.2.1", "end": "192.0.2.1"}], "enabled": True}


def call(method: str, url: str, document: Any = None, key: str | None = None) -> tuple[int, Any]:
    data = json.dumps(document).encode() if document is not None else None
    headers = {"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def network(provisioning_simulator: ProvisioningSimulatorHandle) -> ProvisioningSimulatorHandle:
    provisioning_simulator.reset()
    return provisioning_simulator


def test_access_is_stored_normalised_and_answered_with_a_receipt(network: ProvisioningSimulatorHandle) -> None:
    status, receipt = call("PUT", f"{network.url}/websites/w-1/access", ACCESS, key="k-1")
    assert status == 201
    assert set(receipt) == {"receipt_id", "reference", "kind", "applied_at", "changed", "duplicate"}
    assert (receipt["reference"], receipt["kind"], receipt["changed"]) == ("w-1", "website_access", True)
    website = network.state()["websites"]["w-1"]
    assert website["domains"] == ["example-tech.cn"]
    assert website["enabled"] is True


def test_internationalised_domains_are_kept_in_their_ascii_form(network: ProvisioningSimulatorHandle) -> None:
    call("PUT", f"{network.url}/websites/w-2/access", {**ACCESS, "domains": ["例子.中国"]}, key="k-2")
    assert network.state()["websites"]["w-2"]["domains"] == ["xn--fsqu00a.xn--fiqs8s"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"enabled": "yes"}, "enabled"),
        ({"domains": "example.cn"}, "domains"),
        ({"domains": ["localhost"]}, "domains"),
        ({"domains": ["-bad-.cn"]}, "domains"),
        ({"domains": [""]}, "domains"),
        ({"ip_ranges": [{"start": "192.0.2.9", "end": "192.0.2.1"}]}, "ip_ranges"),
        ({"ip_ranges": [{"start": "192.0.2.1"}]}, "ip_ranges"),
        ({"ip_ranges": ["192.0.2.1"]}, "ip_ranges"),
        ({"ip_ranges": []}, "enabled"),
    ],
)
def test_bad_website_requests_are_refused_with_the_field(
    network: ProvisioningSimulatorHandle, change: dict[str, Any], field: str
) -> None:
    status, answer = call("PUT", f"{network.url}/websites/w-3/access", {**ACCESS, **change}, key="k-3")
    assert (status, answer["error"]["code"]) == (422, field)
    assert network.state()["operations"] == []


def test_access_may_be_turned_off_without_domains(network: ProvisioningSimulatorHandle) -> None:
    off = {"domains": [], "ip_ranges": [], "enabled": False}
    assert call("PUT", f"{network.url}/websites/w-4/access", off, key="k-4")[0] == 201


def test_requests_need_a_key_a_reference_and_a_known_mode(network: ProvisioningSimulatorHandle) -> None:
    assert call("PUT", f"{network.url}/lines/l-1/service", {"mode": "normal"})[0] == 400
    status, answer = call("PUT", f"{network.url}/lines/%E5%BC%A0/service", {"mode": "normal"}, key="k-5")
    assert (status, answer["error"]["code"]) == (422, "reference")
    assert call("PUT", f"{network.url}/lines/l-1/service", {"mode": "off"}, key="k-6")[1]["error"]["code"] == "mode"
    assert call("PUT", f"{network.url}/lines/l-1/other", {"mode": "normal"}, key="k-7")[0] == 404
    assert network.state()["operations"] == []


def test_a_cancelled_line_refuses_every_other_mode(network: ProvisioningSimulatorHandle) -> None:
    assert call("PUT", f"{network.url}/lines/l-2/service", {"mode": "cancelled"}, key="k-8")[0] == 201
    for index, mode in enumerate(("normal", "one_way_suspended", "two_way_suspended")):
        status, answer = call("PUT", f"{network.url}/lines/l-2/service", {"mode": mode}, key=f"k-9-{index}")
        assert (status, answer["error"]["code"]) == (409, "line_cancelled")
    assert network.state()["lines"]["l-2"]["mode"] == "cancelled"


def test_a_key_is_bound_to_its_request(network: ProvisioningSimulatorHandle) -> None:
    call("PUT", f"{network.url}/lines/l-3/service", {"mode": "one_way_suspended"}, key="k-10")
    again = call("PUT", f"{network.url}/lines/l-3/service", {"mode": "one_way_suspended"}, key="k-10")
    assert (again[0], again[1]["duplicate"]) == (200, True)
    other_line = call("PUT", f"{network.url}/lines/l-4/service", {"mode": "one_way_suspended"}, key="k-10")
    assert (other_line[0], other_line[1]["error"]["code"]) == (409, "idempotency_conflict")
    assert "l-4" not in network.state()["lines"]


def test_the_page_lists_websites_lines_and_operations(network: ProvisioningSimulatorHandle) -> None:
    call("PUT", f"{network.url}/websites/w-5/access", ACCESS, key="k-11")
    call("PUT", f"{network.url}/lines/l-5/service", {"mode": "two_way_suspended"}, key="k-12")
    with urllib.request.urlopen(f"{network.url}/", timeout=10) as response:
        page = response.read().decode()
    for text in ("w-5", "example-tech.cn", "192.0.2.1-192.0.2.1", "l-5", "two_way_suspended", "prv-000002"):
        assert text in page


def test_a_restarted_simulator_keeps_its_state_and_keys(tmp_path: Path) -> None:
    first = ProvisioningSimulator(port=0, state_dir=tmp_path)
    first.start()
    try:
        receipt = call("PUT", f"{first.url}/lines/l-6/service", {"mode": "one_way_suspended"}, key="k-13")[1]
    finally:
        first.stop()
    second = ProvisioningSimulator(port=0, state_dir=tmp_path)
    second.start()
    try:
        assert call("GET", f"{second.url}/state")[1]["lines"]["l-6"]["mode"] == "one_way_suspended"
        again = call("PUT", f"{second.url}/lines/l-6/service", {"mode": "one_way_suspended"}, key="k-13")
        assert again == (200, {**receipt, "duplicate": True})
    finally:
        second.stop()


def test_reset_forgets_everything(network: ProvisioningSimulatorHandle) -> None:
    call("PUT", f"{network.url}/lines/l-7/service", {"mode": "normal"}, key="k-14")
    network.fail_next(5)
    network.reset()
    assert network.state() == {"websites": {}, "lines": {}, "operations": []}
    assert network.requests() == {}
    assert call("PUT", f"{network.url}/lines/l-7/service", {"mode": "normal"}, key="k-14")[0] == 201
