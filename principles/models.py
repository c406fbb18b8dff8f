from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategy_tracker.models import (
    TimeStampedModel,
    TranslatedContent,
    english_text_required,
)


class Principle(TranslatedContent, TimeStampedModel):
    """A guiding principle that a strategy adopts and that actions serve.

    Codes are global (P01..P12 for the 2021 digital-transformation strategy, NT-P1..NT-P5
    for the 2018 Strategy on New Technologies); a strategy lists the ones it adopts.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=""), name="%(app_label)s_%(class)s_code_not_blank"
            ),
            models.CheckConstraint(
                condition=english_text_required("name"),
                name="%(app_label)s_%(class)s_name_en_not_blank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
