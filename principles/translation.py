from modeltranslation.translator import TranslationOptions, register

from .models import Principle


@register(Principle)
class PrincipleTranslationOptions(TranslationOptions):
    fields = ("name", "definition")
    required_languages = ("en",)
