"""The sign-in routes: the provider's, outside the language prefix because they are
registered with the provider as they are; the pages, in the reader's language."""

from django.urls import path

from . import organisation, views

provider_urlpatterns = [
    path(
        "oidc/authenticate/",
        organisation.SignInView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        organisation.CallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("oidc/signed-out/", views.SignedOutView.as_view(), name="oidc-signed-out"),
]

page_urlpatterns = [
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/no-role/", views.NoRoleView.as_view(), name="no-role"),
    path(
        "accounts/second-factor/",
        views.SecondFactorView.as_view(),
        name="second-factor",
    ),
    path(
        "accounts/second-factor/set-up/",
        views.SecondFactorSetupView.as_view(),
        name="second-factor-setup",
    ),
    path(
        "accounts/second-factor/verify/",
        views.SecondFactorVerifyView.as_view(),
        name="second-factor-verify",
    ),
    path(
        "accounts/second-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="second-factor-recovery-codes",
    ),
]
