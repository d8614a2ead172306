"""The identity simulator's shipped data set, and the generator of both data sets.

The generator uses regdesk's rules to build the numbers; these tests check the shipped files again with the
rules, so that a hand edit or a stale file shows up here (the simulators themselves never run the rules)."""

from __future__ import annotations

import collections
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from regdesk.rules import divisions
from regdesk.rules.identity import validate
from regdesk.simulators.data import generate

AS_OF = dt.date(2025, 6, 1)


def shipped(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resources.files("regdesk.simulators").joinpath("data", name).read_text(encoding="utf-8")
    )
    return document


@pytest.fixture(scope="module")
def people() -> dict[str, Any]:
    return shipped(generate.IDENTITY_FILE)


def test_about_two_hundred_people_with_valid_unique_numbers(people: dict[str, Any]) -> None:
    numbers = [person["id_number"] for person in people["people"]]
    assert 190 <= len(numbers) <= 220
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        result = validate("resident_id", number, today=AS_OF)
        assert result.valid, (number[:6], result.error_codes)


def test_each_person_is_consistent_with_the_number(people: dict[str, Any]) -> None:
    for person in people["people"]:
        number = person["id_number"]
        assert number[6:14] == person["birth_date"].replace("-", "")
        # GB 11643-1999: the sequence code is odd for men.
        assert (int(number[16]) % 2 == 1) == (person["sex"] == "male")
        assert divisions.lookup(number[:6]) is not None
        assert 2 <= len(person["name"]) <= 12


def test_the_population_has_its_deliberate_oddities(people: dict[str, Any]) -> None:
    population = people["people"]
    statuses = collections.Counter(person["status"] for person in population)
    assert statuses["cancelled"] >= 5
    assert sum(bool(person["photo_never_matches"]) for person in population) >= 5
    assert any(person["id_number"].endswith("X") for person in population)
    assert any("·" in person["name"] for person in population)
    assert len({person["face_id"] for person in population}) == len(population)
    table = divisions.load_table()
    abolished = [
        person
        for person in population
        if (division := table.get(person["id_number"][:6])) is not None and not table.is_current(division)
    ]
    assert abolished


def test_the_identity_examples_describe_the_data(people: dict[str, Any]) -> None:
    by_number = {person["id_number"]: person for person in people["people"]}
    examples = people["examples"]
    for example in examples["match"]:
        person = by_number[example["id_number"]]
        assert (person["name"], person["status"], person["photo_never_matches"]) == (example["name"], "valid", False)
    for example in examples["name_mismatch"]:
        person = by_number[example["id_number"]]
        assert person["name"] == example["registered_name"] != example["name"]
        assert person["status"] == "valid"
    for example in examples["number_not_found"]:
        assert example["id_number"] not in by_number
        assert validate("resident_id", example["id_number"], today=AS_OF).valid
    for example in examples["number_cancelled"]:
        assert by_number[example["id_number"]]["status"] == "cancelled"
    for example in examples["photo_mismatch"]:
        person = by_number[example["id_number"]]
        assert person["photo_never_matches"]
        assert (person["status"], person["name"]) == ("valid", example["name"])


def test_the_generator_is_deterministic_and_the_seed_matters() -> None:
    first, again = generate.generate(seed=7), generate.generate(seed=7)
    assert generate.render(first[generate.IDENTITY_FILE]) == generate.render(again[generate.IDENTITY_FILE])
    assert generate.render(first[generate.REGISTRY_FILE]) == generate.render(again[generate.REGISTRY_FILE])
    other = generate.generate(seed=8)
    assert other[generate.IDENTITY_FILE]["people"] != first[generate.IDENTITY_FILE]["people"]
