import pytest

from stakeholders.models import Organisation
from tests.constraint_helpers import assert_rejected

from .factories import OrganisationFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"code": ""}, "stakeholders_organisation_code_not_blank"),
        ({"kind": "embassy"}, "stakeholders_organisation_kind_valid"),
        ({"name_en": ""}, "stakeholders_organisation_name_en_not_blank"),
    ],
)
def test_organisation_constraints_reject_bad_rows(values, constraint):
    """Organisations need a code, a known kind and an English name."""
    group = StakeholderGroupFactory()
    row = {
        "code": "ORG",
        "kind": "mission",
        "group": group,
        "name": "x",
        "name_en": "Org",
        **values,
    }
    assert_rejected(lambda: Organisation.objects.create(**row), constraint)
    assert Organisation.objects.count() == 0


def test_stakeholder_group_constraints_reject_blank_name():
    """A stakeholder group needs an English name."""
    assert_rejected(
        lambda: StakeholderGroupFactory(name_en=""),
        "stakeholders_stakeholdergroup_name_en_not_blank",
    )


def test_organisation_codes_are_unique():
    """Two organisations cannot share a code."""
    OrganisationFactory(code="MINUSCA")
    assert_rejected(
        lambda: OrganisationFactory(code="MINUSCA"),
        "stakeholders_organisation_code_key",
    )
