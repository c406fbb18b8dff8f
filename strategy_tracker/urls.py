from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

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

# In the reader's language, like the rest of the admin.
admin.site.site_header = gettext_lazy("Peacekeeping strategy tracker")
admin.site.site_title = gettext_lazy("Peacekeeping strategy tracker")
admin.site.index_title = gettext_lazy("Administration")
