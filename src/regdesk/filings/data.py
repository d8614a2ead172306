"""The filing data as plain values: what forms and the API send, what the services store, what the rules read.

The shape mirrors ``regdesk.rules.icp.model`` field by field, so that the rules' field paths
(``owner.certificate.number``, ``websites[0].domains[1]``) name the same fields here, in the API's ``fields`` errors
and in the per-field returns. Two additions: a pre-approval names its scanned document (``document_id``, a document
of the filing's case) and an access names where its servers are (``server_location``, a GB/T 2260 code).

``filing_data_from_json`` reads the JSON form leniently (codes as numbers or digit strings) and reports values of
the wrong kind as field errors; ``FilingData.to_json`` writes it back; ``flatten`` turns it into ``{path: value}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, TypeVar

from regdesk.filings.errors import FilingValidationError, field_error
from regdesk.rules import icp
from regdesk.rules.icp import FieldError

Code = int | str | None


@dataclass(frozen=True)
class PersonData:
    name: str | None = None
    document_type: Code = None
    document_number: str | None = None
    office_phone: str | None = None
    mobile: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class CertificateData:
    type: Code = None
    number: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class AddressData:
    province: Code = None
    city: Code = None
    county: Code = None
    detail: str | None = None


@dataclass(frozen=True)
class OwnerData:
    name: str | None = None
    nature: Code = None
    certificate: CertificateData = field(default_factory=CertificateData)
    address: AddressData = field(default_factory=AddressData)
    investor: str | None = None
    person_in_charge: PersonData = field(default_factory=PersonData)
    reporting_mode: Code = None
    remarks: str | None = None
    national_level: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreApprovalData:
    type: Code = None
    number: str | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class IpRangeData:
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class AccessData:
    method: Code = None
    server_location: str | None = None
    ip_ranges: tuple[IpRangeData, ...] = ()


@dataclass(frozen=True)
class WebsiteData:
    name: str | None = None
    homepage_url: str | None = None
    domains: tuple[str, ...] = ()
    service_contents: tuple[Code, ...] = ()
    languages: tuple[Code, ...] = ()
    content_categories: tuple[Code, ...] = ()
    pre_approvals: tuple[PreApprovalData, ...] = ()
    person_in_charge: PersonData = field(default_factory=PersonData)
    access: tuple[AccessData, ...] = ()
    remarks: str | None = None


@dataclass(frozen=True)
class FilingData:
    owner: OwnerData = field(default_factory=OwnerData)
    websites: tuple[WebsiteData, ...] = ()

    def to_json(self) -> dict[str, Any]:
        result = _to_json(self)
        assert isinstance(result, dict)  # noqa: S101 - a dataclass becomes an object
        return result


# --------------------------------------------------------------------------------------------------------------
# JSON


def _to_json(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _to_json(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    return value


class _Reader:
    """Reads the JSON form, collecting an error per value of the wrong kind."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def object(self, value: Any, path: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.errors.append(field_error(path or "__all__", "not_object"))
            return {}
        return value

    def text(self, source: Mapping[str, Any], key: str, path: str) -> str | None:
        value = source.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.errors.append(field_error(_join(path, key), "not_text"))
        return None

    def code(self, value: Any, path: str) -> Code:
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, str):
            # The rules parse digit strings and report anything else with its own code.
            return value
        self.errors.append(field_error(path, "not_code"))
        return None

    def flag(self, source: Mapping[str, Any], key: str, path: str) -> bool:
        value = source.get(key, False)
        if isinstance(value, bool):
            return value
        self.errors.append(field_error(_join(path, key), "not_yes_no"))
        return False

    def items(self, source: Mapping[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        value = source.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.errors.append(field_error(_join(path, key), "not_list"))
            return []
        return [(f"{_join(path, key)}[{index}]", item) for index, item in enumerate(value)]

    def texts(self, source: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        result: list[str] = []
        for item_path, item in self.items(source, key, path):
            if isinstance(item, str):
                result.append(item)
            else:
                self.errors.append(field_error(item_path, "not_text"))
        return tuple(result)

    def codes(self, source: Mapping[str, Any], key: str, path: str) -> tuple[Code, ...]:
        return tuple(self.code(item, item_path) for item_path, item in self.items(source, key, path))

    def unknown(self, source: Mapping[str, Any], known: type, path: str) -> None:
        names = {item.name for item in fields(known)}
        for key in source:
            if key not in names:
                self.errors.append(field_error(_join(path, str(key)), "unknown_field"))

    def person(self, value: Any, path: str) -> PersonData:
        source = self.object(value, path)
        self.unknown(source, PersonData, path)
        return PersonData(
            name=self.text(source, "name", path),
            document_type=self.code(source.get("document_type"), _join(path, "document_type")),
            document_number=self.text(source, "document_number", path),
            office_phone=self.text(source, "office_phone", path),
            mobile=self.text(source, "mobile", path),
            email=self.text(source, "email", path),
        )

    def owner(self, value: Any, path: str) -> OwnerData:
        source = self.object(value, path)
        self.unknown(source, OwnerData, path)
        certificate_path, address_path = _join(path, "certificate"), _join(path, "address")
        certificate = self.object(source.get("certificate"), certificate_path)
        self.unknown(certificate, CertificateData, certificate_path)
        address = self.object(source.get("address"), address_path)
        self.unknown(address, AddressData, address_path)
        return OwnerData(
            name=self.text(source, "name", path),
            nature=self.code(source.get("nature"), _join(path, "nature")),
            certificate=CertificateData(
                type=self.code(certificate.get("type"), _join(certificate_path, "type")),
                number=self.text(certificate, "number", certificate_path),
                address=self.text(certificate, "address", certificate_path),
            ),
            address=AddressData(
                province=self.code(address.get("province"), _join(address_path, "province")),
                city=self.code(address.get("city"), _join(address_path, "city")),
                county=self.code(address.get("county"), _join(address_path, "county")),
                detail=self.text(address, "detail", address_path),
            ),
            investor=self.text(source, "investor", path),
            person_in_charge=self.person(source.get("person_in_charge"), _join(path, "person_in_charge")),
            reporting_mode=self.code(source.get("reporting_mode"), _join(path, "reporting_mode")),
            remarks=self.text(source, "remarks", path),
            national_level=self.flag(source, "national_level", path),
            aliases=self.texts(source, "aliases", path),
        )

    def pre_approval(self, value: Any, path: str) -> PreApprovalData:
        source = self.object(value, path)
        self.unknown(source, PreApprovalData, path)
        document = source.get("document_id")
        if document is not None and (not isinstance(document, int) or isinstance(document, bool)):
            self.errors.append(field_error(_join(path, "document"), "document_missing"))
            document = None
        return PreApprovalData(
            type=self.code(source.get("type"), _join(path, "type")),
            number=self.text(source, "number", path),
            document_id=document,
        )

    def access(self, value: Any, path: str) -> AccessData:
        source = self.object(value, path)
        self.unknown(source, AccessData, path)
        ranges = []
        for item_path, item in self.items(source, "ip_ranges", path):
            bounds = self.object(item, item_path)
            self.unknown(bounds, IpRangeData, item_path)
            ranges.append(
                IpRangeData(start=self.text(bounds, "start", item_path), end=self.text(bounds, "end", item_path))
            )
        return AccessData(
            method=self.code(source.get("method"), _join(path, "method")),
            server_location=self.text(source, "server_location", path),
            ip_ranges=tuple(ranges),
        )

    def website(self, value: Any, path: str) -> WebsiteData:
        source = self.object(value, path)
        self.unknown(source, WebsiteData, path)
        return WebsiteData(
            name=self.text(source, "name", path),
            homepage_url=self.text(source, "homepage_url", path),
            domains=self.texts(source, "domains", path),
            service_contents=self.codes(source, "service_contents", path),
            languages=self.codes(source, "languages", path),
            content_categories=self.codes(source, "content_categories", path),
            pre_approvals=tuple(
                self.pre_approval(item, item_path) for item_path, item in self.items(source, "pre_approvals", path)
            ),
            person_in_charge=self.person(source.get("person_in_charge"), _join(path, "person_in_charge")),
            access=tuple(self.access(item, item_path) for item_path, item in self.items(source, "access", path)),
            remarks=self.text(source, "remarks", path),
        )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def filing_data_from_json(document: Any) -> FilingData:
    """The filing data of a JSON object; ``FilingValidationError`` lists every value of the wrong kind."""
    reader = _Reader()
    source = reader.object(document, "")
    reader.unknown(source, FilingData, "")
    data = FilingData(
        owner=reader.owner(source.get("owner"), "owner"),
        websites=tuple(reader.website(item, item_path) for item_path, item in reader.items(source, "websites", "")),
    )
    if reader.errors:
        raise FilingValidationError(reader.errors)
    return data


# --------------------------------------------------------------------------------------------------------------
# Paths


def flatten(document: Any, path: str = "") -> dict[str, Any]:
    """``{path: value}`` of every scalar of a JSON form; an empty list is kept as ``[]`` at its own path."""
    if isinstance(document, Mapping):
        flat: dict[str, Any] = {}
        for key, value in document.items():
            flat.update(flatten(value, _join(path, str(key))))
        return flat
    if isinstance(document, list | tuple):
        if not document:
            return {path: []}
        flat = {}
        for index, value in enumerate(document):
            flat.update(flatten(value, f"{path}[{index}]"))
        return flat
    return {path: document}


def path_covers(returned: str, path: str) -> bool:
    """Whether the returned field ``returned`` covers ``path``: the same field, or one inside it
    (``websites[0]`` covers ``websites[0].domains[1]``; ``websites[0].domains`` covers ``websites[0].domains[2]``)."""
    return path == returned or path.startswith((returned + ".", returned + "["))


def known_paths(data: FilingData) -> set[str]:
    """Every field path of the data, with every parent object and list (the paths a return may name)."""
    paths: set[str] = set()
    for path in flatten(data.to_json()):
        current = ""
        for part in _split(path):
            current = part if not current else (f"{current}{part}" if part.startswith("[") else f"{current}.{part}")
            paths.add(current)
    return paths


def _split(path: str) -> list[str]:
    parts: list[str] = []
    for segment in path.split("."):
        name, bracket, rest = segment.partition("[")
        parts.append(name)
        if bracket:
            for index in ("[" + rest).split("]")[:-1]:
                parts.append(index + "]")
    return parts


# --------------------------------------------------------------------------------------------------------------
# Rules


T = TypeVar("T")


def to_rules(data: FilingData, *, document_size: Callable[[int], int | None]) -> icp.Filing:
    """The rules' view of the data; ``document_size(document_id)`` gives a pre-approval scan's size in bytes."""

    def person(value: PersonData) -> icp.PersonInCharge:
        return icp.PersonInCharge(
            name=value.name,
            document_type=value.document_type,
            document_number=value.document_number,
            office_phone=value.office_phone,
            mobile=value.mobile,
            email=value.email,
        )

    owner = data.owner
    return icp.Filing(
        owner=icp.Owner(
            name=owner.name,
            nature=owner.nature,
            certificate=icp.Certificate(
                type=owner.certificate.type, number=owner.certificate.number, address=owner.certificate.address
            ),
            address=icp.Address(
                province=owner.address.province,
                city=owner.address.city,
                county=owner.address.county,
                detail=owner.address.detail,
            ),
            investor=owner.investor,
            person_in_charge=person(owner.person_in_charge),
            reporting_mode=owner.reporting_mode,
            remarks=owner.remarks,
            national_level=owner.national_level,
            aliases=owner.aliases,
        ),
        websites=tuple(
            icp.Website(
                name=website.name,
                domains=website.domains,
                homepage_url=website.homepage_url,
                service_contents=website.service_contents,
                languages=website.languages,
                content_categories=website.content_categories,
                pre_approvals=tuple(
                    icp.PreApproval(
                        type=approval.type,
                        number=approval.number,
                        document_size=document_size(approval.document_id) if approval.document_id else None,
                    )
                    for approval in website.pre_approvals
                ),
                person_in_charge=person(website.person_in_charge),
                access=tuple(
                    icp.Access(
                        method=access.method,
                        ip_ranges=tuple(icp.IpRange(start=item.start, end=item.end) for item in access.ip_ranges),
                    )
                    for access in website.access
                ),
                remarks=website.remarks,
            )
            for website in data.websites
        ),
    )
