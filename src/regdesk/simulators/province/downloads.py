"""Download files (``download.xsd``): results of data processing and review (BAJG), filed data with record numbers
(BASJ), cancellations (ZXSJ); and the queue they wait in until the provider acknowledges them.

A file is kept as GBK XML; ``isp_download`` compresses, hashes and (per account) encrypts it when it is served.
Every file the simulator builds is validated against ``download.xsd`` before it is queued: an invalid file is a
bug of the simulator and raises.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from lxml import etree

from regdesk.simulators.province import codes, schemas
from regdesk.simulators.province.checks import Finding
from regdesk.simulators.province.store import next_value, stamp

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_date(moment: dt.datetime) -> str:
    """Dates in documents are the province's local dates, YYYY-MM-DD (specification 4-2-1)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d")


def add(parent: etree._Element, name: str, value: object) -> etree._Element:
    element = etree.SubElement(parent, name)
    element.text = str(value)
    return element


@dataclass
class Result:
    """One ``Jg_xx``: the result codes of one operation (Czlx) and its identifying marker (Bs)."""

    operation_type: int
    findings: list[Finding]
    marker: str | None = None
    note: str | None = None


@dataclass
class ReviewOpinion:
    """One ``Gjsh``: the 管局's review of one operation."""

    approved: bool
    reviewer_name: str
    reviewer_phone: str
    reviewed_at: dt.datetime
    opinion: str
    operation_type: int
    record_id: int | None


@dataclass
class Cancelled:
    """One ``Zxxx``: 0 an owner, 1 a website, cancelled (access cancellations appear in BAJG only)."""

    kind: int
    record_id: int
    note: str | None = None


@dataclass
class DownloadDocument:
    version: str
    results: list[Result] = field(default_factory=list)
    reviews: list[ReviewOpinion] = field(default_factory=list)
    filed: list[etree._Element] = field(default_factory=list)  # BASJ Baxx elements
    cancelled: list[Cancelled] = field(default_factory=list)

    def element(self) -> etree._Element:
        root = etree.Element("DownloadData", version=self.version)
        icp = etree.SubElement(root, "ICP")
        if self.filed:
            basj = etree.SubElement(icp, "BASJ")
            basj.extend(self.filed)
        if self.cancelled:
            zxsj = etree.SubElement(icp, "ZXSJ")
            for item in self.cancelled:
                entry = etree.SubElement(zxsj, "Zxxx")
                add(entry, "Zxlb", item.kind)
                add(entry, "Jlid", item.record_id)
                if item.note:
                    add(entry, "Bz", item.note)
        if self.results or self.reviews:
            bajg = etree.SubElement(icp, "BAJG")
            for result in self.results:
                entry = etree.SubElement(bajg, "Jg_xx")
                for code, description in result.findings:
                    detail = etree.SubElement(entry, "Jgxx")
                    add(detail, "Jgdm", code)
                    add(detail, "Dmms", description)
                add(entry, "Czlx", result.operation_type)
                if result.marker:
                    add(entry, "Bs", result.marker)
                if result.note:
                    add(entry, "Bz", result.note)
            if self.reviews:
                opinions = etree.SubElement(bajg, "GJSHS")
                for review in self.reviews:
                    entry = etree.SubElement(opinions, "Gjsh")
                    add(entry, "Shrxm", review.reviewer_name)
                    add(entry, "Shr_dhhm", review.reviewer_phone)
                    add(entry, "Shsj", local_date(review.reviewed_at))
                    add(entry, "Shyj", review.opinion[:1024])
                    add(entry, "Shjg", 1 if review.approved else 0)
                    add(entry, "Czlx", review.operation_type)
                    if review.record_id is not None:
                        add(entry, "Jlid", review.record_id)
        return root

    def to_bytes(self) -> bytes:
        root = self.element()
        errors = schemas.validation_errors("download", root)
        if errors:
            raise RuntimeError("the simulator built a download file that download.xsd refuses: " + "; ".join(errors))
        return etree.tostring(root, encoding="GBK", xml_declaration=True)

    def summary(self) -> dict[str, object]:
        return {
            "results": [
                {"operation_type": r.operation_type, "marker": r.marker, "codes": [code for code, _ in r.findings]}
                for r in self.results
            ],
            "reviews": [{"approved": r.approved, "record_id": r.record_id} for r in self.reviews],
            "filed_records": len(self.filed),
            "cancelled": [{"kind": c.kind, "record_id": c.record_id} for c in self.cancelled],
        }


def queue(
    connection: sqlite3.Connection, *, isp_id: int, kind: str, document: DownloadDocument, now: dt.datetime
) -> str:
    """Queue a file for the provider's next isp_download; its name is letters and digits (and ``.xml``)."""
    number = next_value(connection, "next_download_number", 1)
    local_time = now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")
    file_name = f"{kind}{isp_id}{local_time}{number:06d}.xml"
    connection.execute(
        "INSERT INTO downloads (isp_id, file_name, kind, created_at, document, summary) VALUES (?, ?, ?, ?, ?, ?)",
        (isp_id, file_name, kind, stamp(now), document.to_bytes(), json.dumps(document.summary())),
    )
    return file_name


def queue_raw(connection: sqlite3.Connection, *, isp_id: int, kind: str, document: bytes, now: dt.datetime) -> str:
    """Queue a file exactly as given, unchecked (``POST /control/downloads``): how a test offers a file that the
    province should never send, e.g. one that declares entities or does not match ``download.xsd``."""
    number = next_value(connection, "next_download_number", 1)
    local_time = now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")
    file_name = f"{kind}{isp_id}{local_time}{number:06d}.xml"
    connection.execute(
        "INSERT INTO downloads (isp_id, file_name, kind, created_at, document, summary) VALUES (?, ?, ?, ?, ?, ?)",
        (isp_id, file_name, kind, stamp(now), document, json.dumps({"raw": True, "size": len(document)})),
    )
    return file_name


def file_result(operation_type: int, code: int, detail: str, file_name: str | None) -> Result:
    """A result about the whole file (5001, 5003, 5004, 5011): ``Dmms`` names the file, ``Bz`` says why."""
    description = file_name or codes.RESULT_CODES[code]
    return Result(operation_type=operation_type, findings=[(code, description[:255])], note=detail)
