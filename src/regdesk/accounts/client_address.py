"""The address of the client behind a request: the one answer the rate limits, the login lockout and the audit
trail all use.

Behind a reverse proxy every request comes from the proxy, and the client's address is in ``X-Forwarded-For``.
That header is whatever the client wrote, with each proxy appending the address it saw on the right. So the
header is believed only when the direct peer (``REMOTE_ADDR``) is one of ``REGDESK_TRUSTED_PROXIES``, and then
only as far as the chain of trusted proxies reaches: reading from the right, the first address that is not a
trusted proxy is the client. Anything to its left was written by the client and proves nothing.

This module imports nothing of regdesk but its part's settings, so every part may use it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from regdesk.accounts.config import trusted_proxies

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 hosts get a whole /64 each: counting single addresses would let one host rotate through 2^64 of them.
IPV6_LIMIT_PREFIX = 64


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    networks: list[IpNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"REGDESK_TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network"
            ) from None
    return tuple(networks)


def trusted_proxy_networks() -> tuple[IpNetwork, ...]:
    """The networks of ``REGDESK_TRUSTED_PROXIES`` (an address counts as a /32 or /128 network)."""
    return _networks(trusted_proxies())


def _parse(text: str) -> IpAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # "::ffff:192.0.2.1" is the IPv4 client of a dual-stack socket, not another host.
        return address.ipv4_mapped
    return address


def _trusted(address: IpAddress, networks: tuple[IpNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or from a trusted proxy the right-most untrusted address of
    ``X-Forwarded-For``. An empty string when the request names no usable address at all."""
    peer = _parse(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return ""
    networks = trusted_proxy_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed(forwarded.split(",")):
        address = _parse(hop)
        if address is None:
            # A malformed entry ends the chain: the last trusted proxy that was seen is as far as we can tell.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def client_network(request: HttpRequest) -> str:
    """The unit that per-address rate limits count: the client's IPv4 address, or its IPv6 /64."""
    address = _parse(client_address(request))
    if address is None:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(address)
