"""The 管局's review of pending operations: approve or return by the configured rules, assign record numbers, and
queue the result (BAJG with the review opinion, BASJ with the filed data and numbers, ZXSJ for cancellations).

Record numbers follow the official format: the owner ``蜀ICP备18032651号``, its websites ``蜀ICP备18032651号-1``,
``-2``, ... in upload order, and later added websites continue the count. The number is issued by the
administration of the owner's province (备案地省管局, interface specification §1-3: the province of the owner's
address, ``Zt_xx/Txdz/Shengid``), whichever province's system the provider uploads through (接入地): the simulator
answers for every province, with its abbreviation (``config.PROVINCE_ABBREVIATIONS``) and an 8-digit serial
counted per province from ``record_serial_seed``. The configured province keeps the counter it always had, so
that a state directory of an earlier version goes on without reusing a number.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import secrets
import sqlite3
import string

from lxml import etree

from regdesk.simulators.province import codes, safe_xml
from regdesk.simulators.province.config import PROVINCE_ABBREVIATIONS, SimulatorConfig
from regdesk.simulators.province.downloads import (
    Cancelled,
    DownloadDocument,
    Result,
    ReviewOpinion,
    add,
    local_date,
    queue,
)
from regdesk.simulators.province.records import (
    CANCEL_ACCESS,
    CANCEL_OWNER,
    CANCEL_WEBSITE,
    Cancellation,
    NewFiling,
    NewWebsites,
    Website,
)
from regdesk.simulators.province.store import next_record_id, next_value, stamp

_PASSWORD_ALPHABET = string.ascii_letters + string.digits
logger = logging.getLogger(__name__)


def decide(config: SimulatorConfig, *, key: str, owner_name: str, website_names: list[str]) -> tuple[bool, str]:
    """Approve, or return with the opinion of the first rule that matches (then the deterministic share)."""
    review = config.review
    for rule in review.return_rules:
        if rule.website_name_contains is not None and any(rule.website_name_contains in name for name in website_names):
            return False, rule.opinion
        if rule.owner_name_pattern is not None and rule.owner_name_pattern.search(owner_name):
            return False, rule.opinion
    if review.return_share_percent:
        bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 100
        if bucket < review.return_share_percent:
            return False, review.return_share_opinion
    return True, review.approval_opinion


def review_pending(
    connection: sqlite3.Connection, config: SimulatorConfig, now: dt.datetime, *, everything: bool
) -> int:
    """Review the operations whose time has come (or all pending ones); return how many were reviewed."""
    rows = connection.execute(
        "SELECT * FROM operations WHERE status = 'pending'"
        " AND (? OR (review_due_at IS NOT NULL AND review_due_at <= ?)) ORDER BY id",
        (everything, stamp(now)),
    ).fetchall()
    for row in rows:
        # One savepoint per operation: a failure (a simulator bug) marks that operation and spares the others.
        connection.execute("SAVEPOINT review_operation")
        try:
            _review(connection, config, row, now)
        except Exception as error:
            connection.execute("ROLLBACK TO SAVEPOINT review_operation")
            logger.exception("province simulator: review of operation %s failed", row["id"])
            connection.execute(
                "UPDATE operations SET status = 'failed', reviewed_at = ?, opinion = ? WHERE id = ?",
                (stamp(now), f"simulator error: {type(error).__name__}", row["id"]),
            )
        connection.execute("RELEASE SAVEPOINT review_operation")
    return len(rows)


def _review(connection: sqlite3.Connection, config: SimulatorConfig, row: sqlite3.Row, now: dt.datetime) -> None:
    element = safe_xml.parse(row["payload"])
    document = DownloadDocument(version=config.answer_version)
    if row["kind"] == "ZXBA":
        approved, opinion = True, config.review.approval_opinion
        _cancel(connection, Cancellation.read(element), document)
        note = None
    else:
        approved, opinion = decide(
            config,
            key=f"{row['isp_id']}:{row['kind']}:{row['marker']}:{row['certificate_number']}",
            owner_name=row["owner_name"] or "",
            website_names=[name for name in row["website_names"].split("\n") if name],
        )
        note = None
        if approved and row["kind"] == "XZBA":
            note = _file_new_owner(connection, config, row, NewFiling.read(element), now, document)
        elif approved:
            note = _file_new_websites(connection, row, NewWebsites.read(element), now, document)
    code = codes.APPROVED if approved else codes.RETURNED
    document.results.append(
        Result(
            operation_type=row["operation_type"],
            findings=[(code, codes.RESULT_CODES[code])],
            marker=row["marker"],
            note=note,
        )
    )
    document.reviews.append(
        ReviewOpinion(
            approved=approved,
            reviewer_name=config.review.reviewer_name,
            reviewer_phone=config.review.reviewer_phone,
            reviewed_at=now,
            opinion=opinion,
            operation_type=row["operation_type"],
            record_id=row["record_id"],
        )
    )
    connection.execute(
        "UPDATE operations SET status = ?, reviewed_at = ?, opinion = ?, result_codes = ? WHERE id = ?",
        ("approved" if approved else "returned", stamp(now), opinion, f"[{code}]", row["id"]),
    )
    queue(connection, isp_id=row["isp_id"], kind="BAJG", document=document, now=now)


def _copy(source: etree._Element, target: etree._Element, *names: str) -> None:
    for name in names:
        for found in source.findall(name):
            target.append(copy.deepcopy(found))


def _owner_element(
    upload: etree._Element, owner_id: int, number: str, config: SimulatorConfig, now: dt.datetime
) -> etree._Element:
    """The owner as the province publishes it (download.xsd BASJ ``Zt_xx``)."""
    owner = etree.Element("Zt_xx")
    _copy(upload, owner, "IspZtid")
    add(owner, "Ztid", owner_id)
    _copy(upload, owner, "Dwmc", "Dwxz", "Txdz", "Zj", "Fzr")
    add(owner, "Baxh", number)
    add(owner, "Bbyhlx", upload.findtext("Bbfs"))
    _copy(upload, owner, "Tzr")
    add(owner, "Scbbsj", local_date(now))
    add(owner, "Zjxgsj", local_date(now))
    add(owner, "Shrxm", config.review.reviewer_name)
    add(owner, "Shsj", local_date(now))
    _copy(upload, owner, "Bz")
    return owner


def _file_website(
    connection: sqlite3.Connection,
    *,
    owner_id: int,
    owner_number: str,
    position: int,
    website: Website,
    isp_id: int,
    now: dt.datetime,
) -> tuple[etree._Element, str]:
    """Insert a filed website with its domains, access and IP ranges; return its BASJ ``Wz_xx`` and number."""
    website_id = next_record_id(connection)
    number = f"{owner_number}-{position}"
    upload = website.element
    published = etree.Element("Wz_xx")
    _copy(upload, published, "IspWzid")
    add(published, "Wzid", website_id)
    _copy(upload, published, "Wzmc", "Nrlx", "Fwnr", "Yylb")
    connection.execute(
        "INSERT INTO websites (id, owner_id, isp_website_id, position, name, homepage, record_number, status,"
        " filed_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, 'filed', ?, '')",
        (
            website_id,
            owner_id,
            website.isp_website_id,
            position,
            website.name,
            website.homepage,
            number,
            stamp(now),
        ),
    )
    for domain_element, domain in zip(upload.findall("Ym_xx"), website.domains, strict=True):
        domain_id = next_record_id(connection)
        connection.execute(
            "INSERT INTO domains (id, website_id, isp_domain_id, name) VALUES (?, ?, ?, ?)",
            (domain_id, website_id, domain.isp_domain_id, domain.name),
        )
        item = etree.SubElement(published, "Ym_xx")
        _copy(domain_element, item, "IspYmid")
        add(item, "Ymid", domain_id)
        _copy(domain_element, item, "Ym")
    for access_element, access in zip(upload.findall("Jr_xx"), website.accesses, strict=True):
        access_id = next_record_id(connection)
        connection.execute(
            "INSERT INTO accesses (id, website_id, isp_id, isp_access_id, status) VALUES (?, ?, ?, ?, 'filed')",
            (access_id, website_id, isp_id, access.isp_access_id),
        )
        item = etree.SubElement(published, "Jr_xx")
        _copy(access_element, item, "IspJrid")
        add(item, "Jrid", access_id)
        add(item, "Ispid", isp_id)
        _copy(access_element, item, "Wzfb", "Wzjrfs")
        for ip_range in access.ranges:
            range_id = next_record_id(connection)
            connection.execute(
                "INSERT INTO ip_ranges (id, access_id, isp_ip_id, first_address, last_address) VALUES (?, ?, ?, ?, ?)",
                (range_id, access_id, ip_range.isp_ip_id, ip_range.first, ip_range.last),
            )
            entry = etree.SubElement(item, "Ip_xx")
            add(entry, "IspIpid", ip_range.isp_ip_id)
            add(entry, "Ipid", range_id)
            add(entry, "Qsip", ip_range.first)
            add(entry, "Zzip", ip_range.last)
    _copy(upload, published, "Wz_Fzr", "Syurl", "Wz_Bz")
    add(published, "Scbbsj", local_date(now))
    add(published, "Zjxgsj", local_date(now))
    add(published, "Baxh", number)
    connection.execute(
        "UPDATE websites SET payload = ? WHERE id = ?", (etree.tostring(published, encoding="unicode"), website_id)
    )
    return published, number


def owner_record_number(connection: sqlite3.Connection, config: SimulatorConfig, province_id: int) -> str:
    """The next owner's number of the owner's province (备案地): its abbreviation and its own serial."""
    province_code = f"{str(province_id)[:2]}0000"
    key = "next_owner_serial" if int(province_code) == config.province_code else f"next_owner_serial:{province_code}"
    serial = next_value(connection, key, config.record_serial_seed + 1)
    return f"{PROVINCE_ABBREVIATIONS[int(province_code)]}ICP备{serial:08d}号"


def _file_new_owner(
    connection: sqlite3.Connection,
    config: SimulatorConfig,
    row: sqlite3.Row,
    filing: NewFiling,
    now: dt.datetime,
    document: DownloadDocument,
) -> str:
    owner_id = next_record_id(connection)
    number = owner_record_number(connection, config, filing.owner.province_id)
    owner_element = _owner_element(filing.element.find("Zt_xx"), owner_id, number, config, now)  # type: ignore[arg-type]
    connection.execute(
        "INSERT INTO owners (id, isp_id, isp_owner_id, certificate_type, certificate_number, name, record_number,"
        " status, filed_at, last_website_position, filing_password, payload)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'filed', ?, 0, ?, ?)",
        (
            owner_id,
            row["isp_id"],
            filing.owner.isp_owner_id,
            filing.owner.certificate_type,
            filing.owner.certificate_number,
            filing.owner.name,
            number,
            stamp(now),
            "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10)),
            etree.tostring(owner_element, encoding="unicode"),
        ),
    )
    connection.execute("UPDATE operations SET owner_id = ? WHERE id = ?", (owner_id, row["id"]))
    websites = _file_websites(connection, owner_id, number, filing.websites, row["isp_id"], now)
    record = etree.Element("Baxx")
    record.append(owner_element)
    record.extend(element for element, _ in websites)
    document.filed.append(record)
    return f"主体备案号：{number}；网站备案号：{'，'.join(website_number for _, website_number in websites)}"


def _file_websites(
    connection: sqlite3.Connection,
    owner_id: int,
    owner_number: str,
    websites: tuple[Website, ...],
    isp_id: int,
    now: dt.datetime,
) -> list[tuple[etree._Element, str]]:
    (last,) = connection.execute("SELECT last_website_position FROM owners WHERE id = ?", (owner_id,)).fetchone()
    filed = [
        _file_website(
            connection,
            owner_id=owner_id,
            owner_number=owner_number,
            position=last + index,
            website=website,
            isp_id=isp_id,
            now=now,
        )
        for index, website in enumerate(websites, start=1)
    ]
    connection.execute("UPDATE owners SET last_website_position = ? WHERE id = ?", (last + len(websites), owner_id))
    return filed


def _file_new_websites(
    connection: sqlite3.Connection, row: sqlite3.Row, request: NewWebsites, now: dt.datetime, document: DownloadDocument
) -> str:
    owner = connection.execute("SELECT * FROM owners WHERE id = ?", (row["owner_id"],)).fetchone()
    websites = _file_websites(connection, owner["id"], owner["record_number"], request.websites, row["isp_id"], now)
    record = etree.Element("Baxx")
    record.append(safe_xml.parse(owner["payload"]))
    record.extend(element for element, _ in websites)
    document.filed.append(record)
    return f"网站备案号：{'，'.join(website_number for _, website_number in websites)}"


def _cancel(connection: sqlite3.Connection, cancellation: Cancellation, document: DownloadDocument) -> None:
    record_id = cancellation.record_id
    if cancellation.kind == CANCEL_OWNER:
        connection.execute("UPDATE owners SET status = 'cancelled' WHERE id = ?", (record_id,))
        website_ids = [r["id"] for r in connection.execute("SELECT id FROM websites WHERE owner_id = ?", (record_id,))]
        document.cancelled.append(Cancelled(kind=0, record_id=record_id))
    elif cancellation.kind == CANCEL_WEBSITE:
        website_ids = [record_id]
        document.cancelled.append(Cancelled(kind=1, record_id=record_id))
    else:
        assert cancellation.kind == CANCEL_ACCESS  # noqa: S101 - the schema allows 0, 1 and 2 only
        connection.execute("UPDATE accesses SET status = 'cancelled' WHERE id = ?", (record_id,))
        return
    for website_id in website_ids:
        connection.execute("UPDATE websites SET status = 'cancelled' WHERE id = ?", (website_id,))
        connection.execute("UPDATE accesses SET status = 'cancelled' WHERE website_id = ?", (website_id,))
