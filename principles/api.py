"""Principles in the API: public reference data, read-only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from strategy_tracker.api.schema import LIST_ERRORS, READ_ERRORS
from strategy_tracker.api.translated import TranslatedTextField

from .models import Principle


class PrincipleSerializer(serializers.ModelSerializer):
    name = TranslatedTextField("name")
    definition = TranslatedTextField("definition")

    class Meta:
        model = Principle
        fields = ["id", "code", "order", "name", "definition"]


@extend_schema_view(
    list=extend_schema(
        summary="List the guiding principles",
        responses={200: PrincipleSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one guiding principle",
        responses={200: PrincipleSerializer, **READ_ERRORS},
    ),
)
class PrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    """The twelve guiding principles of the strategy."""

    queryset = Principle.objects.order_by("order", "code")
    serializer_class = PrincipleSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["code"]
    ordering_fields = ["order", "code"]
