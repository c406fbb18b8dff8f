"""Template context of every internal page: the open reporting rounds."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors.rounds import open_rounds


def reporting_rounds(request: HttpRequest) -> dict:
    """The open round of each active strategy, for the banner of signed-in pages; read
    only when a page shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"open_rounds": []}
    return {"open_rounds": SimpleLazyObject(lambda: open_rounds(user))}
