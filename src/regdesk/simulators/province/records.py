"""The records of an upload (``upload.xsd``), read from an element that has validated against the schema.

Only what the simulator checks and keeps is read; the elements themselves are kept beside the records so that the
province can send the filed data back (BASJ) as it was received.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

# Certificate types of individuals. The specification's certificate-type codes are published by the province
# (JCDM); queryConditionType of isp_querybeianstatus numbers them the same way: 2 resident ID card, 7 passport,
# 8 military officer's card, 11 Taiwan compatriot permit are the personal ones.
RESIDENT_ID_CARD = 2
INDIVIDUAL_CERTIFICATE_TYPES = frozenset({2, 7, 8, 11})


def tag_name(element: etree._Element) -> str:
    """The element's name as text (lxml types a tag as str, bytes or QName)."""
    return str(etree.QName(element).localname)


def text(element: etree._Element, path: str) -> str | None:
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def required_text(element: etree._Element, path: str) -> str:
    value = text(element, path)
    if value is None:
        # Unreachable for a document that validated against upload.xsd.
        raise ValueError(f"{tag_name(element)}/{path} is missing")
    return value


def number(element: etree._Element, path: str) -> int | None:
    value = text(element, path)
    return int(value) if value is not None else None


def required_number(element: etree._Element, path: str) -> int:
    return int(required_text(element, path))


def normalise_certificate_number(value: str) -> str:
    return value.strip().upper()


def normalise_domain(value: str) -> str:
    return value.strip().lower().rstrip(".")


@dataclass(frozen=True)
class Person:
    """A person in charge (负责人) of an owner or a website."""

    name: str | None
    office_phone: str | None
    mobile: str | None
    email: str | None
    msn: str | None
    qq: str | None
    id_type: int | None
    id_number: str | None

    @classmethod
    def read(cls, element: etree._Element) -> Person:
        return cls(
            name=text(element, "Fzr_xm"),
            office_phone=text(element, "Fzr_dhhm"),
            mobile=text(element, "Fzr_sjhm"),
            email=text(element, "Fzr_dzyj"),
            msn=text(element, "Msn"),
            qq=text(element, "Qq"),
            id_type=number(element, "Fzr_zjlx"),
            id_number=text(element, "Fzr_zjhm"),
        )


@dataclass(frozen=True)
class Owner:
    """The owner (主办者, ``Zt_xx``) of a new filing."""

    isp_owner_id: int
    name: str
    province_id: int
    city_id: int | None
    county_id: int | None
    certificate_type: int
    certificate_number: str
    head: Person

    @property
    def is_individual(self) -> bool:
        return self.certificate_type in INDIVIDUAL_CERTIFICATE_TYPES

    @classmethod
    def read(cls, element: etree._Element) -> Owner:
        return cls(
            isp_owner_id=required_number(element, "IspZtid"),
            name=required_text(element, "Dwmc"),
            province_id=required_number(element, "Txdz/Shengid"),
            city_id=number(element, "Txdz/Shiid"),
            county_id=number(element, "Txdz/Xianid"),
            certificate_type=required_number(element, "Zj/Zjlx"),
            certificate_number=normalise_certificate_number(required_text(element, "Zj/Zjhm")),
            head=Person.read(element.find("Fzr")),  # type: ignore[arg-type]  # required by the schema
        )


@dataclass(frozen=True)
class IpRange:
    isp_ip_id: int
    first: int
    last: int


@dataclass(frozen=True)
class Access:
    """An access (接入, ``Jr_xx``): where and how the website is hosted by the provider, with its IP ranges."""

    isp_access_id: int
    ranges: tuple[IpRange, ...]

    @classmethod
    def read(cls, element: etree._Element) -> Access:
        return cls(
            isp_access_id=required_number(element, "IspJrid"),
            ranges=tuple(
                IpRange(
                    isp_ip_id=required_number(item, "IspIpid"),
                    first=required_number(item, "Qsip"),
                    last=required_number(item, "Zzip"),
                )
                for item in element.findall("Ip_xx")
            ),
        )


@dataclass(frozen=True)
class Domain:
    isp_domain_id: int
    name: str


@dataclass(frozen=True)
class Website:
    """A website (``Wz_xx``) of a new filing or of an added website."""

    isp_website_id: int
    name: str
    homepage: str | None
    domains: tuple[Domain, ...]
    accesses: tuple[Access, ...]
    head: Person
    element: etree._Element

    @classmethod
    def read(cls, element: etree._Element) -> Website:
        return cls(
            isp_website_id=required_number(element, "IspWzid"),
            name=required_text(element, "Wzmc"),
            homepage=text(element, "Syurl"),
            domains=tuple(
                Domain(isp_domain_id=required_number(item, "IspYmid"), name=normalise_domain(required_text(item, "Ym")))
                for item in element.findall("Ym_xx")
            ),
            accesses=tuple(Access.read(item) for item in element.findall("Jr_xx")),
            head=Person.read(element.find("Wz_Fzr")),  # type: ignore[arg-type]  # required by the schema
            element=element,
        )


@dataclass(frozen=True)
class NewFiling:
    """A new filing (新增备案, XZBA ``Baxx``): one owner and its websites."""

    owner: Owner
    websites: tuple[Website, ...]
    element: etree._Element

    @classmethod
    def read(cls, element: etree._Element) -> NewFiling:
        return cls(
            owner=Owner.read(element.find("Zt_xx")),  # type: ignore[arg-type]  # required by the schema
            websites=tuple(Website.read(item) for item in element.findall("Wz_xx")),
            element=element,
        )


@dataclass(frozen=True)
class NewWebsites:
    """Websites added to a filed owner (新增网站, XZWZ ``Xzxx``), who is named by record number or province ID."""

    owner_number: str | None
    owner_id: int | None
    websites: tuple[Website, ...]
    element: etree._Element

    @classmethod
    def read(cls, element: etree._Element) -> NewWebsites:
        return cls(
            owner_number=text(element, "Zt_xx/Ztbah"),
            owner_id=number(element, "Zt_xx/Ztid"),
            websites=tuple(Website.read(item) for item in element.findall("Wz_xx")),
            element=element,
        )


# ZXBA Zxlb: 0 cancel the owner, 1 cancel a website, 2 cancel an access.
CANCEL_OWNER = 0
CANCEL_WEBSITE = 1
CANCEL_ACCESS = 2


@dataclass(frozen=True)
class Cancellation:
    """A cancellation (注销备案, ZXBA ``Zx_xx``) of an owner, a website or an access, by province ID."""

    kind: int
    record_id: int
    reason: int
    element: etree._Element

    @classmethod
    def read(cls, element: etree._Element) -> Cancellation:
        return cls(
            kind=required_number(element, "Zxlb"),
            record_id=required_number(element, "Jlid"),
            reason=required_number(element, "Zxly"),
            element=element,
        )
