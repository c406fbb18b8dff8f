"""Show a translated content field in the reader's language: the English text with a
visible 'not yet translated' note where there is no translation, and a mark on an
unofficial translation (explained once, at the foot of the page)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from strategy_tracker.models import TranslationSource, column, content_language

register = template.Library()

# Set on the request when a page shows an unofficial translation: base.html then
# explains the mark once, in its footer.
UNOFFICIAL_SHOWN = "unofficial_translations_shown"


@register.simple_tag(takes_context=True)
def translated(context, instance: object, field_name: str, plain: bool = False) -> str:
    """`plain=True` gives the text alone, for an attribute or an <option>."""
    language = content_language()
    value = getattr(instance, column(field_name, language), None)
    english = getattr(instance, f"{field_name}_en", "") or ""
    if plain:
        return value or english
    if value:
        source_of = getattr(instance, "translation_source", None)
        if (
            language != "en"
            and source_of is not None
            and source_of(field_name, language) == TranslationSource.UNOFFICIAL
        ):
            request = context.get("request")
            if request is not None:
                setattr(request, UNOFFICIAL_SHOWN, True)
            return format_html(
                '{}<sup class="unofficial-mark" aria-hidden="true">†</sup>'
                '<span class="visually-hidden"> ({})</span>',
                value,
                _("unofficial translation"),
            )
        return format_html("{}", value)
    if language == "en" or not english:
        return format_html("{}", english)
    return format_html(
        '<span lang="en" dir="ltr">{}</span> <small class="untranslated">({})</small>',
        english,
        _("not yet translated"),
    )
