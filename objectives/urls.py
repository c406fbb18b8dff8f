from django.urls import path

from . import views

app_name = "objectives"

urlpatterns = [
    path("", views.PublicHomeView.as_view(), name="public-home"),
]
