"""What every API endpoint shares: one error shape, pagination, ETags and preconditions.

Error shape, for every 4xx and 5xx:

    {"status": 400, "code": "invalid", "message": "...",
     "errors": [{"field": "progress", "message": "...", "code": "invalid"}]}

`field` is a dotted path into the request body (`goals.0.code`), or null for an error
about the request as a whole.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import (
    ApplicationError,
    ConflictError,
    ImportValidationError,
    InvalidTransition,
    NotAllowed,
)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Send If-Match with the ETag of the object you read, so that nobody's change is "
        "overwritten."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The object changed since you read it; read it again and retry with its new ETag."
    )
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# -- errors -----------------------------------------------------------------------------


def _flatten(detail: Any, path: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested error detail as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            field = None if key in ("non_field_errors", "__all__") else str(key)
            found += _flatten(
                value, f"{path}.{field}" if path and field else field or path
            )
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            found += _flatten(value, f"{path}.{index}" if nested and path else path)
        return found
    return [
        {
            "field": path,
            "message": str(detail),
            "code": getattr(detail, "code", "invalid"),
        }
    ]


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, ImportValidationError):
        errors = {}
        for problem in exc.errors:
            field, _sep, message = problem.partition(": ")
            errors.setdefault(field if message else "non_field_errors", []).append(
                message or problem
            )
        return exceptions.ValidationError(errors)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(
                {
                    field: [str(m) for m in messages]
                    for field, messages in exc.message_dict.items()
                }
            )
        return exceptions.ValidationError(exc.messages)
    if isinstance(exc, ConflictError):
        return PreconditionFailed(exc.message)
    if isinstance(exc, InvalidTransition):
        return Conflict(exc.message)
    if isinstance(exc, NotAllowed | DjangoPermissionDenied):
        return exceptions.PermissionDenied(getattr(exc, "message", None))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, ApplicationError):
        return exceptions.ValidationError(exc.message)
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error in one JSON shape; domain exceptions become the matching 4xx."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's handler logs it and answers 500
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        message = str(
            _("The request has %(count)s problem(s).") % {"count": len(errors)}
        )
        code = "invalid"
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        message = str(detail)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        errors = []
    response.data = {
        "status": response.status_code,
        "code": code,
        "message": message,
        "errors": errors,
    }
    return response


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="Dotted path, or null.")
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


def error(
    description: str, example_status: int, code: str, message: str
) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(
                code,
                value={
                    "status": example_status,
                    "code": code,
                    "message": message,
                    "errors": [],
                },
                response_only=True,
                status_codes=[str(example_status)],
            )
        ],
    )


INVALID = OpenApiResponse(
    ErrorSerializer,
    description="Bad input; every problem with its field path.",
    examples=[
        OpenApiExample(
            "invalid",
            value={
                "status": 400,
                "code": "invalid",
                "message": "The request has 1 problem(s).",
                "errors": [
                    {
                        "field": "progress",
                        "message": "Progress must be a whole number from 0 to 100.",
                        "code": "invalid",
                    }
                ],
            },
            response_only=True,
            status_codes=["400"],
        )
    ],
)
UNAUTHENTICATED = error(
    "Sign-in needed.",
    401,
    "not_authenticated",
    "Authentication credentials were not provided.",
)
FORBIDDEN = error(
    "Signed in, but not allowed.",
    403,
    "permission_denied",
    "You do not approve updates for this mission.",
)
NOT_FOUND = error(
    "No such object, or not visible to you.", 404, "not_found", "Not found."
)
THROTTLED = error("Too many requests.", 429, "throttled", "Request was throttled.")
PRECONDITION_REQUIRED = error(
    "If-Match missing.",
    428,
    "precondition_required",
    str(PreconditionRequired.default_detail),
)
PRECONDITION_FAILED = error(
    "The ETag is stale: someone changed the object.",
    412,
    "precondition_failed",
    str(PreconditionFailed.default_detail),
)
CONFLICT = error(
    "The object is not in a state that allows this step.",
    409,
    "conflict",
    "This update is “Accepted”, so it cannot be moved to “Approved”.",
)
READ_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}
PAGE_NOT_FOUND = error("No such page of results.", 404, "not_found", "Invalid page.")
LIST_ERRORS = {
    400: INVALID,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: PAGE_NOT_FOUND,
    429: THROTTLED,
}
WRITE_ERRORS = {
    400: INVALID,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: CONFLICT,
    412: PRECONDITION_FAILED,
    428: PRECONDITION_REQUIRED,
    429: THROTTLED,
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the object as you read it. Required: 428 without it, 412 if stale.",
)


# -- pagination -------------------------------------------------------------------------


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """Stable paging over a growing, append-only list (status updates)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")


# -- ETags and preconditions ------------------------------------------------------------


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


# -- translated text --------------------------------------------------------------------


class TranslatedTextSerializer(serializers.Serializer):
    en = serializers.CharField(allow_null=True)
    fr = serializers.CharField(allow_null=True)
    ar = serializers.CharField(allow_null=True)


class TranslatedTextField(serializers.Field):
    """A translated field in every language, null where no translation exists yet:
    {"en": "...", "fr": null, "ar": "..."}."""

    def __init__(self, field_name: str, **kwargs: Any) -> None:
        self.field_name_base = field_name
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, instance: Any) -> dict[str, str | None]:
        return translated_texts(instance, self.field_name_base)


def translated_texts(source: Any, field_name: str) -> dict[str, str | None]:
    """A translated field of a model instance or a `values()` row, in every language,
    null where there is no translation yet."""
    from django.conf import settings

    if isinstance(source, dict):
        return {
            code: source.get(f"{field_name}_{code}") or None
            for code, _name in settings.LANGUAGES
        }
    return {
        code: getattr(source, f"{field_name}_{code}", None) or None
        for code, _name in settings.LANGUAGES
    }


def _translated_text_schema() -> None:
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class TranslatedTextFieldExtension(OpenApiSerializerFieldExtension):
        target_class = "strategy_tracker.api.TranslatedTextField"

        def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
            return auto_schema._map_serializer(TranslatedTextSerializer, direction)


_translated_text_schema()
