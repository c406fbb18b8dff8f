from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategy_tracker.models import (
    TimeStampedModel,
    TranslatedContentMixin,
    english_text_required,
)


class StakeholderGroup(TranslatedContentMixin, TimeStampedModel):
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


class Organisation(TranslatedContentMixin, TimeStampedModel):
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
