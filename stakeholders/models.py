from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from strategy_tracker.models import (
    TimeStampedModel,
    TranslatedContent,
    english_text_required,
)


class StakeholderGroup(TranslatedContent, TimeStampedModel):
    """One of the groups a strategy is written for (S1 personnel, S2 Member States, S3 partners)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=""), name="%(app_label)s_%(class)s_code_not_blank"
            ),
            models.CheckConstraint(
                condition=english_text_required("name"),
                name="%(app_label)s_%(class)s_name_en_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganisationKind(models.TextChoices):
    MISSION = "mission", _("Peacekeeping mission")
    HQ_DEPARTMENT = "hq_department", _("Headquarters department")
    MEMBER_STATE = "member_state", _("Member State")
    UN_ENTITY = "un_entity", _("UN entity")
    PARTNER = "partner", _("Partner")


class Organisation(TranslatedContent, TimeStampedModel):
    """A body that leads or carries out actions: a mission, an HQ department, a Member State...

    Mission staff receive their scope as object permissions on their mission's row
    (`report_progress`, `approve_progress`), never one permission per action.
    """

    Kind = OrganisationKind

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("stakeholder group"),
    )
    name = models.CharField(_("name"), max_length=300)
    location = models.CharField(_("location"), max_length=200, blank=True)
    established_year = models.PositiveSmallIntegerField(
        _("established"), null=True, blank=True
    )
    working_language = models.CharField(_("working language"), max_length=8, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("report_progress", _("Can report progress for this organisation")),
            ("approve_progress", _("Can approve progress for this organisation")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=""), name="%(app_label)s_%(class)s_code_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in OrganisationKind]),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=english_text_required("name"),
                name="%(app_label)s_%(class)s_name_en_not_blank",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "code"], name="stakeholder_org_kind_code")
        ]

    def __str__(self) -> str:
        return self.code


class RoleAssignment(TimeStampedModel):
    """A person holding a role, in a mission for the mission roles, from one date to another.

    Ending an assignment keeps the row, so who held which role when survives staff rotation.
    The guardian object permission that carries the scope exists while the row is active.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(ended_at__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_user_role_organisation",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(ended_at__gte=models.F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "role", "ended_at"], name="stakeholder_role_org"
            ),
        ]

    def __str__(self) -> str:
        where = f" @ {self.organisation.code}" if self.organisation_id else ""
        return f"{self.user} {self.role}{where}"


class SignInIdentity(TimeStampedModel):
    """Who a person is at the organisation's OpenID Connect provider: the issuer and the
    value of the identifying claim (OIDC_IDENTITY_CLAIM, `sub` unless configured).

    A person is found by this pair on every sign-in, never by e-mail address, so an
    address reused or changed at the provider cannot take over another account.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sign_in_identities",
        verbose_name=_("user"),
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation sign-in")
        verbose_name_plural = _("organisation sign-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="%(app_label)s_%(class)s_one_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"


class AuthenticatorApp(TOTPDevice):
    """A person's authenticator app (django-otp's TOTP device), named in the reader's
    language in the admin, where deleting it lets the person set up a new one."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")


class RecoveryCodeSet(StaticDevice):
    """A person's single-use recovery codes (django-otp's static device; kept hashed)."""

    class Meta:
        proxy = True
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")
