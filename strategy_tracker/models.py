"""Abstract model bases shared by every app; nothing domain-specific lives here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed.

    `created_at` takes a default rather than `auto_now_add` so that imports and demo
    data can record when something really happened.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TranslatedContentMixin:
    """Helpers for models whose content fields django-modeltranslation translates.

    English is the source language; French and Arabic fall back to it and are
    reported as missing until someone fills them in.
    """

    def missing_translations(self) -> list[tuple[str, str]]:
        """The (field, language) pairs that have English text but no translation."""
        from modeltranslation.translator import translator

        options = translator.get_options_for_model(type(self))
        missing = []
        for field_name in options.all_fields:
            if not getattr(self, f"{field_name}_en", ""):
                continue
            for language, _label in settings.LANGUAGES:
                if language != "en" and not getattr(
                    self, column(field_name, language), ""
                ):
                    missing.append((field_name, language))
        return missing

    def is_translated_into(self, language: str) -> bool:
        return all(lang != language for _field, lang in self.missing_translations())


def column(field_name: str, language: str) -> str:
    """The column of a translated field in a language (`title`, `zh-hans` -> `title_zh_hans`)."""
    return f"{field_name}_{language.replace('-', '_')}"


def content_language() -> str:
    """The active language as the content columns name it (`zh-hans` -> `zh_hans`)."""
    from modeltranslation.utils import get_language

    return get_language().replace("-", "_")


def localized_fields(field_name: str) -> list[str]:
    """A translated field's column in every language (`title_en`, `title_zh_hans`...)."""
    from modeltranslation.utils import build_localized_fieldname

    return [
        build_localized_fieldname(field_name, code)
        for code, _name in settings.LANGUAGES
    ]


def english_text_required(field_name: str) -> Q:
    """A constraint condition: the English (source) text of a translated field is present.

    django-modeltranslation makes every language column nullable, so blank and NULL
    are both refused.
    """
    return Q(**{f"{field_name}_en__isnull": False}) & ~Q(**{f"{field_name}_en": ""})
