"""ETags and If-Match: concurrent edits are detected, never overwritten."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from .errors import PreconditionFailed, PreconditionRequired


def etag(obj: Any) -> str:
    return f'"{obj._meta.model_name}-{obj.pk}-v{obj.version}"'


def expected_version(request: Request, obj: Any) -> int:
    """The version the client read, from If-Match; 428 without it, 412 if already stale.

    The service checks the version again under a row lock, so a change that lands between
    this check and the write is also refused (412), never overwritten.
    """
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" in tags:
        return obj.version
    if etag(obj) not in tags:
        raise PreconditionFailed()
    return obj.version


def with_etag(response: Response, obj: Any) -> Response:
    response["ETag"] = etag(obj)
    return response
