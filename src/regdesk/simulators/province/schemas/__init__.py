"""The XSDs of the MIIT enterprise interface v3.0, byte-identical copies of ``docs/miit-interface/``.

The simulator validates what it receives against ``upload.xsd`` and checks what it sends against the download and
answer schemas, on its own, so that a codec bug on the provider's side cannot hide behind the same bug here.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Literal

from lxml import etree

from regdesk.simulators.province import safe_xml

SCHEMA_DIRECTORY = Path(__file__).parent

SchemaName = Literal[
    "upload",
    "download",
    "upload-response",
    "download-response",
    "download-ack-response",
    "query-previous-upload-response",
    "beian-status-response",
]

# libxml2's validation contexts are per schema object; one lock keeps concurrent requests from sharing one.
_lock = threading.Lock()


@functools.cache
def schema(name: SchemaName) -> etree.XMLSchema:
    return etree.XMLSchema(safe_xml.parse((SCHEMA_DIRECTORY / f"{name}.xsd").read_bytes()))


def validation_errors(name: SchemaName, document: etree._Element | etree._ElementTree) -> list[str]:
    """The schema's complaints about a document (empty when it validates), line by line."""
    with _lock:
        validator = schema(name)
        try:
            valid = validator.validate(document)
        except etree.XMLSchemaValidateError as error:  # libxml2 gave up instead of answering
            return [f"not validated: {error}"]
        if valid:
            return []
        return [f"line {error.line}: {error.message}" for error in validator.error_log]
