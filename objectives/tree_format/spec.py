"""The strategy-tree file format: what a valid file describes, as plain dataclasses.

`parse.py` reads and validates a file into these; `services/tree_import.py` writes them;
`export.py` writes the current tree back in the same format.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

FORMAT_VERSION = 1
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)

Translated = dict[str, str]


@dataclass
class PrincipleSpec:
    code: str
    order: int
    name: Translated
    definition: Translated


@dataclass
class StakeholderGroupSpec:
    code: str
    order: int
    name: Translated
    description: Translated


@dataclass
class ImplementationSpec:
    organisation: str
    start_date: datetime.date | None = None
    due_date: datetime.date | None = None


@dataclass
class ActionSpec:
    path: str
    code: str
    order: int
    title: Translated
    description: Translated
    lead: str | None
    start_date: datetime.date | None
    due_date: datetime.date | None
    weight: Decimal
    principles: list[str]
    stakeholder_groups: list[str]
    is_illustrative: bool
    implementations: list[ImplementationSpec] | None


@dataclass
class OutcomeSpec:
    path: str
    code: str
    order: int
    title: Translated
    description: Translated
    is_illustrative: bool
    actions: list[ActionSpec] | None


@dataclass
class ObjectiveSpec:
    path: str
    code: str
    order: int
    title: Translated
    description: Translated
    source_note: str
    outcomes: list[OutcomeSpec] | None


@dataclass
class StrategySpec:
    code: str
    title: Translated
    purpose: Translated
    status: str
    objective_term: str
    initiated: str
    published: str
    launched: str
    note: str
    round_months: int
    owners: list[str]
    principles: list[PrincipleSpec | str]
    stakeholder_groups: list[StakeholderGroupSpec | str]
    aligned_with: list[str]
    goals: list[ObjectiveSpec] | None

    def principle_codes(self) -> list[str]:
        return [
            item if isinstance(item, str) else item.code for item in self.principles
        ]

    def stakeholder_group_codes(self) -> list[str]:
        return [
            item if isinstance(item, str) else item.code
            for item in self.stakeholder_groups
        ]
