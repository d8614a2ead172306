"""Models of the case kernel. Rows change only through ``regdesk.cases.services``."""

from regdesk.cases.models.case import Case, CaseEvent, CaseReferenceSequence, ProcessVersion
from regdesk.cases.models.clock import Clock, ClockPause, ClockRungFired, ClockState
from regdesk.cases.models.document import Document, DocumentView
from regdesk.cases.models.notice import Notice, NoticeChannel, NoticeStatus

__all__ = [
    "Case",
    "CaseEvent",
    "CaseReferenceSequence",
    "Clock",
    "ClockPause",
    "ClockRungFired",
    "ClockState",
    "Document",
    "DocumentView",
    "Notice",
    "NoticeChannel",
    "NoticeStatus",
    "ProcessVersion",
]
