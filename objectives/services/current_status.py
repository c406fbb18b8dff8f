"""The one writer of an implementation's current and public update.

An implementation's status, % complete and last acceptance are those of its current
update: its latest accepted one. Its public update is its latest accepted update cleared
for public release, which public figures read. The review workflow, the demo and the data
at scale all set them here, set-based, so the rule has one home.
"""

from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..choices import ImplementationStatus, ReviewState
from ..models import Implementation, StatusUpdate

# Which accepted update counts as the latest: the one reported last, never the one
# reviewed last, so that accepting an older report never turns the figures back.
LATEST_FIRST = (
    F("submitted_at").desc(nulls_last=True),
    F("accepted_at").desc(nulls_last=True),
    F("pk").desc(),
)


def implementation_current_refresh(*, implementations: QuerySet[Implementation]) -> int:
    """Point each implementation at its latest accepted update and its latest cleared
    one, and copy the current update's status, % complete and acceptance time (not
    started, 0 and none while nothing is accepted). Two UPDATE statements, whatever the
    number of implementations; the caller holds the transaction (and, for one
    implementation under review, its row lock). Returns how many rows were updated."""
    accepted = StatusUpdate.objects.filter(
        implementation=OuterRef("pk"), review_state=ReviewState.ACCEPTED
    ).order_by(*LATEST_FIRST)
    implementations.update(
        current_update=Subquery(accepted.values("pk")[:1]),
        public_update=Subquery(
            accepted.filter(cleared_for_public=True).values("pk")[:1]
        ),
    )
    current = StatusUpdate.objects.filter(pk=OuterRef("current_update_id"))
    return implementations.update(
        status=Coalesce(
            Subquery(current.values("status")[:1]),
            Value(ImplementationStatus.NOT_STARTED.value),
        ),
        progress=Coalesce(Subquery(current.values("progress")[:1]), Value(0)),
        last_accepted_at=Subquery(current.values("accepted_at")[:1]),
    )
