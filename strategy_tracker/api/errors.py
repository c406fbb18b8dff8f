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
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import (
    ApplicationError,
    ConflictError,
    ImportValidationError,
    InvalidTransition,
    NotAllowed,
)


def error_response(status: int, code: str, message: str) -> JsonResponse:
    """The error shape for answers given outside DRF (middleware, error handlers, the
    catch-all 404)."""
    return JsonResponse(
        {"status": status, "code": code, "message": str(message), "errors": []},
        status=status,
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
