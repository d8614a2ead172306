"""Reads of the personal-data vault: masked values, look-ups by blind index, the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise

from regdesk.privacy import dictionary
from regdesk.privacy.fields import PersonalValue, blind_lookup
from regdesk.privacy.models import ContactPoint


def masked(obj: models.Model, field_name: str) -> str:
    """The masked form of ``obj.<field_name>`` ("" when empty): what every page shows unless revealed."""
    value = getattr(obj, field_name)
    if value is None:
        return ""
    if not isinstance(value, PersonalValue):
        raise TypeError(f"{obj._meta.label}.{field_name} is not an encrypted personal-data field")
    return value.masked


def contact_points_matching(kind: str, value: str) -> QuerySet[ContactPoint]:
    """Contact points holding exactly this phone number or e-mail address (through the blind index)."""
    if kind not in ContactPoint.Kind.values:
        return ContactPoint.objects.none()
    return blind_lookup(ContactPoint.objects.filter(kind=kind), kind, value)


# Fictional sample values, to show compliance officers what each mask looks like.
MASK_SAMPLES: dict[dictionary.Category, str] = {
    dictionary.Category.NAME: "张小三",
    dictionary.Category.ID_NUMBER: "11010519491231002X",
    dictionary.Category.PHONE: "13800138000",
    dictionary.Category.EMAIL: "zhangsan@example.com",
    dictionary.Category.ADDRESS: "广东省深圳市南山区粤海街道科技园路1号",
    dictionary.Category.PHOTO: "photo.jpg",
    dictionary.Category.BIRTH_DATE: "1990-05-17",
    dictionary.Category.FREE_TEXT: "客户来电说明情况",
}


@dataclass(frozen=True)
class DictionaryEntry:
    key: str
    label: str | Promise
    category: dictionary.Category
    category_label: str | Promise
    purpose: str | Promise
    legal_basis: str | Promise
    retention: str | Promise
    retention_days: int | None
    sample: str
    sample_masked: str


def dictionary_entries() -> list[DictionaryEntry]:
    """Every declared personal-data field with a masked sample, by key."""
    entries = []
    for declared in dictionary.all_fields():
        sample = MASK_SAMPLES[declared.category]
        entries.append(
            DictionaryEntry(
                key=declared.key,
                label=declared.label or declared.key,
                category=declared.category,
                category_label=declared.category.label,
                purpose=declared.purpose,
                legal_basis=declared.legal_basis,
                retention=declared.retention.text,
                retention_days=declared.retention.effective_days,
                sample=sample,
                sample_masked=declared.apply_mask(sample),
            )
        )
    return entries
