from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.admin import MissingTranslationFilter, TranslationStatusMixin
from strategy_tracker.exceptions import ApplicationError
from strategy_tracker.models import localized_fields

from .models import (
    AuthenticatorApp,
    Organisation,
    RecoveryCodeSet,
    RoleAssignment,
    StakeholderGroup,
)
from .permissions import Role
from .services import role_assign, role_assignment_refusal, role_end


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(
    TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin
):
    list_display = ["code", "name", "order", "untranslated"]
    list_filter = [MissingTranslationFilter]
    search_fields = ["code", *localized_fields("name")]
    ordering = ["order", "code"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationStatusMixin, TranslationAdmin):
    """Who reports and approves for a mission is given through role assignments only,
    which keep the separation of duties; there is no page that grants the object
    permissions directly."""

    list_display = [
        "code",
        "name",
        "kind",
        "group",
        "location",
        "is_active",
        "untranslated",
    ]
    list_filter = ["kind", "group", "is_active", MissingTranslationFilter]
    list_select_related = ["group"]
    search_fields = ["code", *localized_fields("name"), *localized_fields("location")]


class RoleAssignmentForm(forms.ModelForm):
    role = forms.ChoiceField(choices=Role.choices)

    actor = None  # the person using the admin, set by RoleAssignmentAdmin.get_form

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organisation", "note"]

    def clean(self):
        cleaned = super().clean()
        user, role = cleaned.get("user"), cleaned.get("role")
        if user is not None and role:
            refusal = role_assignment_refusal(
                user=user,
                role=Role(role),
                organisation=cleaned.get("organisation"),
                actor=self.actor,
            )
            if refusal is not None:
                raise ValidationError(refusal)
        return cleaned


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    """Assign roles here; ending one keeps the record. Writes go through the role services."""

    form = RoleAssignmentForm
    list_display = [
        "user",
        "role",
        "organisation",
        "started_at",
        "ended_at",
        "assigned_by",
    ]
    list_filter = ["role", "organisation", ("ended_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "organisation", "assigned_by"]
    search_fields = ["user__username", "user__email", "organisation__code"]
    actions = ["end_assignments"]
    autocomplete_fields = ["user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "user",
            "role",
            "organisation",
            "note",
            "started_at",
            "ended_at",
            "assigned_by",
            "ended_by",
        ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            assignment = role_assign(
                user=form.cleaned_data["user"],
                role=Role(form.cleaned_data["role"]),
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            raise ValidationError(error.message) from error
        obj.pk = assignment.pk

    @admin.action(description=_("End the selected assignments (keeps the record)"))
    def end_assignments(self, request, queryset):
        ended = 0
        for assignment in queryset.filter(ended_at__isnull=True).select_related(
            "user", "organisation"
        ):
            role_end(assignment=assignment, actor=request.user)
            ended += 1
        self.message_user(
            request, _("%(count)s assignment(s) ended.") % {"count": ended}
        )


# The second factor: an administrator sees who has one and deletes it to let a person
# who lost both their app and their codes set it up again; keys and codes are never shown.
for otp_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(otp_model):
        admin.site.unregister(otp_model)


class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at", "confirmed"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(AuthenticatorApp, SecondFactorAdmin)
admin.site.register(RecoveryCodeSet, SecondFactorAdmin)
