"""Re-encrypting every sealed value under the active key, and counting values per key.

Sealed values live in the ``EncryptedTextField`` columns of every installed model (found through
``django.apps.apps.get_models()``) and in plain text columns that other apps seal themselves with
``regdesk.privacy.crypto.encrypt_text`` and register here with their associated data::

    register_sealed_column("accounts.TotpDevice", "secret_sealed", lambda device: f"totp:{device.user_id}".encode())

Writes go through ``regdesk.privacy.services.vault_rotate`` / ``vault_reencrypt`` (audited).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from regdesk.privacy import crypto
from regdesk.privacy.fields import PersonalValue, encrypted_fields
from regdesk.privacy.keys import load_key_ring

AssociatedData = Callable[[models.Model], bytes]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SealedColumn:
    """A column holding vault ciphertext: an ``EncryptedTextField`` or a registered plain text column."""

    model: type[models.Model]
    attname: str
    associated_data: AssociatedData | None = None  # None: an EncryptedTextField (it knows its own)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.attname}"


_REGISTERED: dict[tuple[str, str], AssociatedData] = {}


def register_sealed_column(model_label: str, field_name: str, associated_data: AssociatedData) -> None:
    """Have key rotation and ``vault status`` cover a text column sealed with ``crypto.encrypt_text``."""
    _REGISTERED[(model_label.lower(), field_name)] = associated_data


def sealed_columns() -> list[SealedColumn]:
    """Every sealed column of every installed, concrete, managed model."""
    columns: list[SealedColumn] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns.extend(SealedColumn(model=model, attname=f.attname) for f in encrypted_fields(model))
        for (label, field_name), associated in _REGISTERED.items():
            if label == meta.label_lower:
                columns.append(SealedColumn(model=model, attname=field_name, associated_data=associated))
    return columns


def _ciphertext(value: object) -> str | None:
    if isinstance(value, PersonalValue):
        return value.sealed()
    if isinstance(value, str) and value:
        return value
    return None


def _key_id(ciphertext: str) -> str:
    try:
        return crypto.text_key_id(ciphertext)
    except crypto.DecryptionError:
        return "?"


def key_usage() -> dict[str, Counter[str]]:
    """``{column label: Counter({key id: number of values})}``; ``?`` counts values that are not vault text."""
    usage: dict[str, Counter[str]] = {}
    for column in sealed_columns():
        counts: Counter[str] = Counter()
        values = column.model._base_manager.exclude(**{f"{column.attname}__isnull": True}).values_list(
            column.attname, flat=True
        )
        for value in values.iterator(chunk_size=2000):
            ciphertext = _ciphertext(value)
            if ciphertext is not None:
                counts[_key_id(ciphertext)] += 1
        usage[column.label] = counts
    return usage


@dataclass
class ReencryptionReport:
    """Counts only: how many values were checked and resealed, per column."""

    active_key: str
    checked: int = 0
    resealed: int = 0
    columns: dict[str, int] = field(default_factory=dict)


def _batches(model: type[models.Model], batch_size: int) -> Iterator[list[object]]:
    """Primary keys in ascending batches, so rows added meanwhile are still reached and none is read twice."""
    manager = model._base_manager
    last: object = None
    while True:
        keys = manager.order_by("pk")
        if last is not None:
            keys = keys.filter(pk__gt=last)
        batch = list(keys.values_list("pk", flat=True)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1]


def _reseal(column: SealedColumn, row: models.Model, active: str) -> object | None:
    """The value of ``column`` sealed under the active key, or ``None`` when it already is (or is empty)."""
    value = getattr(row, column.attname)
    ciphertext = _ciphertext(value)
    if ciphertext is None or _key_id(ciphertext) == active:
        return None
    if isinstance(value, PersonalValue):
        return value.resealed()
    assert column.associated_data is not None  # noqa: S101 - plain columns are registered with theirs
    associated = column.associated_data(row)
    plain = crypto.decrypt_text(ciphertext, associated_data=associated)
    return crypto.encrypt_text(plain, associated_data=associated)


def reencrypt_all(*, batch_size: int = 500, progress: Progress | None = None) -> ReencryptionReport:
    """Reseal every value not sealed under the active key, one locked batch of rows per transaction."""
    report = ReencryptionReport(active_key=load_key_ring().active)
    by_model: dict[type[models.Model], list[SealedColumn]] = {}
    for column in sealed_columns():
        by_model.setdefault(column.model, []).append(column)
    for model, columns in by_model.items():
        manager = model._base_manager
        total = manager.count()
        done = 0
        names = [column.label for column in columns]
        for label in names:
            report.columns.setdefault(label, 0)
        for batch in _batches(model, batch_size):
            with transaction.atomic():
                # Locked, so a concurrent change of a row is not overwritten with its older value.
                rows = list(manager.select_for_update().filter(pk__in=batch))
                for row in rows:
                    changes: dict[str, object] = {}
                    for column in columns:
                        if getattr(row, column.attname) is not None:
                            report.checked += 1
                        resealed = _reseal(column, row, report.active_key)
                        if resealed is not None:
                            changes[column.attname] = resealed
                            report.columns[column.label] += 1
                    if changes:
                        manager.filter(pk=row.pk).update(**changes)
                        report.resealed += len(changes)
            done += len(batch)
            if progress is not None:
                progress(f"{model._meta.label}: {done}/{total} rows, {report.resealed} values resealed so far")
    return report
