from django.db import transaction

from strategy_tracker.services import model_update, translated_values

from .models import Principle


@transaction.atomic
def principle_upsert(
    *, code: str, order: int, name: dict[str, str], definition: dict[str, str]
) -> tuple[Principle, bool]:
    """Create the principle with this code or bring it in line; return it and whether it changed."""
    principle = Principle.objects.filter(code=code).first() or Principle(code=code)
    changed = model_update(
        principle,
        {
            "order": order,
            **translated_values("name", name),
            **translated_values("definition", definition),
        },
    )
    return principle, changed
