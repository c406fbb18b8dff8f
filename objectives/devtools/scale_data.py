"""Deterministic data at scale: many missions, thousands of actions, a million updates.

For benchmarks and load tests. On PostgreSQL rows go in with COPY; elsewhere with
bulk_create, for smaller scales. Everything hangs under one strategy (`Scale.code`),
so a second run replaces the first and nothing else is touched.
"""

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from stakeholders.models import Organisation, StakeholderGroup
from stakeholders.permissions import Role
from stakeholders.services import role_assign

from ..choices import ImplementationStatus, StrategyStatus
from ..models import (
    Action,
    Implementation,
    Notification,
    Objective,
    Outcome,
    ProgressSnapshot,
    ReviewEvent,
    RoundFigure,
    StatusUpdate,
    Strategy,
)
from ..services.current_status import implementation_current_refresh
from ..services.rollup import rollup_run
from .rounds import closed_rounds_freeze, past_rounds_create, updates_assign_rounds

Say = Callable[[str], None]
STATUSES = [status.value for status in ImplementationStatus]
STATUS_WEIGHTS = [10, 40, 15, 8, 15, 6, 6]
SCALE_PASSWORD = "scale-data-only"  # noqa: S105 - generated benchmark accounts


@dataclass(frozen=True)
class Scale:
    code: str = "SCALE"
    missions: int = 20
    goals: int = 4
    outcomes: int = 15
    actions: int = 5_000
    implementations: int = 100_000
    updates: int = 1_000_000
    months: int = 24
    rounds: int = 6
    users: int = 500
    seed: int = 2021


def scale_data_generate(*, scale: Scale, progress: Say | None = None) -> dict[str, int]:
    """Replace the scale strategy and its data; return what was written, by kind."""
    say = progress or (lambda message: None)
    rng = random.Random(scale.seed)
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        say(f"removing an earlier {scale.code} strategy, if any")
        _remove(scale.code)
        strategy = Strategy.objects.create(
            code=scale.code,
            title_en="Generated strategy at scale",
            status=StrategyStatus.ACTIVE,
        )
        missions = _missions(scale)
        actions = _tree(scale, strategy, rng)
        say(
            f"tree: {scale.goals} goals, {scale.outcomes} outcomes, {len(actions):,} actions"
        )
        users = _users(scale, missions, say)
        implementation_ids = _implementations(scale, actions, missions, rng, now, say)
        _updates(scale, implementation_ids, users, rng, now, say)
        rounds = past_rounds_create(strategy, count=scale.rounds, actor=None, say=say)
        updates_assign_rounds(
            rounds,
            StatusUpdate.objects.filter(
                implementation__action__outcome__objective__strategy=strategy
            ),
            say=say,
        )
        say("pointing each implementation at its latest accepted and cleared update")
        _current_updates(implementation_ids)
        closed_rounds_freeze(rounds, say=say)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Today's rollup, as the worker would run it: the dashboard reads its figures.
    say("rolling progress up for today")
    rollup_run(progress=say)
    return {
        "missions": len(missions),
        "actions": len(actions),
        "implementations": len(implementation_ids),
        "status_updates": StatusUpdate.objects.filter(
            implementation__action__outcome__objective__strategy=strategy
        ).count(),
        "users": len(users),
    }


def _remove(code: str) -> None:
    """Delete a generated strategy with its implementations and updates, set-based.

    Status updates are protected from ordinary deletion (reported work is never lost);
    generated ones are removed here, dependants first.
    """
    under = {"implementation__action__outcome__objective__strategy__code": code}
    updates = StatusUpdate.objects.filter(**under)
    ReviewEvent.objects.filter(update__in=updates)._raw_delete(connection.alias)
    Notification.objects.filter(update__in=updates)._raw_delete(connection.alias)
    implementations = Implementation.objects.filter(
        action__outcome__objective__strategy__code=code
    )
    implementations.update(current_update=None, public_update=None)
    updates._raw_delete(connection.alias)
    RoundFigure.objects.filter(round__strategy__code=code)._raw_delete(connection.alias)
    ProgressSnapshot.objects.filter(strategy__code=code)._raw_delete(connection.alias)
    implementations._raw_delete(connection.alias)
    Strategy.objects.filter(code=code).delete()


def _missions(scale: Scale) -> list[Organisation]:
    group = StakeholderGroup.objects.get_or_create(
        code=f"{scale.code}-S", defaults={"name_en": "Generated stakeholders"}
    )[0]
    return [
        Organisation.objects.get_or_create(
            code=f"{scale.code}-M{index:02d}",
            defaults={
                "kind": "mission",
                "group": group,
                "name_en": f"Generated mission {index}",
            },
        )[0]
        for index in range(scale.missions)
    ]


def _tree(scale: Scale, strategy: Strategy, rng: random.Random) -> list[Action]:
    goals = Objective.objects.bulk_create(
        Objective(strategy=strategy, code=f"G{n}", order=n, title_en=f"Goal {n}")
        for n in range(1, scale.goals + 1)
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(
            objective=goals[n % len(goals)],
            code=f"O{n}",
            order=n,
            title_en=f"Outcome {n}",
        )
        for n in range(1, scale.outcomes + 1)
    )
    return Action.objects.bulk_create(
        (
            Action(
                outcome=outcomes[n % len(outcomes)],
                code=f"A{n}",
                order=n,
                title_en=f"Action {n}",
                weight=rng.choice([1, 1, 2, 3]),
            )
            for n in range(scale.actions)
        ),
        batch_size=2000,
    )


def _users(scale: Scale, missions: list[Organisation], say: Say) -> list:
    """Focal points and approvers spread over the missions (four focal points to one
    approver), each with the object permission on their mission. People of an earlier
    run are kept, with their roles."""
    User = get_user_model()
    password = make_password(SCALE_PASSWORD)
    prefix = scale.code.lower()
    names = [f"{prefix}-{index:04d}" for index in range(scale.users)]
    existing = set(
        User.objects.filter(username__in=names).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        User(username=name, password=password) for name in names if name not in existing
    )
    users = list(User.objects.filter(username__in=names).order_by("username"))
    for index, user in enumerate(users):
        role = Role.APPROVER if index % 5 == 4 else Role.FOCAL_POINT
        role_assign(user=user, role=role, organisation=missions[index % len(missions)])
        if (index + 1) % 100 == 0 or index + 1 == len(users):
            say(f"users with mission permissions: {index + 1:,}/{len(users):,}")
    return users


def _implementations(scale, actions, missions, rng, now, say) -> list[int]:
    pairs = [(a, m) for a in actions for m in missions][: scale.implementations]

    def rows() -> Iterator[dict]:
        for action, mission in pairs:
            yield {
                "action_id": action.pk,
                "organisation_id": mission.pk,
                "status": ImplementationStatus.NOT_STARTED.value,
                "progress": 0,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }

    _write(Implementation, rows(), len(pairs), "implementations", say)
    return list(
        Implementation.objects.filter(action__in=[a.pk for a in actions])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _updates(scale, implementation_ids, users, rng, now, say) -> None:
    if not implementation_ids:
        return
    days = scale.months * 30
    authors = [user.pk for user in users] or [None]

    def rows() -> Iterator[dict]:
        for n in range(scale.updates):
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            created = now - timedelta(
                days=rng.randint(0, days), minutes=rng.randint(0, 1440)
            )
            accepted = rng.random() < 0.8
            sensitivity = rng.choices(
                ["unclassified", "confidential", "strictly_confidential"], [8, 1.5, 0.5]
            )[0]
            cleared = accepted and sensitivity == "unclassified" and rng.random() < 0.5
            yield {
                "implementation_id": implementation_ids[n % len(implementation_ids)],
                "status": status,
                "progress": 100 if status == "completed" else rng.randint(0, 95),
                "narrative": f"Generated report {n}.",
                "narrative_language": "en",
                "evidence_url": "",
                "evidence_file": "",
                "evidence_name": "",
                "evidence_content_type": "",
                "confidence": "medium",
                "sensitivity": sensitivity,
                "author_id": authors[n % len(authors)],
                "review_state": "accepted" if accepted else "submitted",
                "submitted_at": created,
                "accepted_at": created + timedelta(days=3) if accepted else None,
                "cleared_for_public": cleared,
                "cleared_at": created + timedelta(days=4) if cleared else None,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }

    _write(StatusUpdate, rows(), scale.updates, "status updates", say)


def _current_updates(implementation_ids: list[int]) -> None:
    """Set current and public updates, and the figures they carry, through the one
    writer (set-based SQL on PostgreSQL and SQLite alike)."""
    if not implementation_ids:
        return
    implementation_current_refresh(
        implementations=Implementation.objects.filter(
            pk__range=(implementation_ids[0], implementation_ids[-1])
        )
    )


def _write(model, rows: Iterator[dict], total: int, label: str, say: Say) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere; reports progress every 100,000 rows."""
    batch: list[dict] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) == 100_000:
            written += _flush(model, batch)
            batch = []
            say(f"{label}: {written:,}/{total:,}")
    if batch:
        written += _flush(model, batch)
        say(f"{label}: {written:,}/{total:,}")


def _flush(model, batch: list[dict]) -> int:
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**row) for row in batch), batch_size=2000)
        return len(batch)
    columns = list(batch[0])
    buffer = io.StringIO()
    for row in batch:
        buffer.write("\t".join(_copy_value(row[column]) for column in columns) + "\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer
        )
    return len(batch)


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
