"""The sign-in pages of the project: the second factor (overview, enrolment,
verification, new recovery codes), the page of a person without a role yet, and signing
out (at the organisation's provider too, when the person signed in there)."""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, LogoutView
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from stakeholders.models import RoleAssignment
from stakeholders.permissions import Role, roles_held

from . import organisation
from . import second_factor as factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your recovery "
            "codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if "\x00" in code:
            raise forms.ValidationError(
                _("The code contains a character that is not allowed.")
            )
        return code


class SetupCodeForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=20,
        help_text=gettext_lazy("The six digits the app shows after you added the key."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
            }
        ),
    )


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("objectives:start")


def _grouped(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _wrong_code(request: HttpRequest, form: forms.Form, message: str):
    """Count a wrong code towards the lockout; the locked-out answer once it is reached,
    else None with the message on the form."""
    factor.failure_record(request, request.user)
    if factor.is_locked_out(request, request.user):
        return factor.locked_out_response(request)
    form.add_error("code", message)
    return None


def _wait_message(device) -> str | None:
    """Why a code cannot be tried yet (django-otp's growing wait after wrong codes)."""
    allowed, detail = device.verify_is_allowed()
    if allowed:
        return None
    if detail and detail.get("locked_until"):
        return _(
            "Too many wrong codes: wait until %(time)s (UTC) before trying again."
        ) % {"time": detail["locked_until"].strftime("%H:%M:%S")}
    return _("Too many wrong codes: wait a little before trying again.")


class SignInPageView(LoginView):
    """The sign-in page: the organisation's account first when it is configured, then
    the tracker's own accounts."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation_sign_in"] = organisation.enabled()
        context["organisation_next"] = urlencode(
            {"next": self.get_redirect_url() or reverse("objectives:start")}
        )
        return context


class SecondFactorView(LoginRequiredMixin, View):
    """What the person has: an authenticator app, how many recovery codes are left."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        return render(
            request,
            "registration/second_factor.html",
            {
                "authenticator": factor.authenticator(user),
                "codes_left": factor.recovery_codes_left(user),
                "required": factor.second_factor_required(user),
                "verified": user.is_verified(),
                "organisation": factor.signed_in_with_organisation(request),
            },
        )


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Add an authenticator app: its key as a QR code and as text (no JavaScript), then
    a code from it; the recovery codes are shown once, on the answer to that code."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and (factor.authenticator(user) or factor.recovery_codes_left(user))
        ):
            # Replacing a second factor needs the present one first.
            query = request.GET.urlencode()
            return HttpResponseRedirect(
                reverse("second-factor-verify") + (f"?{query}" if query else "")
            )
        return super().dispatch(request, *args, **kwargs)

    def _page(self, request, form, status=200) -> HttpResponse:
        device = factor.authenticator_start(user=request.user)
        qr = segno.make(device.config_url, error="m")
        return render(
            request,
            "registration/second_factor_setup.html",
            {
                "form": form,
                "qr_svg": qr.svg_inline(
                    scale=4, dark="#000", light="#fff", omitsize=False
                ),
                "key": _grouped(device.bin_key),
                "next": _next_url(request),
                "required": factor.second_factor_required(request.user),
            },
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, SetupCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if factor.is_locked_out(request, user):
            return factor.locked_out_response(request)
        form = SetupCodeForm(request.POST)
        device = factor.authenticator_start(user=user)
        if form.is_valid() and (waiting := _wait_message(device)):
            form.add_error("code", waiting)
            return self._page(request, form, status=429)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["code"]):
                factor.authenticator_confirm(device=device)
                codes = factor.recovery_codes_issue(user=user)
                factor.verified(request, device)
                if user.email:
                    send_mail(
                        _("A second factor was set up on your account"),
                        _(
                            "An authenticator app was set up as the second factor of "
                            "your account %(user)s on the peacekeeping strategy "
                            "tracker. If this was not you, tell your strategy manager "
                            "at once."
                        )
                        % {"user": user.get_username()},
                        None,
                        [user.email],
                    )
                return render(
                    request,
                    "registration/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request), "new_device": True},
                )
            if locked := _wrong_code(
                request,
                form,
                _(
                    "This code does not match the key. Check that the app shows the "
                    "key above and enter the code it shows now."
                ),
            ):
                return locked
        return self._page(request, form, status=400)


class SecondFactorVerifyView(LoginRequiredMixin, View):
    """The second step of signing in: a code from the app, or a recovery code."""

    def _page(self, request, form, status=200) -> HttpResponse:
        return render(
            request,
            "registration/second_factor_verify.html",
            {"form": form, "next": _next_url(request)},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_verified():
            return HttpResponseRedirect(_next_url(request))
        return self._page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if factor.is_locked_out(request, user):
            return factor.locked_out_response(request)
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        code = form.cleaned_data["code"]
        device = factor.authenticator(user)
        if device is not None and code.isdigit():
            if waiting := _wait_message(device):
                form.add_error("code", waiting)
                return self._page(request, form, status=429)
            if device.verify_token(code):
                factor.verified(request, device)
                return HttpResponseRedirect(_next_url(request))
        elif (spent := factor.recovery_code_spend(user=user, code=code)) is not None:
            factor.verified(request, spent)
            left = factor.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    ngettext(
                        "You have %(count)s recovery code left: make new ones on your "
                        "second factor page.",
                        "You have %(count)s recovery codes left: make new ones on your "
                        "second factor page.",
                        left,
                    )
                    % {"count": left},
                )
            return HttpResponseRedirect(_next_url(request))
        if locked := _wrong_code(
            request,
            form,
            _(
                "This code is not right, has expired or was already used. Enter the "
                "code your app shows now, or an unused recovery code."
            ),
        ):
            return locked
        return self._page(request, form, status=400)


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (the old ones stop working); only in a verified session."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_verified():
            return HttpResponseRedirect(reverse("second-factor-verify"))
        codes = factor.recovery_codes_issue(user=request.user)
        return render(
            request,
            "registration/recovery_codes.html",
            {"codes": codes, "next": reverse("second-factor"), "new_device": False},
        )


class NoRoleView(LoginRequiredMixin, View):
    """A person who signed in but holds no role yet: whom to ask."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if roles_held(user) or user.is_staff:
            return HttpResponseRedirect(reverse("objectives:start"))
        managers = [
            assignment.user
            for assignment in RoleAssignment.objects.filter(
                role=Role.STRATEGY_MANAGER,
                ended_at__isnull=True,
                user__is_active=True,
            )
            .select_related("user")
            .order_by("user__last_name", "user__username")[:5]
        ]
        return render(
            request,
            "registration/no_role.html",
            {"contact": settings.ROLE_REQUEST_CONTACT, "managers": managers},
        )


class SignOutView(LogoutView):
    """Sign out here, and at the organisation's provider when the person signed in
    there and the provider offers it (its end_session_endpoint)."""

    def post(self, request, *args, **kwargs):
        provider_url = organisation.logout_url(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


class SignedOutView(View):
    """Where the provider sends the browser back after signing out there."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "registration/logged_out.html", {"title": _("Signed out")}
        )
