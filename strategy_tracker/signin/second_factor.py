"""The second factor of local accounts: who must have one, recovery codes, and the
middleware that keeps a person who must have one and has not used it on the enrolment
or verification page.

Who must: the roles in SECOND_FACTOR_ROLES (`strategy_manager`, `leadership`, and `admin`
for anyone who can use the admin). A person signed in through the organisation's
OpenID Connect provider has been through the provider's own second factor and is not
asked again.

The codes: TOTP (RFC 6238) from django-otp, and ten single-use recovery codes, kept only
as keyed hashes and spent by one DELETE, so that two requests racing with the same code
cannot both succeed.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stakeholders.permissions import roles_held

from ..api.errors import error_response

# The session key that says the person signed in through the organisation's provider.
SIGNED_IN_WITH = "signed_in_with"
ORGANISATION = "organisation"

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
AUTHENTICATOR_DEVICE_NAME = "authenticator app"

# Views a person who still owes a second factor may reach: the pages that take it, and
# the ways out (sign out, change language).
OPEN_URL_NAMES = {
    "second-factor",
    "second-factor-setup",
    "second-factor-verify",
    "logout",
    "set_language",
    "healthz",
}


def second_factor_required(user) -> bool:
    """Whether this person must use a second factor to go on (local accounts)."""
    if not user.is_authenticated:
        return False
    wanted = set(settings.SECOND_FACTOR_ROLES)
    if "admin" in wanted and (user.is_staff or user.is_superuser):
        return True
    return bool(wanted & roles_held(user))


def signed_in_with_organisation(request: HttpRequest) -> bool:
    return request.session.get(SIGNED_IN_WITH) == ORGANISATION


def owes_second_factor(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and not user.is_verified()
        and not signed_in_with_organisation(request)
        and second_factor_required(user)
    )


def authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _code_digest(code: str) -> str:
    """The stored form of a recovery code: a keyed hash, 16 hex characters (the
    column's width), so a copy of the database does not give the codes away."""
    normalised = code.replace("-", "").replace(" ", "").lower()
    return hmac.new(
        settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256
    ).hexdigest()[:16]


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Replace the person's recovery codes with ten new ones, returned once in the clear
    (xxxxx-xxxxx, 50 random bits each)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = [
        "-".join(
            "".join(secrets.choice(alphabet) for _ in range(5)) for _part in range(2)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_code_digest(code)) for code in codes
    )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_code_spend(*, user, code: str) -> StaticDevice | None:
    """Spend one recovery code: one DELETE, so the same code never works twice, even
    for two requests at the same moment. The device that held it, or None."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    deleted, _rows = StaticToken.objects.filter(
        device=device, token=_code_digest(code)
    ).delete()
    return device if deleted else None


def authenticator_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same key on every reload until
    a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_DEVICE_NAME, confirmed=False
    )


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice) -> None:
    """A code from the new authenticator proved it works: it replaces any earlier one."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def lockout_credentials(user) -> dict[str, str]:
    """The sign-in lockout (django-axes) counts wrong second-factor codes apart from
    wrong passwords, so that signing in again with the password does not reset them."""
    return {"username": f"{user.get_username()} (second factor)"}


def failure_record(request: HttpRequest, user) -> None:
    user_login_failed.send(
        sender=__name__, credentials=lockout_credentials(user), request=request
    )


def is_locked_out(request: HttpRequest, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, lockout_credentials(user))


def locked_out_response(request: HttpRequest) -> HttpResponse:
    """Sign the person out and say why, as the password lockout does."""
    logout(request)
    return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


def verified(request: HttpRequest, device) -> None:
    otp_login(request, device)


class SecondFactorMiddleware:
    """Send a person who must use a second factor, and has not in this session, to
    verification (or to enrolment when they have none); the API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        if not owes_second_factor(request):
            return None
        if request.path_info.startswith("/api/"):
            return error_response(
                403,
                "second_factor_required",
                _(
                    "Your role needs a second factor: finish signing in in the browser "
                    "first."
                ),
            )
        target = (
            "second-factor-verify"
            if authenticator(request.user) or recovery_codes_left(request.user)
            else "second-factor-setup"
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")
