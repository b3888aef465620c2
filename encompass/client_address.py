"""The address of the person at the other end of a request, one answer for every use: the
event record, the sign-in lock-out (django-axes) and the API's rate limit.

Behind a proxy REMOTE_ADDR is the proxy's. X-Forwarded-For is believed only when the request
came from a proxy in settings.FORWARDED_ALLOW_IPS (the variable gunicorn reads too); anyone
else could write any address in it. The header is read from the right: each trusted proxy
appended the address it saw, so the first address that is not a trusted proxy is the client."""

import ipaddress

from django.conf import settings


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.FORWARDED_ALLOW_IPS]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    trusted = _networks()

    def is_proxy(address) -> bool:
        return any(address in network for network in trusted)

    if not is_proxy(peer):
        return str(peer)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: nothing further left can be believed
        if not is_proxy(address):
            return str(address)
        peer = address
    return str(peer)
