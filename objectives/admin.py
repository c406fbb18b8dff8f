from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.admin import (
    MissingTranslationFilter,
    ReadOnlyAdminMixin,
    TranslationStatusMixin,
)
from strategy_tracker.models import localized_fields

from .models import (
    Action,
    Implementation,
    ImportJob,
    Notification,
    Objective,
    Outcome,
    ProgressSnapshot,
    ReviewEvent,
    RollupRequest,
    StatusUpdate,
    Strategy,
)


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("Current")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


class ObjectiveInline(TranslationTabularInline):
    model = Objective
    fields = ["code", "order", "title", "archived_at"]
    readonly_fields = ["archived_at"]
    extra = 0
    show_change_link = True


class OutcomeInline(TranslationTabularInline):
    model = Outcome
    fields = ["code", "order", "title", "is_illustrative", "archived_at"]
    readonly_fields = ["archived_at"]
    extra = 0
    show_change_link = True


class ActionInline(TranslationTabularInline):
    model = Action
    fields = [
        "code",
        "order",
        "title",
        "lead_organisation",
        "due_date",
        "weight",
        "archived_at",
    ]
    readonly_fields = ["archived_at"]
    extra = 0
    show_change_link = True


class ImplementationInline(admin.TabularInline):
    model = Implementation
    fields = [
        "organisation",
        "start_date",
        "due_date",
        "status",
        "progress",
        "last_accepted_at",
    ]
    readonly_fields = ["status", "progress", "last_accepted_at"]
    extra = 0
    show_change_link = True


class StatusUpdateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusUpdate
    fields = [
        "created_at",
        "author",
        "status",
        "progress",
        "sensitivity",
        "review_state",
        "cleared_for_public",
    ]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["-created_at"]


class ReviewEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReviewEvent
    fields = ["created_at", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "code",
        "title",
        "status",
        "objective_term",
        "published",
        "untranslated",
    ]
    list_filter = ["status", "objective_term", MissingTranslationFilter]
    search_fields = ["code", *localized_fields("title")]
    filter_horizontal = ["owners", "principles", "stakeholder_groups", "aligned_with"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["code", "title", "strategy", "order", "archived_at", "untranslated"]
    list_filter = ["strategy", ArchivedFilter, MissingTranslationFilter]
    list_select_related = ["strategy"]
    search_fields = ["code", *localized_fields("title")]
    inlines = [OutcomeInline]


@admin.register(Outcome)
class OutcomeAdmin(TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "code",
        "title",
        "objective",
        "is_illustrative",
        "archived_at",
        "untranslated",
    ]
    list_filter = [
        "objective__strategy",
        "objective",
        "is_illustrative",
        ArchivedFilter,
        MissingTranslationFilter,
    ]
    list_select_related = ["objective"]
    search_fields = ["code", *localized_fields("title")]
    inlines = [ActionInline]


class ActionAdminForm(forms.ModelForm):
    """An action carries only principles its own strategy adopts (as the import checks)."""

    def clean(self):
        cleaned = super().clean()
        outcome, principles = cleaned.get("outcome"), cleaned.get("principles")
        if outcome is not None and principles:
            strategy = outcome.objective.strategy
            adopted = set(strategy.principles.values_list("pk", flat=True))
            foreign = [p.code for p in principles if p.pk not in adopted]
            if foreign:
                self.add_error(
                    "principles",
                    _(
                        "%(codes)s: not principles of %(strategy)s; choose among the "
                        "principles the strategy adopts."
                    )
                    % {"codes": ", ".join(sorted(foreign)), "strategy": strategy.code},
                )
        return cleaned


@admin.register(Action)
class ActionAdmin(TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "code",
        "title",
        "outcome",
        "lead_organisation",
        "due_date",
        "weight",
        "is_illustrative",
        "archived_at",
        "untranslated",
    ]
    list_filter = [
        "outcome__objective__strategy",
        "outcome__objective",
        "lead_organisation",
        "principles",
        "stakeholder_groups",
        "is_illustrative",
        ArchivedFilter,
        MissingTranslationFilter,
    ]
    list_select_related = ["outcome", "lead_organisation"]
    search_fields = ["code", *localized_fields("title")]
    filter_horizontal = ["principles", "stakeholder_groups"]
    inlines = [ImplementationInline]
    form = ActionAdminForm


@admin.register(Implementation)
class ImplementationAdmin(SimpleHistoryAdmin):
    list_display = [
        "action",
        "organisation",
        "status",
        "progress",
        "last_accepted_at",
        "archived_at",
    ]
    list_filter = ["status", "organisation__kind", "organisation", ArchivedFilter]
    list_select_related = ["action", "organisation"]
    search_fields = ["action__code", "action__title_en", "organisation__code"]
    readonly_fields = [
        "status",
        "progress",
        "current_update",
        "last_accepted_at",
        "version",
    ]
    raw_id_fields = ["action"]
    inlines = [StatusUpdateInline]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only: updates change only through the review workflow."""

    list_display = [
        "implementation",
        "author",
        "status",
        "progress",
        "sensitivity",
        "review_state",
        "cleared_for_public",
        "created_at",
    ]
    list_filter = [
        "review_state",
        "status",
        "sensitivity",
        "confidence",
        "cleared_for_public",
    ]
    list_select_related = [
        "implementation__action",
        "implementation__organisation",
        "author",
    ]
    search_fields = [
        "narrative",
        "implementation__action__code",
        "implementation__organisation__code",
    ]
    date_hierarchy = "created_at"
    inlines = [ReviewEventInline]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["update", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["to_state"]
    list_select_related = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "update", "created_at", "sent_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "date",
        "valid_until",
        "audience",
        "node_type",
        "node_id",
        "organisation",
        "progress",
        "past_due_count",
    ]
    list_filter = ["audience", "node_type", "date", "strategy"]
    list_select_related = ["organisation"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Strategy imports sent through the API; written by the import worker only."""

    list_display = ["created_at", "strategy_code", "actor", "state", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["actor"]
    search_fields = ["strategy_code", "actor__username"]
    readonly_fields = [
        "id",
        "actor",
        "state",
        "strategy_code",
        "progress",
        "result",
        "errors",
        "created_at",
        "started_at",
        "finished_at",
    ]
    exclude = ["document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RollupRequest)
class RollupRequestAdmin(admin.ModelAdmin):
    """Rollups asked for and not yet run; the periodic check runs them."""

    list_display = ["requested_at"]
    search_fields = ["requested_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
