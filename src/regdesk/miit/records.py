"""The records of the MIIT enterprise interface v3.0, as typed values.

The adapter knows no process: these dataclasses mirror the interface's documents (``upload.xsd`` and
``download.xsd``), with English names; each field's docstring comment names the XML element it becomes. The
filings app maps its own data onto them. Text is kept as given: the codec checks that it can be written in GBK
and the XSD checks lengths and ranges.

Upload side: the new-filing operation XZBA (新增备案) — ``NewFiling`` is one ``Baxx``: the owner (主体, ``Zt_xx``),
its websites (``Wz_xx``) and the verification materials (真实性核验材料, ``Fj``).

Download side: ``FilingResults`` (备案结果, ``BAJG``: result codes per operation and the reviewer's opinions of
the Communications Administration, 管局审核意见), ``PublishedFilings`` (备案数据, ``BASJ``: the province's
identifiers and record numbers, 备案号, of owners and websites) and ``PassThroughSection`` for every other kind,
kept as XML.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from ipaddress import IPv4Address

from lxml import etree

from regdesk.miit.codes import data_result_meaning

# --------------------------------------------------------------------------------------------------------------
# Upload: XZBA (新增备案)
# --------------------------------------------------------------------------------------------------------------


class ReportingMode(enum.IntEnum):
    """``Bbfs`` 报备方式."""

    SELF = 0  # 自行报备
    BY_PROVIDER = 1  # 代为报备


class AttachmentOwnerType(enum.IntEnum):
    """``Fjssdx/Ssdxlx`` 附件所属对象类型."""

    OWNER = 1  # 主体
    WEBSITE = 2  # 网站


@dataclass(frozen=True)
class Address:
    """``Txdz`` 通信地址: the division codes written on the owner's certificate, and the postal address."""

    province_id: int  # Shengid
    city_id: int  # Shiid
    county_id: int | None = None  # Xianid
    detail: str | None = None  # Xxdz


@dataclass(frozen=True)
class Certificate:
    """``Zj`` 证件信息: the owner's certificate (licence, ID card, ...)."""

    type_id: int  # Zjlx, 证件类型代码表
    number: str  # Zjhm
    residence: str  # Zjzs, 证件住所 (the address on the certificate)


@dataclass(frozen=True)
class PersonInCharge:
    """``Fzr`` (owner's person in charge, 主体负责人) or ``Wz_Fzr`` (website person in charge, 网站负责人).

    ``name`` may be empty for an individual owner's ``Fzr`` only; ``office_phone`` is required for organisations
    (the codec leaves that rule to the province, code 1031, since the XSD makes it optional).
    """

    mobile: str  # Fzr_sjhm, several separated by ';'
    email: str  # Fzr_dzyj, several separated by ';'
    name: str | None = None  # Fzr_xm
    office_phone: str | None = None  # Fzr_dhhm
    msn: str | None = None  # Msn
    qq: str | None = None  # Qq
    certificate_type_id: int | None = None  # Fzr_zjlx
    certificate_number: str | None = None  # Fzr_zjhm


@dataclass(frozen=True)
class Owner:
    """``Zt_xx`` 主体信息, the website owner (网站主办者)."""

    record_id: int  # IspZtid, our identifier of the owner record
    name: str  # Dwmc
    address: Address  # Txdz
    certificate: Certificate  # Zj
    person_in_charge: PersonInCharge  # Fzr
    reporting_mode: ReportingMode = ReportingMode.BY_PROVIDER  # Bbfs
    nature_id: int | None = None  # Dwxz, 单位性质 (required for organisations)
    investor: str | None = None  # Tzr, 投资人或主管单位
    remarks: str | None = None  # Bz


@dataclass(frozen=True)
class PreApproval:
    """``Nrlx_xx`` 前置或专项审批: the approval a news, publishing, medical, ... website needs."""

    content_type_id: int  # Nrlx_id
    approval_number: str  # Qzsph
    documents: tuple[bytes, ...]  # Spwj (1..10), JPEG scans, base64-encoded by the codec


@dataclass(frozen=True)
class Domain:
    """``Ym_xx`` 域名信息."""

    record_id: int  # IspYmid
    name: str  # Ym


@dataclass(frozen=True)
class IpRange:
    """``Ip_xx`` 网站IP信息: an IPv4 range, written as integers."""

    record_id: int  # IspIpid
    start: IPv4Address  # Qsip
    end: IPv4Address  # Zzip


@dataclass(frozen=True)
class Access:
    """``Jr_xx`` 接入信息: how and where the website is hosted by the provider."""

    record_id: int  # IspJrid
    location_ids: tuple[int, ...]  # Wzfb/Fbdd (服务器放置地点)
    method_ids: tuple[int, ...]  # Wzjrfs/Jrfs (接入方式: 专线, 主机托管, 虚拟主机, ...)
    ip_ranges: tuple[IpRange, ...]  # Ip_xx


@dataclass(frozen=True)
class Website:
    """``Wz_xx`` 网站信息."""

    record_id: int  # IspWzid
    name: str  # Wzmc
    service_content_ids: tuple[int, ...]  # Fwnr/Fwnr_id
    language_ids: tuple[int, ...]  # Yylb/Yylb_id
    domains: tuple[Domain, ...]  # Ym_xx
    accesses: tuple[Access, ...]  # Jr_xx
    person_in_charge: PersonInCharge  # Wz_Fzr (name required)
    pre_approvals: tuple[PreApproval, ...] = ()  # Nrlx
    homepage_url: str | None = None  # Syurl
    remarks: str | None = None  # Wz_Bz


@dataclass(frozen=True)
class Attachment:
    """``Fj/Fjxx`` 真实性核验材料电子件: a verification material (form, certificate scan, ID scan, photo)."""

    file_format_id: int  # Fjwjgs, 附件文件格式代码
    purpose_id: int  # Fjyt, 附件用途代码
    content: bytes  # Fjnr, base64-encoded by the codec
    owner_type: AttachmentOwnerType  # Fjssdx/Ssdxlx
    owner_record_id: int  # Fjssdx/Ssdxbs: our IspZtid or IspWzid
    remarks: str | None = None  # Bz


@dataclass(frozen=True)
class NewFiling:
    """``XZBA/Baxx``: one new filing (新增备案) — an owner with its websites and verification materials."""

    owner: Owner
    websites: tuple[Website, ...]
    attachments: tuple[Attachment, ...] = ()


# --------------------------------------------------------------------------------------------------------------
# Download
# --------------------------------------------------------------------------------------------------------------


class FilingOperationType(enum.IntEnum):
    """``Czlx`` of the filing results (操作类型)."""

    NEW_FILING = 1  # 新增备案
    NEW_WEBSITE = 2  # 新增网站
    NEW_ACCESS = 3  # 新增接入
    CHANGE = 4  # 变更信息
    CANCEL_ACCESS = 5  # 取消接入
    CANCEL_OWNER = 6  # 注销主体
    CANCEL_WEBSITE = 7  # 注销网站
    VERIFICATION_MATERIALS = 35  # 单独提交真实性核验材料电子件 (documented, outside the XSD's range 1..7)


@dataclass(frozen=True)
class ResultCode:
    """``Jgxx``: one result code (操作结果代码) and the province's description of it."""

    code: int  # Jgdm
    description: str | None = None  # Dmms (the file name when the file did not match the XSD, code 5001)

    @property
    def meaning(self) -> str:
        """The specification's text of the code (data-processing result code table, 数据处理结果代码表)."""
        return data_result_meaning(self.code)


@dataclass(frozen=True)
class FilingResult:
    """``Jg_xx``: the result of one operation the provider uploaded."""

    results: tuple[ResultCode, ...]  # Jgxx
    operation: int  # Czlx, see FilingOperationType
    identifier: str | None = None  # Bs: our IspZtid for XZBA; a record number or the province's id otherwise
    remarks: str | None = None  # Bz

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(result.code for result in self.results)


@dataclass(frozen=True)
class ReviewOpinion:
    """``Gjsh`` 管局审核意见: the Communications Administration's review of one operation."""

    reviewed_at: str  # Shsj, as written (YYYY-MM-DD, sometimes with a time)
    approved: bool  # Shjg: 1 审核通过, 0 审核拒绝
    opinion: str | None = None  # Shyj
    reviewer_name: str | None = None  # Shrxm
    reviewer_phone: str | None = None  # Shr_dhhm
    operation: int | None = None  # Czlx
    record_id: int | None = None  # Jlid: our IspZtid for XZBA, our website/access id, or the province's id


@dataclass(frozen=True)
class FilingResults:
    """``ICP/BAJG`` 备案结果. Approval or return of each uploaded operation.

    The XSD carries no record number in ``BAJG``: an approved filing's record numbers arrive in ``BASJ``
    (``published`` holds the ``BASJ`` entries of the same downloaded document, if any).
    """

    results: tuple[FilingResult, ...]
    reviews: tuple[ReviewOpinion, ...]
    published: tuple[PublishedFiling, ...] = ()

    def published_for_owner(self, owner_record_id: int) -> PublishedFiling | None:
        """The ``BASJ`` entry of the owner with our ``IspZtid``, when the same document carries it."""
        for entry in self.published:
            if entry.owner.isp_record_id == owner_record_id:
                return entry
        return None


@dataclass(frozen=True)
class PublishedWebsite:
    """``BASJ/Baxx/Wz_xx``: a website as the province filed it (identifiers and record number only)."""

    province_id: int  # Wzid
    name: str  # Wzmc
    domains: tuple[str, ...]  # Ym_xx/Ym
    isp_record_id: int | None = None  # IspWzid
    record_number: str | None = None  # Baxh (网站备案号), e.g. 京ICP备12345678号-1
    access_ids: tuple[int, ...] = ()  # Jr_xx/Jrid (the province's access ids)


@dataclass(frozen=True)
class PublishedOwner:
    """``BASJ/Baxx/Zt_xx``: an owner as the province filed it (identifiers and record number only)."""

    province_id: int  # Ztid
    name: str  # Dwmc
    isp_record_id: int | None = None  # IspZtid
    record_number: str | None = None  # Baxh (主体备案号), e.g. 京ICP备12345678号
    reviewed_at: str | None = None  # Shsj


@dataclass(frozen=True)
class PublishedFiling:
    """``BASJ/Baxx`` 备案数据: one filed owner and its websites."""

    owner: PublishedOwner
    websites: tuple[PublishedWebsite, ...]


@dataclass(frozen=True)
class PublishedFilings:
    """``ICP/BASJ``."""

    filings: tuple[PublishedFiling, ...]


@dataclass(frozen=True)
class PassThroughSection:
    """Any other downloaded kind (ZXSJ, HMDLB, WBAWZLB, HSRW, HCJG, XGTZ, IP/…, YM/…, JCDM, SJTB), kept as XML."""

    kind: str
    xml: str = field(repr=False)

    def element(self) -> etree._Element:
        """The section parsed again (a safe parser: no entities, no network)."""
        from regdesk.miit.codec.xml import parse_text

        return parse_text(self.xml)


DownloadSection = FilingResults | PublishedFilings | PassThroughSection


@dataclass(frozen=True)
class DownloadDocument:
    """A parsed ``DownloadData`` document: its sections by kind (``BAJG``, ``BASJ``, ``IP/BAJG``, ...)."""

    version: str
    sections: dict[str, DownloadSection]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.sections)
