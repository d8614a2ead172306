"""Helpers of the owner portal's tests: logged-in clients, and the portal's form fields for the builders' data."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from regdesk.accounts.models import User
from regdesk.filings.models import Filing
from tests.accounts.helpers import login_fully
from tests.filings.builders import filing_json


def client_for(user: User | None, *, language: str = "zh-hans") -> Client:
    """A client of ``user`` past every login step (staff included: their second factor is taken as done)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        login_fully(client, user)
    return client


def url(name: str, filing: Filing | int | None = None, **kwargs: Any) -> str:
    if filing is not None:
        kwargs["filing_id"] = filing if isinstance(filing, int) else filing.pk
    return reverse(f"filings_portal:{name}", kwargs=kwargs or None)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def owner_post(index: int = 0, /, **changes: str) -> dict[str, Any]:
    """The owner step's form for the builders' owner ``index``."""
    owner = filing_json(index)["owner"]
    data = {
        "owner-nature": _text(owner["nature"]),
        "owner-name": owner["name"],
        "owner-certificate-type": _text(owner["certificate"]["type"]),
        "owner-certificate-number": owner["certificate"]["number"],
        "owner-certificate-address": owner["certificate"]["address"],
        "owner-address-province": owner["address"]["province"],
        "owner-address-city": owner["address"]["city"],
        "owner-address-county": owner["address"]["county"],
        "owner-address-detail": owner["address"]["detail"],
        "owner-investor": owner["investor"],
        "owner-remarks": "",
    }
    data.update(start_answers(index))
    data.update(changes)
    return data


def start_answers(index: int = 0, /, *, websites: int = 1) -> dict[str, str]:
    """The first questions answered for the builders' owner ``index`` (its kind and province)."""
    owner = filing_json(index)["owner"]
    return {
        "start-kind": "individual" if str(owner["nature"]) == "5" else "organisation",
        "start-province": owner["address"]["province"],
        "start-websites": str(websites),
    }


def person_post(index: int = 0, *, prefix: str = "person", **changes: str) -> dict[str, Any]:
    person = filing_json(index)["owner"]["person_in_charge"]
    data = {f"{prefix}-{key}": _text(value) for key, value in person.items()}
    data.update({f"{prefix}-{key}": value for key, value in changes.items()})
    return data


def website_post(index: int = 0, position: int = 0, /, **changes: Any) -> dict[str, Any]:
    website = filing_json(index)["websites"][0]
    prefix = f"website{position}"
    data: dict[str, Any] = {
        f"{prefix}-name": website["name"],
        f"{prefix}-domains": "\n".join(website["domains"]),
        f"{prefix}-homepage_url": website["homepage_url"],
        f"{prefix}-service_contents": [str(code) for code in website["service_contents"]],
        f"{prefix}-languages": [str(code) for code in website["languages"]],
        f"{prefix}-remarks": "",
        "same_as_owner": "1",
    }
    data.update(changes)
    return data


def access_post(index: int = 0, position: int = 0, **changes: str) -> dict[str, Any]:
    access = filing_json(index, websites=position + 1)["websites"][position]["access"][0]
    prefix = f"access{position}"
    ranges = access["ip_ranges"][0]
    data = {
        f"{prefix}-method": str(access["method"]),
        f"{prefix}-server_location": access["server_location"],
        f"{prefix}-ip_ranges": ranges["start"]
        if ranges["start"] == ranges["end"]
        else f"{ranges['start']}-{ranges['end']}",
    }
    data.update(changes)
    return data


def table_snapshot(*models: type[Model]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the models' tables as stored (sealed values as their ciphertext): any write shows."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - a model's own table name
            snapshot[model._meta.label] = [tuple(row) for row in cursor.fetchall()]
    return snapshot
