"""Writes of the case kernel. Import services from here."""

from regdesk.cases.services.cases import case_assign, case_start, case_transfer, case_transition
from regdesk.cases.services.clocks import clock_pause, clock_resume, clock_start, clock_stop
from regdesk.cases.services.documents import document_attach, document_open
from regdesk.cases.services.errors import (
    CaseRefused,
    ClockRefused,
    DocumentRefused,
    NoticeRefused,
    TransitionRefused,
)
from regdesk.cases.services.notices import notice_deliver, notice_queue
from regdesk.cases.services.processes import process_version_record
from regdesk.cases.services.sweep import SweepReport, clock_sweep

__all__ = [
    "CaseRefused",
    "ClockRefused",
    "DocumentRefused",
    "NoticeRefused",
    "SweepReport",
    "TransitionRefused",
    "case_assign",
    "case_start",
    "case_transfer",
    "case_transition",
    "clock_pause",
    "clock_resume",
    "clock_start",
    "clock_stop",
    "clock_sweep",
    "document_attach",
    "document_open",
    "notice_deliver",
    "notice_queue",
    "process_version_record",
]
