"""Filed domains and homepage addresses: Public Suffix List snapshot, IDN, approved TLDs, MIIT code 1041."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.icp import (
    DomainSyntaxError,
    check_domain,
    check_homepage_url,
    contains_domain,
    load_approved_tlds,
    load_public_suffix_list,
    parse_domain,
    registrable_domain,
)
from regdesk.rules.icp.domains import PSL_FILE_NAME

SNAPSHOT = Path(__file__).resolve().parents[2] / "src" / "regdesk" / "rules" / "data" / "psl" / PSL_FILE_NAME
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


def codes(text: str, **options: object) -> list[str]:
    return [finding.code for finding in check_domain("domain", text, **options)[1]]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "domain",
    [
        "example.com",
        "EXAMPLE.COM.",
        "example.com.cn",
        "example.gov.cn",
        "例子.中国",
        "xn--fsqu00a.xn--fiqs8s",
        "例子。中国",
        "a-b.cn",
    ],
)
def test_registrable_domains_on_approved_tlds_are_accepted(domain: str) -> None:
    assert codes(domain) == []


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        ("", "required"),
        ("http://example.com", "domain_url_given"),
        ("example.com/index.html", "domain_url_given"),
        ("example.com:8080", "domain_url_given"),
        ("58.1.2.3", "domain_ip_address"),
        ("example..com", "domain_label_empty"),
        ("a" * 64 + ".com", "domain_label_too_long"),
        ("exa_mple.com", "domain_characters"),
        ("例子★.中国", "domain_characters"),
        ("-example.com", "domain_hyphen"),
        ("ab--cd.com", "domain_hyphen"),
        ("xn--zz.com", "domain_punycode"),
        ("example.zz", "domain_unknown_suffix"),
        ("com.cn", "domain_public_suffix"),
        ("www.example.com", "domain_not_registrable"),
        ("example.de", "domain_tld_not_approved"),
    ],
)
def test_domain_rules(domain: str, code: str) -> None:
    assert codes(domain) == [code]


def test_a_long_name_is_refused_by_the_xsd_length() -> None:
    long_name = ".".join(["a" * 60] * 3) + ".com"
    assert codes(long_name) == ["too_long", "domain_not_registrable"]


def test_a_subdomain_names_the_domain_to_file() -> None:
    finding = check_domain("domain", "www.例子.中国")[1][0]
    assert finding.code == "domain_not_registrable"
    assert "例子.中国" in finding.message_en


def test_other_scripts_are_accepted_with_a_warning() -> None:
    findings = check_domain("domain", "пример.com")[1]
    assert [(finding.code, finding.severity) for finding in findings] == [("domain_script", "warning")]


def test_private_suffixes_are_not_registrable_domains() -> None:
    # github.io is in the PRIVATE section of the list: a filed domain is one a registrar registers.
    assert parse_domain("someone.github.io").registrable == "github.io"
    assert codes("someone.github.io", approved_tlds={"io"}) == ["domain_not_registrable"]


@pytest.mark.parametrize(("nature", "expected"), [(4, ["domain_reserved_suffix"]), (2, []), (None, [])])
def test_gov_cn_is_reserved_to_government_bodies(nature: int | None, expected: list[str]) -> None:
    assert codes("beijing.gov.cn", nature=nature) == expected
    assert codes("army.mil.cn", nature=4) == ["domain_reserved_suffix"]


def test_the_approved_tld_list_is_replaceable(tmp_path: Path) -> None:
    shipped = load_approved_tlds()
    assert {"cn", "com", "xn--fiqs8s", "xn--55qx5d", "xn--io0a7i"} <= shipped  # cn, com, 中国, 公司, 网络
    replacement = tmp_path / "tlds.txt"
    replacement.write_text("# test list\nde\n", encoding="utf-8")
    approved = load_approved_tlds(replacement)
    assert codes("example.de", approved_tlds=approved) == []
    assert codes("example.com", approved_tlds=approved) == ["domain_tld_not_approved"]


def test_the_public_suffix_list_is_the_shipped_snapshot_and_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_arguments: object, **_options: object) -> None:
        raise AssertionError("the domain rules must not open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert "// VERSION:" in SNAPSHOT.read_text(encoding="utf-8")[:1000]
    suffixes = load_public_suffix_list(SNAPSHOT)
    assert parse_domain("a.b.example.com.cn", suffixes=suffixes).registrable == "example.com.cn"


def test_a_replacement_list_changes_the_answers(tmp_path: Path) -> None:
    own = tmp_path / "psl.dat"
    own.write_text("// ===BEGIN ICANN DOMAINS===\ncom\nexample.com\n// ===END ICANN DOMAINS===\n", encoding="utf-8")
    suffixes = load_public_suffix_list(own)
    assert registrable_domain("www.shop.example.com", suffixes=suffixes) == "shop.example.com"
    with pytest.raises(DomainSyntaxError):
        parse_domain("example.cn", suffixes=suffixes)


@given(st.text(CJK, min_size=1, max_size=12), st.sampled_from(["中国", "cn", "com", "公司", "网络"]))
def test_punycode_round_trip(label: str, tld: str) -> None:
    unicode_name = f"{label}.{tld}"
    domain = parse_domain(unicode_name)
    assert domain.ascii.isascii()
    again = parse_domain(domain.ascii)
    assert again.unicode == unicode_name
    assert again.ascii == domain.ascii
    assert domain.is_registrable


@given(st.lists(st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True), min_size=1, max_size=3))
def test_the_registrable_part_of_any_subdomain_is_the_domain(labels: list[str]) -> None:
    host = ".".join([*labels, "example", "com", "cn"])
    assert registrable_domain(host) == "example.com.cn"


# Homepage address (Syurl).


DOMAINS = [parse_domain("example.com"), parse_domain("例子.中国")]


@pytest.mark.parametrize(
    "url",
    [
        "example.com",
        "www.example.com",
        "http://www.example.com/index.html",
        "HTTPS://Shop.Example.com:8443/a?b=c#d",
        "https://www.例子.中国/",
        "http://www.xn--fsqu00a.xn--fiqs8s",
        None,
    ],
)
def test_homepages_on_a_filed_domain_are_accepted(url: str | None) -> None:
    assert check_homepage_url("homepage_url", url, DOMAINS) == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://www.example.com", "homepage_url_scheme"),
        ("http://user:secret@www.example.com", "homepage_url_credentials"),
        ("http://58.1.2.3/", "homepage_url_ip"),
        ("http://www.example.com:port/", "homepage_url_invalid"),
        ("http://www.exa mple.com", "homepage_url_invalid"),
        ("http://www.other.com", "homepage_url_domain_mismatch"),
        ("http://notexample.com", "homepage_url_domain_mismatch"),
        ("http://example.com.evil.cn", "homepage_url_domain_mismatch"),
        ("a.b", "too_short"),
        ("http://example.com/" + "a" * 300, "too_long"),
    ],
)
def test_homepage_rules(url: str, code: str) -> None:
    assert [finding.code for finding in check_homepage_url("homepage_url", url, DOMAINS)] == [code]


def test_homepage_can_be_required() -> None:
    assert [finding.code for finding in check_homepage_url("homepage_url", " ", DOMAINS, required=True)] == ["required"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("百度baidu.com首页", True),
        ("http://x", True),
        ("例子.中国", True),
        ("网站2.0版", False),
        ("张三的博客", False),
        ("v1.2.3", False),
    ],
)
def test_domains_are_found_in_free_text(text: str, expected: bool) -> None:
    assert contains_domain(text) is expected
