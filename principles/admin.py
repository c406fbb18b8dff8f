from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.admin import MissingTranslationFilter, TranslationStatusMixin
from strategy_tracker.models import localized_fields

from .models import Principle


@admin.register(Principle)
class PrincipleAdmin(TranslationStatusMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["code", "name", "order", "untranslated"]
    list_filter = [MissingTranslationFilter, "strategies"]
    search_fields = ["code", *localized_fields("name"), "definition_en"]
    ordering = ["order", "code"]
