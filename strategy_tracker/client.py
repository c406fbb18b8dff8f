"""The client's real address, for throttling and the sign-in lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's peer, or behind `TRUSTED_PROXY_COUNT`
    reverse proxies the address the outermost of them saw (counted from the right of
    X-Forwarded-For, which a client can only prepend to). Throttling and the sign-in
    lockout both use it; a raw header is never trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
