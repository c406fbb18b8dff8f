from django.urls import path

from .views import dashboard, exports, field, public, rounds, translations

app_name = "objectives"

urlpatterns = [
    path("", public.PublicStrategyView.as_view(), name="public-home"),
    path(
        "strategies/<slug:strategy>/",
        public.PublicStrategyView.as_view(),
        name="public-strategy",
    ),
    path(
        "strategies/<slug:strategy>/goals/<str:goal>/",
        public.PublicGoalView.as_view(),
        name="public-goal",
    ),
    path(
        "strategies/<slug:strategy>/missions/<str:mission>/",
        public.PublicMissionView.as_view(),
        name="public-mission",
    ),
    path(
        "strategies/<slug:strategy>/principles/<str:principle>/",
        public.PublicPrincipleView.as_view(),
        name="public-principle",
    ),
    path(
        "strategies/<slug:strategy>/open-data/progress.<str:extension>",
        public.public_open_data_view,
        name="public-open-data",
    ),
    path("start/", field.StartView.as_view(), name="start"),
    path("my/", field.MyActionsView.as_view(), name="my-actions"),
    path("review/", field.ReviewQueueView.as_view(), name="review-queue"),
    path("rounds/", rounds.RoundListView.as_view(), name="rounds"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round-detail"),
    path(
        "rounds/<int:pk>/reports.<str:extension>",
        rounds.RoundExportView.as_view(),
        name="round-export",
    ),
    path("translations/", translations.WorkspaceView.as_view(), name="translations"),
    path(
        "translations/<str:language>/",
        translations.LanguageView.as_view(),
        name="translation-language",
    ),
    path(
        "translations/<str:language>/content.po",
        translations.ExportView.as_view(),
        name="translation-export",
    ),
    path(
        "translations/<str:language>/<slug:kind>/<int:pk>/",
        translations.EditView.as_view(),
        name="translation-edit",
    ),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("dashboard/briefing/", dashboard.BriefingView.as_view(), name="briefing"),
    path(
        "dashboard/briefing/pdf/",
        dashboard.BriefingPackRequestView.as_view(),
        name="briefing-request",
    ),
    path(
        "dashboard/briefing/packs/<uuid:pk>/",
        dashboard.BriefingPackView.as_view(),
        name="briefing-pack",
    ),
    path(
        "dashboard/briefing/packs/<uuid:pk>/briefing.pdf",
        dashboard.BriefingPackPdfView.as_view(),
        name="briefing-pack-pdf",
    ),
    path(
        "missions/<str:mission>/summary/",
        dashboard.MissionSummaryView.as_view(),
        name="mission-summary",
    ),
    path(
        "dashboard/implementations.<str:extension>",
        exports.DashboardExportView.as_view(),
        name="dashboard-export",
    ),
    path(
        "implementations/<int:pk>/",
        field.ImplementationDetailView.as_view(),
        name="implementation-detail",
    ),
    path(
        "updates/<int:pk>/evidence/",
        field.EvidenceDownloadView.as_view(),
        name="update-evidence",
    ),
    path(
        "updates/<int:pk>/review/",
        field.UpdateReviewView.as_view(),
        name="update-review",
    ),
]
