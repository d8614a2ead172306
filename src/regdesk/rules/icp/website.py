"""A website of a filing (网站, XSD ``Wz_xx``; DOMAIN.md §1.3) and its pre-approvals (前置审批, ``Nrlx``).

Pre-approvals (seed 000; spec v3.0 §2 前置审批核验): a website offering news, publishing, education, medical and
health, drugs and medical devices, culture, radio/film/TV programmes or electronic bulletin boards needs the
approval of the competent authority — its type, number and scanned document — or it cannot be filed. The need
comes from the content categories the website declares, from its service contents, and from words of its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from publicsuffixlist import PublicSuffixList

from regdesk.rules.icp.access import Network, check_access
from regdesk.rules.icp.codes import CodeTable, CodeTables, EntryT, PreApprovalType, check_code
from regdesk.rules.icp.domains import DomainName, check_domain, check_homepage_url
from regdesk.rules.icp.model import Code, Owner, PreApproval, Website
from regdesk.rules.icp.owner import OwnerFacts, check_individual_is_person_in_charge, owner_facts
from regdesk.rules.icp.persons import check_person_in_charge
from regdesk.rules.icp.result import FieldError, finding, item, join
from regdesk.rules.icp.text import check_text, split_values
from regdesk.rules.icp.website_names import check_website_name

# XSD upload.xsd: Wzmc maxLength 512, Qzsph maxLength 512, Wz_Bz maxLength 1024; Spwj "单条信息不能超过100k".
WEBSITE_NAME_MAX_LENGTH = 512
APPROVAL_NUMBER_MAX_LENGTH = 512
REMARKS_MAX_LENGTH = 1024
APPROVAL_DOCUMENT_MAX_KB = 100


def complete_approval_types(pre_approvals: Sequence[PreApproval], table: CodeTable[PreApprovalType]) -> set[int]:
    """The pre-approval types the website holds complete: a known type, a number and a document in size."""
    complete: set[int] = set()
    for approval in pre_approvals:
        entry, problems = check_code("", approval.type, table)
        has_number = bool((approval.number or "").strip())
        has_document = (
            approval.document_size is not None and 0 < approval.document_size <= APPROVAL_DOCUMENT_MAX_KB * 1024
        )
        if entry is not None and not problems and has_number and has_document:
            complete.add(entry.code)
    return complete


def check_pre_approvals(
    path: str, pre_approvals: Sequence[PreApproval], table: CodeTable[PreApprovalType]
) -> list[FieldError]:
    """Each pre-approval: a type from the table (once), its number (at most 512 characters) and its scanned
    document (at most 100 KB)."""
    findings: list[FieldError] = []
    seen: dict[int, int] = {}
    for index, approval in enumerate(pre_approvals):
        approval_path = item(path, index)
        entry, type_findings = check_code(join(approval_path, "type"), approval.type, table)
        findings += type_findings
        if entry is not None:
            if entry.code in seen:
                findings.append(finding(join(approval_path, "type"), "duplicate", other=seen[entry.code] + 1))
            seen.setdefault(entry.code, index)
        findings += check_text(join(approval_path, "number"), approval.number, max_length=APPROVAL_NUMBER_MAX_LENGTH)[1]
        document_field = join(approval_path, "document")
        if approval.document_size is None or approval.document_size <= 0:
            findings.append(finding(document_field, "required"))
        elif approval.document_size > APPROVAL_DOCUMENT_MAX_KB * 1024:
            findings.append(
                finding(
                    document_field,
                    "pre_approval_document_too_large",
                    limit=APPROVAL_DOCUMENT_MAX_KB,
                    actual=-(-approval.document_size // 1024),
                )
            )
    return findings


def _missing_approval(field: str, approval_code: int, table: CodeTable[PreApprovalType]) -> FieldError:
    entry = table.get(approval_code)
    return finding(
        field,
        "pre_approval_missing",
        type_zh=entry.name_zh if entry else str(approval_code),
        type_en=entry.name_en if entry else str(approval_code),
    )


def check_code_list(
    path: str, values: Sequence[Code], table: CodeTable[EntryT], *, required: bool
) -> tuple[list[tuple[int, int]], list[FieldError]]:
    """A list of codes (Fwnr_id, Yylb_id, ...): each from the table, none twice; ``(index, code)`` pairs of the
    valid ones."""
    if not values:
        return [], [finding(path, "required")] if required else []
    findings: list[FieldError] = []
    valid: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    for index, value in enumerate(values):
        field = item(path, index)
        entry, code_findings = check_code(field, value, table)
        findings += code_findings
        if entry is None:
            continue
        if entry.code in seen:
            findings.append(finding(field, "duplicate", other=seen[entry.code] + 1))
            continue
        seen[entry.code] = index
        valid.append((index, entry.code))
    return valid, findings


def check_domains(
    path: str,
    domains: Sequence[str],
    *,
    nature: int | None,
    approved_tlds: Collection[str] | None,
    suffixes: PublicSuffixList | None,
) -> tuple[list[DomainName], list[FieldError]]:
    """At least one domain; each a registrable domain on an approved TLD; none twice."""
    if not domains:
        return [], [finding(path, "required")]
    findings: list[FieldError] = []
    parsed: list[DomainName] = []
    seen: dict[str, int] = {}
    for index, text in enumerate(domains):
        field = item(path, index)
        domain, domain_findings = check_domain(
            field, text, nature=nature, approved_tlds=approved_tlds, suffixes=suffixes
        )
        findings += domain_findings
        if domain is None:
            continue
        if domain.ascii in seen:
            findings.append(finding(field, "duplicate", other=seen[domain.ascii] + 1))
            continue
        seen[domain.ascii] = index
        parsed.append(domain)
    return parsed, findings


def check_website(
    website: Website,
    *,
    owner: Owner,
    tables: CodeTables,
    today: dt.date,
    provider_networks: Sequence[Network],
    facts: OwnerFacts | None = None,
    approved_tlds: Collection[str] | None = None,
    suffixes: PublicSuffixList | None = None,
    path: str = "website",
) -> list[FieldError]:
    """Every rule on one website: names, domains, homepage, service contents, languages, pre-approvals, the
    website's person in charge and its accesses. ``provider_networks`` are the provider's own filed networks."""
    facts = facts or owner_facts(owner, tables=tables, today=today)
    approvals = tables.pre_approval_types
    complete = complete_approval_types(website.pre_approvals, approvals)
    name_field = join(path, "name")
    names_text, findings = check_text(name_field, website.name, max_length=WEBSITE_NAME_MAX_LENGTH)
    for name in split_values(names_text or ""):
        findings += check_website_name(
            name_field,
            name,
            owner=facts,
            aliases=owner.aliases,
            approved_types=complete,
            tables=tables,
            suffixes=suffixes,
        )
    nature_code = facts.nature.code if facts.nature else None
    domains, domain_findings = check_domains(
        join(path, "domains"), website.domains, nature=nature_code, approved_tlds=approved_tlds, suffixes=suffixes
    )
    findings += domain_findings
    if domains:
        findings += check_homepage_url(join(path, "homepage_url"), website.homepage_url, domains)
    services_path = join(path, "service_contents")
    services, service_findings = check_code_list(
        services_path, website.service_contents, tables.service_contents, required=True
    )
    findings += service_findings
    for index, code in services:
        service = tables.service_contents.get(code)
        for needed in service.requires_approvals if service else ():
            if needed not in complete:
                findings.append(_missing_approval(item(services_path, index), needed, approvals))
    findings += check_code_list(join(path, "languages"), website.languages, tables.languages, required=True)[1]
    categories_path = join(path, "content_categories")
    categories, category_findings = check_code_list(
        categories_path, website.content_categories, approvals, required=False
    )
    findings += category_findings
    for index, code in categories:
        if code not in complete:
            findings.append(_missing_approval(item(categories_path, index), code, approvals))
    findings += check_pre_approvals(join(path, "pre_approvals"), website.pre_approvals, approvals)
    person_path = join(path, "person_in_charge")
    findings += check_person_in_charge(
        person_path,
        website.person_in_charge,
        nature=facts.nature,
        individual_owner=facts.is_individual,
        name_required=True,
        tables=tables,
        today=today,
    )
    if facts.is_individual:
        findings += check_individual_is_person_in_charge(
            person_path, owner, website.person_in_charge, tables=tables, today=today
        )
    access_path = join(path, "access")
    if not website.access:
        findings.append(finding(access_path, "required"))
    for index, access in enumerate(website.access):
        findings += check_access(
            access, provider_networks=provider_networks, tables=tables, path=item(access_path, index)
        )
    findings += check_text(join(path, "remarks"), website.remarks, max_length=REMARKS_MAX_LENGTH, required=False)[1]
    return findings
