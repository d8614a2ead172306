"""Model fields of the personal-data vault: encrypted text and blind indexes.

``EncryptedTextField(personal_field="app.field")`` stores AES-256-GCM ciphertext (``regdesk.privacy.crypto``) in a
text column, sealed with the data-dictionary key as associated data. On the model the attribute is always a
``PersonalValue``, whose ``str()`` and ``repr()`` are the **masked** form, so a template, a log line or an
exception text cannot show the plain value by accident. ``PersonalValue.reveal()`` returns the plain value; pages
go through ``regdesk.privacy.services.personal_value_reveal`` (permission, purpose, audit event), and only
services that must use the value (sending an SMS, filing with the regulator) call ``reveal()`` themselves.

Assigning a ``str`` wraps it at once, so ``obj.phone = "13800138000"; print(obj.phone)`` prints ``138****8000``.

The column cannot be searched (every ciphertext has a fresh nonce). For exact look-ups add a
``BlindIndexField(source="phone")``: it stores the HMAC blind index of the value on every save, and
``blind_lookup(Model.objects, "phone", "13800138000")`` finds rows by it. ``save(update_fields=[...])`` must name
the index field together with its source.

Both fields default to ``editable=False``: ModelForms and the admin leave them out, because a form would show
(and save back) the mask. Personal data is entered through the owning app's forms and services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute

from regdesk.privacy import crypto, dictionary

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.lookups import Lookup, Transform

# Prefix of the serialised form (dumpdata/loaddata): a ciphertext, not a plain value to be sealed.
SERIALISED_PREFIX = "vault:"


class PersonalValue:
    """A personal-data value that shows itself masked. ``reveal()`` gives the plain value.

    It holds the ciphertext as stored, the plain value once known, or both. Pickling keeps the ciphertext only, so
    a cached model instance holds no plain value.
    """

    __slots__ = ("_ciphertext", "_key", "_plain")

    def __init__(self, *, key: str, ciphertext: str | None = None, plain: str | None = None) -> None:
        if ciphertext is None and plain is None:
            raise ValueError("a PersonalValue needs a ciphertext or a plain value")
        self._key = key
        self._ciphertext = ciphertext
        self._plain = plain

    @classmethod
    def from_plain(cls, key: str, value: str) -> PersonalValue:
        if not isinstance(value, str):
            raise TypeError(f"personal value of {key!r} must be text, not {type(value).__name__}")
        return cls(key=key, plain=value)

    @classmethod
    def from_ciphertext(cls, key: str, ciphertext: str) -> PersonalValue:
        return cls(key=key, ciphertext=ciphertext)

    @property
    def key(self) -> str:
        """The data-dictionary key of the field this value belongs to."""
        return self._key

    @property
    def personal_field(self) -> dictionary.PersonalField:
        return dictionary.get(self._key)

    @property
    def is_fresh(self) -> bool:
        """Whether the value was assigned in this process (its blind index must be computed)."""
        return self._plain is not None and self._ciphertext is None

    def reveal(self) -> str:
        """The plain value. Pages use ``privacy.services.personal_value_reveal`` (audited) instead."""
        if self._plain is None:
            assert self._ciphertext is not None  # noqa: S101 - one of the two is always set
            self._plain = crypto.decrypt_text(self._ciphertext, associated_data=self._key.encode("ascii"))
        return self._plain

    @property
    def masked(self) -> str:
        return dictionary.mask_value(self._key, self.reveal())

    def sealed(self) -> str:
        """The ciphertext as stored; sealed with the active key on first use for a fresh value."""
        if self._ciphertext is None:
            assert self._plain is not None  # noqa: S101 - one of the two is always set
            self._ciphertext = crypto.encrypt_text(self._plain, associated_data=self._key.encode("ascii"))
        return self._ciphertext

    def key_id(self) -> str:
        """The identifier of the vault key that sealed the stored ciphertext."""
        return crypto.text_key_id(self.sealed())

    def resealed(self) -> PersonalValue:
        """The same value sealed afresh with the active key (key rotation)."""
        return PersonalValue(key=self._key, ciphertext=None, plain=self.reveal())

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<PersonalValue {self._key} {self.masked}>"

    def __format__(self, format_spec: str) -> str:
        return format(self.masked, format_spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PersonalValue.from_ciphertext, (self._key, self.sealed()))


class _NullOnlyExact(Exact):  # type: ignore[type-arg]  # generic in django-stubs only
    """``field=None`` (which Django turns into ``IS NULL``) is the only equality an encrypted column answers."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None:
            raise FieldError(
                "an encrypted field cannot be searched by value; look it up through its blind index "
                "(regdesk.privacy.fields.blind_lookup)"
            )
        super().__init__(lhs, rhs)


class _PersonalValueDescriptor(DeferredAttribute):
    """Wraps whatever is assigned, so the attribute is a ``PersonalValue`` (or ``None``) at all times."""

    field: EncryptedTextField[Any, Any]

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = self.field.wrap(value)


# Set and get types of the fields, filled in by django-stubs' plugin (``PersonalValue | None`` when null=True).
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

if TYPE_CHECKING:
    _GenericTextField = models.TextField
    _GenericCharField = models.CharField
else:
    # Django's fields are generic in django-stubs only; these accept the subscription at run time.
    class _GenericTextField(models.TextField):
        def __class_getitem__(cls, item: object) -> type:
            return cls

    class _GenericCharField(models.CharField):
        def __class_getitem__(cls, item: object) -> type:
            return cls


class EncryptedTextField(_GenericTextField[_ST, _GT]):
    """A text column holding the vault's ciphertext of a personal-data field declared in the data dictionary."""

    # What django-stubs' plugin reads: assign text or a PersonalValue, read a PersonalValue.
    _pyi_private_set_type: str | PersonalValue | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: PersonalValue  # type: ignore[assignment]
    _pyi_lookup_exact_type: None

    descriptor_class = _PersonalValueDescriptor
    description = "Personal data encrypted by the vault"
    allowed_lookups: ClassVar[frozenset[str]] = frozenset({"isnull"})

    def __init__(self, *args: Any, personal_field: str, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        self.personal_field = personal_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["personal_field"] = self.personal_field
        kwargs.pop("editable", None)
        if self.editable:
            kwargs["editable"] = True
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not dictionary.is_registered(self.personal_field):
            errors.append(
                checks.Error(
                    f"personal field {self.personal_field!r} is not declared in the data dictionary",
                    hint="Declare it with regdesk.privacy.dictionary.register() before the model is defined.",
                    obj=self,
                    id="privacy.E001",
                )
            )
        if self.unique:
            errors.append(
                checks.Error(
                    "an encrypted field cannot be unique (every ciphertext differs); make its BlindIndexField unique",
                    obj=self,
                    id="privacy.E002",
                )
            )
        return errors

    def wrap(self, value: Any) -> PersonalValue | None:
        """``None`` stays ``None``; text becomes a fresh ``PersonalValue`` of this field."""
        if value is None or isinstance(value, Combinable):
            return value  # type: ignore[return-value]  # expressions pass through to the query
        if isinstance(value, PersonalValue):
            if value.key == self.personal_field:
                return value
            # Copied from another field: sealed again under this field's associated data.
            return PersonalValue.from_plain(self.personal_field, value.reveal())
        return PersonalValue.from_plain(self.personal_field, value)

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return None
        return PersonalValue.from_ciphertext(self.personal_field, value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            return PersonalValue.from_ciphertext(self.personal_field, value.removeprefix(SERIALISED_PREFIX))
        return self.wrap(value)

    def get_prep_value(self, value: Any) -> Any:
        wrapped = self.wrap(value)
        if wrapped is None:
            return None
        return wrapped.sealed()

    def value_to_string(self, obj: models.Model) -> str:
        value = self.wrap(self.value_from_object(obj))
        return "" if value is None else SERIALISED_PREFIX + value.sealed()

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        # An equality test against a ciphertext with a fresh nonce never matches: refuse it loudly instead.
        if lookup_name == "exact":
            return _NullOnlyExact
        if lookup_name not in self.allowed_lookups:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        return None


class BlindIndexField(_GenericCharField[_ST, _GT]):
    """The blind index (HMAC-SHA256, hex) of an ``EncryptedTextField`` of the same model, kept on every save.

    ``domain`` defaults to the category's domain in the data dictionary ("id_number", "phone", "email"), so the
    same number has the same index in every model and can be looked up across them.
    """

    description = "Blind index of an encrypted personal-data field"
    # Always nullable (a missing source value has no index), whatever the call says.
    _pyi_private_set_type: str | Combinable | None  # type: ignore[assignment]
    _pyi_private_get_type: str | None  # type: ignore[assignment]

    def __init__(self, *args: Any, source: str, domain: str = "", **kwargs: Any) -> None:
        self.source = source
        self.domain = domain
        kwargs["max_length"] = 64
        kwargs["editable"] = False
        kwargs["null"] = True
        kwargs["blank"] = True
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("max_length", "editable", "null", "blank"):
            kwargs.pop(fixed, None)
        kwargs["source"] = self.source
        if self.domain:
            kwargs["domain"] = self.domain
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            source = self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            source = None
        if not isinstance(source, EncryptedTextField):
            errors.append(
                checks.Error(
                    f"the source {self.source!r} of a blind index must be an EncryptedTextField of the same model",
                    obj=self,
                    id="privacy.E003",
                )
            )
        return errors

    def source_field(self) -> EncryptedTextField[Any, Any]:
        source = self.model._meta.get_field(self.source)
        assert isinstance(source, EncryptedTextField)  # noqa: S101 - enforced by check()
        return source

    def index_domain(self) -> str:
        return self.domain or dictionary.get(self.source_field().personal_field).index_domain

    def index_of(self, value: str) -> str:
        """The blind index of a plain value as this field stores it."""
        return crypto.blind_index(value, domain=self.index_domain())

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.source)
        current = getattr(model_instance, self.attname)
        if value is None:
            index = None
        elif not isinstance(value, PersonalValue):
            index = current  # an expression: cannot be indexed here
        elif value.is_fresh or not current:
            index = self.index_of(value.reveal())
        else:
            index = current
        setattr(model_instance, self.attname, index)
        return index


def blind_index_field(model: type[models.Model], source: str) -> BlindIndexField[Any, Any]:
    """The blind index kept for the encrypted field ``source`` of ``model``."""
    for candidate in model._meta.get_fields():
        if isinstance(candidate, BlindIndexField) and candidate.source == source:
            return candidate
    raise LookupError(f"{model._meta.label} has no blind index of {source!r}")


ModelT = TypeVar("ModelT", bound=models.Model)


def blind_lookup(queryset: models.QuerySet[ModelT], source: str, value: str) -> models.QuerySet[ModelT]:
    """Rows whose encrypted field ``source`` holds ``value`` exactly (after normalisation: no spaces, upper case)."""
    index_field = blind_index_field(queryset.model, source)
    return queryset.filter(**{index_field.name: index_field.index_of(value)})


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField[Any, Any]]:
    """The encrypted fields declared on ``model`` itself (not inherited through multi-table inheritance)."""
    return [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedTextField)]
