"""The HTTP enterprise registry adapter against the enterprise registry simulator over real sockets."""

from __future__ import annotations

import datetime as dt

import pytest

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.registry import (
    EnterpriseStatus,
    HttpEnterpriseRegistryGateway,
    RegistryCheckOutcome,
    RegistryCheckResult,
    RegistryRecord,
    get_enterprise_registry_gateway,
)
from tests.fixtures.simulators import RegistrySimulatorHandle


@pytest.fixture
def registry(registry_simulator: RegistrySimulatorHandle) -> RegistrySimulatorHandle:
    registry_simulator.reset()
    return registry_simulator


def gateway(url: str, attempts: int = 3, timeout_seconds: float = 5) -> HttpEnterpriseRegistryGateway:
    return HttpEnterpriseRegistryGateway(
        base_url=url, timeout_seconds=timeout_seconds, attempts=attempts, backoff_seconds=0.01
    )


def verify(registry: RegistrySimulatorHandle, outcome: str, index: int = 0) -> RegistryCheckResult:
    enterprise = registry.example(outcome, index)
    return gateway(registry.url).verify(
        name=enterprise["name"], uscc=enterprise["uscc"], legal_representative=enterprise["legal_representative"]
    )


def test_lookup_returns_the_register_entry(registry: RegistrySimulatorHandle) -> None:
    entry = next(item for item in registry.data["enterprises"] if item["uscc"] == registry.example("match")["uscc"])
    record = gateway(registry.url).lookup(uscc=entry["uscc"].lower())
    assert record == RegistryRecord(
        uscc=entry["uscc"],
        name=entry["name"],
        legal_representative=entry["legal_representative"],
        enterprise_type=entry["enterprise_type"],
        address=entry["address"],
        established_on=dt.date.fromisoformat(entry["established_on"]),
        registration_authority=entry["registration_authority"],
        status=EnterpriseStatus.ACTIVE,
        status_changed_on=None,
    )
    assert record.in_business


def test_lookup_of_a_deregistered_enterprise_shows_its_status(registry: RegistrySimulatorHandle) -> None:
    record = gateway(registry.url).lookup(uscc=registry.example("deregistered")["uscc"])
    assert record is not None
    assert record.status is EnterpriseStatus.DEREGISTERED
    assert record.status_changed_on is not None
    assert not record.in_business


def test_lookup_of_an_unregistered_code_is_none(registry: RegistrySimulatorHandle) -> None:
    assert gateway(registry.url).lookup(uscc=registry.example("not_found")["uscc"]) is None


def test_lookup_refuses_what_is_not_shaped_like_a_code(registry: RegistrySimulatorHandle) -> None:
    with pytest.raises(ValueError, match="18 characters"):
        gateway(registry.url).lookup(uscc="../enterprises")
    assert registry.requests() == {}


@pytest.mark.parametrize("index", [0, 1, 2])
def test_matching_enterprises_match(registry: RegistrySimulatorHandle, index: int) -> None:
    result = verify(registry, "match", index)
    assert result == RegistryCheckResult(outcome=RegistryCheckOutcome.MATCH, status=EnterpriseStatus.ACTIVE)
    assert result.matched


def test_another_name_is_a_name_mismatch(registry: RegistrySimulatorHandle) -> None:
    assert verify(registry, "name_mismatch").outcome is RegistryCheckOutcome.NAME_MISMATCH


def test_another_legal_representative_is_a_representative_mismatch(registry: RegistrySimulatorHandle) -> None:
    result = verify(registry, "representative_mismatch")
    assert result.outcome is RegistryCheckOutcome.REPRESENTATIVE_MISMATCH
    assert not result.matched


def test_an_unregistered_code_is_not_found(registry: RegistrySimulatorHandle) -> None:
    assert verify(registry, "not_found") == RegistryCheckResult(outcome=RegistryCheckOutcome.NOT_FOUND, status=None)


@pytest.mark.parametrize(("index", "status"), [(0, EnterpriseStatus.DEREGISTERED), (2, EnterpriseStatus.REVOKED)])
def test_deregistered_and_revoked_enterprises_are_deregistered(
    registry: RegistrySimulatorHandle, index: int, status: EnterpriseStatus
) -> None:
    assert verify(registry, "deregistered", index) == RegistryCheckResult(
        outcome=RegistryCheckOutcome.DEREGISTERED, status=status
    )


def test_transient_failures_are_repeated_then_answered(registry: RegistrySimulatorHandle) -> None:
    registry.fail_next(2, status=502)
    assert verify(registry, "match").matched
    assert registry.requests() == {"verify": 3}


def test_late_answers_are_time_outs_after_every_attempt(registry: RegistrySimulatorHandle) -> None:
    registry.fail_next(2, status=None, delay_seconds=1.0)
    slow = gateway(registry.url, attempts=2, timeout_seconds=0.2)
    with pytest.raises(TransientGatewayError) as raised:
        slow.lookup(uscc=registry.example("match")["uscc"])
    assert raised.value.code == "timeout"
    assert registry.requests() == {"lookup": 2}


def test_a_refused_request_is_permanent_and_not_repeated(registry: RegistrySimulatorHandle) -> None:
    enterprise = registry.example("match")
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(registry.url).verify(name=enterprise["name"], uscc=enterprise["uscc"], legal_representative=" ")
    assert raised.value.code == "http_422"
    assert registry.requests() == {"verify": 1}


def test_configured_gateway_uses_the_settings(use_registry_simulator: RegistrySimulatorHandle) -> None:
    enterprise = use_registry_simulator.example("deregistered", 1)
    result = get_enterprise_registry_gateway().verify(
        name=enterprise["name"], uscc=enterprise["uscc"], legal_representative=enterprise["legal_representative"]
    )
    assert result.outcome is RegistryCheckOutcome.DEREGISTERED
    assert use_registry_simulator.requests() == {"verify": 1}
