"""Helpers that every app's services share; no domain knowledge."""

from typing import Any

from django.conf import settings
from django.db import models

from strategy_tracker.models import column


def translated_values(field_name: str, texts: dict[str, str]) -> dict[str, str | None]:
    """Spread {"en": ..., "ar": ...} over the per-language columns; a missing language is NULL."""
    return {
        column(field_name, language): (
            texts.get(language) or texts.get(language.replace("-", "_")) or None
        )
        for language, _name in settings.LANGUAGES
    }


def model_update(instance: models.Model, data: dict[str, Any]) -> bool:
    """Set the fields that differ, validate, and save only those; return whether anything changed.

    Blank and NULL count as the same value, so that re-importing identical data writes nothing.
    """
    changed = [
        name
        for name, value in data.items()
        if _comparable(instance, name) != _normalised(value)
    ]
    if not changed and instance.pk is not None:
        return False
    for name in changed:
        setattr(instance, name, data[name])
    instance.full_clean()
    if instance.pk is None:
        instance.save()
    else:
        update_fields = list(changed)
        if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        # modeltranslation keeps the untranslated column in step with English.
        update_fields += [
            name[: -len("_en")]
            for name in changed
            if name.endswith("_en") and hasattr(instance, name[: -len("_en")])
        ]
        instance.save(update_fields=update_fields)
    return True


def _normalised(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value if value not in ("", None) else None


def _comparable(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if field.many_to_one:
        return getattr(instance, field.attname)
    return _normalised(getattr(instance, name))
