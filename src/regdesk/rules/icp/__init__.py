"""ICP filing rules (DOMAIN.md §1.3–§1.5): pure functions over the filing data, no Django.

Every check returns a list of ``FieldError`` (field path, stable code, Chinese and English message, severity
``error`` or ``warning``); an empty list means the data is fine. The filings app builds the plain values of
``model`` from its forms or models and calls ``check_filing`` (or a narrower check), then shows each finding at
its field.
"""

from __future__ import annotations

from regdesk.rules.icp.access import check_access, check_ip_range, parse_ip, parse_networks, range_inside
from regdesk.rules.icp.codes import (
    CertificateType,
    CodeEntry,
    CodeTable,
    CodeTables,
    Language,
    Nature,
    PreApprovalType,
    ServiceContent,
    default_code_tables,
    load_code_tables,
)
from regdesk.rules.icp.contacts import (
    check_emails,
    check_mobile_numbers,
    check_office_phones,
    load_mobile_segments,
    normalize_mobile,
)
from regdesk.rules.icp.domains import (
    DomainName,
    DomainSyntaxError,
    check_domain,
    check_homepage_url,
    contains_domain,
    load_approved_tlds,
    load_public_suffix_list,
    parse_domain,
    registrable_domain,
)
from regdesk.rules.icp.filing import RuleConfiguration, check_filing, check_filing_encodable, load_rule_configuration
from regdesk.rules.icp.model import (
    Access,
    Address,
    Certificate,
    Filing,
    IpRange,
    Owner,
    PersonInCharge,
    PreApproval,
    Website,
)
from regdesk.rules.icp.owner import check_owner, check_owner_name
from regdesk.rules.icp.persons import check_person_in_charge
from regdesk.rules.icp.record_numbers import (
    BEIAN_URL,
    RecordNumber,
    RecordNumberError,
    check_record_number,
    footer_html,
    format_record_number,
    parse_record_number,
    province_abbreviation,
    province_code_of,
)
from regdesk.rules.icp.result import ERROR, WARNING, FieldError, by_field, errors_only, has_errors
from regdesk.rules.icp.text import check_encodable, first_unencodable
from regdesk.rules.icp.uniqueness import (
    check_mobile_ownership,
    check_website_person_owners,
    mobile_numbers,
    person_identity_key,
)
from regdesk.rules.icp.website import check_pre_approvals, check_website
from regdesk.rules.icp.website_names import check_website_name, related_to_owner

__all__ = [
    "BEIAN_URL",
    "ERROR",
    "WARNING",
    "Access",
    "Address",
    "Certificate",
    "CertificateType",
    "CodeEntry",
    "CodeTable",
    "CodeTables",
    "DomainName",
    "DomainSyntaxError",
    "FieldError",
    "Filing",
    "IpRange",
    "Language",
    "Nature",
    "Owner",
    "PersonInCharge",
    "PreApproval",
    "PreApprovalType",
    "RecordNumber",
    "RecordNumberError",
    "RuleConfiguration",
    "ServiceContent",
    "Website",
    "by_field",
    "check_access",
    "check_domain",
    "check_emails",
    "check_encodable",
    "check_filing",
    "check_filing_encodable",
    "check_homepage_url",
    "check_ip_range",
    "check_mobile_numbers",
    "check_mobile_ownership",
    "check_office_phones",
    "check_owner",
    "check_owner_name",
    "check_person_in_charge",
    "check_pre_approvals",
    "check_record_number",
    "check_website",
    "check_website_name",
    "check_website_person_owners",
    "contains_domain",
    "default_code_tables",
    "errors_only",
    "first_unencodable",
    "footer_html",
    "format_record_number",
    "has_errors",
    "load_approved_tlds",
    "load_code_tables",
    "load_mobile_segments",
    "load_public_suffix_list",
    "load_rule_configuration",
    "mobile_numbers",
    "normalize_mobile",
    "parse_domain",
    "parse_ip",
    "parse_networks",
    "parse_record_number",
    "person_identity_key",
    "province_abbreviation",
    "province_code_of",
    "range_inside",
    "registrable_domain",
    "related_to_owner",
]
