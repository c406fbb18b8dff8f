from django.db import transaction

from strategy_tracker.services import model_update, translated_values

from .models import Organisation, StakeholderGroup


@transaction.atomic
def stakeholder_group_upsert(
    *, code: str, order: int, name: dict[str, str], description: dict[str, str]
) -> tuple[StakeholderGroup, bool]:
    """Create the group with this code or bring it in line; return it and whether it changed."""
    group = StakeholderGroup.objects.filter(code=code).first() or StakeholderGroup(code=code)
    changed = model_update(
        group,
        {
            "order": order,
            **translated_values("name", name),
            **translated_values("description", description),
        },
    )
    return group, changed


@transaction.atomic
def organisation_upsert(
    *,
    code: str,
    kind: str,
    group: StakeholderGroup,
    name: dict[str, str],
    location: str = "",
    established_year: int | None = None,
    working_language: str = "",
) -> tuple[Organisation, bool]:
    """Create the organisation with this code or bring it in line; return it and whether it changed."""
    organisation = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    changed = model_update(
        organisation,
        {
            "kind": kind,
            "group": group,
            "location": location,
            "established_year": established_year,
            "working_language": working_language,
            **translated_values("name", name),
        },
    )
    return organisation, changed
