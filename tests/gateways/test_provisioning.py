"""The HTTP provisioning adapter against the network provisioning simulator over real sockets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.provisioning import (
    LINE_MODES,
    HttpProvisioningGateway,
    LineCancelledError,
    LineMode,
    ProvisioningReceipt,
    get_provisioning_gateway,
)
from tests.fixtures.simulators import ProvisioningSimulatorHandle

DOMAINS = ("www.example-tech.cn", "example-tech.cn")
RANGES = (("192.0.2.10", "192.0.2.20"), ("2001:db8::1", "2001:db8::ff"))


@pytest.fixture
def network(provisioning_simulator: ProvisioningSimulatorHandle) -> ProvisioningSimulatorHandle:
    provisioning_simulator.reset()
    return provisioning_simulator


def gateway(url: str, attempts: int = 3, timeout_seconds: float = 5) -> HttpProvisioningGateway:
    return HttpProvisioningGateway(
        base_url=url, timeout_seconds=timeout_seconds, attempts=attempts, backoff_seconds=0.01
    )


def open_access(url: str, key: str, enabled: bool = True, **overrides: Any) -> ProvisioningReceipt:
    arguments: dict[str, Any] = {"website_ref": "website-41", "domains": DOMAINS, "ip_ranges": RANGES}
    arguments.update(overrides)
    return gateway(url).website_access(enabled=enabled, idempotency_key=key, **arguments)


def test_access_is_turned_on_with_its_domains_and_ranges(network: ProvisioningSimulatorHandle) -> None:
    receipt = open_access(network.url, "a-1")
    assert (receipt.reference, receipt.changed, receipt.duplicate) == ("website-41", True, False)
    assert receipt.applied_at.tzinfo is not None
    assert receipt.applied_at.utcoffset() == dt.timedelta(0)
    website = network.state()["websites"]["website-41"]
    assert website["enabled"] is True
    assert website["domains"] == ["example-tech.cn", "www.example-tech.cn"]
    assert website["ip_ranges"] == [
        {"start": "192.0.2.10", "end": "192.0.2.20"},
        {"start": "2001:db8::1", "end": "2001:db8::ff"},
    ]
    assert website["receipt_id"] == receipt.receipt_id


def test_access_is_turned_off(network: ProvisioningSimulatorHandle) -> None:
    open_access(network.url, "a-2")
    receipt = open_access(network.url, "a-3", enabled=False)
    assert receipt.changed
    assert network.state()["websites"]["website-41"]["enabled"] is False


def test_the_same_key_acts_once(network: ProvisioningSimulatorHandle) -> None:
    first = open_access(network.url, "a-4")
    again = open_access(network.url, "a-4")
    assert again == ProvisioningReceipt(
        receipt_id=first.receipt_id,
        reference=first.reference,
        applied_at=first.applied_at,
        changed=True,
        duplicate=True,
    )
    assert len(network.state()["operations"]) == 1


def test_asking_again_for_the_same_state_changes_nothing(network: ProvisioningSimulatorHandle) -> None:
    open_access(network.url, "a-5")
    receipt = open_access(network.url, "a-6")
    assert (receipt.changed, receipt.duplicate) == (False, False)


def test_the_same_key_for_another_request_is_refused_and_changes_nothing(
    network: ProvisioningSimulatorHandle,
) -> None:
    open_access(network.url, "a-7")
    with pytest.raises(PermanentGatewayError) as raised:
        open_access(network.url, "a-7", enabled=False)
    assert raised.value.code == "idempotency_conflict"
    assert network.state()["websites"]["website-41"]["enabled"] is True


@pytest.mark.parametrize(
    "overrides",
    [
        {"domains": ["not a domain"]},
        {"domains": []},
        {"ip_ranges": []},
    ],
)
def test_bad_requests_are_permanent_refusals_that_change_nothing(
    network: ProvisioningSimulatorHandle, overrides: dict[str, Any]
) -> None:
    with pytest.raises(PermanentGatewayError) as raised:
        open_access(network.url, "a-8", **overrides)
    assert raised.value.code == "http_422"
    assert network.state() == {"websites": {}, "lines": {}, "operations": []}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"website_ref": "张三的网站"}, "reference"),
        ({"website_ref": "../lines/x"}, "reference"),
        ({"ip_ranges": [("192.0.2.20", "192.0.2.10")]}, "range"),
        ({"ip_ranges": [("192.0.2.1", "2001:db8::1")]}, "range"),
        ({"ip_ranges": [("192.0.2.300", "192.0.2.301")]}, "IP"),
    ],
)
def test_arguments_a_caller_should_have_checked_are_refused_before_sending(
    network: ProvisioningSimulatorHandle, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        open_access(network.url, "a-9", **arguments)
    assert network.requests() == {}


def test_a_line_goes_through_suspension_and_back(network: ProvisioningSimulatorHandle) -> None:
    adapter = gateway(network.url)
    modes: list[LineMode] = ["one_way_suspended", "two_way_suspended", "normal"]
    for index, mode in enumerate(modes):
        receipt = adapter.line_service(line_ref="line-7", mode=mode, idempotency_key=f"l-{index}")
        assert receipt.changed
        assert network.state()["lines"]["line-7"]["mode"] == mode
    assert [operation["kind"] for operation in network.state()["operations"]] == ["line_service"] * 3


def test_a_cancelled_line_stays_cancelled(network: ProvisioningSimulatorHandle) -> None:
    adapter = gateway(network.url)
    adapter.line_service(line_ref="line-8", mode="cancelled", idempotency_key="l-10")
    again = adapter.line_service(line_ref="line-8", mode="cancelled", idempotency_key="l-11")
    assert (again.changed, again.duplicate) == (False, False)
    with pytest.raises(LineCancelledError) as raised:
        adapter.line_service(line_ref="line-8", mode="normal", idempotency_key="l-12")
    assert raised.value.code == "line_cancelled"
    assert network.state()["lines"]["line-8"]["mode"] == "cancelled"
    assert network.requests() == {"line_service": 3}


def test_unknown_modes_are_refused_before_sending(network: ProvisioningSimulatorHandle) -> None:
    with pytest.raises(ValueError, match="mode"):
        gateway(network.url).line_service(line_ref="line-9", mode="paused", idempotency_key="l-13")  # type: ignore[arg-type]
    assert network.requests() == {}
    assert set(LINE_MODES) == {"normal", "one_way_suspended", "two_way_suspended", "cancelled"}


def test_transient_failures_are_repeated_then_applied_once(network: ProvisioningSimulatorHandle) -> None:
    network.fail_next(2, status=503)
    receipt = open_access(network.url, "a-10")
    assert receipt.duplicate is False
    assert network.requests() == {"website_access": 3}
    assert len(network.state()["operations"]) == 1


def test_a_lost_answer_is_recovered_by_the_repeat_without_acting_twice(network: ProvisioningSimulatorHandle) -> None:
    network.fail_next(1, status=None, delay_seconds=1.0)
    receipt = gateway(network.url, attempts=2, timeout_seconds=0.2).line_service(
        line_ref="line-10", mode="one_way_suspended", idempotency_key="l-14"
    )
    assert (receipt.changed, receipt.duplicate) == (True, True)
    assert len(network.state()["operations"]) == 1


def test_time_outs_on_every_attempt_raise_transient(network: ProvisioningSimulatorHandle) -> None:
    network.fail_next(3, status=None, delay_seconds=1.0)
    with pytest.raises(TransientGatewayError) as raised:
        gateway(network.url, attempts=3, timeout_seconds=0.2).line_service(
            line_ref="line-11", mode="two_way_suspended", idempotency_key="l-15"
        )
    assert raised.value.code == "timeout"
    assert network.requests() == {"line_service": 3}
    # The network acted on the first attempt; the caller repeats later with the same key and learns so.
    assert [operation["idempotency_key"] for operation in network.state()["operations"]] == ["l-15"]


def test_failures_beyond_the_attempts_raise_transient(network: ProvisioningSimulatorHandle) -> None:
    network.fail_next(2, status=429)
    with pytest.raises(TransientGatewayError) as raised:
        gateway(network.url, attempts=2).website_access(
            website_ref="website-42", domains=DOMAINS, ip_ranges=RANGES, enabled=True, idempotency_key="a-11"
        )
    assert raised.value.code == "http_429"
    assert network.state()["operations"] == []


def test_configured_gateway_uses_the_settings(use_provisioning_simulator: ProvisioningSimulatorHandle) -> None:
    get_provisioning_gateway().line_service(line_ref="line-12", mode="one_way_suspended", idempotency_key="l-16")
    assert use_provisioning_simulator.state()["lines"]["line-12"]["mode"] == "one_way_suspended"
