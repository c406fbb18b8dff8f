from django.urls import path

from . import views, views_field

app_name = "objectives"

urlpatterns = [
    path("", views.PublicHomeView.as_view(), name="public-home"),
    path("my/", views_field.MyActionsView.as_view(), name="my-actions"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
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
