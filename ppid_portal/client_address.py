"""The client address every limiter counts by (API throttles, HTML forms, failed logins).

Behind no proxy (`PPID_TRUSTED_PROXIES = 0`, the default) the address is the TCP peer, REMOTE_ADDR:
X-Forwarded-For, X-Real-IP and Forwarded are written by the client and ignored, so a client cannot
reset its counters by sending a new one with every request. Behind N reverse proxies, each one appends
the address it saw to X-Forwarded-For; the N-th entry from the right is the one the outermost trusted
proxy saw, and anything to its left is again the client's own writing.
"""

import ipaddress

from django.conf import settings


def _ip(value: str) -> str | None:
    """`value` as a normalised IP address (an IPv4-mapped IPv6 address as IPv4), or None when it is not one."""
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


def client_address(request) -> str:
    """The address of the client that sent `request` (an HttpRequest or a DRF Request)."""
    meta = request.META
    remote = _ip(meta.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.PPID_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [hop for hop in (h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")) if hop]
    if len(hops) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _ip(hops[-proxies]) or remote


def limiter_ident(request) -> str:
    """What every limiter counts by: the client address, or for IPv6 the /64 it lies in, which one client
    usually holds whole (its privacy addresses change inside it, so counting single addresses would let
    it start afresh at will)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return address
