from django.urls import path

from . import views, views_field

app_name = "objectives"

urlpatterns = [
    path("", views.PublicStrategyView.as_view(), name="public-home"),
    path(
        "strategies/<slug:strategy>/",
        views.PublicStrategyView.as_view(),
        name="public-strategy",
    ),
    path(
        "strategies/<slug:strategy>/goals/<str:goal>/",
        views.PublicGoalView.as_view(),
        name="public-goal",
    ),
    path(
        "strategies/<slug:strategy>/missions/<str:mission>/",
        views.PublicMissionView.as_view(),
        name="public-mission",
    ),
    path(
        "strategies/<slug:strategy>/principles/<str:principle>/",
        views.PublicPrincipleView.as_view(),
        name="public-principle",
    ),
    path(
        "strategies/<slug:strategy>/open-data/progress.<str:extension>",
        views.public_open_data_view,
        name="public-open-data",
    ),
    path("my/", views_field.MyActionsView.as_view(), name="my-actions"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/implementations.<str:extension>",
        views.DashboardExportView.as_view(),
        name="dashboard-export",
    ),
    path(
        "implementations/<int:pk>/",
        views_field.ImplementationDetailView.as_view(),
        name="implementation-detail",
    ),
    path(
        "updates/<int:pk>/review/",
        views_field.UpdateReviewView.as_view(),
        name="update-review",
    ),
]
