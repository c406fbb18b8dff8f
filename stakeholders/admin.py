from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from modeltranslation.admin import TranslationAdmin

from strategy_tracker.admin import MissingTranslationFilter, TranslationStatusMixin

from .models import Organisation, StakeholderGroup


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(TranslationStatusMixin, TranslationAdmin):
    list_display = ["code", "name", "order", "untranslated"]
    list_filter = [MissingTranslationFilter]
    search_fields = ["code", "name_en", "name_fr", "name_ar"]
    ordering = ["order", "code"]


@admin.register(Organisation)
class OrganisationAdmin(
    GuardedModelAdminMixin, TranslationStatusMixin, TranslationAdmin
):
    """Object permissions (who reports and approves for a mission) are on each row's
    'Object permissions' page."""

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
    search_fields = ["code", "name_en", "name_fr", "name_ar", "location"]
