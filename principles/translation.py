from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Principle


@register(Principle)
class PrincipleTranslationOptions(TranslationOptions):
    fields = ("name", "definition")
    required_languages = ("en",)


# History is registered after translation, so that it records every language's column.
register_history(Principle)
