from modeltranslation.translator import TranslationOptions, register

from .models import Organisation, StakeholderGroup


@register(StakeholderGroup)
class StakeholderGroupTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
