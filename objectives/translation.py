from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

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


# History is registered after translation, so that it records every language's column.
for model in (Strategy, Objective, Outcome, Action):
    register_history(model)
