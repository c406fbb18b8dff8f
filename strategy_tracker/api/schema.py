"""What the OpenAPI document says of errors and request headers, shared by every endpoint."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import PreconditionFailed, PreconditionRequired


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
    required=True,
    description="The ETag of the object as you read it: 428 without it, 412 if stale.",
)
