"""Every model has a working admin: list, search, filters and change page, in a fixed query count."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from objectives.models import StatusUpdate
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in {"objectives", "principles", "stakeholders"}
    ),
    key=lambda model: model.__name__,
)


@pytest.fixture
def superuser_client(client, demo_database):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    sign_in(client, user)
    yield client
    user.delete()


def test_every_domain_model_is_registered():
    assert [model.__name__ for model in MODELS] == [
        "Action",
        "AuthenticatorApp",
        "Implementation",
        "ImportJob",
        "Notification",
        "Objective",
        "Organisation",
        "Outcome",
        "Principle",
        "ProgressSnapshot",
        "RecoveryCodeSet",
        "ReviewEvent",
        "RoleAssignment",
        "RollupRequest",
        "StakeholderGroup",
        "StatusUpdate",
        "Strategy",
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_search_and_change_page_render(superuser_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    assert superuser_client.get(changelist, {"q": "a"}).status_code == 200
    instance = model.objects.order_by("pk").first()
    if instance is not None:
        change = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]
        )
        assert superuser_client.get(change).status_code == 200


@pytest.mark.parametrize("language", ["fr", "ar", "zh-hans"])
def test_missing_translation_filter_lists_untranslated_rows(superuser_client, language):
    """Strategy managers find what still needs translating: the demo's outcomes are in
    all six languages, so only the two added in English alone (one with French) show."""
    from objectives.models import Outcome

    goal = Outcome.objects.first().objective
    Outcome.objects.create(objective=goal, code="O-NEW-1", title_en="A new outcome")
    Outcome.objects.create(
        objective=goal, code="O-NEW-2", title_en="Another", title_fr="Un autre"
    )
    url = reverse("admin:objectives_outcome_changelist")
    response = superuser_client.get(url, {"untranslated": language})
    assert response.status_code == 200
    expected = {"fr": 1, "ar": 2, "zh-hans": 2}[language]
    assert response.context["cl"].result_count == expected


def test_status_updates_are_read_only_in_the_admin(superuser_client):
    update = StatusUpdate.objects.first()
    url = reverse("admin:objectives_statusupdate_change", args=[update.pk])
    response = superuser_client.post(url, {"progress": 1})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.progress != 1 or update.status in ("not_started",)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("admin:objectives_strategy_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def _admin_form_data(form) -> dict:
    data = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        value = bound.value()
        if value is None:
            continue
        data[name] = value
    return data


def test_the_admin_explains_a_broken_rule_in_the_readers_language(demo_database):
    """Finding: the admin answered a broken rule with the raw constraint name
    ("Constraint “objectives_action_due_after_start” is violated.")."""
    import datetime

    from django.test import RequestFactory
    from django.utils import translation

    from objectives.models import Action

    action = Action.objects.filter(
        outcome__objective__strategy__code="DTS-2021"
    ).first()
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    form_class = admin.site._registry[Action].get_form(request, action)
    data = _admin_form_data(form_class(instance=action))
    data["start_date"] = datetime.date(2027, 1, 1)
    data["due_date"] = datetime.date(2026, 1, 1)
    with translation.override("fr"):
        form = form_class(data=data, instance=action)
        assert not form.is_valid()
        text = " ".join(str(e) for e in form.non_field_errors())
    assert "objectives_action_due_after_start" not in text
    assert "L\u2019échéance doit être" in text


def test_the_admin_refuses_a_principle_of_another_strategy(demo_database):
    """Finding: the admin let an action of the 2021 strategy carry a principle of the
    2018 one."""
    from django.test import RequestFactory

    from objectives.models import Action
    from principles.models import Principle

    action = Action.objects.filter(
        outcome__objective__strategy__code="DTS-2021"
    ).first()
    foreign = Principle.objects.exclude(strategies__code="DTS-2021").first()
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    form_class = admin.site._registry[Action].get_form(request, action)
    data = _admin_form_data(form_class(instance=action))
    data["principles"] = [*data.get("principles", []), foreign.pk]
    form = form_class(data=data, instance=action)
    assert not form.is_valid()
    assert f"{foreign.code}: not principles of DTS-2021" in str(
        form.errors["principles"]
    )


@pytest.mark.parametrize("language", ["ar", "zh-hans", "ru"])
def test_the_admin_speaks_the_readers_language(superuser_client, language):
    """The admin's own header and titles are translated, not only Django's strings."""
    from django.utils import translation

    response = superuser_client.get(f"/{language}/admin/")
    html = response.content.decode()
    with translation.override(language):
        header = translation.gettext("Peacekeeping strategy tracker")
        index = translation.gettext("Administration")
    assert header != "Peacekeeping strategy tracker"
    assert header in html
    assert index in html
    assert "Peacekeeping strategy tracker" not in html
