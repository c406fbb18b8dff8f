"""How large a strategy file may be: bytes, values, nesting and YAML aliases, checked
before the file is validated, so that no file can exhaust the importer.

A YAML alias bomb (a few kilobytes whose aliases expand to billions of values) stops at
the alias cap or at the value budget; a file nested thousands of levels deep stops at the
nesting cap, never in a RecursionError. Every limit is a setting (IMPORT_MAX_*)."""

from typing import Any

import yaml
from django.conf import settings

from strategy_tracker.exceptions import ImportValidationError


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a cap on alias uses."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.aliases_used = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases_used += 1
            if self.aliases_used > settings.IMPORT_MAX_ALIASES:
                raise ImportValidationError(
                    [
                        f"the file uses more than {settings.IMPORT_MAX_ALIASES} YAML "
                        "aliases (*name); write the values out instead"
                    ]
                )
        return super().compose_node(parent, index)


def size_errors(size: int) -> list[str]:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        return [
            f"the file is {size / 1_048_576:.1f} MB; the limit is "
            f"{limit / 1_048_576:.1f} MB"
        ]
    return []


def load_strategy_yaml(text: str | bytes) -> Any:
    """Parse a strategy file within the limits; raise ImportValidationError otherwise."""
    size = len(text.encode() if isinstance(text, str) else text)
    problems = size_errors(size)
    if problems:
        raise ImportValidationError(problems)
    try:
        data = yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError as error:
        raise ImportValidationError(
            [
                f"the file is nested too deeply to read; the limit is "
                f"{settings.IMPORT_MAX_DEPTH} levels"
            ]
        ) from error
    except yaml.YAMLError as error:
        raise ImportValidationError([f"the file is not valid YAML: {error}"]) from error
    check_document_limits(data)
    return data


def check_document_limits(data: Any) -> None:
    """Walk the parsed document without recursion, counting values, and stop at the
    first limit passed. Shared structures (YAML aliases) count every time they occur."""
    budget, max_depth = settings.IMPORT_MAX_VALUES, settings.IMPORT_MAX_DEPTH
    count = 0
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, path = stack.pop()
        count += 1
        if count > budget:
            raise ImportValidationError(
                [f"the file holds more than {budget:,} values; the limit is {budget:,}"]
            )
        if depth > max_depth:
            raise ImportValidationError(
                [f"{path or 'the file'}: nested deeper than {max_depth} levels"]
            )
        if isinstance(value, dict):
            for key, child in value.items():
                stack.append((child, depth + 1, f"{path}.{key}" if path else str(key)))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                stack.append((child, depth + 1, f"{path}[{index}]"))
