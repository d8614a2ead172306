"""Data processing of an accepted upload (specification 3-5): the results come back as download files (BAJG).

``read_document`` parses the XML on its own terms — GBK, the version attribute, ``upload.xsd`` — before the
upload is accepted (it also counts the records, at most 1,000 per file). ``process`` then checks each operation
against the configuration and against what the province holds, stores the operations that pass as pending review,
and queues one BAJG file with the findings of those that do not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from lxml import etree

from regdesk.simulators.province import codes, safe_xml, schemas
from regdesk.simulators.province.cancellations import cancellation
from regdesk.simulators.province.checks import Finding, check_website, finding, normalise_homepage
from regdesk.simulators.province.checks import check_new_filing as check_filing_data
from regdesk.simulators.province.config import SimulatorConfig
from regdesk.simulators.province.downloads import DownloadDocument, Result, queue
from regdesk.simulators.province.operations import Context, owner_in_flight, pending_operations, store_operation
from regdesk.simulators.province.records import INDIVIDUAL_CERTIFICATE_TYPES, NewFiling, NewWebsites, Website, tag_name

MAX_RECORDS = 1000  # specification 3-3-1: at most 1,000 records in one file
# BAJG Czlx of each ICP operation; operations without a code of their own are reported as 1.
OPERATION_TYPES = {"XZBA": 1, "XZWZ": 2, "XZJR": 3, "BGBA": 4}
SIMULATED_OPERATIONS = ("XZBA", "XZWZ", "ZXBA")
_GBK_NAMES = frozenset({"GBK", "CP936"})


@dataclass(frozen=True)
class ParsedUpload:
    """The upload document, or why it cannot be processed (a file-level result code and the reason)."""

    root: etree._Element | None
    problem: tuple[int, str] | None
    record_count: int


def read_document(xml: bytes, config: SimulatorConfig) -> ParsedUpload:
    try:
        tree = safe_xml.parse(xml, huge_tree=True).getroottree()
    except etree.XMLSyntaxError as error:
        return ParsedUpload(None, (codes.SCHEMA_INVALID, f"XML格式错误：{error}"), 0)
    except safe_xml.DefusedXmlException:
        return ParsedUpload(None, (codes.SCHEMA_INVALID, "XML文件不得包含文档类型声明（DOCTYPE）或实体"), 0)
    encoding = (tree.docinfo.encoding or "").upper()
    if encoding not in _GBK_NAMES:
        return ParsedUpload(None, (codes.SCHEMA_INVALID, f"XML文件须使用GBK编码（声明为{encoding or '无'}）"), 0)
    root = tree.getroot()
    version = root.get("version")
    if root.tag == "UploadData" and version not in config.accepted_versions:
        detail = f"当前接口版本为“{config.answer_version}”，收到“{version or ''}”"
        return ParsedUpload(root, (codes.VERSION_WRONG, detail), 0)
    errors = schemas.validation_errors("upload", tree)
    if errors:
        return ParsedUpload(root, (codes.SCHEMA_INVALID, "；".join(errors)[:1000]), 0)
    count = sum(len(operation) for section in root for operation in section if operation.tag != "Qqdwid")
    return ParsedUpload(root, None, count)


def _file_operation_type(root: etree._Element | None) -> int:
    if root is None:
        return 1
    for section in root:
        for operation in section:
            if tag_name(operation) in OPERATION_TYPES:
                return OPERATION_TYPES[tag_name(operation)]
    return 1


def _file_result(
    code: int, detail: str, file_name: str, root: etree._Element | None, config: SimulatorConfig
) -> Result:
    if code == codes.SCHEMA_INVALID:
        description = file_name  # download.xsd: for a file that does not fit the XSD, Dmms is the file name
    elif code == codes.VERSION_WRONG:
        description = f"接口版本错误，当前接口版本为“{config.answer_version}”"
    else:
        description = codes.RESULT_CODES[code]
    return Result(operation_type=_file_operation_type(root), findings=[(code, description[:255])], note=detail)


def process(context: Context, parsed: ParsedUpload, file_name: str) -> list[int]:
    """Process an accepted upload; return every result code it produced (for the control page)."""
    results: list[Result] = []
    root = parsed.root
    if parsed.problem is not None or root is None:
        code, detail = parsed.problem or (codes.SCHEMA_INVALID, "")
        results.append(_file_result(code, detail, file_name, root, context.config))
    else:
        section = root[0]
        requester = section.findtext("Qqdwid")
        if section.tag != "ICP":
            detail = f"{tag_name(section)}备案未模拟"
            results.append(_file_result(codes.NOT_OPEN, detail, file_name, root, context.config))
        elif requester is None or int(requester) != context.isp_id:
            detail = f"Qqdwid为{requester}，调用的ispId为{context.isp_id}"
            results.append(_file_result(codes.REQUESTER_MISMATCH, detail, file_name, root, context.config))
        else:
            for operation in section:
                results.extend(_process_operation(context, operation))
    produced = [code for result in results for code, _ in result.findings]
    if results:
        document = DownloadDocument(version=context.config.answer_version, results=results)
        queue(context.connection, isp_id=context.isp_id, kind="BAJG", document=document, now=context.now)
    return produced


def _process_operation(context: Context, operation: etree._Element) -> list[Result]:
    name = tag_name(operation)
    if name == "Qqdwid":
        return []
    if operation.tag == "XZBA":
        return [result for item in operation.findall("Baxx") if (result := _new_filing(context, item))]
    if operation.tag == "XZWZ":
        return [result for item in operation.findall("Xzxx") if (result := _new_websites(context, item))]
    if operation.tag == "ZXBA":
        return [result for item in operation.findall("Zx_xx") if (result := cancellation(context, item))]
    code = codes.NOT_OPEN
    return [
        Result(
            operation_type=OPERATION_TYPES.get(name, 1),
            findings=[finding(code, f"{name}未模拟")],
            note=f"模拟省局系统只受理{'、'.join(SIMULATED_OPERATIONS)}",
        )
    ]


def _website_conflicts(
    connection: sqlite3.Connection, websites: tuple[Website, ...], certificate_number: str
) -> list[Finding]:
    """Domains and homepages already filed or in flight: 1039 for the same owner, 1005 / 1021 for another."""
    findings: list[Finding] = []
    pending_domains: dict[str, str] = {}
    for row in pending_operations(connection):
        for name in filter(None, row["domains"].split("\n")):
            pending_domains[name] = row["certificate_number"]
    filed_homepages = {
        normalise_homepage(row["homepage"]): row["certificate_number"]
        for row in connection.execute(
            "SELECT w.homepage, o.certificate_number FROM websites w JOIN owners o ON o.id = w.owner_id"
            " WHERE w.status = 'filed' AND w.homepage IS NOT NULL"
        )
    }
    seen: set[str] = set()
    for website in websites:
        for domain in website.domains:
            filed = connection.execute(
                "SELECT o.certificate_number FROM domains d JOIN websites w ON w.id = d.website_id"
                " JOIN owners o ON o.id = w.owner_id WHERE d.name = ? AND w.status = 'filed'",
                (domain.name,),
            ).fetchone()
            holder = filed["certificate_number"] if filed is not None else pending_domains.get(domain.name)
            if domain.name in seen:
                findings.append(finding(codes.DOMAIN_CONFLICT, f"域名{domain.name}在本次申请中重复"))
            elif holder is None:
                pass
            elif holder == certificate_number:
                findings.append(finding(codes.DOMAIN_ALREADY_FILED, f"域名{domain.name}"))
            else:
                state = "已备案" if filed is not None else "正在备案"
                findings.append(finding(codes.DOMAIN_CONFLICT, f"域名{domain.name}{state}于其他主办者"))
            seen.add(domain.name)
        if website.homepage is not None:
            holder = filed_homepages.get(normalise_homepage(website.homepage))
            if holder is not None and holder != certificate_number:
                findings.append(finding(codes.HOMEPAGE_CONFLICT, f"首页{website.homepage}"))
    return findings


def _new_filing(context: Context, element: etree._Element) -> Result | None:
    filing = NewFiling.read(element)
    owner = filing.owner
    findings = check_filing_data(filing, context.account, context.config)
    filed_owner = context.connection.execute(
        "SELECT 1 FROM owners WHERE certificate_number = ? AND status = 'filed'", (owner.certificate_number,)
    ).fetchone()
    if filed_owner is not None:
        findings.insert(0, finding(codes.OWNER_CONFLICT, "主办者已备案，新增网站请使用新增网站（XZWZ）"))
    elif owner_in_flight(context.connection, owner.certificate_number):
        findings.insert(0, finding(codes.OWNER_CONFLICT, "该主办者有正在办理的备案业务"))
    findings.extend(_website_conflicts(context.connection, filing.websites, owner.certificate_number))
    return store_operation(
        context,
        kind="XZBA",
        operation_type=1,
        marker=str(owner.isp_owner_id),  # BAJG Bs: for a new filing, the provider's owner id
        record_id=owner.isp_owner_id,
        owner_id=None,
        certificate_number=owner.certificate_number,
        owner_name=owner.name,
        websites=filing.websites,
        element=element,
        findings=findings,
    )


def _new_websites(context: Context, element: etree._Element) -> Result | None:
    request = NewWebsites.read(element)
    if request.owner_id is not None:
        owner = context.connection.execute("SELECT * FROM owners WHERE id = ?", (request.owner_id,)).fetchone()
    else:
        owner = context.connection.execute(
            "SELECT * FROM owners WHERE record_number = ?", (request.owner_number,)
        ).fetchone()
    marker = request.owner_number or str(request.owner_id)
    findings: list[Finding] = []
    if owner is None:
        findings.append(finding(codes.OWNER_NOT_FOUND, f"主体{marker}"))
    elif owner["status"] != "filed":
        findings.append(finding(codes.OWNER_CANCELLED, owner["record_number"]))
    else:
        marker = owner["record_number"]  # BAJG Bs: for an added website, the owner's record number
        if owner_in_flight(context.connection, owner["certificate_number"]):
            findings.append(finding(codes.OWNER_CONFLICT, "该主办者有正在办理的备案业务"))
        individual = owner["certificate_type"] in INDIVIDUAL_CERTIFICATE_TYPES
        for website in request.websites:
            findings.extend(
                check_website(website, individual_owner=individual, account=context.account, config=context.config)
            )
        findings.extend(_website_conflicts(context.connection, request.websites, owner["certificate_number"]))
    return store_operation(
        context,
        kind="XZWZ",
        operation_type=2,
        marker=marker,
        record_id=request.websites[0].isp_website_id,
        owner_id=owner["id"] if owner is not None else None,
        certificate_number=owner["certificate_number"] if owner is not None else None,
        owner_name=owner["name"] if owner is not None else None,
        websites=request.websites,
        element=element,
        findings=findings,
    )
