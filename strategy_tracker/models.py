"""Abstract model bases shared by every app; nothing domain-specific lives here."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed.

    `created_at` takes a default rather than `auto_now_add` so that imports and demo
    data can record when something really happened.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TranslationSource(models.TextChoices):
    """Where the text of a translated field in a language other than English comes from."""

    SEED = "seed", _("the UN's own wording, from the strategy's source documents")
    OFFICIAL = "official", _("an official UN translation")
    UNOFFICIAL = "unofficial", _("an unofficial translation made for this tracker")


def english_digest(text: str) -> str:
    """What a translation records of the English it was made from (to tell when the
    English changed after it was translated)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TranslatedContentMixin:
    """Helpers for content whose fields django-modeltranslation translates. A plain class:
    the first migrations name it among their models' bases, so it holds no field."""

    @classmethod
    def translated_fields(cls) -> list[str]:
        from modeltranslation.translator import translator

        return list(translator.get_options_for_model(cls).all_fields)

    def missing_translations(self) -> list[tuple[str, str]]:
        """The (field, language) pairs that have English text but no translation."""
        missing = []
        for field_name in self.translated_fields():
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


class TranslatedContent(TranslatedContentMixin, models.Model):
    """Content whose fields django-modeltranslation translates into the six languages.

    English is the source language; the other languages fall back to it and are reported
    as missing until someone fills them in. `translation_sources` records, for each
    translated column (`title_fr`), where its text comes from (TranslationSource) and a
    digest of the English it was made from, so that a translation whose English changed
    since is reported as outdated.
    """

    translation_sources = models.JSONField(
        _("translation sources"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Every translated text has a recorded source: one written without saying is
        an unofficial translation of the English it was saved with."""
        sources = dict(self.translation_sources)
        for field_name in self.translated_fields():
            english = getattr(self, f"{field_name}_en", "") or ""
            for language, _label in settings.LANGUAGES:
                name = column(field_name, language)
                if language == "en":
                    continue
                if getattr(self, name, ""):
                    sources.setdefault(
                        name,
                        {
                            "source": str(TranslationSource.UNOFFICIAL),
                            "english": english_digest(english),
                        },
                    )
                else:
                    sources.pop(name, None)
        self.translation_sources = sources
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "translation_sources" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "translation_sources"]
        super().save(*args, **kwargs)

    def is_outdated(self, field_name: str, language: str) -> bool:
        """Whether this field's text in `language` was translated from English that has
        changed since."""
        name = column(field_name, language)
        recorded = self.translation_sources.get(name)
        english = getattr(self, f"{field_name}_en", "") or ""
        return bool(
            language != "en"
            and recorded
            and getattr(self, name, "")
            and recorded.get("english") != english_digest(english)
        )

    def outdated_translations(self) -> list[tuple[str, str]]:
        """The (field, language) pairs translated from an English text that has changed."""
        return [
            (field_name, language)
            for field_name in self.translated_fields()
            for language, _label in settings.LANGUAGES
            if self.is_outdated(field_name, language)
        ]

    def translation_source(self, field_name: str, language: str) -> str | None:
        recorded = self.translation_sources.get(column(field_name, language))
        return recorded.get("source") if recorded else None

    def translation_set(
        self,
        field_name: str,
        language: str,
        text: str,
        source: "TranslationSource | str",
    ) -> None:
        """Write a field's text in `language` with its source (blank clears it, and the
        save drops its record); the caller saves."""
        text = text.strip()
        setattr(self, column(field_name, language), text or None)
        if text:
            self.translation_record(field_name, language, source)

    def translation_record(
        self, field_name: str, language: str, source: "TranslationSource | str"
    ) -> None:
        """Note where this field's text in `language` comes from, and the English it
        was made from (the caller saves)."""
        english = getattr(self, f"{field_name}_en", "") or ""
        self.translation_sources = {
            **self.translation_sources,
            column(field_name, language): {
                "source": str(TranslationSource(source)),
                "english": english_digest(english),
            },
        }


def column(field_name: str, language: str) -> str:
    """The column of a translated field in a language (`title`, `zh-hans` -> `title_zh_hans`)."""
    return f"{field_name}_{language.replace('-', '_')}"


def content_language() -> str:
    """The active language as the content columns name it (`zh-hans` -> `zh_hans`)."""
    from modeltranslation.utils import get_language

    return get_language().replace("-", "_")


def localized_fields(field_name: str) -> list[str]:
    """A translated field's column in every language (`title_en`, `title_zh_hans`...)."""
    return [column(field_name, code) for code, _name in settings.LANGUAGES]


def english_text_required(field_name: str) -> Q:
    """A constraint condition: the English (source) text of a translated field is present.

    django-modeltranslation makes every language column nullable, so blank and NULL
    are both refused.
    """
    return Q(**{f"{field_name}_en__isnull": False}) & ~Q(**{f"{field_name}_en": ""})
