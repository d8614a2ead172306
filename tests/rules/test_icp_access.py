"""Access method and IP ranges (MIIT code 1063: inside the provider's own filed addresses)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regdesk.rules.icp import Access, IpRange, check_access, default_code_tables, parse_ip, parse_networks, range_inside

NETWORKS = parse_networks(["58.1.0.0/16", "58.2.0.0/24", "58.2.1.0/24", "2400:da00::/32"])


def codes(access: Access) -> set[tuple[str, str, str]]:
    return {
        (finding.field, finding.code, finding.severity)
        for finding in check_access(access, provider_networks=NETWORKS, tables=default_code_tables())
    }


def one_range(start: object, end: object) -> Access:
    return Access(method=1, ip_ranges=(IpRange(start, end),))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("58.1.0.1", "58.1.0.1"),
        ("58.1.255.0", "58.2.0.10"),  # adjacent filed networks join
        ("58.1.255.0", "58.1.255.255"),
        ("58.2.0.200", "58.2.1.10"),  # two adjacent filed networks join
        (int(ipaddress.IPv4Address("58.1.2.3")), "58.1.2.9"),  # the XSD's xs:long form
        (str(int(ipaddress.IPv4Address("58.1.2.3"))), "58.1.2.9"),  # the same as decimal text
    ],
)
def test_ranges_inside_the_provider_networks_are_accepted(start: object, end: object) -> None:
    assert codes(one_range(start, end)) == set()


@pytest.mark.parametrize(
    ("start", "end", "field", "code"),
    [
        (None, "58.1.0.1", "access.ip_ranges[0].start", "required"),
        ("58.1.0.1", " ", "access.ip_ranges[0].end", "required"),
        ("58.1.0.256", "58.1.0.1", "access.ip_ranges[0].start", "ip_address_invalid"),
        ("58.1.0.1", "2400:da00::1", "access.ip_ranges[0]", "ip_range_family"),
        ("58.1.0.9", "58.1.0.1", "access.ip_ranges[0]", "ip_range_order"),
        ("10.0.0.1", "10.0.0.9", "access.ip_ranges[0]", "ip_range_not_public"),
        ("58.3.0.1", "58.3.0.9", "access.ip_ranges[0]", "ip_range_outside_provider"),
        ("58.2.1.250", "58.2.2.5", "access.ip_ranges[0]", "ip_range_outside_provider"),  # runs past the end
    ],
)
def test_ip_range_rules(start: object, end: object, field: str, code: str) -> None:
    assert codes(one_range(start, end)) == {(field, code, "error")}


def test_ipv6_ranges_are_checked_and_flagged_for_the_interface() -> None:
    assert codes(one_range("2400:da00::1", "2400:da00::ff")) == {
        ("access.ip_ranges[0]", "ip_range_ipv6_interface", "warning")
    }
    assert ("access.ip_ranges[0]", "ip_range_outside_provider", "error") in codes(
        one_range("2400:db00::1", "2400:db00::2")
    )


def test_access_method_comes_from_its_table_and_ranges_are_required() -> None:
    assert codes(Access(method=99)) == {
        ("access.method", "code_unknown", "error"),
        ("access.ip_ranges", "required", "error"),
    }


def test_overlapping_ranges_of_one_access_are_refused() -> None:
    access = Access(
        method=1,
        ip_ranges=(
            IpRange("58.1.0.1", "58.1.0.9"),
            IpRange("58.1.0.9", "58.1.0.20"),
            IpRange("58.1.0.21", "58.1.0.30"),
        ),
    )
    assert codes(access) == {("access.ip_ranges[1]", "ip_range_overlap", "error")}


def test_parse_ip_reads_text_numbers_and_addresses() -> None:
    assert parse_ip("58.1.2.3") == parse_ip(973144579) == parse_ip(ipaddress.IPv4Address("58.1.2.3"))
    with pytest.raises(ValueError, match="no address"):
        parse_ip(True)


NETWORK_STRATEGY = st.builds(
    lambda address, prefix: ipaddress.IPv4Network((address, prefix), strict=False),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=20, max_value=32),
)


@given(
    st.lists(NETWORK_STRATEGY, min_size=0, max_size=5),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=0, max_value=300),
)
def test_containment_matches_a_count_of_addresses(networks: list[ipaddress.IPv4Network], first: int, size: int) -> None:
    last = min(first + size, 2**32 - 1)
    start, end = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last)
    # Reference: every address of the range lies in some network, by ipaddress membership.
    expected = all(
        any(ipaddress.IPv4Address(value) in network for network in networks) for value in range(first, last + 1)
    )
    assert range_inside(start, end, networks) is expected
