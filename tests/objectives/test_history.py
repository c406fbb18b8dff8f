"""Editable models keep their history: who changed what, when."""

import pytest
from django.urls import reverse

from objectives.models import Action, Implementation
from objectives.services.tree_import import strategy_import
from stakeholders.models import RoleAssignment
from tests.objectives.test_import import tree
from tests.signing_in import sign_in

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reimport_with_a_new_title_is_recorded_in_every_language(reference_data):
    strategy_import(data=tree())
    changed = tree()
    changed["strategy"]["goals"][0]["outcomes"][0]["actions"][0]["title"] = {
        "en": "Name digital focal points",
        "ar": "تعيين جهات تنسيق رقمية",
    }
    strategy_import(data=changed)

    action = Action.objects.get(code="A1.1.1")
    titles = list(
        action.history.order_by("history_date").values_list("title_en", "title_ar")
    )
    assert titles == [
        ("Appoint focal points", None),
        ("Name digital focal points", "تعيين جهات تنسيق رقمية"),
    ]


def test_unchanged_reimport_writes_no_history(reference_data):
    strategy_import(data=tree())
    count = Action.history.count()
    strategy_import(data=tree())
    assert Action.history.count() == count


def test_accepting_an_update_is_in_the_implementation_history(world):
    from objectives.services import workflow

    update = world.updates["approved"]
    workflow.status_update_accept(
        update=update, actor=world.users["manager"], expected_version=update.version
    )
    history = Implementation.history.filter(
        id=world.minusca_implementation.pk
    ).order_by("history_date")
    assert history.last().status == update.status


def test_strategy_manager_assigns_a_role_in_the_admin_through_the_service(
    client, world
):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    sign_in(client, manager)
    newcomer = UserFactory(username="newcomer")

    response = client.post(
        reverse("admin:stakeholders_roleassignment_add"),
        {
            "user": newcomer.pk,
            "role": "focal_point",
            "organisation": world.unmiss.pk,
            "note": "rotation",
        },
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert (assignment.role, assignment.organisation.code, assignment.assigned_by) == (
        "focal_point",
        "UNMISS",
        manager,
    )
    assert newcomer.has_perm("stakeholders.report_progress", world.unmiss)
