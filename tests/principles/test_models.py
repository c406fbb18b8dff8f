import pytest

from principles.models import Principle
from tests.constraint_helpers import assert_rejected

from .factories import PrincipleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"code": "", "name_en": "Named"}, "principles_principle_code_not_blank"),
        ({"code": "PX", "name_en": ""}, "principles_principle_name_en_not_blank"),
        ({"code": "PX", "name_en": None}, "principles_principle_name_en_not_blank"),
    ],
)
def test_principle_constraints_reject_bad_rows(values, constraint):
    """A principle needs a code and an English name, whatever the caller validated."""
    assert_rejected(lambda: Principle.objects.create(name="x", **values), constraint)
    assert Principle.objects.count() == 0


def test_principle_codes_are_unique():
    """Two principles cannot share a code."""
    PrincipleFactory(code="P01")
    assert_rejected(
        lambda: PrincipleFactory(code="P01"), "principles_principle_code_key"
    )


def test_missing_translations_names_each_field_and_language():
    """English-only content reports the other five languages as missing, per field that
    has text."""
    principle = PrincipleFactory(
        name_en="Accessibility", name_ar="سهولة الوصول", definition_en=""
    )

    assert principle.missing_translations() == [
        ("name", "zh-hans"),
        ("name", "fr"),
        ("name", "ru"),
        ("name", "es"),
    ]
    assert principle.is_translated_into("ar") is True
    assert principle.is_translated_into("fr") is False
