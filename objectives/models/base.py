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


# What each rule says to the person who broke it (the admin shows it), in their
# language; never the constraint's internal name.
RULE_MESSAGES = {
    "due_after_start": _("The due date must be on or after the start date."),
    "completed_is_100_percent": _(
        "A completed action is at 100; set progress to 100 or choose another status."
    ),
    "progress_range": _("Progress must be a whole number from 0 to 100."),
    "weight_positive": _("The weight must be greater than zero."),
    "code_not_blank": _("The code may not be blank."),
    "title_en_not_blank": _("The English title may not be blank."),
    "round_months_range": _("A round lasts from 0 (opened by hand) to 12 months."),
    "name_not_blank": _("The name may not be blank."),
    "period_ordered": _("The period must end on or after the day it starts."),
    "deadline_after_opening": _(
        "The deadline must be on or after the day the round opens."
    ),
    "closer_only_when_closed": _("Only a closed round has someone who closed it."),
    "valid_until_after_date": _("“Valid until” must come after “valid from”."),
    "accepted_has_time": _("An accepted update needs the time it was accepted."),
    "public_only_if_accepted_unclassified": _(
        "Only accepted, unclassified updates can be cleared for public release."
    ),
}
CHOICE_MESSAGE = _("Choose one of the values offered.")


def check_constraint(condition: Q, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{name}",
        violation_error_message=RULE_MESSAGES.get(
            name, CHOICE_MESSAGE if name.endswith("_valid") else None
        ),
    )
