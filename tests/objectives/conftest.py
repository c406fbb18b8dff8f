from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from objectives.choices import ReviewState, Sensitivity
from objectives.models import Implementation, StatusUpdate
from stakeholders.models import Organisation
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from tests.stakeholders.factories import OrganisationFactory

from .factories import (
    ActionFactory,
    ImplementationFactory,
    StatusUpdateFactory,
    UserFactory,
)

ROLES = {
    "minusca-focal": (Role.FOCAL_POINT, "MINUSCA"),
    "unmiss-focal": (Role.FOCAL_POINT, "UNMISS"),
    "minusca-approver": (Role.APPROVER, "MINUSCA"),
    "manager": (Role.STRATEGY_MANAGER, None),
    "leader": (Role.LEADERSHIP, None),
}


@dataclass
class World:
    """Two missions, one person per role, and MINUSCA updates at every review stage."""

    minusca: Organisation
    unmiss: Organisation
    minusca_implementation: Implementation
    unmiss_implementation: Implementation
    users: dict = field(default_factory=dict)
    updates: dict = field(default_factory=dict)

    def state(self) -> list:
        """Everything a refused request must leave as it was."""
        return [
            list(
                StatusUpdate.objects.order_by("pk").values_list(
                    "pk", "review_state", "version", "cleared_for_public"
                )
            ),
            list(
                Implementation.objects.order_by("pk").values_list(
                    "pk", "version", "status", "progress"
                )
            ),
        ]


def add_update(implementation, author, review_state, **values) -> StatusUpdate:
    now = timezone.now()
    return StatusUpdateFactory(
        **{
            "implementation": implementation,
            "author": author,
            "review_state": review_state,
            "submitted_at": None if review_state == ReviewState.DRAFT else now,
            "accepted_at": now if review_state == ReviewState.ACCEPTED else None,
            **values,
        }
    )


def two_approved_reports(world: "World") -> tuple[StatusUpdate, StatusUpdate]:
    """An older report (on track, 19 %) and a newer one (at risk, 20 %) of MINUSCA's
    implementation, both approved and waiting for HQ: the finding's setting."""
    now = timezone.now()
    reports = [
        add_update(
            world.minusca_implementation,
            world.users["minusca-focal"],
            ReviewState.APPROVED,
            submitted_at=now - timedelta(hours=hours),
            **values,
        )
        for hours, values in (
            (2, {"progress": 19}),
            (1, {"status": "at_risk", "progress": 20, "narrative": "Delayed."}),
        )
    ]
    return reports[0], reports[1]


@pytest.fixture
def world(db) -> World:
    minusca = OrganisationFactory(code="MINUSCA")
    unmiss = OrganisationFactory(code="UNMISS", group=minusca.group)
    action = ActionFactory(code="A1.1.1", title_en="Appoint digital focal points")
    world = World(
        minusca=minusca,
        unmiss=unmiss,
        minusca_implementation=ImplementationFactory(
            action=action, organisation=minusca
        ),
        unmiss_implementation=ImplementationFactory(action=action, organisation=unmiss),
    )
    for username, (role, mission) in ROLES.items():
        user = UserFactory(username=username, email=f"{username}@example.org")
        organisation = {"MINUSCA": minusca, "UNMISS": unmiss}.get(mission)
        role_assign(user=user, role=role, organisation=organisation)
        world.users[username] = user
    author = world.users["minusca-focal"]
    # The accepted reports were made before the ones still under review.
    earlier = timezone.now() - timedelta(days=3)
    for state in (ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.ACCEPTED):
        world.updates[state] = add_update(
            world.minusca_implementation,
            author,
            state,
            **({"submitted_at": earlier} if state == ReviewState.ACCEPTED else {}),
        )
    world.updates["confidential"] = add_update(
        world.minusca_implementation,
        author,
        ReviewState.ACCEPTED,
        sensitivity=Sensitivity.CONFIDENTIAL,
        submitted_at=earlier,
    )
    world.updates["strictly"] = add_update(
        world.minusca_implementation,
        world.users["minusca-focal"],
        ReviewState.SUBMITTED,
        sensitivity=Sensitivity.STRICTLY_CONFIDENTIAL,
    )
    world.updates["draft"] = add_update(
        world.minusca_implementation, author, ReviewState.DRAFT
    )
    world.updates["unmiss"] = add_update(
        world.unmiss_implementation, world.users["unmiss-focal"], ReviewState.SUBMITTED
    )
    return world


SNAPSHOT_FIELDS = [
    "audience",
    "node_type",
    "node_id",
    "organisation_id",
    "progress",
    "implementation_count",
    "past_due_count",
    "on_track_count",
    "completed_count",
    "cancelled_count",
]


def snapshot_values(rows) -> list[tuple]:
    """Snapshot rows (a queryset or computed instances) as sorted, comparable tuples."""
    if hasattr(rows, "values_list"):
        values = rows.values_list(*SNAPSHOT_FIELDS)
    else:
        values = [tuple(getattr(row, name) for name in SNAPSHOT_FIELDS) for row in rows]
    return sorted(values, key=str)
