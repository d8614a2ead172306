"""The HTTP identity check adapter against the identity check simulator over real sockets."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from regdesk.gateways.errors import PermanentGatewayError, TransientGatewayError
from regdesk.gateways.identity import (
    HttpIdentityCheckGateway,
    IdentityCheckOutcome,
    IdentityCheckResult,
    get_identity_check_gateway,
)
from tests.fixtures.simulators import IdentitySimulatorHandle


def photo(colour: tuple[int, int, int] = (200, 160, 140)) -> bytes:
    """A small JPEG; different colours give different photos (the simulator compares their hashes)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def identity(identity_simulator: IdentitySimulatorHandle) -> IdentitySimulatorHandle:
    identity_simulator.reset()
    return identity_simulator


def gateway(url: str, attempts: int = 3, timeout_seconds: float = 5) -> HttpIdentityCheckGateway:
    return HttpIdentityCheckGateway(
        base_url=url, timeout_seconds=timeout_seconds, attempts=attempts, backoff_seconds=0.01
    )


def check(
    identity: IdentitySimulatorHandle, outcome: str, index: int = 0, image: bytes | None = None, key: str = "c-1"
) -> IdentityCheckResult:
    person = identity.example(outcome, index)
    return gateway(identity.url).verify(
        name=person["name"], id_number=person["id_number"], photo=image, idempotency_key=key
    )


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_matching_people_match_with_a_high_similarity(identity: IdentitySimulatorHandle, index: int) -> None:
    result = check(identity, "match", index, photo())
    assert result.outcome is IdentityCheckOutcome.MATCH
    assert result.matched
    assert result.similarity is not None
    assert 90 <= result.similarity <= 99
    assert result.duplicate is False


def test_without_a_photo_only_name_and_number_are_checked(identity: IdentitySimulatorHandle) -> None:
    result = check(identity, "match", image=None)
    assert (result.outcome, result.similarity) == (IdentityCheckOutcome.MATCH, None)


@pytest.mark.parametrize("index", [0, 1, 2])
def test_a_number_held_under_another_name_is_a_name_mismatch(identity: IdentitySimulatorHandle, index: int) -> None:
    result = check(identity, "name_mismatch", index, photo())
    assert (result.outcome, result.similarity) == (IdentityCheckOutcome.NAME_MISMATCH, None)
    assert not result.matched


def test_the_registered_name_with_the_same_number_matches(identity: IdentitySimulatorHandle) -> None:
    person = identity.example("name_mismatch")
    result = gateway(identity.url).verify(
        name=person["registered_name"], id_number=person["id_number"], photo=None, idempotency_key="c-2"
    )
    assert result.outcome is IdentityCheckOutcome.MATCH


def test_a_valid_number_nobody_holds_is_not_found(identity: IdentitySimulatorHandle) -> None:
    assert check(identity, "number_not_found", image=photo()).outcome is IdentityCheckOutcome.NUMBER_NOT_FOUND


def test_a_cancelled_number_is_reported_as_cancelled(identity: IdentitySimulatorHandle) -> None:
    assert check(identity, "number_cancelled", image=photo()).outcome is IdentityCheckOutcome.NUMBER_CANCELLED


def test_a_person_whose_photo_never_matches_gets_a_low_similarity(identity: IdentitySimulatorHandle) -> None:
    result = check(identity, "photo_mismatch", image=photo())
    assert result.outcome is IdentityCheckOutcome.PHOTO_MISMATCH
    assert result.similarity is not None
    assert result.similarity < 70


def test_a_photo_of_someone_else_is_a_photo_mismatch(identity: IdentitySimulatorHandle) -> None:
    owner, presenter = identity.example("match", 0), identity.example("match", 1)
    picture = photo((10, 20, 30))
    identity.register_face(owner["id_number"], picture)
    theirs = gateway(identity.url).verify(
        name=presenter["name"], id_number=presenter["id_number"], photo=picture, idempotency_key="c-3"
    )
    own = gateway(identity.url).verify(
        name=owner["name"], id_number=owner["id_number"], photo=picture, idempotency_key="c-4"
    )
    assert theirs.outcome is IdentityCheckOutcome.PHOTO_MISMATCH
    assert theirs.similarity is not None
    assert 10 <= theirs.similarity < 70
    assert own.outcome is IdentityCheckOutcome.MATCH


def test_the_same_key_is_answered_once(identity: IdentitySimulatorHandle) -> None:
    first = check(identity, "match", image=photo(), key="c-5")
    again = check(identity, "match", image=photo(), key="c-5")
    assert again == IdentityCheckResult(
        outcome=first.outcome, similarity=first.similarity, verification_id=first.verification_id, duplicate=True
    )
    assert len(identity.verifications()) == 1


def test_the_same_key_for_another_person_is_refused(identity: IdentitySimulatorHandle) -> None:
    check(identity, "match", 0, key="c-6")
    with pytest.raises(PermanentGatewayError) as raised:
        check(identity, "match", 1, key="c-6")
    assert raised.value.code == "idempotency_conflict"
    assert len(identity.verifications()) == 1


def test_transient_failures_are_repeated_then_answered(identity: IdentitySimulatorHandle) -> None:
    identity.fail_next(2, status=503)
    result = check(identity, "match", image=photo(), key="c-7")
    assert result.matched
    assert identity.requests() == {"verify": 3}
    assert len(identity.verifications()) == 1


def test_failures_beyond_the_attempts_raise_transient_without_personal_data(
    identity: IdentitySimulatorHandle,
) -> None:
    person = identity.example("match")
    identity.fail_next(3, status=503)
    with pytest.raises(TransientGatewayError) as raised:
        gateway(identity.url, attempts=3).verify(
            name=person["name"], id_number=person["id_number"], photo=None, idempotency_key="c-8"
        )
    assert raised.value.code == "http_503"
    assert person["name"] not in str(raised.value)
    assert person["id_number"] not in str(raised.value)
    assert identity.requests() == {"verify": 3}
    assert identity.verifications() == []


def test_answers_that_come_too_late_are_time_outs_and_the_check_is_made_once(
    identity: IdentitySimulatorHandle,
) -> None:
    person = identity.example("match")
    identity.fail_next(3, status=None, delay_seconds=1.0)
    slow = gateway(identity.url, attempts=3, timeout_seconds=0.2)
    with pytest.raises(TransientGatewayError) as raised:
        slow.verify(name=person["name"], id_number=person["id_number"], photo=None, idempotency_key="c-9")
    assert raised.value.code == "timeout"
    assert identity.requests() == {"verify": 3}
    # The service checked the person on the first attempt; the repeats carried the same key.
    [made] = identity.verifications()
    later = gateway(identity.url).verify(
        name=person["name"], id_number=person["id_number"], photo=None, idempotency_key="c-9"
    )
    assert (later.verification_id, later.duplicate) == (made["id"], True)


def test_a_lost_answer_is_recovered_by_the_repeat(identity: IdentitySimulatorHandle) -> None:
    identity.fail_next(1, status=None, delay_seconds=1.0)
    result = gateway(identity.url, attempts=2, timeout_seconds=0.2).verify(
        name=identity.example("match")["name"],
        id_number=identity.example("match")["id_number"],
        photo=None,
        idempotency_key="c-10",
    )
    assert (result.outcome, result.duplicate) == (IdentityCheckOutcome.MATCH, True)
    assert len(identity.verifications()) == 1


@pytest.mark.parametrize(
    ("name", "id_number", "image"),
    [
        ("", "110105194912310021", None),
        ("张三", "11010519491231002", None),
        ("张三", "110105194912310021", b"GIF89a not a photo"),
    ],
)
def test_malformed_requests_are_permanent_refusals(
    identity: IdentitySimulatorHandle, name: str, id_number: str, image: bytes | None
) -> None:
    with pytest.raises(PermanentGatewayError) as raised:
        gateway(identity.url).verify(name=name, id_number=id_number, photo=image, idempotency_key="c-11")
    assert raised.value.code == "http_422"
    assert identity.requests() == {"verify": 1}


def test_keys_that_cannot_travel_in_a_header_are_refused_before_sending(identity: IdentitySimulatorHandle) -> None:
    with pytest.raises(ValueError, match="idempotency key"):
        check(identity, "match", key="核验-1")
    assert identity.requests() == {}


def test_configured_gateway_uses_the_settings(use_identity_simulator: IdentitySimulatorHandle) -> None:
    person = use_identity_simulator.example("number_cancelled")
    result = get_identity_check_gateway().verify(
        name=person["name"], id_number=person["id_number"], photo=None, idempotency_key="c-12"
    )
    assert result.outcome is IdentityCheckOutcome.NUMBER_CANCELLED
    assert [check["idempotency_key"] for check in use_identity_simulator.verifications()] == ["c-12"]
