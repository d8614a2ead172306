"""Operations of accepted uploads as the province keeps them: pending review, or refused with their findings."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from lxml import etree

from regdesk.simulators.province.checks import Finding, normalise_homepage
from regdesk.simulators.province.config import Account, SimulatorConfig
from regdesk.simulators.province.downloads import Result
from regdesk.simulators.province.records import Website
from regdesk.simulators.province.store import stamp


@dataclass
class Context:
    """What the processing of one accepted upload works with (inside the upload's transaction)."""

    connection: sqlite3.Connection
    upload_id: int
    isp_id: int
    account: Account
    config: SimulatorConfig
    now: dt.datetime

    @property
    def review_due_at(self) -> str | None:
        delay = self.config.review.delay_seconds
        return None if delay is None else stamp(self.now + dt.timedelta(seconds=delay))


def pending_operations(connection: sqlite3.Connection) -> list[sqlite3.Row]:
    return connection.execute("SELECT * FROM operations WHERE status = 'pending' ORDER BY id").fetchall()


def owner_in_flight(connection: sqlite3.Connection, certificate_number: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM operations WHERE status = 'pending' AND certificate_number = ?", (certificate_number,)
    ).fetchone()
    return row is not None


def store_operation(
    context: Context,
    *,
    kind: str,
    operation_type: int,
    marker: str,
    record_id: int | None,
    owner_id: int | None,
    certificate_number: str | None,
    owner_name: str | None,
    websites: tuple[Website, ...],
    element: etree._Element,
    findings: list[Finding],
) -> Result | None:
    """Keep the operation (pending review, or refused with its findings); the refused ones become a result."""
    context.connection.execute(
        "INSERT INTO operations (isp_id, upload_id, kind, operation_type, marker, record_id, owner_id,"
        " certificate_number, owner_name, website_names, domains, homepages, payload, status, result_codes,"
        " received_at, review_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            context.isp_id,
            context.upload_id,
            kind,
            operation_type,
            marker,
            record_id,
            owner_id,
            certificate_number,
            owner_name,
            "\n".join(website.name for website in websites),
            "\n".join(domain.name for website in websites for domain in website.domains),
            "\n".join(normalise_homepage(w.homepage) for w in websites if w.homepage),
            etree.tostring(element, encoding="unicode"),
            "refused" if findings else "pending",
            json.dumps([code for code, _ in findings]),
            stamp(context.now),
            None if findings else context.review_due_at,
        ),
    )
    if not findings:
        return None
    return Result(operation_type=operation_type, findings=findings, marker=marker)
