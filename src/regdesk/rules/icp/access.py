"""A website's access (接入, XSD ``Jr_xx``): the access method and the IP ranges used, which must lie inside
the provider's own IP-address filing (MIIT code 1063: 所使用的IP地址与你单位IP地址备案中报备的IP信息不一致).

The provider's filed networks are a parameter: the filings app passes them from configuration.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from regdesk.rules.icp.codes import CodeTables, check_code
from regdesk.rules.icp.model import Access, IpRange, IpValue
from regdesk.rules.icp.result import FieldError, finding, item, join, warning

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: IpValue | None) -> IPAddress:
    """An address from text, an int (the XSD's xs:long Qsip/Zzip are IPv4 addresses as numbers) or an address
    object; ValueError for anything else."""
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError("no address")
    if isinstance(value, int):
        return ipaddress.IPv4Address(value)
    text = value.strip()
    if text.isascii() and text.isdigit():
        return ipaddress.IPv4Address(int(text))
    return ipaddress.ip_address(text)


def parse_networks(networks: Iterable[str | Network]) -> list[Network]:
    """The provider's filed networks from configuration (``"203.0.113.0/24"``, ``"2001:db8::/32"``)."""
    return [
        network if isinstance(network, ipaddress.IPv4Network | ipaddress.IPv6Network) else ipaddress.ip_network(network)
        for network in networks
    ]


@dataclass(frozen=True)
class IntervalSet:
    """Merged closed intervals of one address family, as integers: containment is one interval lookup."""

    intervals: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, networks: Iterable[Network]) -> IntervalSet:
        pairs = sorted((int(network.network_address), int(network.broadcast_address)) for network in networks)
        merged: list[tuple[int, int]] = []
        for start, end in pairs:
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return cls(tuple(merged))

    def covers(self, start: int, end: int) -> bool:
        return any(low <= start and end <= high for low, high in self.intervals)


def range_inside(start: IPAddress, end: IPAddress, networks: Sequence[Network]) -> bool:
    """The whole range start..end lies inside the union of ``networks`` (adjacent networks join)."""
    same_family = [network for network in networks if network.version == start.version]
    return IntervalSet.of(same_family).covers(int(start), int(end))


def check_ip_range(
    field: str, ip_range: IpRange, provider_networks: Sequence[Network]
) -> tuple[tuple[IPAddress, IPAddress] | None, list[FieldError]]:
    """One range: both addresses valid, of one family, start ≤ end (MIIT: 起始IP大于终止IP), public, and
    inside the provider's filed networks (1063). IPv6 ranges get a warning: interface v3.0 carries IPv4 only."""
    addresses: list[IPAddress] = []
    findings: list[FieldError] = []
    for name, value in (("start", ip_range.start), ("end", ip_range.end)):
        if value is None or (isinstance(value, str) and not value.strip()):
            findings.append(finding(join(field, name), "required"))
            continue
        try:
            addresses.append(parse_ip(value))
        except ValueError:
            findings.append(finding(join(field, name), "ip_address_invalid"))
    if findings:
        return None, findings
    start, end = addresses
    if start.version != end.version:
        return None, [finding(field, "ip_range_family")]
    if int(start) > int(end):
        return None, [finding(field, "ip_range_order")]
    if not (start.is_global and end.is_global):
        return None, [finding(field, "ip_range_not_public")]
    if not range_inside(start, end, provider_networks):
        names = [str(network) for network in provider_networks]
        findings.append(
            finding(
                field,
                "ip_range_outside_provider",
                networks_zh="、".join(names) or "未配置",
                networks_en=", ".join(names) or "none configured",
            )
        )
    if start.version == 6:
        findings.append(warning(field, "ip_range_ipv6_interface"))
    return (start, end), findings


def check_access(
    access: Access, *, provider_networks: Sequence[Network], tables: CodeTables, path: str = "access"
) -> list[FieldError]:
    """The access method from its code table, at least one IP range, each range valid and inside the provider's
    networks, and no two ranges of one access overlapping (MIIT: 同一个网站不允许有相同的接入)."""
    findings = check_code(join(path, "method"), access.method, tables.access_methods)[1]
    ranges_path = join(path, "ip_ranges")
    if not access.ip_ranges:
        return [*findings, finding(ranges_path, "required")]
    checked: list[tuple[int, IPAddress, IPAddress]] = []
    for index, ip_range in enumerate(access.ip_ranges):
        field = item(ranges_path, index)
        bounds, range_findings = check_ip_range(field, ip_range, provider_networks)
        findings += range_findings
        if bounds is None:
            continue
        start, end = bounds
        for other_index, other_start, other_end in checked:
            if start.version == other_start.version and int(start) <= int(other_end) and int(other_start) <= int(end):
                findings.append(finding(field, "ip_range_overlap", other=other_index + 1))
                break
        checked.append((index, start, end))
    return findings
