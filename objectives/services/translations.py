"""The translation workspace: what content is missing or outdated in a language, saving
a translation with its source, and exchanging content with translators as PO files.

Content is every model whose fields django-modeltranslation translates (strategies, their
goals, outcomes and actions, principles, stakeholder groups, organisations). A PO entry
names its field by `msgctxt` "<kind>:<id>:<field>", carries the English as `msgid` and the
translation as `msgstr`; an outdated translation is exported `fuzzy`. An import is all or
nothing: every problem is reported with its line, and nothing is written unless there is
none.
"""

import hashlib
from dataclasses import dataclass, field

import polib
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup
from strategy_tracker.exceptions import ConflictError, ImportValidationError
from strategy_tracker.models import TranslationSource, column

from ..models import Action, Objective, Outcome, Strategy

# Every kind of translated content, in the order the workspace lists them.
CONTENT_KINDS = {
    "strategy": Strategy,
    "goal": Objective,
    "outcome": Outcome,
    "action": Action,
    "principle": Principle,
    "group": StakeholderGroup,
    "organisation": Organisation,
}
MISSING, OUTDATED, DONE = "missing", "outdated", "done"


def translation_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != "en"]


def _rows(kind: str, user):
    """The content of a kind that `user` may read (the model's visible_to, where it
    has one: principles, groups and organisations are public reference)."""
    model = CONTENT_KINDS[kind]
    rows = model.objects.all()
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(user)
    if model is Objective:
        rows = rows.select_related("strategy")
    elif model is Outcome:
        rows = rows.select_related("objective__strategy")
    elif model is Action:
        rows = rows.select_related("outcome__objective__strategy")
    return rows.order_by("pk")


def label_of(kind: str, instance) -> str:
    """Where the content sits, for people: "DTS-2021 · G1", "MINUSCA"."""
    if kind == "goal":
        return f"{instance.strategy.code} · {instance.code}"
    if kind == "outcome":
        return f"{instance.objective.strategy.code} · {instance.code}"
    if kind == "action":
        return f"{instance.outcome.objective.strategy.code} · {instance.code}"
    return instance.code


@dataclass
class Item:
    kind: str
    instance: object
    field: str
    english: str
    text: str
    source: str | None
    state: str

    @property
    def label(self) -> str:
        return label_of(self.kind, self.instance)

    @property
    def context(self) -> str:
        return f"{self.kind}:{self.instance.pk}:{self.field}"


@dataclass
class LanguageStatus:
    language: str
    name: str
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((MISSING, OUTDATED, DONE), 0)
    )
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent_done(self) -> float | None:
        return 100 * self.counts[DONE] / self.total if self.total else None


def _state(instance, field_name: str, language: str) -> tuple[str, str, str | None]:
    text = getattr(instance, column(field_name, language), "") or ""
    if not text:
        return MISSING, text, None
    if instance.is_outdated(field_name, language):
        return OUTDATED, text, instance.translation_source(field_name, language)
    return DONE, text, instance.translation_source(field_name, language)


def content_rows(user) -> dict[str, list]:
    """Every translated content the user may read, one query per kind."""
    return {kind: list(_rows(kind, user)) for kind in CONTENT_KINDS}


def content_of(kind: str, pk: int, user):
    """One content the user may read, or None."""
    if kind not in CONTENT_KINDS:
        return None
    return _rows(kind, user).filter(pk=pk).first()


def translation_items(
    language: str, *, user, rows: dict[str, list] | None = None
) -> list[Item]:
    """Every translatable field with English text that `user` may read, in `language`
    (`rows` from content_rows, to read the content once for several languages)."""
    rows = rows if rows is not None else content_rows(user)
    items = []
    for kind, instances in rows.items():
        for instance in instances:
            for field_name in instance.translated_fields():
                english = getattr(instance, f"{field_name}_en", "") or ""
                if not english:
                    continue
                state, text, source = _state(instance, field_name, language)
                items.append(
                    Item(kind, instance, field_name, english, text, source, state)
                )
    return items


def translation_status(
    items_by_language: dict[str, list[Item]],
) -> list[LanguageStatus]:
    names = dict(settings.LANGUAGES)
    statuses = []
    for language, items in items_by_language.items():
        status = LanguageStatus(language, names[language])
        for item in items:
            status.counts[item.state] += 1
            kind = status.by_kind.setdefault(
                item.kind, dict.fromkeys((MISSING, OUTDATED, DONE), 0)
            )
            kind[item.state] += 1
        statuses.append(status)
    return statuses


def content_version(instance) -> str:
    """A digest of the content's texts and their sources: a save names the version it
    started from, so that a concurrent change is detected instead of overwritten."""
    values = [
        getattr(instance, column(name, code), "") or ""
        for name in instance.translated_fields()
        for code, _label in settings.LANGUAGES
    ]
    payload = repr((values, sorted(instance.translation_sources.items())))
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


@transaction.atomic
def translation_save(
    *,
    kind: str,
    pk: int,
    language: str,
    texts: dict[str, str],
    sources: dict[str, str],
    version: str,
    user,
) -> object:
    """Write a content's translations into one language, each with its source; a text
    saved again over changed English is recorded as made from the English of now.

    Precondition: `version` is the content_version the editor started from; otherwise
    ConflictError and nothing is written.
    """
    instance = _rows(kind, user).select_for_update(of=("self",)).get(pk=pk)
    if content_version(instance) != version:
        raise ConflictError(
            _(
                "Someone else changed this content while you were editing; nothing was "
                "saved. Your text is kept below: check theirs, then save again."
            )
        )
    for field_name, text in texts.items():
        instance.translation_set(
            field_name,
            language,
            text,
            sources.get(field_name, TranslationSource.UNOFFICIAL),
        )
    instance.full_clean()
    instance.save()
    return instance


def translations_export(language: str, *, user, everything: bool = False) -> bytes:
    """A PO file of the content to translate into `language`: what is missing or
    outdated (outdated entries `fuzzy`), or everything."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "strategy-tracker content",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M+0000"),
        "X-Generator": "strategy-tracker translation workspace",
    }
    for item in translation_items(language, user=user):
        if item.state == DONE and not everything:
            continue
        po.append(
            polib.POEntry(
                msgctxt=item.context,
                msgid=item.english,
                msgstr=item.text,
                comment=f"{item.label} · {item.field}",
                flags=["fuzzy"] if item.state == OUTDATED else [],
            )
        )
    return str(po).encode()


@dataclass
class ImportResult:
    written: int
    unchanged: int
    skipped_fuzzy: int


def translations_import(language: str, data: bytes, *, user) -> ImportResult:
    """Read a PO file for `language` and write every translation in it, or nothing.

    Raises ImportValidationError listing every problem by line: not a PO file, another
    language, an unknown content or field, English that changed since the export.
    """
    problems: list[str] = []
    if b"\x00" in data:
        raise ImportValidationError(
            [_("The file contains a NUL byte; it is not a PO file.")]
        )
    try:
        po = polib.pofile(data.decode("utf-8"), wrapwidth=0)
    except (UnicodeDecodeError, OSError, ValueError) as error:
        raise ImportValidationError(
            [_("The file is not a PO file in UTF-8: %(error)s") % {"error": error}]
        ) from error
    declared = (po.metadata.get("Language") or "").replace("_", "-").lower()
    if declared and declared != language:
        problems.append(
            _("The file is for language “%(file)s”, this page for “%(page)s”.")
            % {"file": declared, "page": language}
        )
    wanted: dict[str, dict[int, list]] = {}
    for entry in po:
        if entry.obsolete:
            continue
        where = _("line %(line)s") % {"line": entry.linenum}
        parts = (entry.msgctxt or "").split(":")
        if len(parts) != 3 or parts[0] not in CONTENT_KINDS or not parts[1].isdigit():
            problems.append(
                _("%(where)s: msgctxt “%(context)s” is not <kind>:<id>:<field>.")
                % {"where": where, "context": entry.msgctxt or ""}
            )
            continue
        kind, pk, field_name = parts[0], int(parts[1]), parts[2]
        wanted.setdefault(kind, {}).setdefault(pk, []).append(
            (entry, field_name, where)
        )
    with transaction.atomic():
        return _import_checked(language, wanted, problems, user)


def _import_checked(
    language: str, wanted: dict, problems: list[str], user
) -> ImportResult:
    """Check every entry against the content, locked; write only when all are right."""
    found = {
        kind: _rows(kind, user).select_for_update(of=("self",)).in_bulk(list(by_pk))
        for kind, by_pk in wanted.items()
    }
    changes = []
    skipped = unchanged = 0
    for kind, by_pk in wanted.items():
        for pk, entries in by_pk.items():
            instance = found[kind].get(pk)
            for entry, field_name, where in entries:
                if instance is None:
                    problems.append(
                        _("%(where)s: there is no %(kind)s with id %(id)s.")
                        % {"where": where, "kind": kind, "id": pk}
                    )
                    continue
                if field_name not in instance.translated_fields():
                    problems.append(
                        _("%(where)s: %(kind)s has no translated field “%(field)s”.")
                        % {"where": where, "kind": kind, "field": field_name}
                    )
                    continue
                english = getattr(instance, f"{field_name}_en", "") or ""
                if entry.msgid != english:
                    problems.append(
                        _(
                            "%(where)s: the English of %(label)s · %(field)s has changed "
                            "since this file was made; export the file again."
                        )
                        % {
                            "where": where,
                            "label": label_of(kind, instance),
                            "field": field_name,
                        }
                    )
                    continue
                if "fuzzy" in entry.flags or not entry.msgstr.strip():
                    skipped += 1
                    continue
                if "\x00" in entry.msgstr:
                    problems.append(
                        _("%(where)s: the translation contains a NUL character.")
                        % {"where": where}
                    )
                    continue
                if entry.msgstr.strip() == (
                    getattr(instance, column(field_name, language), "") or ""
                ) and not instance.is_outdated(field_name, language):
                    unchanged += 1
                    continue
                changes.append((instance, field_name, entry.msgstr.strip()))
    if problems:
        raise ImportValidationError(problems)
    touched = {}
    for instance, field_name, text in changes:
        instance.translation_set(
            field_name, language, text, TranslationSource.UNOFFICIAL
        )
        touched[(type(instance), instance.pk)] = instance
    for instance in touched.values():
        instance.full_clean()
        instance.save()
    return ImportResult(
        written=len(changes), unchanged=unchanged, skipped_fuzzy=skipped
    )
