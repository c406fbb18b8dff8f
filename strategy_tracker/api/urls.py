"""The REST API under /api/: version 1 of the resources, the OpenAPI document, its docs."""

import threading

from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SCHEMA_KWARGS,
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import permissions
from rest_framework.routers import APIRootView, DefaultRouter

from objectives.api import views as objectives_api
from principles.api import PrincipleViewSet
from stakeholders.api import OrganisationViewSet, StakeholderGroupViewSet
from strategy_tracker.api.errors import error_response


@csrf_exempt  # answers 404 to any method; never a CSRF page in HTML
def api_not_found(request: HttpRequest) -> JsonResponse:
    return error_response(404, "not_found", _("Not found."))


class PublicAPIRootView(APIRootView):
    """The list of resources; open to all, as most of them are."""

    permission_classes = [permissions.AllowAny]


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, built by one thread at a time: drf-spectacular loads its
    extension classes lazily, and two first builds at once (a freshly started server
    asked by several clients) raced there and answered 500."""

    _building = threading.Lock()

    @extend_schema(
        **SCHEMA_KWARGS
    )  # the document describes itself as the base view does
    def get(self, request, *args, **kwargs):
        with self._building:
            return super().get(request, *args, **kwargs)


router = DefaultRouter()
router.APIRootView = PublicAPIRootView
router.register("strategies", objectives_api.StrategyViewSet, basename="strategy")
router.register("objectives", objectives_api.ObjectiveViewSet, basename="objective")
router.register("outcomes", objectives_api.OutcomeViewSet, basename="outcome")
router.register("actions", objectives_api.ActionViewSet, basename="action")
router.register("principles", PrincipleViewSet, basename="principle")
router.register(
    "stakeholder-groups", StakeholderGroupViewSet, basename="stakeholder-group"
)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register(
    "implementations", objectives_api.ImplementationViewSet, basename="implementation"
)
router.register(
    "status-updates", objectives_api.StatusUpdateViewSet, basename="status-update"
)
router.register("import-jobs", objectives_api.ImportJobViewSet, basename="import-job")
router.register(
    "reporting-rounds", objectives_api.ReportingRoundViewSet, basename="reporting-round"
)
router.register(
    "round-figures", objectives_api.RoundFigureViewSet, basename="round-figure"
)
router.register(
    "progress-snapshots",
    objectives_api.ProgressSnapshotViewSet,
    basename="progress-snapshot",
)

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/me/token/", objectives_api.MyTokenView.as_view(), name="my-token"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    # ReDoc styles itself with <style> elements and searches in a blob: worker.
    path(
        "redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    # Any other address under /api/ is a 404 in the API's JSON shape, in every setting.
    re_path(r"^", api_not_found, name="not-found"),
]
