"""Load the reference facts (fixtures/reference/strategies.yaml): principles, stakeholder groups,
organisations and the strategies, through the same upserts and import as everything else.

Safe to run any number of times. The goals of the 2021 strategy come without outcomes
("to be authored"), so loading the reference never touches outcomes and actions that
strategy managers have imported.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from principles.services import principle_upsert
from stakeholders.models import Organisation
from stakeholders.services import organisation_upsert, stakeholder_group_upsert
from strategy_tracker.models import TranslationSource, column

from ..choices import ObjectiveTerm, StrategyStatus
from .tree_import import ImportReport, strategy_import

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference" / "strategies.yaml"
# Translations into the other official languages: unofficial, never passed off as the
# UN's wording (which, beside English, the sources give only in Arabic).
TRANSLATIONS_FILE = REFERENCE_FILE.with_name("translations.yaml")

# Missions and HQ departments are where mission and Headquarters personnel (S1) work.
PERSONNEL_GROUP = "S1"
# What each reference strategy calls its objectives, by the key it lists them under.
OBJECTIVE_KEYS = {
    "goals": ObjectiveTerm.GOAL,
    "commitments": ObjectiveTerm.COMMITMENT,
    "areas": ObjectiveTerm.AREA,
}


def reference_data_read(path: Path = REFERENCE_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# The translated fields of each kind of reference entry.
TEXT_FIELDS = ("title", "purpose", "description", "name", "definition", "location")


def _texts_merge(entry: dict[str, Any], extra: dict[str, Any]) -> None:
    """Add the translations of one entry (`extra`) to its texts, never over the seed."""
    for field in TEXT_FIELDS:
        if field not in extra:
            continue
        texts = entry.get(field)
        if isinstance(texts, str):
            texts = {"en": texts}
        entry[field] = {**extra[field], **(texts or {})}


def reference_translations_merge(
    facts: dict[str, Any], translations: dict[str, Any]
) -> dict[str, Any]:
    """The reference facts with the translations file laid over them (seed text wins)."""
    by_strategy = translations.get("strategies", {})
    for strategy in facts["strategies"]:
        extra = by_strategy.get(strategy["code"], {})
        _texts_merge(strategy, extra)
        for key in (*OBJECTIVE_KEYS, "principles"):
            for entry in strategy.get(key, []):
                _texts_merge(entry, extra.get(key, {}).get(entry["code"], {}))
                if key == "principles":
                    _texts_merge(
                        entry,
                        translations.get("principles", {}).get(entry["code"], {}),
                    )
        for entry in strategy.get("stakeholder_groups", []):
            _texts_merge(
                entry, translations.get("stakeholder_groups", {}).get(entry["code"], {})
            )
    for entries in facts["organisations"].values():
        for entry in entries:
            _texts_merge(
                entry, translations.get("organisations", {}).get(entry["code"], {})
            )
    return facts


SeedTexts = dict[tuple[str, str], dict[tuple[str, str], str]]


def seed_texts(facts: dict[str, Any]) -> SeedTexts:
    """The non-English texts of the seed reference, by (kind, code):
    {(field, language): text}."""
    found: SeedTexts = {}

    def note(kind: str, entry: dict[str, Any]) -> None:
        for field in TEXT_FIELDS:
            texts = entry.get(field)
            if isinstance(texts, dict):
                for language, text in texts.items():
                    if language != "en" and text:
                        found.setdefault((kind, entry["code"]), {})[
                            (field, language)
                        ] = text

    for strategy in facts["strategies"]:
        note("strategy", strategy)
        for key in OBJECTIVE_KEYS:
            for entry in strategy.get(key, []):
                note(f"objective:{strategy['code']}", entry)
        for entry in strategy.get("principles", []):
            note("principle", entry)
        for entry in strategy.get("stakeholder_groups", []):
            note("group", entry)
    for entries in facts["organisations"].values():
        for entry in entries:
            note("organisation", entry)
    return found


def _seed_sources_record(seeds: SeedTexts) -> int:
    """Mark the texts that are the seed's own wording as such; the rest keep the
    unofficial source their save recorded. Returns how many rows changed."""
    from principles.models import Principle
    from stakeholders.models import StakeholderGroup

    from ..models import Objective, Strategy

    rows = [
        *((("strategy", s.code), s) for s in Strategy.objects.all()),
        *(
            ((f"objective:{o.strategy.code}", o.code), o)
            for o in Objective.objects.select_related("strategy")
        ),
        *((("principle", p.code), p) for p in Principle.objects.all()),
        *((("group", g.code), g) for g in StakeholderGroup.objects.all()),
        *((("organisation", o.code), o) for o in Organisation.objects.all()),
    ]
    changed = 0
    for key, instance in rows:
        before = dict(instance.translation_sources)
        for (field, language), text in seeds.get(key, {}).items():
            if getattr(instance, column(field, language), None) == text:
                instance.translation_record(field, language, TranslationSource.SEED)
        if instance.translation_sources != before:
            instance.save(update_fields=["translation_sources"])
            changed += 1
    return changed


@transaction.atomic
def reference_data_load(
    *, path: Path = REFERENCE_FILE, progress: Callable[[str], None] | None = None
) -> dict[str, ImportReport | int]:
    """Upsert every reference fact; return how many rows changed, per part."""
    say = progress or (lambda message: None)
    facts = reference_data_read(path)
    seeds = seed_texts(facts)
    if path == REFERENCE_FILE:
        facts = reference_translations_merge(
            facts, reference_data_read(TRANSLATIONS_FILE)
        )
    strategies = facts["strategies"]
    changes: dict[str, ImportReport | int] = {}

    groups = {}
    changed = 0
    for strategy in strategies:
        for entry in strategy.get("stakeholder_groups", []):
            groups[entry["code"]], was_changed = stakeholder_group_upsert(
                code=entry["code"],
                order=entry.get("order", 0),
                name=entry["name"],
                description=entry.get("description", {}),
            )
            changed += was_changed
    changes["stakeholder groups"] = changed
    say(f"stakeholder groups: {len(groups)} ({changed} changed)")

    changed = 0
    principle_count = 0
    for strategy in strategies:
        for entry in strategy.get("principles", []):
            _, was_changed = principle_upsert(
                code=entry["code"],
                order=entry.get("order", 0),
                name=entry["name"],
                definition=entry.get("definition", {}),
            )
            changed += was_changed
            principle_count += 1
    changes["principles"] = changed
    say(f"principles: {principle_count} ({changed} changed)")

    changed = 0
    kinds = {
        "missions": Organisation.Kind.MISSION,
        "headquarters": Organisation.Kind.HQ_DEPARTMENT,
    }
    organisation_count = 0
    for key, kind in kinds.items():
        for entry in facts["organisations"].get(key, []):
            _, was_changed = organisation_upsert(
                code=entry["code"],
                kind=kind,
                group=groups[PERSONNEL_GROUP],
                name=entry["name"],
                location=entry.get("location", {}),
                established_year=entry.get("since"),
                working_language=entry.get("working_language", ""),
            )
            changed += was_changed
            organisation_count += 1
    changes["organisations"] = changed
    say(f"organisations: {organisation_count} ({changed} changed)")

    context = {
        code for strategy in strategies for code in strategy.get("aligned_with", [])
    }
    for strategy in _in_dependency_order(strategies):
        report = strategy_import(
            data={"strategy": _strategy_document(strategy, context=context)}
        )
        changes[strategy["code"]] = report
        say(
            f"strategy {strategy['code']}: {'changed' if report.changed else 'unchanged'}"
        )
    changes["translation sources"] = _seed_sources_record(seeds)
    say(f"translation sources: {changes['translation sources']} rows marked")
    return changes


def _in_dependency_order(strategies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Strategies that others are aligned with come first."""
    done: list[dict[str, Any]] = []
    remaining = list(strategies)
    while remaining:
        loaded = {s["code"] for s in done}
        ready = [s for s in remaining if set(s.get("aligned_with", [])) <= loaded]
        if not ready:
            raise ValueError(
                "reference strategies are aligned with each other in a cycle"
            )
        done += ready
        remaining = [s for s in remaining if s not in ready]
    return done


def _strategy_document(
    strategy: dict[str, Any], *, context: set[str]
) -> dict[str, Any]:
    """Turn a reference entry into the import format; goals keep their outcomes untouched.
    A strategy kept as context (one another is aligned with) has no reporting rounds."""
    key, term = next(
        ((key, term) for key, term in OBJECTIVE_KEYS.items() if key in strategy),
        ("goals", ObjectiveTerm.GOAL),
    )
    notes = []
    if "facts" in strategy:
        notes += [f"{name}: {value}" for name, value in strategy["facts"].items()]
    if "note" in strategy:
        notes.append(strategy["note"])
    return {
        "code": strategy["code"],
        "title": strategy["title"],
        "purpose": strategy.get("purpose"),
        "status": StrategyStatus.ACTIVE,
        "objective_term": term,
        "initiated": strategy.get("initiated"),
        "published": strategy.get("published"),
        "launched": strategy.get("launched"),
        "note": "\n".join(notes) or None,
        "round_months": 0 if strategy["code"] in context else 3,
        "owners": strategy.get("owners", []),
        "principles": [entry["code"] for entry in strategy.get("principles", [])],
        "stakeholder_groups": [
            entry["code"] for entry in strategy.get("stakeholder_groups", [])
        ],
        "aligned_with": strategy.get("aligned_with", []),
        "goals": [
            {
                "code": entry["code"],
                "order": entry.get("order", 0),
                "title": entry["title"],
                "description": entry.get("description"),
                "source_note": entry.get("title_source"),
            }
            for entry in strategy.get(key, [])
        ],
    }
