"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind the reverse proxy (docker-compose.yml's nginx) every request comes from the proxy's address,
so locking by address would lock everyone out together. With ``AXES_PROXY_COUNT`` set, the address
comes from ``X-Forwarded-For`` (read by django-ipware) — but only when the request really comes from
a trusted proxy (``AXES_TRUSTED_PROXIES``: addresses or networks, default the loopback). The header
from anyone else is ignored: a client talking to the application directly cannot choose the
address it is counted under. The proxy must replace, not extend, the header it receives
(nginx: ``proxy_set_header X-Forwarded-For $remote_addr``); ``AXES_PROXY_COUNT`` counts the proxies
in front, each adding the address it saw.
"""

import ipaddress

from django.conf import settings
from ipware import get_client_ip


def networks(text):
    """"127.0.0.1, 10.0.0.0/8" -> the networks; an unparsable entry is a configuration error."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def from_trusted_proxy(address):
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(peer in network for network in networks(settings.CLIENT_IP_TRUSTED_PROXIES))


def client_ip(request):
    peer = request.META.get("REMOTE_ADDR")
    count = settings.CLIENT_IP_PROXY_COUNT
    if not count or not from_trusted_proxy(peer):
        return peer
    address, _routable = get_client_ip(
        request, proxy_order="left-most", proxy_count=count - 1, strict=True,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
    )
    return address or peer
