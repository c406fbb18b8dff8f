"""Requests refused before any view or middleware reads them: NUL bytes in the address,
and bodies larger than the configured limit (judged by Content-Length, so nothing of an
oversized body is read). The API answers in its JSON error shape, pages in the reader's
language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .api.errors import error_response


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """An error answered outside any view: JSON for the API, a plain page otherwise."""
    if is_api_request(request):
        return error_response(status, code, message)
    page = render_to_string(
        "error.html", {"title": message, "status": status}, request=None
    )
    return HttpResponse(page, status=status)


def body_limit(request: HttpRequest) -> int:
    """The largest body accepted: an evidence file and its form for multipart uploads,
    the general limit for everything else."""
    if request.content_type == "multipart/form-data":
        return settings.EVIDENCE_MAX_BYTES + settings.REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            refused = self._refusal(request)
        return refused or self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path_info
            or "%00" in query
            or any("\x00" in value for value in request.GET.values())
        ):
            return refusal(
                request,
                400,
                "invalid",
                _("The address contains a character that is not allowed (NUL)."),
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(
                request, 400, "invalid", _("The Content-Length header is not a number.")
            )
        limit = body_limit(request)
        if length > limit:
            return refusal(
                request,
                413,
                "too_large",
                _(
                    "The request is too large: %(size)s MB where the limit is %(limit)s MB."
                )
                % {
                    "size": round(length / 1_048_576, 1),
                    "limit": round(limit / 1_048_576, 1),
                },
            )
        return None
