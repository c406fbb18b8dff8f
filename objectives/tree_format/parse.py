"""The strategy-tree file format: parsing and validation, before anything touches the database.

A file describes one strategy and, optionally, its goals, outcomes, actions and the
organisations that carry each action out (see the README, "Import format"). Validation
walks the whole file once and collects every problem with its path, for example
``goals[2].outcomes[0].code: duplicate code "O3.1"``, so that a strategy manager can fix
the file in one go. A list key that is absent leaves that part of the tree as it is;
a list key that is present, even empty, replaces it.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup

from ..choices import ObjectiveTerm, StrategyStatus, values
from ..models import PARTIAL_DATE_PATTERN, Strategy
from .spec import (
    CODE_PATTERN,
    FORMAT_VERSION,
    LANGUAGE_CODES,
    ActionSpec,
    ImplementationSpec,
    ObjectiveSpec,
    OutcomeSpec,
    PrincipleSpec,
    StakeholderGroupSpec,
    StrategySpec,
    Translated,
)


@dataclass
class _KnownCodes:
    """Codes that already exist in the database, loaded once per validation."""

    principles: set[str] = field(default_factory=set)
    stakeholder_groups: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    strategies: set[str] = field(default_factory=set)


class _Reader:
    """Reads values out of the raw YAML data, recording every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(
        self, raw: Any, path: str, allowed: set[str], required: set[str]
    ) -> dict:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a mapping, got {_type_name(raw)}")
            return {}
        for key in raw:
            if key not in allowed:
                self.problem(f"{path}.{key}" if path else str(key), "unknown field")
        for key in sorted(required - set(raw)):
            self.problem(f"{path}.{key}" if path else key, "this field is required")
        return raw

    def items(self, raw: Any, path: str) -> list[tuple[str, Any]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(path, f"expected a list, got {_type_name(raw)}")
            return []
        return [(f"{path}[{index}]", item) for index, item in enumerate(raw)]

    def code(self, raw: Any, path: str) -> str:
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            self.problem(path, f"expected a code, got {_type_name(raw)}")
            return ""
        text = str(raw).strip()
        if not CODE_PATTERN.match(text):
            self.problem(
                path,
                f'"{text}" is not a valid code (1 to 30 letters, digits, ".", "_" or "-")',
            )
        return text

    def required_code(self, item: dict, key: str, path: str) -> str:
        """A code under `key`; a missing key is reported once, by `mapping`."""
        return self.code(item[key], f"{path}.{key}") if key in item else ""

    def text(self, raw: Any, path: str, *, max_length: int | None = None) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            self.problem(path, f"expected text, got {_type_name(raw)}")
            return ""
        text = raw.strip()
        if "\x00" in text:
            self.problem(path, "contains a NUL character, which text may not hold")
            return ""
        if max_length is not None and len(text) > max_length:
            self.problem(
                path, f"is {len(text)} characters long; the limit is {max_length}"
            )
        return text

    def translated(
        self, raw: Any, path: str, *, required: bool, max_length: int | None = None
    ) -> Translated:
        """Text in English, French and Arabic: a mapping by language, or plain English text."""
        if raw is None:
            # A missing required key is reported once, by `mapping`.
            return {}
        if isinstance(raw, str):
            raw = {"en": raw}
        if not isinstance(raw, dict):
            self.problem(
                path, f"expected text or a mapping of languages, got {_type_name(raw)}"
            )
            return {}
        result: Translated = {}
        for language, value in raw.items():
            if language not in LANGUAGE_CODES:
                self.problem(
                    f"{path}.{language}",
                    f"unknown language; use {', '.join(LANGUAGE_CODES)}",
                )
                continue
            result[language] = self.text(
                value, f"{path}.{language}", max_length=max_length
            )
        if required and not result.get("en"):
            self.problem(f"{path}.en", "English text is required")
        return {language: text for language, text in result.items() if text}

    def integer(
        self,
        raw: Any,
        path: str,
        *,
        default: int,
        minimum: int = 0,
        maximum: int | None = None,
    ) -> int:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.problem(path, f"expected a whole number, got {_type_name(raw)}")
            return default
        if raw < minimum:
            self.problem(path, f"must be at least {minimum}")
        if maximum is not None and raw > maximum:
            self.problem(path, f"must be at most {maximum}")
        return raw

    def boolean(self, raw: Any, path: str) -> bool:
        if raw is None:
            return False
        if not isinstance(raw, bool):
            self.problem(path, f"expected true or false, got {_type_name(raw)}")
            return False
        return raw

    def decimal(self, raw: Any, path: str, *, default: Decimal) -> Decimal:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            self.problem(path, f"expected a number, got {_type_name(raw)}")
            return default
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            self.problem(path, f'"{raw}" is not a number')
            return default
        if not number.is_finite() or number <= 0:
            self.problem(path, "must be a number greater than 0")
        elif number.as_tuple().exponent < -2 or number >= Decimal("10000"):
            self.problem(path, "must be below 10000 with at most 2 decimal places")
        return number

    def date(self, raw: Any, path: str) -> datetime.date | None:
        if raw is None:
            return None
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, str):
            try:
                return datetime.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        self.problem(path, f'"{raw}" is not a date (use YYYY-MM-DD)')
        return None

    def partial_date(self, raw: Any, path: str) -> str:
        if raw is None:
            return ""
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        text = str(raw).strip()
        if not re.match(PARTIAL_DATE_PATTERN, text):
            self.problem(
                path, f'"{text}" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)'
            )
            return ""
        return text

    def choice(self, raw: Any, path: str, *, allowed: list[str], default: str) -> str:
        if raw is None:
            return default
        if raw not in allowed:
            self.problem(path, f'"{raw}" is not one of: {", ".join(allowed)}')
            return default
        return raw

    def unique(self, codes: list[tuple[str, str]], noun: str = "code") -> None:
        """Report every repeat of a code among siblings, at the repeat's path."""
        seen: set[str] = set()
        for path, code in codes:
            if not code:
                continue
            if code in seen:
                self.problem(path, f'duplicate {noun} "{code}"')
            seen.add(code)

    def known(self, path: str, code: str, known: set[str], noun: str) -> None:
        if code and code not in known:
            self.problem(path, f'unknown {noun} "{code}"')

    def date_order(
        self, path: str, start: datetime.date | None, due: datetime.date | None
    ) -> None:
        if start and due and due < start:
            self.problem(path, f"due date {due} is before start date {start}")


def _type_name(raw: Any) -> str:
    if raw is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(raw), type(raw).__name__)


def _load_known_codes() -> _KnownCodes:
    return _KnownCodes(
        principles=set(Principle.objects.values_list("code", flat=True)),
        stakeholder_groups=set(StakeholderGroup.objects.values_list("code", flat=True)),
        organisations=set(Organisation.objects.values_list("code", flat=True)),
        strategies=set(Strategy.objects.values_list("code", flat=True)),
    )


STRATEGY_FIELDS = {
    "code",
    "title",
    "purpose",
    "status",
    "objective_term",
    "initiated",
    "published",
    "launched",
    "note",
    "round_months",
    "owners",
    "principles",
    "stakeholder_groups",
    "aligned_with",
    "goals",
}
GOAL_FIELDS = {"code", "order", "title", "description", "source_note", "outcomes"}
OUTCOME_FIELDS = {"code", "order", "title", "description", "illustrative", "actions"}
ACTION_FIELDS = {
    "code",
    "order",
    "title",
    "description",
    "lead",
    "start_date",
    "due_date",
    "weight",
    "principles",
    "stakeholder_groups",
    "illustrative",
    "implementations",
}
IMPLEMENTATION_FIELDS = {"organisation", "start_date", "due_date"}


def parse_strategy_tree(data: Any) -> tuple[StrategySpec | None, list[str]]:
    """Validate a whole strategy file; return the parsed tree and every problem found.

    The tree is only usable when the list of problems is empty.
    """
    reader = _Reader()
    known = _load_known_codes()
    document = reader.mapping(data, "", {"format_version", "strategy"}, {"strategy"})
    if not document:
        return None, reader.problems
    version = document.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        reader.problem(
            "format_version",
            f"unsupported version {version!r}; expected {FORMAT_VERSION}",
        )
    strategy = _parse_strategy(reader, document.get("strategy"), "strategy", known)
    return strategy, reader.problems


def _parse_strategy(
    reader: _Reader, raw: Any, path: str, known: _KnownCodes
) -> StrategySpec | None:
    item = reader.mapping(raw, path, STRATEGY_FIELDS, {"code", "title"})
    if not item:
        return None
    code = reader.required_code(item, "code", path)

    principles: list[PrincipleSpec | str] = []
    for principle_path, entry in reader.items(
        item.get("principles"), f"{path}.principles"
    ):
        principles.append(
            _parse_adopted(
                reader,
                entry,
                principle_path,
                known=known.principles,
                noun="principle",
                spec_class=PrincipleSpec,
                text_field="definition",
                name_length=300,
            )
        )
    stakeholder_groups: list[StakeholderGroupSpec | str] = []
    for group_path, entry in reader.items(
        item.get("stakeholder_groups"), f"{path}.stakeholder_groups"
    ):
        stakeholder_groups.append(
            _parse_adopted(
                reader,
                entry,
                group_path,
                known=known.stakeholder_groups,
                noun="stakeholder group",
                spec_class=StakeholderGroupSpec,
                text_field="description",
                name_length=500,
            )
        )

    spec = StrategySpec(
        code=code,
        title=reader.translated(
            item.get("title"), f"{path}.title", required=True, max_length=300
        ),
        purpose=reader.translated(
            item.get("purpose"), f"{path}.purpose", required=False
        ),
        status=reader.choice(
            item.get("status"),
            f"{path}.status",
            allowed=values(StrategyStatus),
            default=StrategyStatus.DRAFT,
        ),
        objective_term=reader.choice(
            item.get("objective_term"),
            f"{path}.objective_term",
            allowed=values(ObjectiveTerm),
            default=ObjectiveTerm.GOAL,
        ),
        initiated=reader.partial_date(item.get("initiated"), f"{path}.initiated"),
        published=reader.partial_date(item.get("published"), f"{path}.published"),
        launched=reader.partial_date(item.get("launched"), f"{path}.launched"),
        note=reader.text(item.get("note"), f"{path}.note"),
        round_months=reader.integer(
            item.get("round_months"),
            f"{path}.round_months",
            default=3,
            minimum=0,
            maximum=12,
        ),
        owners=[
            reader.code(entry, owner_path)
            for owner_path, entry in reader.items(item.get("owners"), f"{path}.owners")
        ],
        principles=principles,
        stakeholder_groups=stakeholder_groups,
        aligned_with=[
            reader.code(entry, aligned_path)
            for aligned_path, entry in reader.items(
                item.get("aligned_with"), f"{path}.aligned_with"
            )
        ],
        goals=None,
    )
    for index, owner in enumerate(spec.owners):
        reader.known(
            f"{path}.owners[{index}]", owner, known.organisations, "organisation"
        )
    reader.unique([(f"{path}.owners[{i}]", c) for i, c in enumerate(spec.owners)])
    reader.unique(
        [(f"{path}.principles[{i}]", c) for i, c in enumerate(spec.principle_codes())]
    )
    reader.unique(
        [
            (f"{path}.stakeholder_groups[{i}]", c)
            for i, c in enumerate(spec.stakeholder_group_codes())
        ]
    )
    for index, aligned in enumerate(spec.aligned_with):
        aligned_path = f"{path}.aligned_with[{index}]"
        if aligned == code:
            reader.problem(aligned_path, "a strategy cannot be aligned with itself")
        else:
            reader.known(aligned_path, aligned, known.strategies, "strategy")
    reader.unique(
        [(f"{path}.aligned_with[{i}]", c) for i, c in enumerate(spec.aligned_with)]
    )

    # Principles and groups defined in this file may be used by its actions.
    adopted_principles = known.principles | set(spec.principle_codes())
    adopted_groups = known.stakeholder_groups | set(spec.stakeholder_group_codes())
    spec.goals = _children(
        reader,
        item,
        "goals",
        path,
        _Scope(known=known, principles=adopted_principles, groups=adopted_groups),
        _parse_goal,
    )
    return spec


def _parse_adopted(
    reader: _Reader,
    raw: Any,
    path: str,
    *,
    known: set[str],
    noun: str,
    spec_class: type[PrincipleSpec] | type[StakeholderGroupSpec],
    text_field: str,
    name_length: int,
) -> PrincipleSpec | StakeholderGroupSpec | str:
    """A principle or stakeholder group a strategy adopts: an existing code, or a full entry."""
    if not isinstance(raw, dict):
        code = reader.code(raw, path)
        reader.known(path, code, known, noun)
        return code
    item = reader.mapping(
        raw, path, {"code", "order", "name", text_field}, {"code", "name"}
    )
    return spec_class(
        code=reader.required_code(item, "code", path),
        order=reader.integer(item.get("order"), f"{path}.order", default=0),
        name=reader.translated(
            item.get("name"), f"{path}.name", required=True, max_length=name_length
        ),
        **{
            text_field: reader.translated(
                item.get(text_field), f"{path}.{text_field}", required=False
            )
        },
    )


@dataclass
class _Scope:
    """What the nodes of one file may refer to."""

    known: _KnownCodes
    principles: set[str]
    groups: set[str]


def _node_fields(reader: _Reader, item: dict, path: str) -> dict[str, Any]:
    """The fields every node of the tree has: code, order, title and description."""
    return {
        "path": path,
        "code": reader.required_code(item, "code", path),
        "order": reader.integer(item.get("order"), f"{path}.order", default=0),
        "title": reader.translated(
            item.get("title"), f"{path}.title", required=True, max_length=300
        ),
        "description": reader.translated(
            item.get("description"), f"{path}.description", required=False
        ),
    }


def _children(
    reader: _Reader,
    item: dict,
    key: str,
    path: str,
    scope: _Scope,
    parse: Callable[[_Reader, Any, str, _Scope], Any],
) -> list | None:
    """Parse a node's list of children, or None when the key is absent (leave them alone)."""
    if key not in item:
        return None
    children = []
    for child_path, entry in reader.items(item[key], f"{path}.{key}"):
        child = parse(reader, entry, child_path, scope)
        if child:
            children.append(child)
    reader.unique([(child.path + ".code", child.code) for child in children])
    return children


def _parse_goal(
    reader: _Reader, raw: Any, path: str, scope: _Scope
) -> ObjectiveSpec | None:
    item = reader.mapping(raw, path, GOAL_FIELDS, {"code", "title"})
    if not item:
        return None
    return ObjectiveSpec(
        **_node_fields(reader, item, path),
        source_note=reader.text(
            item.get("source_note"), f"{path}.source_note", max_length=300
        ),
        outcomes=_children(reader, item, "outcomes", path, scope, _parse_outcome),
    )


def _parse_outcome(
    reader: _Reader, raw: Any, path: str, scope: _Scope
) -> OutcomeSpec | None:
    item = reader.mapping(raw, path, OUTCOME_FIELDS, {"code", "title"})
    if not item:
        return None
    return OutcomeSpec(
        **_node_fields(reader, item, path),
        is_illustrative=reader.boolean(
            item.get("illustrative"), f"{path}.illustrative"
        ),
        actions=_children(reader, item, "actions", path, scope, _parse_action),
    )


def _parse_action(
    reader: _Reader, raw: Any, path: str, scope: _Scope
) -> ActionSpec | None:
    item = reader.mapping(raw, path, ACTION_FIELDS, {"code", "title"})
    if not item:
        return None
    lead = (
        reader.code(item["lead"], f"{path}.lead")
        if item.get("lead") is not None
        else None
    )
    if lead:
        reader.known(f"{path}.lead", lead, scope.known.organisations, "organisation")
    action = ActionSpec(
        **_node_fields(reader, item, path),
        lead=lead,
        start_date=reader.date(item.get("start_date"), f"{path}.start_date"),
        due_date=reader.date(item.get("due_date"), f"{path}.due_date"),
        weight=reader.decimal(item.get("weight"), f"{path}.weight", default=Decimal(1)),
        principles=_code_list(
            reader, item, "principles", path, scope.principles, "principle"
        ),
        stakeholder_groups=_code_list(
            reader, item, "stakeholder_groups", path, scope.groups, "stakeholder group"
        ),
        is_illustrative=reader.boolean(
            item.get("illustrative"), f"{path}.illustrative"
        ),
        implementations=None,
    )
    reader.date_order(f"{path}.due_date", action.start_date, action.due_date)
    if "implementations" in item:
        action.implementations = [
            _parse_implementation(reader, entry, entry_path, scope.known)
            for entry_path, entry in reader.items(
                item["implementations"], f"{path}.implementations"
            )
        ]
        reader.unique(
            [
                (f"{path}.implementations[{i}]", spec.organisation)
                for i, spec in enumerate(action.implementations)
            ],
            noun="organisation",
        )
    return action


def _code_list(
    reader: _Reader, item: dict, key: str, path: str, known: set[str], noun: str
) -> list[str]:
    """A list of codes that must each be known and appear once."""
    codes = []
    for entry_path, entry in reader.items(item.get(key), f"{path}.{key}"):
        code = reader.code(entry, entry_path)
        reader.known(entry_path, code, known, noun)
        codes.append(code)
    reader.unique([(f"{path}.{key}[{i}]", code) for i, code in enumerate(codes)])
    return codes


def _parse_implementation(
    reader: _Reader, raw: Any, path: str, known: _KnownCodes
) -> ImplementationSpec:
    if not isinstance(raw, dict):
        code = reader.code(raw, path)
        reader.known(path, code, known.organisations, "organisation")
        return ImplementationSpec(organisation=code)
    item = reader.mapping(raw, path, IMPLEMENTATION_FIELDS, {"organisation"})
    code = reader.required_code(item, "organisation", path)
    reader.known(f"{path}.organisation", code, known.organisations, "organisation")
    spec = ImplementationSpec(
        organisation=code,
        start_date=reader.date(item.get("start_date"), f"{path}.start_date"),
        due_date=reader.date(item.get("due_date"), f"{path}.due_date"),
    )
    reader.date_order(f"{path}.due_date", spec.start_date, spec.due_date)
    return spec
