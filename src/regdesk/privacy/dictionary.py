"""The data dictionary: every personal-data field of the system, declared once.

Each app declares its fields in ``<app>/personal_data.py`` (imported at the top of its ``models.py``, before the
models that use the keys)::

    from regdesk.privacy.dictionary import Category, PersonalField, Retention, register

    SUBSCRIBER_ID_NUMBER = register(
        PersonalField(
            key="subscriber.id_number",
            category=Category.ID_NUMBER,
            purpose=_("Real-name registration of the line"),
            legal_basis=_("Legal duty: real-name registration of telephone users (MIIT Order No. 25)"),
            retention=Retention(_("Two years after the service ends"), days=730, setting="REGDESK_RETENTION_..."),
        )
    )

The key is also the associated data of the field's ciphertext (``regdesk.privacy.fields.EncryptedTextField``), so
a value sealed for one field does not open as another.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.privacy import masks
from regdesk.privacy.config import retention_days_override

StrOrPromise = str | Promise
Mask = Callable[[str], str]


class Category(enum.StrEnum):
    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    PHOTO = "photo"
    BIRTH_DATE = "birth_date"
    FREE_TEXT = "free_text"

    @property
    def label(self) -> StrOrPromise:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, StrOrPromise] = {
    Category.NAME: _("name"),
    Category.ID_NUMBER: _("identity document number"),
    Category.PHONE: _("phone number"),
    Category.EMAIL: _("e-mail address"),
    Category.ADDRESS: _("address"),
    Category.PHOTO: _("photo"),
    Category.BIRTH_DATE: _("date of birth"),
    Category.FREE_TEXT: _("free text"),
}

# The mask of each category (模糊化). A field may declare its own instead.
CATEGORY_MASKS: dict[Category, Mask] = {
    Category.NAME: masks.mask_name,
    Category.ID_NUMBER: masks.mask_id_number,
    Category.PHONE: masks.mask_phone,
    Category.EMAIL: masks.mask_email,
    Category.ADDRESS: masks.mask_address,
    Category.PHOTO: masks.mask_photo,
    Category.BIRTH_DATE: masks.mask_birth_date,
    Category.FREE_TEXT: masks.mask_free_text,
}

# Index domains of the categories that are looked up by exact value: the same number indexed in two models gives
# the same blind index, so "every record with this ID number" is one query per model.
CATEGORY_INDEX_DOMAINS: dict[Category, str] = {
    Category.ID_NUMBER: "id_number",
    Category.PHONE: "phone",
    Category.EMAIL: "email",
}

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Retention:
    """How long a value is kept: ``text`` for people, ``days`` for machines (``None``: as long as the record it
    belongs to). ``setting`` names a Django setting that overrides ``days``, because regulators change periods."""

    text: StrOrPromise
    days: int | None = None
    setting: str = ""

    @property
    def effective_days(self) -> int | None:
        if self.setting:
            configured = retention_days_override(self.setting)
            if configured is not None:
                return configured
        return self.days


@dataclass(frozen=True)
class PersonalField:
    """One personal-data field: what it is, why it is collected, on which legal basis, how long it is kept and
    how it is shown masked."""

    key: str
    category: Category
    purpose: StrOrPromise
    legal_basis: StrOrPromise
    retention: Retention
    mask: Mask | None = field(default=None, compare=False)
    label: StrOrPromise = ""

    def __post_init__(self) -> None:
        if not KEY_PATTERN.match(self.key):
            raise ValueError(f"personal field key {self.key!r} must look like 'app.field'")
        if not isinstance(self.category, Category):
            raise TypeError(f"personal field {self.key!r}: category must be a Category")

    def apply_mask(self, value: str) -> str:
        return (self.mask or CATEGORY_MASKS[self.category])(value)

    @property
    def index_domain(self) -> str:
        """The blind-index domain of this field's category (its key for categories without a shared domain)."""
        return CATEGORY_INDEX_DOMAINS.get(self.category, self.key)

    @property
    def associated_data(self) -> bytes:
        return self.key.encode("ascii")


class UnknownPersonalFieldError(LookupError):
    """A key that no app declared."""


_REGISTRY: dict[str, PersonalField] = {}


def register(personal_field: PersonalField) -> PersonalField:
    """Declare a field; declaring the same key again with another definition is an error."""
    existing = _REGISTRY.get(personal_field.key)
    if existing is not None:
        if existing != personal_field:
            raise ValueError(f"personal field {personal_field.key!r} is already declared differently")
        return existing
    _REGISTRY[personal_field.key] = personal_field
    return personal_field


def get(key: str) -> PersonalField:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownPersonalFieldError(key) from None


def is_registered(key: str) -> bool:
    return key in _REGISTRY


def all_fields() -> Iterator[PersonalField]:
    """Every declared field, by key."""
    for key in sorted(_REGISTRY):
        yield _REGISTRY[key]


def mask_value(key: str, value: str) -> str:
    """The masked form of ``value`` as the field ``key`` shows it."""
    return get(key).apply_mask(value)
