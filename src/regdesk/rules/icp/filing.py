"""A whole new filing (新增备案, XSD ``XZBA/Baxx``): the owner, each website, and the rules across websites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.access import Network, parse_networks
from regdesk.rules.icp.codes import CodeTables, default_code_tables, load_code_tables
from regdesk.rules.icp.domains import (
    DomainSyntaxError,
    default_approved_tlds,
    default_public_suffix_list,
    load_approved_tlds,
    load_public_suffix_list,
    normalize_domain,
)
from regdesk.rules.icp.model import Filing
from regdesk.rules.icp.owner import check_owner, owner_facts
from regdesk.rules.icp.result import FieldError, finding, item, join
from regdesk.rules.icp.text import check_encodable
from regdesk.rules.icp.website import check_website
from regdesk.rules.identity.common import today_in_china


@dataclass(frozen=True)
class RuleConfiguration:
    """The replaceable data the rules read, and the provider's own filed networks (MIIT code 1063)."""

    tables: CodeTables
    approved_tlds: frozenset[str]
    suffixes: PublicSuffixList
    provider_networks: tuple[Network, ...]


def load_rule_configuration(
    *,
    provider_networks: Iterable[str | Network] = (),
    code_tables_dir: Path | None = None,
    approved_tlds_file: Path | None = None,
    public_suffix_file: Path | None = None,
) -> RuleConfiguration:
    """Everything from configuration (the filings app passes its REGDESK_ICP_* settings); each ``None`` means
    the data shipped in the package."""
    return RuleConfiguration(
        tables=load_code_tables(code_tables_dir) if code_tables_dir else default_code_tables(),
        approved_tlds=load_approved_tlds(approved_tlds_file) if approved_tlds_file else default_approved_tlds(),
        suffixes=load_public_suffix_list(public_suffix_file) if public_suffix_file else default_public_suffix_list(),
        provider_networks=tuple(parse_networks(provider_networks)),
    )


def _domains_across_websites(filing: Filing) -> list[FieldError]:
    """A domain belongs to one website of the filing (spec v3.0 §3-5 data-processing result 域名冲突)."""
    findings: list[FieldError] = []
    first_seen: dict[str, int] = {}
    for website_index, website in enumerate(filing.websites):
        for domain_index, text in enumerate(website.domains):
            try:
                ascii_name = normalize_domain(text)[0]
            except DomainSyntaxError:
                continue
            earlier = first_seen.setdefault(ascii_name, website_index)
            if earlier != website_index:
                field = item(join(item("websites", website_index), "domains"), domain_index)
                findings.append(finding(field, "domain_in_other_website", other=earlier + 1))
    return findings


# Names the owner is also known by stay with the provider: they are never sent to the regulator.
_NOT_FILED = frozenset({"aliases"})


def _texts(value: object, path: str) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every text in the filing data that goes to the regulator."""
    if is_dataclass(value) and not isinstance(value, type):
        for member in fields(value):
            if member.name not in _NOT_FILED:
                yield from _texts(getattr(value, member.name), join(path, member.name))
    elif isinstance(value, tuple):
        for index, element in enumerate(value):
            yield from _texts(element, item(path, index))
    elif isinstance(value, str):
        yield path, value


def check_filing_encodable(filing: Filing) -> list[FieldError]:
    """A finding for every field that holds a character the regulator's system cannot take (GBK; MIIT interface
    v3.0 §3-2), whatever the field's other rules found or skipped."""
    return [error for path, text in _texts(filing, "") for error in check_encodable(path, text.strip())]


def check_filing(
    filing: Filing,
    *,
    provider_networks: Sequence[str | Network] | None = None,
    configuration: RuleConfiguration | None = None,
    today: dt.date | None = None,
    approved_tlds: Collection[str] | None = None,
) -> list[FieldError]:
    """Every rule on a new filing. Give either ``configuration`` or ``provider_networks`` (with the shipped
    data); ``today`` (Beijing date by default) decides what a future birth date is."""
    if configuration is None:
        configuration = load_rule_configuration(provider_networks=provider_networks or ())
    elif provider_networks is not None:
        raise ValueError("give provider_networks in the configuration or on their own, not both")
    today = today or today_in_china()
    tables = configuration.tables
    tlds = configuration.approved_tlds if approved_tlds is None else approved_tlds
    findings = check_owner(filing.owner, tables=tables, today=today, suffixes=configuration.suffixes)
    if not filing.websites:
        findings.append(finding("websites", "required"))
    facts = owner_facts(filing.owner, tables=tables, today=today)
    for index, website in enumerate(filing.websites):
        findings += check_website(
            website,
            owner=filing.owner,
            facts=facts,
            tables=tables,
            today=today,
            provider_networks=configuration.provider_networks,
            approved_tlds=tlds,
            suffixes=configuration.suffixes,
            path=item("websites", index),
        )
    findings += _domains_across_websites(filing)
    # Every text field, whatever its own rules: a field they already refuse (a mobile number in Arabic-Indic digits
    # has the wrong format) keeps that more specific finding.
    refused = {error.field for error in findings if error.is_error}
    return findings + [error for error in check_filing_encodable(filing) if error.field not in refused]
