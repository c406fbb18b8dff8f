"""Signing in with the organisation's account: OpenID Connect, authorisation code flow
with PKCE, through mozilla-django-oidc.

Configured by environment variables only (OIDC_ISSUER, OIDC_CLIENT_ID,
OIDC_CLIENT_SECRET, OIDC_SCOPES, OIDC_IDENTITY_CLAIM); the provider's endpoints come from
its discovery document (`<issuer>/.well-known/openid-configuration`), read when first
needed and kept for an hour, so a provider that is down delays nobody's start and stops
nobody who signs in with a local account. Without OIDC_ISSUER everything here is off.

What this adds to the library:
- a person is found by the issuer and the identifying claim (SignInIdentity), never by
  e-mail address; a first sign-in creates the person without any role;
- the ID token's issuer and audience are checked (the library checks the signature,
  expiry and nonce only), and the user information must be about the same subject;
- the sign-in lockout holds here too: a person locked out of local sign-in is refused,
  and failed callbacks count against the address (django-axes);
- every GET past OIDC_RECHECK_SECONDS (the idle timeout unless set) asks the provider
  again without a prompt, so an account disabled there stops working here;
- signing out ends the provider's session where it offers an end_session_endpoint.
"""

import logging
import re
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from stakeholders.models import SignInIdentity

from .second_factor import ORGANISATION, SIGNED_IN_WITH

logger = logging.getLogger(__name__)

DISCOVERY_SECONDS = 3600
# What the lockout counts failed callbacks under: the address is the other half.
CALLBACK_CREDENTIALS = {"username": "(organisation sign-in)"}

# Settings of mozilla-django-oidc read from the provider's discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    pass


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def provider_configuration() -> dict:
    """The provider's discovery document, kept for an hour."""
    key = f"oidc-discovery:{issuer()}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{issuer()}/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT,
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            logger.warning("sso.discovery_failed", extra={"issuer": issuer()})
            raise ProviderUnavailable(str(error)) from error
        if document.get("issuer", "").rstrip("/") != issuer():
            raise ProviderUnavailable("the discovery document names another issuer")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def setting(attr: str, *default):
    """mozilla-django-oidc's settings, with the endpoints from discovery unless set."""
    if attr in DISCOVERED:
        explicit = getattr(settings, attr, "")
        return explicit or provider_configuration()[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def _setting_property(attr: str):
    return property(lambda self: setting(attr))


def unavailable_response(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "registration/provider_unavailable.html", status=503
    )


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """Why organisation sign-in is refused before it starts: not configured (404), or
    this address locked out after refused callbacks (429)."""
    from axes.handlers.proxy import AxesProxyHandler

    if not enabled():
        raise Http404
    if AxesProxyHandler.is_locked(request, CALLBACK_CREDENTIALS):
        return _locked_out(request)
    return None


def _locked_out(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


def _username_for(claims: dict) -> str:
    """A readable, unique user name: the provider's user name or address, else the
    identifying claim."""
    base = (
        claims.get("preferred_username")
        or claims.get("email")
        or str(claims.get(settings.OIDC_IDENTITY_CLAIM))
    )
    base = re.sub(r"[^\w.@+-]", "", base)[:140] or "person"
    model = get_user_model()
    candidate, suffix = base, 1
    while model.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class OrganisationBackend(OIDCAuthenticationBackend):
    """The authentication backend of organisation sign-in (inert when not configured)."""

    get_settings = staticmethod(setting)
    OIDC_OP_TOKEN_ENDPOINT = _setting_property("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _setting_property("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _setting_property("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _setting_property("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _setting_property("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = _setting_property("OIDC_RP_SIGN_ALGO")
    OIDC_RP_IDP_SIGN_KEY = property(lambda self: None)

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here; this reads them when a callback needs them.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    # Signing in is all this backend does: permissions are ModelBackend's and
    # guardian's, asked once.
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    get_user_permissions = get_group_permissions = get_all_permissions

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("The ID token names another issuer.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        self._id_subject = payload.get("sub")
        return payload

    def verify_claims(self, claims):
        if claims.get("sub") != getattr(self, "_id_subject", None):
            return False
        return bool(claims.get(settings.OIDC_IDENTITY_CLAIM))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            sign_in_identities__issuer=issuer(),
            sign_in_identities__subject=str(claims[settings.OIDC_IDENTITY_CLAIM]),
        )

    def create_user(self, claims):
        """A first sign-in: the person exists from now on, without any role."""
        try:
            with transaction.atomic():
                user = self.UserModel.objects.create_user(
                    _username_for(claims),
                    email=claims.get("email", ""),
                    first_name=claims.get("given_name", "")[:150],
                    last_name=claims.get("family_name", "")[:150],
                )
                SignInIdentity.objects.create(
                    user=user,
                    issuer=issuer(),
                    subject=str(claims[settings.OIDC_IDENTITY_CLAIM]),
                )
        except IntegrityError:
            # The same person's first sign-in twice at once: the other one created them.
            return self.filter_users_by_claims(claims).get()
        logger.info("sso.person_created", extra={"user": user.pk})
        return user

    def update_user(self, user, claims):
        changed = {
            field: claims[claim][:150]
            for field, claim in (
                ("email", "email"),
                ("first_name", "given_name"),
                ("last_name", "family_name"),
            )
            if claims.get(claim) and getattr(user, field) != claims[claim][:150]
        }
        if changed:
            self.UserModel.objects.filter(pk=user.pk).update(**changed)
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        from axes.handlers.proxy import AxesProxyHandler

        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and AxesProxyHandler.is_locked(
            self.request, {"username": user.get_username()}
        ):
            logger.warning("sso.locked_out", extra={"user": user.pk})
            self.request.axes_locked_out = True
            return None
        return user


class SignInView(OIDCAuthenticationRequestView):
    """Off to the provider, with state, nonce and a PKCE challenge."""

    get_settings = staticmethod(setting)
    OIDC_OP_AUTH_ENDPOINT = _setting_property("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_RP_CLIENT_ID = _setting_property("OIDC_RP_CLIENT_ID")

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def get(self, request):
        if refused := _refusal(request):
            return refused
        try:
            return super().get(request)
        except ProviderUnavailable:
            return unavailable_response(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: the code is exchanged, the person found or created."""

    get_settings = staticmethod(setting)

    def get(self, request):
        if refused := _refusal(request):
            return refused
        try:
            return super().get(request)
        except SuspiciousOperation:
            # An unknown or replayed state: counted, like a wrong password.
            logger.warning("sso.callback_refused")
            return self.login_failure(count=True)
        except (ProviderUnavailable, requests.RequestException):
            logger.warning("sso.provider_unreachable")
            return unavailable_response(request)

    def login_failure(self, count: bool | None = None):
        request = self.request
        provider_error = request.GET.get("error")
        if count or (count is None and not provider_error):
            user_login_failed.send(
                sender=__name__, credentials=CALLBACK_CREDENTIALS, request=request
            )
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        if provider_error in {"login_required", "interaction_required"}:
            messages.info(
                request,
                _("Your session with your organisation has ended: sign in again."),
            )
        else:
            messages.error(
                request,
                _(
                    "Signing in with your organisation account did not complete. Try "
                    "again; if it keeps failing, tell your strategy manager."
                ),
            )
        return HttpResponseRedirect(reverse("login"))

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGNED_IN_WITH] = ORGANISATION
        SignInIdentity.objects.filter(user=self.user, issuer=issuer()).update(
            last_signed_in_at=timezone.now()
        )
        return response


def logout_url(request: HttpRequest) -> str | None:
    """Where to end the provider's session too, or None (a local sign-in, or a provider
    without end_session_endpoint)."""
    if not enabled() or request.session.get(SIGNED_IN_WITH) != ORGANISATION:
        return None
    try:
        endpoint = provider_configuration().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse("oidc-signed-out")
        ),
    }
    if id_token := request.session.get("oidc_id_token"):
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"


class ProviderSessionCheck(SessionRefresh):
    """Ask the provider again, without a prompt, on the first GET past
    OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS: an account disabled there is signed out here."""

    get_settings = staticmethod(setting)
    OIDC_OP_AUTHORIZATION_ENDPOINT = _setting_property("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_RP_CLIENT_ID = _setting_property("OIDC_RP_CLIENT_ID")
    OIDC_RP_SCOPES = _setting_property("OIDC_RP_SCOPES")
    OIDC_STATE_SIZE = 32
    OIDC_NONCE_SIZE = 32
    OIDC_USE_NONCE = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
    OIDC_EXEMPT_URLS: list = []

    def __init__(self, get_response):
        MiddlewareMixin.__init__(self, get_response)

    @property
    def exempt_urls(self):
        return {
            reverse("oidc_authentication_init"),
            reverse("oidc_authentication_callback"),
            reverse("oidc-signed-out"),
        }

    def is_refreshable_url(self, request):
        return (
            enabled()
            and request.session.get(SIGNED_IN_WITH) == ORGANISATION
            and super().is_refreshable_url(request)
            and not request.path_info.startswith("/api/")
        )

    def process_request(self, request):
        try:
            return super().process_request(request)
        except ProviderUnavailable:
            # The provider is down: the session goes on until it answers again.
            return None

    def process_response(self, request, response):
        """The sign-out form of an organisation session posts here and is sent on to the
        provider's end_session_endpoint; CSP's form-action must allow that origin."""
        session = getattr(request, "session", None)
        if (
            session is not None
            and enabled()
            and session.get(SIGNED_IN_WITH) == ORGANISATION
        ):
            try:
                endpoint = provider_configuration().get("end_session_endpoint", "")
            except ProviderUnavailable:
                endpoint = ""
            if endpoint:
                parts = urlsplit(endpoint)
                origin = f"{parts.scheme}://{parts.netloc}"
                update = getattr(response, "_csp_update", None) or {}
                update["form-action"] = [*update.get("form-action", []), origin]
                response._csp_update = update
        return response
