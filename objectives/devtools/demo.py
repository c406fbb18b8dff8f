"""Demo data for the embedded default only: illustrative outcomes and actions, implementations
across the missions, a year and a half of status updates, one per quarterly reporting round
(six rounds, the last one open, with some missions late), and the demo accounts."""

import random
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone

from stakeholders.models import Organisation
from stakeholders.permissions import Role
from stakeholders.services import role_assign, role_groups_ensure
from strategy_tracker.exceptions import ForbiddenInProduction

from ..choices import ImplementationStatus, ReviewState, Sensitivity
from ..models import (
    Implementation,
    ReviewEvent,
    StatusUpdate,
    Strategy,
)
from ..services.current_status import implementation_current_refresh
from ..services.reference import reference_data_load
from ..services.rollup import rollup_run
from ..services.tree_import import strategy_import
from ..tree_format.export import strategy_export_tree
from .demo_tree import (
    DEMO_LANGUAGES,
    DEMO_OUTCOMES,
    DEMO_TRANSLATIONS,
    ILLUSTRATIVE_DESCRIPTION,
    NARRATIVES,
)
from .rounds import closed_rounds_freeze, past_rounds_create, round_on

DEMO_PASSWORD = "demo-peacekeeping"  # noqa: S105 - documented demo password, never in production
DEMO_STRATEGY = "DTS-2021"
# Every action runs in these missions (they have the documented demo accounts) and a few others.
DEMO_MISSIONS = ("MINUSCA", "UNMISS")
MONTHS_OF_HISTORY = 18
# Six quarterly rounds, the last one open; each is open for reports from the day after
# its quarter ends until the next one opens.
ROUND_COUNT = 6
# Missions report once a round; 91 days apart, the newest about a week ago, each report
# falls in the round open on its day.
REPORT_EVERY_DAYS = 91
# Missions other than the demo accounts' leave some reports of the open round missing.
LATE_EVERY = 3

Say = Callable[[str], None]


def check_demo_allowed() -> None:
    if not settings.TRACKER_DEMO_ALLOWED:
        raise ForbiddenInProduction(
            "Demo data is for the embedded default only; these settings do not allow it."
        )


def demo_data_load(
    *, seed: int = 2021, reset: bool = False, progress: Say | None = None
) -> dict[str, int]:
    """Load reference data, the illustrative tree, demo accounts and a year of updates.

    Running it again changes nothing unless `reset` is given, which replaces the demo updates.
    """
    check_demo_allowed()
    say = progress or (lambda message: None)
    say("reference data")
    reference_data_load(progress=lambda message: say(f"  {message}"))
    with transaction.atomic():
        say("illustrative outcomes and actions")
        _import_demo_tree(seed=seed)
        say("demo accounts")
        users = _ensure_demo_users()
        implementations = list(
            Implementation.objects.filter(
                action__outcome__objective__strategy__code=DEMO_STRATEGY,
                action__is_illustrative=True,
            )
            .select_related("organisation")
            .order_by("pk")
        )
        existing = StatusUpdate.objects.filter(implementation__in=implementations)
        if existing.exists() and not reset:
            say("status updates: already loaded (use --reset to replace them)")
            return {
                "implementations": len(implementations),
                "updates": existing.count(),
            }
        if reset:
            Implementation.objects.filter(
                pk__in=[i.pk for i in implementations]
            ).update(current_update=None)
            ReviewEvent.objects.filter(update__in=existing).delete()
            existing.delete()
        count = _create_updates(implementations, users, seed=seed, say=say)
    # Today's figures, which the changes since the last closed round compare with.
    rollup_run(progress=lambda message: say(f"  {message}"))
    return {"implementations": len(implementations), "updates": count}


def _import_demo_tree(*, seed: int) -> None:
    rng = random.Random(seed)
    strategy = Strategy.objects.get(code=DEMO_STRATEGY)
    document = strategy_export_tree(strategy=strategy)
    principles = [p["code"] for p in document["strategy"]["principles"]]
    groups = [g["code"] for g in document["strategy"]["stakeholder_groups"]]
    other_missions = sorted(
        Organisation.objects.filter(kind=Organisation.Kind.MISSION)
        .exclude(code__in=DEMO_MISSIONS)
        .values_list("code", flat=True)
    )
    today = timezone.localdate()
    for goal in document["strategy"]["goals"]:
        goal_number = goal["code"].removeprefix("G")
        goal["outcomes"] = []
        for outcome_index, (outcome_title, actions) in enumerate(
            DEMO_OUTCOMES[goal["code"]], start=1
        ):
            outcome_code = f"O{goal_number}.{outcome_index}"
            outcome = {
                "code": outcome_code,
                "order": outcome_index,
                "title": _titles(outcome_title),
                "illustrative": True,
                "actions": [],
            }
            for action_index, (action_title, lead) in enumerate(actions, start=1):
                start = today - timedelta(
                    days=MONTHS_OF_HISTORY * 30 + rng.randint(0, 60)
                )
                missions = list(DEMO_MISSIONS) + rng.sample(
                    other_missions, rng.randint(2, 4)
                )
                outcome["actions"].append(
                    {
                        "code": f"A{goal_number}.{outcome_index}.{action_index}",
                        "order": action_index,
                        "title": _titles(action_title),
                        "description": _titles(ILLUSTRATIVE_DESCRIPTION),
                        "lead": lead,
                        "start_date": start,
                        "due_date": start + timedelta(days=rng.choice([365, 540, 720])),
                        "weight": rng.choice([1, 1, 1, 2, 3]),
                        "principles": sorted(rng.sample(principles, rng.randint(1, 3))),
                        "stakeholder_groups": sorted(
                            rng.sample(groups, rng.randint(1, 2))
                        ),
                        "illustrative": True,
                        "implementations": sorted(missions),
                    }
                )
            goal["outcomes"].append(outcome)
    strategy_import(data=document)


def _titles(english: str) -> dict[str, str]:
    """A demo text in the six languages."""
    return {
        "en": english,
        **dict(zip(DEMO_LANGUAGES, DEMO_TRANSLATIONS[english], strict=True)),
    }


def _ensure_demo_users() -> dict[str, AbstractUser]:
    """The documented demo accounts, plus a focal point and an approver for every other mission."""
    role_groups_ensure()
    user_model = get_user_model()
    users: dict[str, AbstractUser] = {}
    # One hash for every demo account: hashing is deliberately slow, and these share a password.
    password_hash = make_password(DEMO_PASSWORD)

    def account(username: str, *, is_staff: bool = False) -> AbstractUser:
        user, _created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.invalid",
                "is_staff": is_staff,
                "password": password_hash,
            },
        )
        users[username] = user
        return user

    role_assign(user=account("leader"), role=Role.LEADERSHIP)
    role_assign(user=account("manager", is_staff=True), role=Role.STRATEGY_MANAGER)
    for mission in Organisation.objects.filter(kind=Organisation.Kind.MISSION):
        prefix = mission.code.lower()
        role_assign(
            user=account(f"{prefix}-focal"), role=Role.FOCAL_POINT, organisation=mission
        )
        role_assign(
            user=account(f"{prefix}-approver"), role=Role.APPROVER, organisation=mission
        )
    return users


# The final status of each implementation cycles through every status, so all appear.
FINAL_STATUSES = [
    ImplementationStatus.ON_TRACK,
    ImplementationStatus.ON_TRACK,
    ImplementationStatus.AT_RISK,
    ImplementationStatus.COMPLETED,
    ImplementationStatus.OFF_TRACK,
    ImplementationStatus.ON_TRACK,
    ImplementationStatus.NOT_STARTED,
    ImplementationStatus.CANCELLED,
    ImplementationStatus.AT_RISK,
    ImplementationStatus.NOT_APPLICABLE,
]
# The review state of the newest update of an implementation: most are accepted, the rest
# fill the review queues at every step.
LATEST_REVIEW_STATES = [
    ReviewState.ACCEPTED,
    ReviewState.ACCEPTED,
    ReviewState.ACCEPTED,
    ReviewState.SUBMITTED,
    ReviewState.ACCEPTED,
    ReviewState.APPROVED,
    ReviewState.ACCEPTED,
    ReviewState.DRAFT,
    ReviewState.ACCEPTED,
    ReviewState.RETURNED,
    ReviewState.ACCEPTED,
]
SENSITIVITIES = (
    [Sensitivity.UNCLASSIFIED] * 7
    + [Sensitivity.CONFIDENTIAL] * 2
    + [Sensitivity.STRICTLY_CONFIDENTIAL]
)


def _create_updates(
    implementations: list[Implementation],
    users: dict[str, AbstractUser],
    *,
    seed: int,
    say: Say,
) -> int:
    rng = random.Random(seed + 1)
    now = timezone.now()
    manager = users["manager"]
    rounds = past_rounds_create(
        Strategy.objects.get(code=DEMO_STRATEGY),
        count=ROUND_COUNT,
        actor=manager,
        say=say,
    )
    updates: list[StatusUpdate] = []
    # (update index, from, to, actor, comment, at) for each review step, linked after insert.
    steps: list[tuple[int, str, str, AbstractUser, str, object]] = []
    plans: list[tuple[Implementation, int, int]] = []
    for position, implementation in enumerate(implementations):
        focal = users[f"{implementation.organisation.code.lower()}-focal"]
        approver = users[f"{implementation.organisation.code.lower()}-approver"]
        final_status = FINAL_STATUSES[position % len(FINAL_STATUSES)]
        latest_state = LATEST_REVIEW_STATES[position % len(LATEST_REVIEW_STATES)]
        if implementation.organisation.code in DEMO_MISSIONS and position % 7 == 3:
            # The demo accounts find reports returned to them.
            latest_state = ReviewState.RETURNED
        # One report per quarterly round, the first in the first or the second round.
        report_count = rng.randint(ROUND_COUNT - 1, ROUND_COUNT)
        # A late mission has not reported since the open round opened.
        late = (
            implementation.organisation.code not in DEMO_MISSIONS
            and position % LATE_EVERY == 0
        )
        first_index = len(updates)
        progress = 0
        for quarter in range(report_count):
            is_latest = quarter == report_count - 1
            # Reviews take up to five days: the newest report is at least six days
            # old, so no date in the demo lies after today.
            created = now - timedelta(
                days=REPORT_EVERY_DAYS * (report_count - 1 - quarter)
                + rng.randint(6, 10)
                + (60 if late else 0)
            )
            status = (
                final_status
                if is_latest
                else _interim_status(rng, final_status, quarter)
            )
            progress = _progress_for(status, progress, rng)
            review_state = latest_state if is_latest else ReviewState.ACCEPTED
            sensitivity = rng.choice(SENSITIVITIES)
            accepted_at = (
                created + timedelta(days=4)
                if review_state == ReviewState.ACCEPTED
                else None
            )
            cleared = (
                review_state == ReviewState.ACCEPTED
                and sensitivity == Sensitivity.UNCLASSIFIED
                and rng.random() < 0.7
            )
            if is_latest and latest_state == ReviewState.SUBMITTED and position % 2:
                # A report sent again a day later: the first one is superseded.
                updates.append(
                    StatusUpdate(
                        implementation=implementation,
                        status=status,
                        progress=progress if progress == 100 else max(0, progress - 1),
                        narrative=f"{NARRATIVES[status]} ({implementation.organisation.code}, quarter {quarter + 1}, first version)",
                        narrative_language="en",
                        sensitivity=sensitivity,
                        author=focal,
                        review_state=ReviewState.SUPERSEDED,
                        submitted_at=created - timedelta(days=1),
                        created_at=created - timedelta(days=1),
                    )
                )
                steps += _review_steps(
                    len(updates) - 1,
                    ReviewState.SUPERSEDED,
                    focal,
                    approver,
                    manager,
                    created - timedelta(days=1),
                )
            index = len(updates)
            updates.append(
                StatusUpdate(
                    implementation=implementation,
                    status=status,
                    progress=progress,
                    narrative=f"{NARRATIVES[status]} ({implementation.organisation.code}, quarter {quarter + 1})",
                    narrative_language="en",
                    evidence_url=(
                        f"https://example.org/evidence/{implementation.pk}/{quarter + 1}"
                        if rng.random() < 0.3
                        else ""
                    ),
                    confidence=rng.choice(["high", "medium", "medium", "low"]),
                    sensitivity=sensitivity,
                    author=focal,
                    review_state=review_state,
                    submitted_at=None if review_state == ReviewState.DRAFT else created,
                    accepted_at=accepted_at,
                    cleared_for_public=cleared,
                    cleared_at=accepted_at + timedelta(days=1) if cleared else None,
                    cleared_by=manager if cleared else None,
                    created_at=created,
                )
            )
            steps += _review_steps(
                index, review_state, focal, approver, manager, created
            )
        plans.append((implementation, first_index, len(updates)))
        if (position + 1) % 50 == 0 or position + 1 == len(implementations):
            say(
                f"status updates: planned for {position + 1}/{len(implementations)} implementations"
            )

    for update in updates:
        update.round = round_on(rounds, update.submitted_at)
    StatusUpdate.objects.bulk_create(updates, batch_size=500)
    say(f"status updates: {len(updates)} written")
    ReviewEvent.objects.bulk_create(
        [
            ReviewEvent(
                update=updates[index],
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                comment=comment,
                created_at=at,
            )
            for index, from_state, to_state, actor, comment, at in steps
        ],
        batch_size=1000,
    )
    say(f"review events: {len(steps)} written")

    for implementation, first, last in plans:
        accepted = [
            u for u in updates[first:last] if u.review_state == ReviewState.ACCEPTED
        ]
        implementation.version = 1 + len(accepted)
    Implementation.objects.bulk_update(
        [plan[0] for plan in plans], ["version"], batch_size=500
    )
    implementation_current_refresh(
        implementations=Implementation.objects.filter(
            action__outcome__objective__strategy__code=DEMO_STRATEGY,
            action__is_illustrative=True,
        )
    )
    say(f"implementations: current status set for {len(plans)}")
    closed_rounds_freeze(rounds, say=say)
    return len(updates)


def _interim_status(rng: random.Random, final_status: str, quarter: int) -> str:
    if final_status == ImplementationStatus.NOT_STARTED or quarter == 0:
        return ImplementationStatus.NOT_STARTED
    return rng.choice(
        [ImplementationStatus.ON_TRACK] * 4
        + [ImplementationStatus.AT_RISK, ImplementationStatus.OFF_TRACK]
    )


def _progress_for(status: str, previous: int, rng: random.Random) -> int:
    if status == ImplementationStatus.COMPLETED:
        return 100
    if status == ImplementationStatus.NOT_STARTED:
        return 0
    if status in (ImplementationStatus.CANCELLED, ImplementationStatus.NOT_APPLICABLE):
        return previous
    step = {ImplementationStatus.ON_TRACK: 10, ImplementationStatus.AT_RISK: 4}.get(
        status, 1
    )
    return min(95, previous + rng.randint(0, step))


def _review_steps(
    index: int,
    review_state: str,
    focal: AbstractUser,
    approver: AbstractUser,
    manager: AbstractUser,
    created: object,
) -> list[tuple[int, str, str, AbstractUser, str, object]]:
    day = timedelta(days=1)
    path = {
        ReviewState.DRAFT: [],
        ReviewState.SUBMITTED: [
            (ReviewState.DRAFT, ReviewState.SUBMITTED, focal, "", 0)
        ],
        ReviewState.APPROVED: [
            (ReviewState.DRAFT, ReviewState.SUBMITTED, focal, "", 0),
            (ReviewState.SUBMITTED, ReviewState.APPROVED, approver, "", 2),
        ],
        ReviewState.ACCEPTED: [
            (ReviewState.DRAFT, ReviewState.SUBMITTED, focal, "", 0),
            (ReviewState.SUBMITTED, ReviewState.APPROVED, approver, "", 2),
            (ReviewState.APPROVED, ReviewState.ACCEPTED, manager, "", 4),
        ],
        ReviewState.SUPERSEDED: [
            (ReviewState.DRAFT, ReviewState.SUBMITTED, focal, "", 0),
            (ReviewState.SUBMITTED, ReviewState.SUPERSEDED, focal, "", 1),
        ],
        ReviewState.RETURNED: [
            (ReviewState.DRAFT, ReviewState.SUBMITTED, focal, "", 0),
            (
                ReviewState.SUBMITTED,
                ReviewState.RETURNED,
                approver,
                "Please add the evidence link and explain the delay.",
                2,
            ),
        ],
    }[review_state]
    return [
        (index, from_state, to_state, actor, comment, created + day * offset)
        for from_state, to_state, actor, comment, offset in path
    ]
