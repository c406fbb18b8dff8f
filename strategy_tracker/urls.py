from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views
from .signin.urls import page_urlpatterns, provider_urlpatterns
from .signin.views import SignInPageView

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("strategy_tracker.api.urls")),
    *provider_urlpatterns,
    path("", views.language_home_redirect, name="root"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInPageView.as_view(), name="login"),
    *page_urlpatterns,
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("objectives.urls")),
    prefix_default_language=True,
)

handler404 = "strategy_tracker.views.page_not_found"
handler500 = "strategy_tracker.views.server_error"

admin.site.site_header = "Peacekeeping strategy tracker"
admin.site.site_title = "Strategy tracker"
admin.site.index_title = "Administration"
