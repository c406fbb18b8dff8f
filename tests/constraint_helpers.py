from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction


def assert_rejected(create: Callable[[], object], constraint: str) -> None:
    """The database itself refuses the row (model validation is bypassed), naming the
    constraint where the database reports names (PostgreSQL always; SQLite for checks)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        create()
    message = str(caught.value)
    if connection.vendor == "postgresql" or "CHECK" in message:
        assert constraint in message
