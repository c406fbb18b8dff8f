"""Stakeholder groups and organisations in the API: public reference data, read-only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from strategy_tracker.api.schema import LIST_ERRORS, READ_ERRORS
from strategy_tracker.api.translated import TranslatedTextField

from .models import Organisation, StakeholderGroup


class StakeholderGroupSerializer(serializers.ModelSerializer):
    name = TranslatedTextField("name")
    description = TranslatedTextField("description")

    class Meta:
        model = StakeholderGroup
        fields = ["id", "code", "order", "name", "description"]


class OrganisationSerializer(serializers.ModelSerializer):
    name = TranslatedTextField("name")
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "kind",
            "group",
            "name",
            "location",
            "established_year",
            "working_language",
            "is_active",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="List the stakeholder groups",
        responses={200: StakeholderGroupSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one stakeholder group",
        responses={200: StakeholderGroupSerializer, **READ_ERRORS},
    ),
)
class StakeholderGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The strategy's three stakeholder groups."""

    queryset = StakeholderGroup.objects.order_by("order", "code")
    serializer_class = StakeholderGroupSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["code"]
    ordering_fields = ["order", "code"]


@extend_schema_view(
    list=extend_schema(
        summary="List missions and HQ departments",
        responses={200: OrganisationSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one mission or HQ department",
        responses={200: OrganisationSerializer, **READ_ERRORS},
    ),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Peacekeeping missions and HQ departments that carry out actions."""

    queryset = Organisation.objects.select_related("group").order_by("code")
    serializer_class = OrganisationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["code", "kind", "is_active", "group__code"]
    ordering_fields = ["code", "established_year"]
