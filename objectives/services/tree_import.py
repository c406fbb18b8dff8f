"""Import a strategy tree from its file format: validate everything, then write it in one transaction."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from principles.models import Principle
from principles.services import principle_upsert
from stakeholders.models import Organisation, StakeholderGroup
from stakeholders.services import stakeholder_group_upsert
from strategy_tracker.exceptions import ImportValidationError
from strategy_tracker.services import model_update, translated_values

from ..models import Action, Implementation, Objective, Outcome, StatusUpdate, Strategy
from ..tree_format.limits import check_document_limits
from ..tree_format.parse import parse_strategy_tree
from ..tree_format.spec import (
    ActionSpec,
    ImplementationSpec,
    ObjectiveSpec,
    OutcomeSpec,
    StrategySpec,
)

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class ImportReport:
    """What an import did, counted per kind of row: created, updated, unchanged, archived, deleted."""

    strategy_code: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def changed(self) -> bool:
        return any(
            self.total(outcome)
            for outcome in ("created", "updated", "archived", "deleted")
        )

    def lines(self) -> list[str]:
        order = ("created", "updated", "unchanged", "archived", "deleted")
        return [
            f"{kind}: " + ", ".join(f"{counter[o]} {o}" for o in order if counter[o])
            for kind, counter in self.counts.items()
        ]


def check_strategy_import(*, data: Any) -> StrategySpec:
    """Validate a parsed YAML document; raise ImportValidationError listing every problem.
    The document's size and nesting are checked first (`check_document_limits`)."""
    check_document_limits(data)
    spec, problems = parse_strategy_tree(data)
    if problems or spec is None:
        raise ImportValidationError(problems or ["the file holds no strategy"])
    return spec


def strategy_import(
    *,
    data: Any,
    actor: AbstractBaseUser | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate a strategy file and apply it; all or nothing.

    Rows are matched by code and updated in place. A list that the file gives replaces
    what is there: children it leaves out are deleted, except those with status updates,
    which are archived so that no reported work is lost.
    """
    spec = check_strategy_import(data=data)
    report = do_strategy_import(spec=spec, progress=progress or (lambda message: None))
    logger.info(
        "strategy.imported",
        extra={
            "strategy": spec.code,
            "actor": getattr(actor, "pk", None),
            "rows_created": report.total("created"),
            "rows_updated": report.total("updated"),
            "rows_archived": report.total("archived"),
            "rows_deleted": report.total("deleted"),
        },
    )
    return report


@transaction.atomic
def do_strategy_import(*, spec: StrategySpec, progress: Progress) -> ImportReport:
    """Write a validated tree. Caller has validated it with `check_strategy_import`."""
    importer = _TreeWriter(progress=progress)
    try:
        importer.write_strategy(spec)
    except ValidationError as error:
        # Validation should have caught this; report it the same way, and roll back.
        raise ImportValidationError(
            [f"{importer.current_path}: {message}" for message in error.messages]
        ) from error
    return importer.report


class _TreeWriter:
    def __init__(self, *, progress: Progress) -> None:
        self.progress = progress
        self.report = ImportReport()
        self.current_path = "strategy"
        self.now = timezone.now()
        self.organisations = {org.code: org for org in Organisation.objects.all()}

    def record(self, kind: str, *, created: bool, changed: bool) -> None:
        self.report.count(
            kind, "created" if created else "updated" if changed else "unchanged"
        )

    def write_strategy(self, spec: StrategySpec) -> None:
        self.report.strategy_code = spec.code
        for item in spec.principles:
            if not isinstance(item, str):
                _, changed = principle_upsert(
                    code=item.code,
                    order=item.order,
                    name=item.name,
                    definition=item.definition,
                )
                self.record("principles", created=False, changed=changed)
        for item in spec.stakeholder_groups:
            if not isinstance(item, str):
                _, changed = stakeholder_group_upsert(
                    code=item.code,
                    order=item.order,
                    name=item.name,
                    description=item.description,
                )
                self.record("stakeholder groups", created=False, changed=changed)
        self.principles = {p.code: p for p in Principle.objects.all()}
        self.groups = {g.code: g for g in StakeholderGroup.objects.all()}

        strategy = Strategy.objects.filter(code=spec.code).first()
        created = strategy is None
        strategy = strategy or Strategy(code=spec.code)
        changed = model_update(
            strategy,
            {
                **translated_values("title", spec.title),
                **translated_values("purpose", spec.purpose),
                "status": spec.status,
                "objective_term": spec.objective_term,
                "initiated": spec.initiated,
                "published": spec.published,
                "launched": spec.launched,
                "note": spec.note,
                "round_months": spec.round_months,
            },
        )
        changed |= _set_related(
            strategy.owners, [self.organisations[c] for c in spec.owners]
        )
        changed |= _set_related(
            strategy.principles, [self.principles[c] for c in spec.principle_codes()]
        )
        changed |= _set_related(
            strategy.stakeholder_groups,
            [self.groups[c] for c in spec.stakeholder_group_codes()],
        )
        changed |= _set_related(
            strategy.aligned_with,
            list(Strategy.objects.filter(code__in=spec.aligned_with)),
        )
        self.record("strategies", created=created, changed=changed)
        self.progress(f"strategy {spec.code}: {'created' if created else 'checked'}")
        if spec.goals is not None:
            self.write_goals(strategy, spec.goals)

    def write_nodes(
        self,
        existing: dict[str, Any],
        specs: list,
        *,
        kind: str,
        new: Callable[[Any], Any],
        values: Callable[[Any], dict[str, Any]],
        children: Callable[[Any, Any], None],
    ) -> None:
        """Upsert one level of the tree by code, then retire the nodes the file left out."""
        for spec in specs:
            self.current_path = spec.path
            node = existing.pop(spec.code, None)
            created = node is None
            node = node or new(spec)
            changed = model_update(
                node,
                {
                    "order": spec.order,
                    **translated_values("title", spec.title),
                    **translated_values("description", spec.description),
                    "archived_at": None,
                    **values(spec),
                },
            )
            children_changed = children(node, spec)
            self.record(kind, created=created, changed=changed or children_changed)
        self.retire(existing.values(), kind)

    def write_goals(self, strategy: Strategy, goals: list[ObjectiveSpec]) -> None:
        def children(objective: Objective, goal: ObjectiveSpec) -> bool:
            if goal.outcomes is not None:
                self.write_outcomes(objective, goal.outcomes)
            self.progress(f"goal {goal.code}")
            return False

        self.write_nodes(
            {o.code: o for o in strategy.objectives.all()},
            goals,
            kind="goals",
            new=lambda goal: Objective(strategy=strategy, code=goal.code),
            values=lambda goal: {"source_note": goal.source_note},
            children=children,
        )

    def write_outcomes(self, objective: Objective, outcomes: list[OutcomeSpec]) -> None:
        def children(outcome: Outcome, spec: OutcomeSpec) -> bool:
            if spec.actions is not None:
                self.write_actions(outcome, spec.actions)
            return False

        self.write_nodes(
            {o.code: o for o in objective.outcomes.all()},
            outcomes,
            kind="outcomes",
            new=lambda spec: Outcome(objective=objective, code=spec.code),
            values=lambda spec: {"is_illustrative": spec.is_illustrative},
            children=children,
        )

    def write_actions(self, outcome: Outcome, actions: list[ActionSpec]) -> None:
        def relations(action: Action, spec: ActionSpec) -> bool:
            changed = _set_related(
                action.principles, [self.principles[c] for c in spec.principles]
            )
            changed |= _set_related(
                action.stakeholder_groups,
                [self.groups[c] for c in spec.stakeholder_groups],
            )
            if spec.implementations is not None:
                self.write_implementations(action, spec.implementations)
            return changed

        self.write_nodes(
            {
                a.code: a
                for a in outcome.actions.prefetch_related(
                    "principles", "stakeholder_groups"
                )
            },
            actions,
            kind="actions",
            new=lambda spec: Action(outcome=outcome, code=spec.code),
            values=lambda spec: {
                "lead_organisation": self.organisations[spec.lead]
                if spec.lead
                else None,
                "start_date": spec.start_date,
                "due_date": spec.due_date,
                "weight": spec.weight,
                "is_illustrative": spec.is_illustrative,
            },
            children=relations,
        )

    def write_implementations(
        self, action: Action, specs: list[ImplementationSpec]
    ) -> None:
        existing = {
            i.organisation.code: i
            for i in action.implementations.select_related("organisation")
        }
        for spec in specs:
            implementation = existing.pop(spec.organisation, None)
            created = implementation is None
            implementation = implementation or Implementation(
                action=action, organisation=self.organisations[spec.organisation]
            )
            changed = model_update(
                implementation,
                {
                    "start_date": spec.start_date,
                    "due_date": spec.due_date,
                    "archived_at": None,
                },
            )
            self.record("implementations", created=created, changed=changed)
        for implementation in existing.values():
            has_updates = implementation.updates.exists()
            if has_updates:
                if implementation.archived_at is None:
                    implementation.archived_at = self.now
                    implementation.save(update_fields=["archived_at", "updated_at"])
                    self.report.count("implementations", "archived")
            else:
                implementation.delete()
                self.report.count("implementations", "deleted")

    def retire(self, nodes: Any, kind: str) -> None:
        """Children the file left out: archive those with reported work, delete the rest."""
        for node in nodes:
            if _has_status_updates(node):
                if node.archived_at is None:
                    _archive_subtree(node, self.now)
                    self.report.count(kind, "archived")
            else:
                node.delete()
                self.report.count(kind, "deleted")


def _set_related(manager: Any, wanted: list) -> bool:
    """Make a many-to-many relation hold exactly `wanted`; return whether it changed."""
    current = {obj.pk for obj in manager.all()}
    if current == {obj.pk for obj in wanted}:
        return False
    manager.set(wanted)
    return True


def _updates_under(node: Objective | Outcome | Action) -> Any:
    lookup = {
        Objective: "implementation__action__outcome__objective",
        Outcome: "implementation__action__outcome",
        Action: "implementation__action",
    }[type(node)]
    return StatusUpdate.objects.filter(**{lookup: node})


def _has_status_updates(node: Objective | Outcome | Action) -> bool:
    return _updates_under(node).exists()


def _archive_subtree(node: Objective | Outcome | Action, now: Any) -> None:
    """Archive a node and everything below it that holds reported work; delete the rest below it."""
    if isinstance(node, Objective):
        outcomes = node.outcomes.all()
        actions = Action.objects.filter(outcome__objective=node)
    elif isinstance(node, Outcome):
        outcomes = Outcome.objects.none()
        actions = node.actions.all()
    else:
        outcomes = Outcome.objects.none()
        actions = Action.objects.none()
    with_updates = StatusUpdate.objects.filter(implementation__action=OuterRef("pk"))
    actions.filter(~Exists(with_updates)).delete()
    actions.filter(archived_at__isnull=True).update(archived_at=now, updated_at=now)
    outcome_updates = StatusUpdate.objects.filter(
        implementation__action__outcome=OuterRef("pk")
    )
    outcomes.filter(~Exists(outcome_updates)).delete()
    outcomes.filter(archived_at__isnull=True).update(archived_at=now, updated_at=now)
    node.archived_at = now
    node.save(update_fields=["archived_at", "updated_at"])
