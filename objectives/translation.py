from modeltranslation.translator import TranslationOptions, register

from .models import Action, Objective, Outcome, Strategy


@register(Strategy)
class StrategyTranslationOptions(TranslationOptions):
    fields = ("title", "purpose")
    required_languages = ("en",)


@register(Objective)
class ObjectiveTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(Outcome)
class OutcomeTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(Action)
class ActionTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)
