"""The base of every viewset over the tracker's models: reads go through the model's one
`visible_to(user)`, and who may use each HTTP method is declared in one map.

Anonymous readers are `visible_to`'s case without any permission, so a viewset has no
branch for them; the serializers learn from the context whose figures each row may show.
"""

from django.db.models import QuerySet
from rest_framework import permissions, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from strategy_tracker.api.preconditions import with_etag

from ..permissions import missions_of, reads_all_missions


class ManagesStrategies(BasePermission):
    """Strategy managers (who may change strategies)."""

    message = "Only strategy managers import strategies."

    def has_permission(self, request: Request, view: object) -> bool:
        return request.user.has_perm("objectives.change_strategy")


READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopedViewSet(viewsets.GenericViewSet):
    """`get_queryset` is `scoped_queryset()` narrowed by `visible_to(request.user)`.

    `permission_map` names the permission classes of each HTTP method: reads are open
    (scoping decides what they show), writes need a signed-in person, and the service
    called decides whether that person may take the step. `action_permissions` adds
    classes for one action.
    """

    permission_map: dict[str, list[type[BasePermission]]] = {
        **{method: [permissions.AllowAny] for method in READ_METHODS},
        "POST": [permissions.IsAuthenticated],
    }
    action_permissions: dict[str, list[type[BasePermission]]] = {}

    def scoped_queryset(self) -> QuerySet:
        """The model's rows with what the serializer reads (select and prefetch)."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset().visible_to(self.request.user)

    def get_permissions(self) -> list[BasePermission]:
        # A method without an entry is refused (the router answers 405 first anyway).
        classes = self.permission_map.get(
            self.request.method, [permissions.IsAdminUser]
        )
        classes = [*classes, *self.action_permissions.get(self.action or "", [])]
        return [permission() for permission in classes]

    def get_serializer_context(self) -> dict:
        """`internal_missions`: the organisations whose internal figures and authors
        this reader may see (None: all of them; empty for anonymous readers)."""
        user = self.request.user
        if reads_all_missions(user):
            internal = None
        elif not user.is_authenticated:
            internal = frozenset()
        else:
            internal = frozenset(missions_of(user).values_list("pk", flat=True))
        return {**super().get_serializer_context(), "internal_missions": internal}


class ETagRetrieveMixin:
    """Reading one versioned object also returns its ETag, for If-Match on writes."""

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), obj)
