"""``GET /control/state``: what the province received and holds, for tests and developers.

Certificate numbers are masked; contact details of persons are not shown at all. Filing passwords are shown: they
exist only in the simulator, and a developer needs them to try ``isp_verifybamm``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from regdesk.simulators.province import codes
from regdesk.simulators.province.service import ProvinceService, last_sequence


def _mask(value: str | None) -> str | None:
    if value is None:
        return None
    return value[:3] + "*" * max(len(value) - 5, 0) + value[-2:] if len(value) > 5 else "*" * len(value)


def _lines(value: str) -> list[str]:
    return [item for item in value.split("\n") if item]


def _owners(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    owners = []
    for owner in connection.execute("SELECT * FROM owners ORDER BY id"):
        websites = []
        for website in connection.execute(
            "SELECT * FROM websites WHERE owner_id = ? ORDER BY position", (owner["id"],)
        ):
            websites.append(
                {
                    "id": website["id"],
                    "isp_website_id": website["isp_website_id"],
                    "record_number": website["record_number"],
                    "name": website["name"],
                    "homepage": website["homepage"],
                    "status": website["status"],
                    "domains": [
                        row["name"]
                        for row in connection.execute(
                            "SELECT name FROM domains WHERE website_id = ? ORDER BY id", (website["id"],)
                        )
                    ],
                    "accesses": [
                        {"id": row["id"], "isp_id": row["isp_id"], "status": row["status"]}
                        for row in connection.execute(
                            "SELECT * FROM accesses WHERE website_id = ? ORDER BY id", (website["id"],)
                        )
                    ],
                }
            )
        owners.append(
            {
                "id": owner["id"],
                "isp_id": owner["isp_id"],
                "isp_owner_id": owner["isp_owner_id"],
                "record_number": owner["record_number"],
                "name": owner["name"],
                "certificate_number": _mask(owner["certificate_number"]),
                "status": owner["status"],
                "filed_at": owner["filed_at"],
                "filing_password": owner["filing_password"],
                "websites": websites,
            }
        )
    return owners


def state(service: ProvinceService) -> dict[str, Any]:
    config = service.config
    with service.store.transaction() as connection:
        uploads = [
            {
                "id": row["id"],
                "isp_id": row["isp_id"],
                "data_sequence": row["data_sequence"],
                "received_at": row["received_at"],
                "msg_code": row["msg_code"],
                "msg": row["msg"],
                "file_name": row["file_name"],
                "result_codes": json.loads(row["result_codes"]),
            }
            for row in connection.execute("SELECT * FROM uploads ORDER BY id")
        ]
        operations = [
            {
                "id": row["id"],
                "isp_id": row["isp_id"],
                "upload_id": row["upload_id"],
                "kind": row["kind"],
                "operation_type": row["operation_type"],
                "marker": row["marker"],
                "status": row["status"],
                "owner_name": row["owner_name"],
                "certificate_number": _mask(row["certificate_number"]),
                "website_names": _lines(row["website_names"]),
                "domains": _lines(row["domains"]),
                "result_codes": json.loads(row["result_codes"]),
                "received_at": row["received_at"],
                "review_due_at": row["review_due_at"],
                "reviewed_at": row["reviewed_at"],
                "opinion": row["opinion"],
            }
            for row in connection.execute("SELECT * FROM operations ORDER BY id")
        ]
        downloads = [
            {
                "isp_id": row["isp_id"],
                "file_name": row["file_name"],
                "kind": row["kind"],
                "created_at": row["created_at"],
                "served_count": row["served_count"],
                "acked_at": row["acked_at"],
                "summary": json.loads(row["summary"]),
            }
            for row in connection.execute("SELECT * FROM downloads ORDER BY id")
        ]
        owners = _owners(connection)
        sequences = {str(account.isp_id): last_sequence(connection, account.isp_id) for account in config.accounts}
    return {
        "province": {"code": config.province_code, "abbreviation": config.province_abbreviation},
        "last_accepted_sequence": sequences,
        "uploads": uploads,
        "operations": operations,
        "owners": owners,
        "downloads": downloads,
        "pending_downloads": [item["file_name"] for item in downloads if item["acked_at"] is None],
        "hanging_uploads": service.hanging,
        "config": config.public(),
        "result_codes": {
            "simulated": {str(code): text for code, text in codes.SIMULATED_RESULT_CODES.items()},
            "not_simulated": codes.NOT_SIMULATED_RESULT_CODES,
        },
    }
