"""The review workflow of status updates: draft → submitted → approved → accepted, with
returns for revision and clearance for public release. Every step locks its row, checks
the version the person saw, records who did it, and queues the e-mail notices."""

from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.core import ObjectPermissionChecker

from stakeholders.models import RoleAssignment
from stakeholders.permissions import APPROVE_PROGRESS, REPORT_PROGRESS, Role
from strategy_tracker.exceptions import ConflictError, InvalidTransition, NotAllowed

from ..caching import public_pages_refresh
from ..choices import (
    PENDING_REVIEW_STATES,
    STATUSES_NEEDING_NARRATIVE,
    ImplementationStatus,
    ReviewState,
    Sensitivity,
)
from ..models import (
    Implementation,
    Notification,
    ReportingRound,
    ReviewEvent,
    StatusUpdate,
)
from ..tasks import request_rollup
from .current_status import implementation_current_refresh
from .evidence import evidence_content_type, evidence_file_errors
from .rollup import rollup_requested


@dataclass
class UpdateContent:
    """What a focal point reports; validated by `check_update_content`."""

    status: str
    progress: int
    narrative: str = ""
    evidence_url: str = ""
    evidence_file: UploadedFile | None = None
    confidence: str = "medium"
    sensitivity: str = Sensitivity.UNCLASSIFIED
    narrative_language: str = ""


def update_content_errors(
    *, status: str, progress: int | None, narrative: str
) -> dict[str, list[str]]:
    """The reporting rules, by field, in the reader's language. Forms and services share them."""
    errors: dict[str, list[str]] = {}
    if progress is not None and not 0 <= progress <= 100:
        errors.setdefault("progress", []).append(
            _("Progress must be a whole number from 0 to 100.")
        )
    if status == ImplementationStatus.COMPLETED and progress != 100:
        errors.setdefault("progress", []).append(
            _(
                "A completed action is at 100; set progress to 100 or choose another status."
            )
        )
    if status in STATUSES_NEEDING_NARRATIVE and not narrative.strip():
        errors.setdefault("narrative", []).append(
            _("Explain in the narrative why the action is at risk or off track.")
        )
    return errors


def check_update_content(content: UpdateContent) -> None:
    errors = update_content_errors(
        status=content.status, progress=content.progress, narrative=content.narrative
    )
    file_errors = evidence_file_errors(content.evidence_file)
    if file_errors:
        errors["evidence_file"] = file_errors
    if errors:
        raise ValidationError(errors)


def mission_permissions(user: AbstractUser, implementation: Implementation) -> set[str]:
    """The codenames the user holds on the implementation's mission, read in one go."""
    if not user.is_authenticated:
        return set()
    return set(ObjectPermissionChecker(user).get_perms(implementation.organisation))


def can_report(user: AbstractUser, implementation: Implementation) -> bool:
    return user.is_authenticated and user.has_perm(
        f"stakeholders.{REPORT_PROGRESS}", implementation.organisation
    )


def can_approve(user: AbstractUser, update: StatusUpdate) -> bool:
    return user.is_authenticated and user.has_perm(
        f"stakeholders.{APPROVE_PROGRESS}", update.implementation.organisation
    )


def is_current(update: StatusUpdate) -> bool:
    """Whether this accepted update is the one its implementation's figures read."""
    return update.implementation.current_update_id == update.pk


def _separation_of_duties(update: StatusUpdate, actor: AbstractUser, step: str) -> None:
    """Nobody reviews or clears their own report, and whoever approved a report for the
    mission does not also accept it for HQ. `step` is a `ReviewDecision` value."""
    if update.author_id == actor.pk:
        raise NotAllowed(
            {
                "approve": _("You wrote this update, so someone else must approve it."),
                "accept": _("You wrote this update, so someone else must accept it."),
                "clear": _(
                    "You wrote this update, so someone else must clear it for public release."
                ),
            }[step]
        )
    if (
        step == ReviewDecision.ACCEPT
        and update.events.filter(
            to_state=ReviewState.APPROVED, actor_id=actor.pk
        ).exists()
    ):
        raise NotAllowed(
            _(
                "You approved this update for the mission, so someone else at HQ must accept it."
            )
        )


def _locked_implementation(
    implementation: Implementation, expected_version: int | None
) -> Implementation:
    locked = Implementation.objects.select_for_update().get(pk=implementation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone else reported on this action while you were editing. Your text "
                "is kept below; check the latest update, then submit again."
            ),
            extra={"current_version": locked.version},
        )
    return locked


def _locked_update(update: StatusUpdate, expected_version: int | None) -> StatusUpdate:
    locked = (
        StatusUpdate.objects.select_for_update()
        .select_related("implementation__organisation", "implementation__action")
        .get(pk=update.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _(
                "This update was changed by someone else (it is now “%(state)s”). "
                "Nothing was overwritten; here is its current state."
            )
            % {"state": locked.get_review_state_display()},
            extra={"current_version": locked.version},
        )
    return locked


def _record(
    update: StatusUpdate,
    *,
    from_state: str,
    to_state: str,
    actor: AbstractUser,
    comment: str = "",
) -> None:
    ReviewEvent.objects.create(
        update=update,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
        created_at=timezone.now(),
    )


def _notify(users: list[AbstractUser], kind: str, update: StatusUpdate) -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, update=update) for user in users],
        ignore_conflicts=True,
    )


def _mission_approvers(update: StatusUpdate) -> list[AbstractUser]:
    assignments = RoleAssignment.objects.filter(
        role=Role.APPROVER,
        organisation_id=update.implementation.organisation_id,
        ended_at__isnull=True,
    ).select_related("user")
    return [assignment.user for assignment in assignments]


@transaction.atomic
def status_update_save(
    *,
    implementation: Implementation,
    actor: AbstractUser,
    content: UpdateContent,
    submit: bool,
    expected_version: int | None,
    answers: StatusUpdate | None = None,
) -> StatusUpdate:
    """Save the actor's draft for this implementation, or submit it for approval.

    `answers` is the returned update this one revises: the two are linked, and its
    evidence file is kept unless a new one is attached.

    A draft stays editable by its author until submitted; after that it is never changed
    again (a correction is a new update). Submitting bumps the implementation's version,
    so a second person submitting on the strength of the same view gets a conflict.
    """
    if not can_report(actor, implementation):
        raise NotAllowed(_("You do not report progress for this mission."))
    check_update_content(content)
    locked = _locked_implementation(
        implementation, expected_version if submit else None
    )
    update = (
        StatusUpdate.objects.select_for_update()
        .filter(implementation=locked, author=actor, review_state=ReviewState.DRAFT)
        .first()
    ) or StatusUpdate(implementation=locked, author=actor)
    update.status = content.status
    update.progress = content.progress
    update.narrative = content.narrative.strip()
    update.narrative_language = content.narrative_language
    update.evidence_url = content.evidence_url
    if content.evidence_file is not None:
        update.evidence_file = content.evidence_file
        update.evidence_name = PurePath(content.evidence_file.name or "").name[:255]
        update.evidence_content_type = evidence_content_type(content.evidence_file)
    update.confidence = content.confidence
    update.sensitivity = content.sensitivity
    if answers is not None:
        if (
            answers.implementation_id != locked.pk
            or answers.review_state != ReviewState.RETURNED
        ):
            raise ValidationError(
                {
                    "answers": [
                        _("Only a returned update of this action can be answered.")
                    ]
                }
            )
        update.answers = answers
        if content.evidence_file is None and not update.evidence_file:
            update.evidence_file = answers.evidence_file.name
            update.evidence_name = answers.evidence_name
            update.evidence_content_type = answers.evidence_content_type
    is_new = update.pk is None
    if submit:
        update.review_state = ReviewState.SUBMITTED
        update.submitted_at = timezone.now()
        update.round = _open_round(locked)
    if not is_new:
        update.version += 1
    update.full_clean()
    update.save()
    if submit:
        _record(
            update,
            from_state=ReviewState.DRAFT,
            to_state=ReviewState.SUBMITTED,
            actor=actor,
        )
        _supersede_pending(update, actor)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        _notify(_mission_approvers(update), Notification.Kind.SUBMITTED, update)
    return update


def _open_round(implementation: Implementation) -> ReportingRound | None:
    """The open round of the implementation's strategy, which a submission reports for."""
    return (
        ReportingRound.objects.open()
        .filter(strategy__objectives__outcomes__actions=implementation.action_id)
        .first()
    )


def _supersede_pending(newer: StatusUpdate, actor: AbstractUser) -> None:
    """A newer submission replaces the implementation's older reports for the same
    round still under review: they stay in the timeline as superseded, and reviewers
    act on the latest. Runs under the implementation's row lock."""
    older = list(
        StatusUpdate.objects.select_for_update()
        .filter(
            implementation_id=newer.implementation_id,
            round=newer.round,
            review_state__in=PENDING_REVIEW_STATES,
        )
        .exclude(pk=newer.pk)
    )
    for update in older:
        _transition(
            update,
            update.review_state,
            ReviewState.SUPERSEDED,
            actor,
            _("Superseded by update %(id)s.") % {"id": newer.pk},
        )


@transaction.atomic
def status_update_approve(
    *,
    update: StatusUpdate,
    actor: AbstractUser,
    expected_version: int | None,
    comment: str = "",
) -> StatusUpdate:
    """The mission's approver confirms a submitted update and passes it to HQ."""
    locked = _locked_update(update, expected_version)
    if not can_approve(actor, locked):
        raise NotAllowed(_("You do not approve updates for this mission."))
    _separation_of_duties(locked, actor, "approve")
    return _transition(
        locked, ReviewState.SUBMITTED, ReviewState.APPROVED, actor, comment
    )


@transaction.atomic
def status_update_return(
    *,
    update: StatusUpdate,
    actor: AbstractUser,
    expected_version: int | None,
    comment: str,
) -> StatusUpdate:
    """Send an update back to its author with a comment: the approver from 'submitted',
    HQ from 'approved'."""
    locked = _locked_update(update, expected_version)
    if locked.review_state == ReviewState.SUBMITTED:
        allowed = can_approve(actor, locked)
    elif locked.review_state == ReviewState.APPROVED:
        allowed = actor.has_perm("objectives.accept_update")
    else:
        raise InvalidTransition(
            _(
                "Only submitted or approved updates can be returned; this one is “%(state)s”."
            )
            % {"state": locked.get_review_state_display()}
        )
    if not allowed:
        raise NotAllowed(_("You may not return this update."))
    if not comment.strip():
        raise ValidationError(
            {"comment": [_("Say what needs to change before returning it.")]}
        )
    returned = _transition(
        locked, locked.review_state, ReviewState.RETURNED, actor, comment.strip()
    )
    _notify([returned.author], Notification.Kind.RETURNED, returned)
    return returned


@transaction.atomic
def status_update_accept(
    *,
    update: StatusUpdate,
    actor: AbstractUser,
    expected_version: int | None,
    comment: str = "",
) -> StatusUpdate:
    """HQ accepts an approved update. It becomes the implementation's current status
    unless a report made after it is already accepted (`is_current` tells): then it is
    recorded in the history and the figures stay as they are."""
    if not actor.has_perm("objectives.accept_update"):
        raise NotAllowed(_("Only strategy managers accept updates."))
    locked = _locked_update(update, expected_version)
    _separation_of_duties(locked, actor, "accept")
    accepted = _transition(
        locked,
        ReviewState.APPROVED,
        ReviewState.ACCEPTED,
        actor,
        comment,
        accepted=True,
    )
    accepted.implementation = _current_status_refresh(accepted.implementation)
    rollup_requested()
    transaction.on_commit(request_rollup)
    transaction.on_commit(public_pages_refresh)
    return accepted


@transaction.atomic
def status_update_clear(
    *, update: StatusUpdate, actor: AbstractUser, expected_version: int | None
) -> StatusUpdate:
    """A strategy manager clears an accepted, unclassified update for public pages."""
    if not actor.has_perm("objectives.clear_update"):
        raise NotAllowed(_("Only strategy managers clear updates for public release."))
    locked = _locked_update(update, expected_version)
    if (
        locked.review_state != ReviewState.ACCEPTED
        or locked.sensitivity != Sensitivity.UNCLASSIFIED
    ):
        raise InvalidTransition(
            _("Only accepted, unclassified updates can be made public.")
        )
    if locked.cleared_for_public:
        return locked
    _separation_of_duties(locked, actor, "clear")
    locked.cleared_for_public = True
    locked.cleared_at = timezone.now()
    locked.cleared_by = actor
    locked.version += 1
    locked.save(
        update_fields=[
            "cleared_for_public",
            "cleared_at",
            "cleared_by",
            "version",
            "updated_at",
        ]
    )
    _record(
        locked,
        from_state=ReviewState.ACCEPTED,
        to_state=ReviewState.ACCEPTED,
        actor=actor,
    )
    _current_status_refresh(locked.implementation, version_bump=False)
    rollup_requested()
    transaction.on_commit(request_rollup)
    transaction.on_commit(public_pages_refresh)
    return locked


def _current_status_refresh(
    implementation: Implementation, *, version_bump: bool = True
) -> Implementation:
    """Under the implementation's row lock, set its current and public update through
    the one writer, and record the change in its history (with a new version when its
    figures changed)."""
    locked = _locked_implementation(implementation, None)
    before = (locked.current_update_id, locked.public_update_id)
    implementation_current_refresh(
        implementations=Implementation.objects.filter(pk=locked.pk)
    )
    locked.refresh_from_db()
    if (locked.current_update_id, locked.public_update_id) == before:
        return locked
    fields = ["updated_at"]
    if version_bump:
        locked.version += 1
        fields.append("version")
    locked.save(update_fields=fields)
    return locked


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")
    ACCEPT = "accept", _("Accept")
    CLEAR = "clear", _("Clear for public release")


REVIEW_STEPS = {
    ReviewDecision.APPROVE: status_update_approve,
    ReviewDecision.RETURN: status_update_return,
    ReviewDecision.ACCEPT: status_update_accept,
    ReviewDecision.CLEAR: status_update_clear,
}


def status_update_review(
    *,
    update: StatusUpdate,
    actor: AbstractUser,
    decision: str,
    expected_version: int | None,
    comment: str = "",
) -> StatusUpdate:
    """The one entry to the four review steps, for the page and the API alike."""
    decision = ReviewDecision(decision)
    arguments = {"update": update, "actor": actor, "expected_version": expected_version}
    if decision != ReviewDecision.CLEAR:
        arguments["comment"] = comment
    return REVIEW_STEPS[decision](**arguments)


def _transition(
    update: StatusUpdate,
    from_state: str,
    to_state: str,
    actor: AbstractUser,
    comment: str,
    *,
    accepted: bool = False,
) -> StatusUpdate:
    if update.review_state != from_state:
        raise InvalidTransition(
            _("This update is “%(state)s”, so it cannot be moved to “%(target)s”.")
            % {
                "state": update.get_review_state_display(),
                "target": ReviewState(to_state).label,
            }
        )
    update.review_state = to_state
    update.version += 1
    fields = ["review_state", "version", "updated_at"]
    if accepted:
        update.accepted_at = timezone.now()
        fields.append("accepted_at")
    update.save(update_fields=fields)
    _record(
        update, from_state=from_state, to_state=to_state, actor=actor, comment=comment
    )
    return update
