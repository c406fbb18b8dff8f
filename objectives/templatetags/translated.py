"""Show a translated content field, or the English text with a visible 'not yet translated' note."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from strategy_tracker.models import column, content_language

register = template.Library()


@register.simple_tag
def translated(instance: object, field_name: str) -> str:
    language = content_language()
    value = getattr(instance, column(field_name, language), None)
    if value:
        return format_html("{}", value)
    english = getattr(instance, f"{field_name}_en", "") or ""
    if language == "en" or not english:
        return format_html("{}", english)
    return format_html(
        '<span lang="en" dir="ltr">{}</span> <small class="untranslated">({})</small>',
        english,
        _("not yet translated"),
    )
