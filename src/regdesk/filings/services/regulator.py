"""Filing with the Communications Administration through the MIIT interface, and recording its answers.

``filing_submit_to_regulator`` maps the filing onto an XZBA record, has the adapter build, validate (``upload.xsd``)
and store the upload with the next sequence number, and moves the case to ``submitted_to_regulator`` — all in one
transaction; the adapter sends the upload after commit. The answers come back in downloads: ``regdesk filings poll``
(or the ``poll_regulator`` task) fetches them, and the handlers in ``mapping`` call the ``*_record`` services here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.services import case_transition
from regdesk.filings.errors import FilingRefused
from regdesk.filings.mapping import new_filing_record
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.permissions import require_specialist
from regdesk.miit.codec.errors import CodecError, FieldNotEncodable, SchemaInvalid
from regdesk.miit.models import UploadOperation
from regdesk.miit.services import miit_download_fetch, miit_upload_prepare

if TYPE_CHECKING:
    from regdesk.accounts.models import User


def _codec_refusal(error: CodecError) -> FilingRefused:
    """The adapter's refusal without the values (an XSD message may quote the offending text)."""
    if isinstance(error, SchemaInvalid):
        paths = ", ".join(sorted({problem.path for problem in error.problems})[:10])
        return FilingRefused(
            "upload_invalid",
            _("The upload does not match the interface's schema at: %(paths)s.") % {"paths": paths or "—"},
        )
    if isinstance(error, FieldNotEncodable):
        return FilingRefused(
            "upload_invalid",
            _("The field %(field)s holds a character the interface cannot carry (%(codepoint)s).")
            % {"field": error.field_path, "codepoint": f"U+{ord(error.character):04X}"},
        )
    return FilingRefused("upload_invalid", _("The upload cannot be built: %(reason)s") % {"reason": error.code})


def filing_submit_to_regulator(*, actor: User, filing: Filing) -> Filing:
    """Submit a verified filing (or one the regulator returned) to the province system (报备).

    Builds the XZBA record from the filing and the current on-site materials (``mapping``), lets the MIIT
    adapter validate it against ``upload.xsd`` and store it with the next upload sequence number, and starts the
    20-working-day regulator clock. A record the interface cannot carry refuses the action with the reason and
    changes nothing (no sequence number is used). The upload is sent after commit, in sequence order.
    """
    require_specialist(actor, filing)
    with transaction.atomic():
        locked = (
            Filing.objects.select_for_update(of=("self",))
            .select_related("owner", "case", "case__unit")
            .get(pk=filing.pk)
        )
        case = locked.case
        if case is None:  # pragma: no cover - every filing gets its case when it is created
            raise FilingRefused("no_case", _("The filing has no case."))
        if locked.state not in (FilingState.VERIFIED, FilingState.REGULATOR_RETURNED):
            # The kernel words the refusal for a state the action does not leave from.
            case_transition(actor=actor, case=case, action="submit_to_regulator")
        record = new_filing_record(locked, actor=actor)
        try:
            upload = miit_upload_prepare(
                actor=actor, operation=UploadOperation.XZBA, records=[record], related=f"filings.filing:{locked.pk}"
            )
        except CodecError as error:
            raise _codec_refusal(error) from None
        locked.upload = upload
        locked.upload_ready = True
        locked.regulator_codes = []
        locked.regulator_opinion = ""
        locked.save(update_fields=["upload", "upload_ready", "regulator_codes", "regulator_opinion", "updated_at"])
        case = case_transition(
            actor=actor, case=case, action="submit_to_regulator", payload={"upload_sequence": upload.sequence}
        )
        audit_record(
            actor=actor,
            action="filing.submit_to_regulator",
            object_type="filings.filing",
            object_id=locked.pk,
            changes={"case": case.reference, "upload_sequence": upload.sequence, "file": upload.file_name},
            unit=case.unit,
        )
    filing.refresh_from_db()
    return filing


def filing_regulator_result_record(
    *,
    filing: Filing,
    owner_record_number: str,
    website_record_numbers: Mapping[str, str],
    province_owner_id: int | None = None,
    province_website_ids: Mapping[str, int] | None = None,
    opinion: str = "",
    download_id: int | None = None,
) -> Filing:
    """The regulator approved the filing (审核通过): the system records the record numbers (the owner's, and each
    website's ``-n`` keyed by website id) and takes ``record_regulator_result``; access, certificate and e-mail
    follow (``after_approval``)."""
    with transaction.atomic():
        case_transition(
            actor=None,
            case=filing.case,  # type: ignore[arg-type]
            action="record_regulator_result",
            payload={
                "owner_record_number": owner_record_number,
                "website_record_numbers": dict(website_record_numbers),
                "province_owner_id": province_owner_id,
                "province_website_ids": dict(province_website_ids or {}),
                "opinion": opinion,
                "download": download_id,
            },
        )
        audit_record(
            actor=None,
            action="filing.regulator_result",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"result": "approved", "record_number": owner_record_number, "download": download_id},
            unit=filing.owner.unit,
        )
    filing.refresh_from_db()
    return filing


def filing_regulator_return_record(
    *, filing: Filing, codes: list[dict[str, Any]], opinion: str, download_id: int | None = None
) -> Filing:
    """The regulator returned the filing (审核拒绝, with the reviewer's opinion) or its data checks refused it (a
    result code such as 1041 with its description): the system takes ``record_regulator_return``; the codes, their
    descriptions and the opinion are kept on the filing and in the case's history."""
    with transaction.atomic():
        case_transition(
            actor=None,
            case=filing.case,  # type: ignore[arg-type]
            action="record_regulator_return",
            payload={
                "codes": codes,
                "opinion": opinion,
                "download": download_id,
                "upload_sequence": filing.upload.sequence if filing.upload is not None else None,
            },
        )
        audit_record(
            actor=None,
            action="filing.regulator_result",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"result": "returned", "codes": [item.get("code") for item in codes], "download": download_id},
            unit=filing.owner.unit,
        )
    filing.refresh_from_db()
    return filing


def filing_regulator_pending_record(*, filing: Filing, codes: list[dict[str, Any]], opinion: str) -> Filing:
    """An approval arrived without its record numbers (they come in a later ``BASJ``): keep the codes and the
    opinion; the state stays ``submitted_to_regulator`` until the numbers arrive."""
    with transaction.atomic():
        Filing.objects.filter(pk=filing.pk).update(
            regulator_codes=codes, regulator_opinion=opinion, regulator_result_at=timezone.now()
        )
        audit_record(
            actor=None,
            action="filing.regulator_result",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"result": "approved_without_numbers", "codes": [item.get("code") for item in codes]},
            unit=filing.owner.unit,
        )
    filing.refresh_from_db()
    return filing


def filings_poll(*, actor: User | None = None) -> int:
    """Fetch every waiting download from the province (results are handled as they are stored) and acknowledge
    it; returns how many files arrived. Network calls run outside any transaction (see ``miit_download_fetch``)."""
    return len(miit_download_fetch(actor=actor))
