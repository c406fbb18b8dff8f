from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Organisation, StakeholderGroup


@register(StakeholderGroup)
class StakeholderGroupTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "location")
    required_languages = ("en",)


# History is registered after translation, so that it records every language's column.
register_history(StakeholderGroup)
register_history(Organisation)
