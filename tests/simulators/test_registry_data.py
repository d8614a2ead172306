"""The enterprise registry simulator's shipped data set: valid codes, closed enterprises, consistent examples."""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

import pytest

from regdesk.rules.identity import validate
from regdesk.simulators.data import generate
from tests.simulators.test_identity_data import AS_OF, shipped


@pytest.fixture(scope="module")
def enterprises() -> dict[str, Any]:
    return shipped(generate.REGISTRY_FILE)


@pytest.fixture(scope="module")
def people() -> dict[str, Any]:
    return shipped(generate.IDENTITY_FILE)


def test_about_a_hundred_enterprises_with_valid_unique_codes(enterprises: dict[str, Any]) -> None:
    codes = [enterprise["uscc"] for enterprise in enterprises["enterprises"]]
    assert 90 <= len(codes) <= 120
    assert len(set(codes)) == len(codes)
    for enterprise in enterprises["enterprises"]:
        result = validate("uscc", enterprise["uscc"], today=AS_OF)
        assert result.valid, (enterprise["uscc"], result.error_codes)
        assert result.details["region"]["code"] == enterprise["uscc"][2:8]
        established = dt.date.fromisoformat(enterprise["established_on"])
        # Organisation codes beginning MA were issued once the unified code began (1 October 2015).
        assert (enterprise["uscc"][8:10] == "MA") == (established >= dt.date(2015, 10, 1))


def test_the_register_has_closed_enterprises_and_legal_representatives_from_the_population(
    enterprises: dict[str, Any], people: dict[str, Any]
) -> None:
    register = enterprises["enterprises"]
    statuses = collections.Counter(enterprise["status"] for enterprise in register)
    assert statuses["deregistered"] >= 3
    assert statuses["revoked"] >= 2
    assert all(
        (enterprise["status"] == "active") == (enterprise["status_changed_on"] is None) for enterprise in register
    )
    names = {person["name"] for person in people["people"]}
    assert sum(enterprise["legal_representative"] in names for enterprise in register) >= 50


def test_the_registry_examples_describe_the_data(enterprises: dict[str, Any]) -> None:
    by_code = {enterprise["uscc"]: enterprise for enterprise in enterprises["enterprises"]}
    examples = enterprises["examples"]
    for example in examples["match"]:
        assert by_code[example["uscc"]]["status"] == "active"
    [name_mismatch] = examples["name_mismatch"]
    assert by_code[name_mismatch["uscc"]]["name"] == name_mismatch["registered_name"] != name_mismatch["name"]
    [representative] = examples["representative_mismatch"]
    registered = by_code[representative["uscc"]]["legal_representative"]
    assert registered == representative["registered_legal_representative"] != representative["legal_representative"]
    for example in examples["not_found"]:
        assert example["uscc"] not in by_code
        assert validate("uscc", example["uscc"], today=AS_OF).valid
    assert {by_code[example["uscc"]]["status"] for example in examples["deregistered"]} == {"deregistered", "revoked"}
