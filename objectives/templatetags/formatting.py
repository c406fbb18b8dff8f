"""The one way every page writes a percentage (a template builtin, see settings)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

NO_BREAK_SPACE = "\u00a0"
# Where there is no figure: an en dash, as the tables write it.
NO_FIGURE = "\u2013"


@register.filter
def percent(value: Decimal | float | int | None) -> str:
    """At most one decimal ("30 %", "27.5 %"), the reader's decimal separator ("27,5 %"
    in French), a no-break space before the sign; NO_FIGURE where there is none."""
    if value is None or value == "":
        return NO_FIGURE
    try:
        Decimal(str(value))
    except InvalidOperation:
        return NO_FIGURE
    return f"{floatformat(value, '-1')}{NO_BREAK_SPACE}%"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping|get_item:key`: a dictionary's value for a key held in a variable."""
    return mapping.get(key, "")
