"""The filing data the rules read: plain values the filings app fills from its models or forms.

Fields mirror the XSD ``UploadData/ICP/XZBA/Baxx`` (Chinese tag in each comment). Codes may be given as ints or
as the strings a form posts; free text is given as typed: the rules trim it and report what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address

Code = int | str | None
IpValue = str | int | IPv4Address | IPv6Address


@dataclass(frozen=True)
class PersonInCharge:
    """主体负责人 (Fzr) or 网站负责人 (Wz_Fzr)."""

    name: str | None = None  # Fzr_xm
    document_type: Code = None  # Fzr_zjlx
    document_number: str | None = None  # Fzr_zjhm
    office_phone: str | None = None  # Fzr_dhhm
    mobile: str | None = None  # Fzr_sjhm
    email: str | None = None  # Fzr_dzyj


@dataclass(frozen=True)
class Address:
    """通信地址 (Txdz): the province, city and county on the certificate, and the postal address."""

    province: Code = None  # Shengid
    city: Code = None  # Shiid
    county: Code = None  # Xianid
    detail: str | None = None  # Xxdz


@dataclass(frozen=True)
class Certificate:
    """证件 (Zj)."""

    type: Code = None  # Zjlx
    number: str | None = None  # Zjhm
    address: str | None = None  # Zjzs


@dataclass(frozen=True)
class Owner:
    """主办者 (Zt_xx). ``national_level`` is a specialist's confirmation that the owner is a national (central)
    body, for bodies whose certificate does not show it; ``aliases`` are names the owner is also known by
    (short names, brands, trade marks) that the website-name rules accept as related."""

    name: str | None = None  # Dwmc
    nature: Code = None  # Dwxz
    certificate: Certificate = field(default_factory=Certificate)
    address: Address = field(default_factory=Address)
    investor: str | None = None  # Tzr
    person_in_charge: PersonInCharge = field(default_factory=PersonInCharge)
    reporting_mode: Code = None  # Bbfs
    remarks: str | None = None  # Bz
    national_level: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PreApproval:
    """前置或专项审批 (Nrlx_xx): type, approval number, and the scanned document's size (None: no document)."""

    type: Code = None  # Nrlx_id
    number: str | None = None  # Qzsph
    document_size: int | None = None  # Spwj, bytes of the JPEG before base64


@dataclass(frozen=True)
class IpRange:
    """Ip_xx: first and last address of a range (Qsip, Zzip), IPv4 or IPv6, as text, int or address."""

    start: IpValue | None = None
    end: IpValue | None = None


@dataclass(frozen=True)
class Access:
    """接入 (Jr_xx): access method and IP ranges."""

    method: Code = None  # Wzjrfs/Jrfs
    ip_ranges: tuple[IpRange, ...] = ()  # Ip_xx


@dataclass(frozen=True)
class Website:
    """网站 (Wz_xx). ``content_categories`` are the pre-approval content types the website declares it offers."""

    name: str | None = None  # Wzmc
    domains: tuple[str, ...] = ()  # Ym_xx/Ym
    homepage_url: str | None = None  # Syurl
    service_contents: tuple[Code, ...] = ()  # Fwnr/Fwnr_id
    languages: tuple[Code, ...] = ()  # Yylb/Yylb_id
    content_categories: tuple[Code, ...] = ()
    pre_approvals: tuple[PreApproval, ...] = ()  # Nrlx/Nrlx_xx
    person_in_charge: PersonInCharge = field(default_factory=PersonInCharge)
    access: tuple[Access, ...] = ()  # Jr_xx
    remarks: str | None = None  # Wz_Bz


@dataclass(frozen=True)
class Filing:
    """新增备案 (Baxx): one owner and its websites."""

    owner: Owner = field(default_factory=Owner)
    websites: tuple[Website, ...] = ()
