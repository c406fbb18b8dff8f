"""Translated content in the API: every language of a field, null where missing."""

from typing import Any

from rest_framework import serializers

from strategy_tracker.models import column


class TranslatedTextSerializer(serializers.Serializer):
    en = serializers.CharField(allow_null=True)
    fr = serializers.CharField(allow_null=True)
    ar = serializers.CharField(allow_null=True)


class TranslatedTextField(serializers.Field):
    """A translated field in every language, null where no translation exists yet:
    {"en": "...", "fr": null, "ar": "..."}."""

    def __init__(self, field_name: str, **kwargs: Any) -> None:
        self.field_name_base = field_name
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, instance: Any) -> dict[str, str | None]:
        return translated_texts(instance, self.field_name_base)


def translated_texts(source: Any, field_name: str) -> dict[str, str | None]:
    """A translated field of a model instance or a `values()` row, in every language,
    null where there is no translation yet."""
    from django.conf import settings

    if isinstance(source, dict):
        return {
            code: source.get(column(field_name, code)) or None
            for code, _name in settings.LANGUAGES
        }
    return {
        code: getattr(source, column(field_name, code), None) or None
        for code, _name in settings.LANGUAGES
    }


def _translated_text_schema() -> None:
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class TranslatedTextFieldExtension(OpenApiSerializerFieldExtension):
        target_class = "strategy_tracker.api.translated.TranslatedTextField"

        def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
            return auto_schema._map_serializer(TranslatedTextSerializer, direction)


_translated_text_schema()
