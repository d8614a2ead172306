"""Cancellations (注销备案, ZXBA): of an owner, a website or an access, by the province's record id."""

from __future__ import annotations

import sqlite3

from lxml import etree

from regdesk.simulators.province import codes
from regdesk.simulators.province.checks import Finding, finding
from regdesk.simulators.province.downloads import Result
from regdesk.simulators.province.operations import Context, pending_operations, store_operation
from regdesk.simulators.province.records import CANCEL_ACCESS, CANCEL_OWNER, CANCEL_WEBSITE, Cancellation

# BAJG Czlx of each kind of cancellation.
CANCELLATION_TYPES = {CANCEL_OWNER: 6, CANCEL_WEBSITE: 7, CANCEL_ACCESS: 5}


def _cancellation_target(context: Context, cancellation: Cancellation) -> tuple[sqlite3.Row | None, list[Finding]]:
    """The owner a cancellation concerns, and the findings that refuse it (specification codes 1016-1050)."""
    connection = context.connection
    pending = [row for row in pending_operations(connection) if row["kind"] == "ZXBA"]
    pending_targets = {(row["operation_type"], row["record_id"]) for row in pending}
    pending_owners = {row["owner_id"] for row in pending if row["operation_type"] == 6}
    kind, record_id = cancellation.kind, cancellation.record_id
    if kind == CANCEL_OWNER:
        owner = connection.execute("SELECT * FROM owners WHERE id = ?", (record_id,)).fetchone()
        if owner is None:
            return None, [finding(codes.OWNER_NOT_FOUND, f"主体ID {record_id}")]
        if owner["status"] != "filed":
            return owner, [finding(codes.OWNER_CANCELLED)]
        if owner["isp_id"] != context.isp_id:
            return owner, [finding(codes.NOT_OWN_RECORD)]
        if (6, record_id) in pending_targets:
            return owner, [finding(codes.OWNER_CANCELLATION_CONFLICT)]
        if any(row["owner_id"] == record_id and row["operation_type"] == 7 for row in pending):
            return owner, [finding(codes.WEBSITE_BEING_CANCELLED)]
        return owner, []
    if kind == CANCEL_WEBSITE:
        website = connection.execute("SELECT * FROM websites WHERE id = ?", (record_id,)).fetchone()
        if website is None:
            return None, [finding(codes.WEBSITE_NOT_FOUND, f"网站ID {record_id}")]
        owner = connection.execute("SELECT * FROM owners WHERE id = ?", (website["owner_id"],)).fetchone()
        own_access = connection.execute(
            "SELECT 1 FROM accesses WHERE website_id = ? AND isp_id = ? AND status = 'filed'",
            (record_id, context.isp_id),
        ).fetchone()
        if owner["status"] != "filed":
            return owner, [finding(codes.OWNER_CANCELLED)]
        if website["status"] != "filed":
            return owner, [finding(codes.WEBSITE_CANCELLED)]
        if own_access is None:
            return owner, [finding(codes.NOT_OWN_RECORD)]
        if (7, record_id) in pending_targets:
            return owner, [finding(codes.WEBSITE_CANCELLATION_CONFLICT)]
        if owner["id"] in pending_owners:
            return owner, [finding(codes.OWNER_BEING_CANCELLED)]
        return owner, []
    access = connection.execute("SELECT * FROM accesses WHERE id = ?", (record_id,)).fetchone()
    if access is None or access["status"] != "filed":
        return None, [finding(codes.RECORD_NOT_FOUND, f"接入ID {record_id}")]
    owner = connection.execute(
        "SELECT o.* FROM owners o JOIN websites w ON w.owner_id = o.id WHERE w.id = ?", (access["website_id"],)
    ).fetchone()
    if access["isp_id"] != context.isp_id:
        return owner, [finding(codes.NOT_OWN_ACCESS)]
    if (5, record_id) in pending_targets:
        return owner, [finding(codes.ACCESS_CANCELLATION_CONFLICT)]
    (remaining,) = connection.execute(
        "SELECT COUNT(*) FROM accesses WHERE website_id = ? AND status = 'filed'", (access["website_id"],)
    ).fetchone()
    if remaining <= 1:
        return owner, [finding(codes.ONLY_ACCESS)]
    return owner, []


def cancellation(context: Context, element: etree._Element) -> Result | None:
    cancellation = Cancellation.read(element)
    operation_type = CANCELLATION_TYPES[cancellation.kind]
    owner, findings = _cancellation_target(context, cancellation)
    if not findings and owner is not None:
        other = context.connection.execute(
            "SELECT 1 FROM operations WHERE status = 'pending' AND kind != 'ZXBA' AND certificate_number = ?",
            (owner["certificate_number"],),
        ).fetchone()
        if other is not None:
            findings.append(finding(codes.OWNER_CONFLICT, "该主办者有正在办理的备案业务"))
    return store_operation(
        context,
        kind="ZXBA",
        operation_type=operation_type,
        # BAJG Bs: for other operations, the province's owner id
        marker=str(owner["id"]) if owner is not None else str(cancellation.record_id),
        record_id=cancellation.record_id,
        owner_id=owner["id"] if owner is not None else None,
        certificate_number=owner["certificate_number"] if owner is not None else None,
        owner_name=owner["name"] if owner is not None else None,
        websites=(),
        element=element,
        findings=findings,
    )
