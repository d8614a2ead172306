"""Safe XML parsing: no external entities, no DTD loading, no network (answers come from outside)."""

from __future__ import annotations

import re

from lxml import etree

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def safe_parser() -> etree.XMLParser:
    """A parser that refuses what an attacker could use: entities, DTDs, network access, huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_bytes(data: bytes) -> etree._Element:
    """Parse a document given as bytes (its declaration names the encoding, e.g. GBK)."""
    return etree.fromstring(data, parser=safe_parser())


def parse_text(text: str) -> etree._Element:
    """Parse a document given as text, e.g. the ``<return>`` string of a SOAP answer.

    lxml refuses text that carries an encoding declaration, and a declaration inside a decoded string is
    meaningless anyway, so it is dropped first.
    """
    return etree.fromstring(_DECLARATION.sub("", text, count=1).lstrip(), parser=safe_parser())
