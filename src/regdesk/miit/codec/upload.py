"""Building ``UploadData`` documents from records: lxml, the exact element order of ``upload.xsd``, GBK.

Every text is checked before it is put into the tree, field by field, so that a character GBK cannot carry is
reported with the field's path (``Wz_xx[1]/Wzmc``) instead of failing somewhere in the serialiser. The finished
document is serialised in GBK with the declaration the binding prescribes and validated against ``upload.xsd``
before anyone can store or send it (``UploadInvalid`` lists each XSD error with its path).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from lxml import etree

from regdesk.miit.codec.errors import AttachmentTooLarge, FieldNotEncodable, UploadInvalid, UploadTooLarge
from regdesk.miit.codec.schemas import UPLOAD, schema_problems
from regdesk.miit.codec.xml import parse_bytes
from regdesk.miit.records import (
    Access,
    Address,
    Attachment,
    Certificate,
    NewFiling,
    Owner,
    PersonInCharge,
    PreApproval,
    Website,
)

# "本次发布版本为V.3.0，所有依据本版规范生成的XML文件须填写本版本号" (specification §3-2).
INTERFACE_VERSION = "V.3.0"
XML_DECLARATION = b'<?xml version="1.0" encoding="GBK"?>\n'
ENCODING = "gbk"
# "单个XML数据文件内的备案数据不能超过1000条 ... 不能超过50MB" (specification §3-3-1-3).
MAX_RECORDS = 1000
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# Scans: "单条信息不能超过100k"; verification materials up to 150K (核验单). Applied to the base64 text, the
# stricter reading; the purpose codes (Fjyt) come from the province's code table, so every material gets the
# largest limit here and the province checks the smaller ones.
MAX_APPROVAL_SCAN_CHARS = 100 * 1024
MAX_ATTACHMENT_CHARS = 150 * 1024

# Characters XML 1.0 cannot hold at all (lxml refuses them too).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Writer:
    """Appends elements to a tree, checking every text against GBK and XML under its path."""

    def __init__(self, record_index: int) -> None:
        self.record_index = record_index

    def check_text(self, path: str, value: str) -> str:
        forbidden = _XML_FORBIDDEN.search(value)
        if forbidden is not None:
            raise FieldNotEncodable(path, forbidden.group(0), record_index=self.record_index)
        try:
            value.encode(ENCODING)
        except UnicodeEncodeError as error:
            raise FieldNotEncodable(path, value[error.start], record_index=self.record_index) from None
        return value

    def text(self, parent: etree._Element, path: str, name: str, value: str | None) -> None:
        """Append ``<name>value</name>``; ``None`` leaves the optional element out."""
        if value is None:
            return
        child = etree.SubElement(parent, name)
        child.text = self.check_text(f"{path}/{name}" if path else name, value)

    def number(self, parent: etree._Element, name: str, value: int | None) -> None:
        if value is None:
            return
        etree.SubElement(parent, name).text = str(int(value))

    def base64(self, parent: etree._Element, path: str, name: str, content: bytes, limit: int) -> None:
        encoded = base64.b64encode(content).decode("ascii")
        if len(encoded) > limit:
            raise AttachmentTooLarge(f"{path}/{name}", len(encoded), limit, record_index=self.record_index)
        etree.SubElement(parent, name).text = encoded


def _address(writer: _Writer, parent: etree._Element, path: str, address: Address) -> None:
    element = etree.SubElement(parent, "Txdz")
    here = f"{path}/Txdz"
    writer.number(element, "Shengid", address.province_id)
    writer.number(element, "Shiid", address.city_id)
    writer.number(element, "Xianid", address.county_id)
    writer.text(element, here, "Xxdz", address.detail)


def _certificate(writer: _Writer, parent: etree._Element, path: str, certificate: Certificate) -> None:
    element = etree.SubElement(parent, "Zj")
    here = f"{path}/Zj"
    writer.number(element, "Zjlx", certificate.type_id)
    writer.text(element, here, "Zjhm", certificate.number)
    writer.text(element, here, "Zjzs", certificate.residence)


def _person(writer: _Writer, parent: etree._Element, path: str, tag: str, person: PersonInCharge) -> None:
    # Fzr is a sequence and Wz_Fzr an xs:all in upload.xsd; both are written in the declared order.
    element = etree.SubElement(parent, tag)
    here = f"{path}/{tag}"
    writer.text(element, here, "Fzr_xm", person.name)
    writer.text(element, here, "Fzr_dhhm", person.office_phone)
    writer.text(element, here, "Fzr_sjhm", person.mobile)
    writer.text(element, here, "Fzr_dzyj", person.email)
    writer.text(element, here, "Msn", person.msn)
    writer.text(element, here, "Qq", person.qq)
    writer.number(element, "Fzr_zjlx", person.certificate_type_id)
    writer.text(element, here, "Fzr_zjhm", person.certificate_number)


def _owner(writer: _Writer, parent: etree._Element, owner: Owner) -> None:
    element = etree.SubElement(parent, "Zt_xx")
    path = "Zt_xx"
    writer.number(element, "IspZtid", owner.record_id)
    writer.text(element, path, "Dwmc", owner.name)
    writer.number(element, "Dwxz", owner.nature_id)
    writer.text(element, path, "Tzr", owner.investor)
    _address(writer, element, path, owner.address)
    _certificate(writer, element, path, owner.certificate)
    _person(writer, element, path, "Fzr", owner.person_in_charge)
    writer.number(element, "Bbfs", int(owner.reporting_mode))
    writer.text(element, path, "Bz", owner.remarks)


def _pre_approvals(writer: _Writer, parent: etree._Element, path: str, approvals: Sequence[PreApproval]) -> None:
    if not approvals:
        return
    element = etree.SubElement(parent, "Nrlx")
    for index, approval in enumerate(approvals, start=1):
        item = etree.SubElement(element, "Nrlx_xx")
        here = f"{path}/Nrlx/Nrlx_xx[{index}]"
        writer.number(item, "Nrlx_id", approval.content_type_id)
        writer.text(item, here, "Qzsph", approval.approval_number)
        for document in approval.documents:
            writer.base64(item, here, "Spwj", document, MAX_APPROVAL_SCAN_CHARS)


def _access(writer: _Writer, parent: etree._Element, access: Access) -> None:
    element = etree.SubElement(parent, "Jr_xx")
    writer.number(element, "IspJrid", access.record_id)
    locations = etree.SubElement(element, "Wzfb")
    for location in access.location_ids:
        writer.number(locations, "Fbdd", location)
    methods = etree.SubElement(element, "Wzjrfs")
    for method in access.method_ids:
        writer.number(methods, "Jrfs", method)
    for ip_range in access.ip_ranges:
        item = etree.SubElement(element, "Ip_xx")
        writer.number(item, "IspIpid", ip_range.record_id)
        writer.number(item, "Qsip", int(ip_range.start))
        writer.number(item, "Zzip", int(ip_range.end))


def _website(writer: _Writer, parent: etree._Element, index: int, website: Website) -> None:
    element = etree.SubElement(parent, "Wz_xx")
    path = f"Wz_xx[{index}]"
    writer.number(element, "IspWzid", website.record_id)
    writer.text(element, path, "Wzmc", website.name)
    _pre_approvals(writer, element, path, website.pre_approvals)
    services = etree.SubElement(element, "Fwnr")
    for service in website.service_content_ids:
        writer.number(services, "Fwnr_id", service)
    languages = etree.SubElement(element, "Yylb")
    for language in website.language_ids:
        writer.number(languages, "Yylb_id", language)
    for domain_index, domain in enumerate(website.domains, start=1):
        item = etree.SubElement(element, "Ym_xx")
        writer.number(item, "IspYmid", domain.record_id)
        writer.text(item, f"{path}/Ym_xx[{domain_index}]", "Ym", domain.name)
    for access in website.accesses:
        _access(writer, element, access)
    _person(writer, element, path, "Wz_Fzr", website.person_in_charge)
    writer.text(element, path, "Syurl", website.homepage_url)
    writer.text(element, path, "Wz_Bz", website.remarks)


def _attachment(writer: _Writer, parent: etree._Element, index: int, attachment: Attachment) -> None:
    holder = etree.SubElement(parent, "Fj")
    element = etree.SubElement(holder, "Fjxx")
    path = f"Fj[{index}]/Fjxx"
    writer.number(element, "Fjwjgs", attachment.file_format_id)
    writer.number(element, "Fjyt", attachment.purpose_id)
    writer.base64(element, path, "Fjnr", attachment.content, MAX_ATTACHMENT_CHARS)
    owner = etree.SubElement(element, "Fjssdx")
    writer.number(owner, "Ssdxlx", int(attachment.owner_type))
    writer.number(owner, "Ssdxbs", attachment.owner_record_id)
    writer.text(element, path, "Bz", attachment.remarks)


def new_filing_element(filings: Sequence[NewFiling], *, requesting_unit_id: int) -> etree._Element:
    """The ``UploadData`` tree of an XZBA upload (新增备案). ``requesting_unit_id`` is ``Qqdwid``: our ispId."""
    root = etree.Element("UploadData", version=INTERFACE_VERSION)
    icp = etree.SubElement(root, "ICP")
    operation = etree.SubElement(icp, "XZBA")
    for record_index, filing in enumerate(filings, start=1):
        writer = _Writer(record_index)
        record = etree.SubElement(operation, "Baxx")
        _owner(writer, record, filing.owner)
        for index, website in enumerate(filing.websites, start=1):
            _website(writer, record, index, website)
        for index, attachment in enumerate(filing.attachments, start=1):
            _attachment(writer, record, index, attachment)
    etree.SubElement(icp, "Qqdwid").text = str(int(requesting_unit_id))
    return root


def serialise(root: etree._Element) -> bytes:
    """The document in GBK with the declaration ``<?xml version="1.0" encoding="GBK"?>``."""
    return XML_DECLARATION + etree.tostring(root, encoding="GBK", xml_declaration=False)


def validate_upload(document: bytes) -> None:
    """Raise ``UploadInvalid`` unless ``document`` (GBK bytes) matches ``upload.xsd``; check the size limits."""
    root = parse_bytes(document)
    problems = schema_problems(root, UPLOAD)
    if problems:
        raise UploadInvalid(UPLOAD, problems)
    records = count_records(root)
    if records > MAX_RECORDS or len(document) > MAX_DOCUMENT_BYTES:
        raise UploadTooLarge(records=records, size_bytes=len(document))


def count_records(root: etree._Element) -> int:
    """The records of an upload as the specification counts them: one per repeated item of the operation."""
    icp = root.find("ICP")
    if icp is None:
        return sum(len(operation) for part in root for operation in part if operation.tag != "Qqdwid")
    return sum(len(operation) for operation in icp if operation.tag != "Qqdwid")


def encode_new_filings(filings: Sequence[NewFiling], *, requesting_unit_id: int) -> bytes:
    """Build, serialise and validate an XZBA upload; the GBK bytes that may be stored and sent."""
    document = serialise(new_filing_element(filings, requesting_unit_id=requesting_unit_id))
    validate_upload(document)
    return document
