"""What the models share: partial dates, percentages and named check constraints."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Source documents give dates to the year, the month or the day ("2018-09", "2021-08-15");
# they are kept at the precision the source gives rather than padded with invented days.
PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
partial_date_validator = RegexValidator(
    PARTIAL_DATE_PATTERN, _("Use YYYY, YYYY-MM or YYYY-MM-DD.")
)
percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


def check_constraint(condition: Q, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=condition, name=f"%(app_label)s_%(class)s_{name}"
    )
