"""Admin pieces shared by every app: the 'not yet translated' filter and column."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from strategy_tracker.models import TranslationSource, column


def missing_translation_q(model: type, language: str) -> Q:
    """Rows with English text in some translated field but nothing in `language`."""
    condition = Q()
    for field_name in translator.get_options_for_model(model).all_fields:
        english_present = Q(**{f"{field_name}_en__isnull": False}) & ~Q(
            **{f"{field_name}_en": ""}
        )
        missing = Q(**{f"{column(field_name, language)}__isnull": True}) | Q(
            **{column(field_name, language): ""}
        )
        condition |= english_present & missing
    return condition


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation missing")
    parameter_name = "untranslated"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, name) for code, name in settings.LANGUAGES if code != "en"]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(missing_translation_q(queryset.model, self.value()))
        return queryset


class TranslationStatusMixin:
    """Adds a column naming the languages a row is not yet translated into, and records
    a translation typed here as unofficial (the workspace lets a manager say otherwise)."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        for field_name in obj.translated_fields():
            for language, _name in settings.LANGUAGES:
                if (
                    language != "en"
                    and column(field_name, language) in form.changed_data
                ):
                    obj.translation_record(
                        field_name, language, TranslationSource.UNOFFICIAL
                    )
        super().save_model(request, obj, form, change)

    @admin.display(description=_("not yet translated"))
    def untranslated(self, obj: Any) -> str:
        languages = sorted(
            {language for _field, language in obj.missing_translations()}
        )
        return ", ".join(languages) or "—"


class ReadOnlyAdminMixin:
    """For append-only records: they are written by the workflow, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
