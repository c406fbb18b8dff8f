"""The API: scoping like the pages, writes through the services, ETags, errors, tokens."""

import pytest
from rest_framework.test import APIClient

from objectives.choices import ReviewState
from objectives.models import Implementation, StatusUpdate
from objectives.services import workflow
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.api.preconditions import etag
from tests.objectives.factories import UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def test_anonymous_reads_only_what_public_pages_show(world, api):
    accepted = world.updates[ReviewState.ACCEPTED]
    anonymous = api("anonymous")
    assert anonymous.get("/api/v1/status-updates/").json()["results"] == []
    assert anonymous.get("/api/v1/implementations/").json()["results"] == []
    workflow.status_update_clear(
        update=accepted, actor=world.users["manager"], expected_version=None
    )
    accepted.refresh_from_db()
    updates = anonymous.get("/api/v1/status-updates/").json()["results"]
    assert [u["id"] for u in updates] == [accepted.pk]
    assert updates[0]["author"] is None
    implementations = anonymous.get("/api/v1/implementations/").json()["results"]
    assert [(i["id"], i["progress"]) for i in implementations] == [
        (world.minusca_implementation.pk, accepted.progress)
    ]
    assert (
        anonymous.get(
            f"/api/v1/status-updates/{world.updates['confidential'].pk}/"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (
            "minusca-focal",
            {
                ReviewState.SUBMITTED,
                ReviewState.APPROVED,
                ReviewState.ACCEPTED,
                "confidential",
                "draft",
            },
        ),
        ("unmiss-focal", {"unmiss"}),
        (
            "minusca-approver",
            {
                ReviewState.SUBMITTED,
                ReviewState.APPROVED,
                ReviewState.ACCEPTED,
                "confidential",
                "strictly",
            },
        ),
        (
            "leader",
            {
                ReviewState.SUBMITTED,
                ReviewState.APPROVED,
                ReviewState.ACCEPTED,
                "confidential",
                "unmiss",
            },
        ),
    ],
)
def test_status_updates_are_scoped_like_the_pages(world, api, role, visible):
    """Same rule as the pages (`visible_to`), except that focal points also see their own
    strictly confidential update (they wrote it)."""
    ids = {u["id"] for u in api(role).get("/api/v1/status-updates/").json()["results"]}
    expected = {world.updates[key].pk for key in visible}
    if role == "minusca-focal":
        expected.add(world.updates["strictly"].pk)
    assert ids == expected
    assert ids == set(
        StatusUpdate.objects.visible_to(world.users[role]).values_list("pk", flat=True)
    )


def test_submit_needs_if_match_then_raises_the_version_by_one(world, api):
    focal = api("minusca-focal")
    implementation = world.minusca_implementation
    url = f"/api/v1/implementations/{implementation.pk}/updates/"
    body = {"status": "on_track", "progress": 55, "narrative": "Going well."}
    before = world.state()

    missing = focal.post(url, body, format="json")
    assert missing.status_code == 428
    assert missing.json()["code"] == "precondition_required"
    stale = focal.post(
        url, body, format="json", HTTP_IF_MATCH='"implementation-1-v999"'
    )
    assert stale.status_code == 412
    assert world.state() == before

    read = focal.get(f"/api/v1/implementations/{implementation.pk}/")
    tag = read["ETag"]
    created = focal.post(url, body, format="json", HTTP_IF_MATCH=tag)
    assert created.status_code == 201, created.json()
    assert created.json()["review_state"] == "submitted"
    implementation.refresh_from_db()
    assert read.json()["version"] + 1 == implementation.version
    assert focal.post(url, body, format="json", HTTP_IF_MATCH=tag).status_code == 412


def test_review_steps_go_through_the_services(world, api):
    submitted = world.updates[ReviewState.SUBMITTED]
    approver, manager = api("minusca-approver"), api("manager")
    base = f"/api/v1/status-updates/{submitted.pk}"
    approved = approver.post(
        f"{base}/approve/", {}, format="json", HTTP_IF_MATCH=etag(submitted)
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["version"] == submitted.version + 1
    submitted.refresh_from_db()
    # The focal point may not accept; the approver may not accept either.
    forbidden = approver.post(
        f"{base}/accept/", {}, format="json", HTTP_IF_MATCH=etag(submitted)
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "permission_denied"
    accepted = manager.post(
        f"{base}/accept/", {}, format="json", HTTP_IF_MATCH=approved["ETag"]
    )
    assert accepted.status_code == 200
    again = manager.post(
        f"{base}/approve/", {}, format="json", HTTP_IF_MATCH=accepted["ETag"]
    )
    assert again.status_code in (403, 409)
    cleared = manager.post(
        f"{base}/clear/", format="json", HTTP_IF_MATCH=accepted["ETag"]
    )
    assert cleared.status_code == 200
    assert cleared.json()["cleared_for_public"] is True
    implementation = Implementation.objects.get(pk=world.minusca_implementation.pk)
    assert (
        implementation.current_update_id
        == implementation.public_update_id
        == submitted.pk
    )


def test_return_without_comment_names_the_field(world, api):
    submitted = world.updates[ReviewState.SUBMITTED]
    response = api("minusca-approver").post(
        f"/api/v1/status-updates/{submitted.pk}/return/",
        {"comment": ""},
        format="json",
        HTTP_IF_MATCH=etag(submitted),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["comment"]


def test_bad_input_gives_every_field_and_writes_nothing(world, api):
    implementation = world.minusca_implementation
    before = world.state()
    response = api("minusca-focal").post(
        f"/api/v1/implementations/{implementation.pk}/updates/",
        {"status": "at_risk", "progress": 140, "evidence_url": "not a link"},
        format="json",
        HTTP_IF_MATCH=etag(implementation),
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {
        "progress",
        "evidence_url",
    }
    # The business rule (a narrative for "at risk") comes from the service, same shape.
    response = api("minusca-focal").post(
        f"/api/v1/implementations/{implementation.pk}/updates/",
        {"status": "at_risk", "progress": 40},
        format="json",
        HTTP_IF_MATCH=etag(implementation),
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["narrative"]
    assert world.state() == before


def test_other_missions_focal_point_cannot_report(world, api):
    implementation = world.minusca_implementation
    response = api("unmiss-focal").post(
        f"/api/v1/implementations/{implementation.pk}/updates/",
        {"status": "on_track", "progress": 10},
        format="json",
        HTTP_IF_MATCH=etag(implementation),
    )
    assert response.status_code == 404  # out of scope: not even its existence


def test_tokens_are_created_used_and_revoked_by_their_owner(world):
    session = APIClient()
    sign_in(session, world.users["leader"])
    created = session.post("/api/v1/me/token/")
    assert created.status_code == 201
    key = created.json()["token"]
    assert session.get("/api/v1/me/token/").json()["exists"] is True

    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert bearer.get("/api/v1/status-updates/").json()["results"]
    assert bearer.delete("/api/v1/me/token/").status_code == 204
    revoked = bearer.get("/api/v1/status-updates/")
    assert revoked.status_code == 401
    assert revoked.json()["code"] == "authentication_failed"


def test_import_runs_as_a_background_job_and_reports_paths(
    world, api, django_capture_on_commit_callbacks
):
    """Finding: a 2.4 MB import through the API ran inside the web request and was
    killed by the server's timeout. Now the request answers 202 at once with a job."""
    document = {
        "format_version": 1,
        "strategy": {
            "code": "API-TEST",
            "title": {"en": "From the API"},
            "goals": [{"code": "G1"}],
        },
    }
    assert (
        api("leader")
        .post("/api/v1/strategies/import/", document, format="json")
        .status_code
        == 403
    )
    manager = api("manager")
    with django_capture_on_commit_callbacks(execute=True):
        started = manager.post("/api/v1/strategies/import/", document, format="json")
    assert started.status_code == 202, started.json()
    assert started["Location"] == started.json()["url"]
    job = manager.get(started["Location"]).json()
    assert job["state"] == "failed"
    assert any(e["field"].startswith("strategy.goals[0]") for e in job["errors"])
    # Only its author and strategy managers follow a job.
    assert api("leader").get(started["Location"]).status_code == 404
    assert api("anonymous").get(started["Location"]).status_code == 401

    document["strategy"]["goals"][0]["title"] = {"en": "Goal one"}
    with django_capture_on_commit_callbacks(execute=True):
        started = manager.post("/api/v1/strategies/import/", document, format="json")
    job = manager.get(started["Location"]).json()
    assert job["state"] == "succeeded", job
    assert job["result"]["changed"] is True
    assert job["finished_at"] is not None
    # Imported as a draft: HQ readers see it, the public does not.
    assert api("anonymous").get("/api/v1/strategies/API-TEST/tree/").status_code == 404
    tree = manager.get("/api/v1/strategies/API-TEST/tree/").json()
    assert [g["code"] for g in tree["goals"]] == ["G1"]
    assert tree["audience"] == "internal"


def test_an_import_over_the_limits_is_refused_at_once(world, api, settings):
    settings.IMPORT_MAX_VALUES = 50
    document = {
        "strategy": {
            "code": "BIG",
            "title": {"en": "Big"},
            "goals": [{"code": f"G{n}", "title": {"en": "x"}} for n in range(40)],
        }
    }
    response = api("manager").post(
        "/api/v1/strategies/import/", document, format="json"
    )
    assert response.status_code == 400
    assert "values; the limit is" in response.json()["errors"][0]["message"]


def test_anonymous_clients_are_throttled(world, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"}
    )
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get("/api/v1/principles/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_schema_and_docs_are_served(db):
    client = APIClient()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/strategies/{code}/tree/" in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_etag_one_wins_one_gets_412(world, postgres):
    """Two real connections, the same ETag: exactly one change lands."""
    from tests.concurrency import race

    update = world.updates[ReviewState.APPROVED]
    tag, version = etag(update), update.version
    manager = world.users["manager"]

    def accept():
        client = APIClient()
        client.force_authenticate(manager)
        return client.post(
            f"/api/v1/status-updates/{update.pk}/accept/",
            {},
            format="json",
            HTTP_IF_MATCH=tag,
        ).status_code

    outcomes = race([accept, accept])
    assert sorted(outcomes) == [200, 412]
    update.refresh_from_db()
    assert update.version == version + 1
    assert update.review_state == ReviewState.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_two_submissions_with_the_same_etag_one_wins_one_gets_412(world, postgres):
    from tests.concurrency import race

    implementation = world.minusca_implementation
    tag, version = etag(implementation), implementation.version

    def submit(username, text):
        def call():
            client = APIClient()
            client.force_authenticate(world.users[username])
            return client.post(
                f"/api/v1/implementations/{implementation.pk}/updates/",
                {"status": "on_track", "progress": 20, "narrative": text},
                format="json",
                HTTP_IF_MATCH=tag,
            ).status_code

        return call

    second = UserFactory(username="minusca-focal-2")
    role_assign(user=second, role=Role.FOCAL_POINT, organisation=world.minusca)
    world.users["minusca-focal-2"] = second
    outcomes = race(
        [submit("minusca-focal", "first"), submit("minusca-focal-2", "second")]
    )
    assert sorted(outcomes) == [201, 412]
    implementation.refresh_from_db()
    assert implementation.version == version + 1


def test_the_fast_tree_equals_the_documented_serializer(world, api):
    """The tree is built in plain dictionaries for speed; it must stay exactly what the
    documented StrategyTreeSerializer (the OpenAPI schema) gives."""
    import datetime
    import json

    from objectives.api import serializers
    from objectives.selectors import tree
    from tests.principles.factories import PrincipleFactory

    action = world.minusca_implementation.action
    action.principles.add(PrincipleFactory(code="P-TREE"))
    action.lead_organisation = world.minusca
    action.due_date = datetime.date(2027, 6, 30)
    action.save()
    strategy = action.outcome.objective.strategy
    response = api("leader").get(f"/api/v1/strategies/{strategy.code}/tree/")
    assert response.status_code == 200
    strategy.current_objectives = list(strategy.objectives.all())
    for goal in strategy.current_objectives:
        goal.current_outcomes = list(goal.outcomes.all())
        for outcome in goal.current_outcomes:
            outcome.current_actions = list(outcome.actions.all())
    context = {
        "audience": "internal",
        "snapshots": {},
        "actions_by_outcome": tree.tree_actions(strategy),
        **tree.tree_codes(strategy),
    }
    documented = serializers.StrategyTreeSerializer(strategy, context=context).data
    fast = serializers.strategy_tree_document(strategy, context)
    assert json.loads(json.dumps(fast)) == json.loads(json.dumps(documented))
    served = response.json()["goals"][0]["outcomes"][0]["actions"][0]
    assert (served["principles"], served["lead_organisation"], served["due_date"]) == (
        ["P-TREE"],
        "MINUSCA",
        "2027-06-30",
    )


def test_tree_carries_the_latest_rolled_up_figures(world, api):
    from objectives.services.rollup import rollup_run

    rollup_run()
    strategy = world.minusca_implementation.action.outcome.objective.strategy
    internal = api("leader").get(f"/api/v1/strategies/{strategy.code}/tree/").json()
    public = api("anonymous").get(f"/api/v1/strategies/{strategy.code}/tree/").json()
    assert (internal["audience"], public["audience"]) == ("internal", "public")
    assert internal["rollup"]["implementation_count"] == 2
    assert internal["rollup"]["since"] is not None
    assert public["rollup"]["implementation_count"] == 0  # nothing cleared yet
    action = internal["goals"][0]["outcomes"][0]["actions"][0]
    assert action["rollup"]["implementation_count"] == 2


def test_snapshots_read_as_of_a_day_or_current(world, api):
    """Each snapshot row holds from `date` until `valid_until`; `as_of` gives the rows of
    one day, `current` those that still hold."""
    import datetime

    from django.utils import timezone

    from objectives.models import Implementation
    from objectives.services.rollup import rollup_run

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    rollup_run(day=yesterday)
    Implementation.objects.filter(pk=world.minusca_implementation.pk).update(
        progress=77
    )
    rollup_run(day=today)

    def rows(query: str) -> list[dict]:
        answer = api("leader").get(
            f"/api/v1/progress-snapshots/?node_type=strategy&audience=internal{query}"
            "&all_organisations=true"
        )
        assert answer.status_code == 200
        return answer.json()["results"]

    before, now = rows(f"&as_of={yesterday}"), rows(f"&as_of={today}")
    assert [(r["date"], r["valid_until"]) for r in before] == [
        (yesterday.isoformat(), today.isoformat())
    ]
    assert [(r["date"], r["valid_until"]) for r in now] == [(today.isoformat(), None)]
    assert before[0]["progress"] != now[0]["progress"]
    assert rows("&current=true") == now
    assert rows("&current=false") == before
    assert rows(f"&date_from={today}") == now


def test_rotating_x_forwarded_for_does_not_escape_the_throttle(world, monkeypatch):
    """Finding: rotating X-Forwarded-For gave 130 of 130 answers over a limit of 120."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"}
    )
    client = APIClient(REMOTE_ADDR="203.0.113.10")
    statuses = [
        client.get(
            "/api/v1/principles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(world, settings):
    from django.test import RequestFactory

    from strategy_tracker.client import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",  # the client prepended 6.6.6.6
    )
    assert client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"


def test_a_token_expires_and_stops_with_a_disabled_account(world, settings):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    leader = world.users["leader"]
    session = APIClient()
    sign_in(session, leader)
    created = session.post("/api/v1/me/token/").json()
    assert created["expires"]
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Token {created['token']}")
    assert bearer.get("/api/v1/status-updates/").status_code == 200

    settings.API_TOKEN_DAYS = 30
    Token.objects.filter(user=leader).update(
        created=timezone.now() - timedelta(days=31)
    )
    expired = bearer.get("/api/v1/status-updates/")
    assert expired.status_code == 401
    assert "expired" in expired.json()["message"]

    Token.objects.filter(user=leader).update(created=timezone.now())
    assert bearer.get("/api/v1/status-updates/").status_code == 200
    leader.is_active = False
    leader.save()
    assert bearer.get("/api/v1/status-updates/").status_code == 401


def test_an_admin_revokes_a_token_from_the_admin(world, client):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.users["leader"])
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    sign_in(client, admin)
    page = client.get("/en/admin/authtoken/tokenproxy/")
    assert page.status_code == 200
    response = client.post(
        f"/en/admin/authtoken/tokenproxy/{token.user_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_an_import_job_reads_in_a_fixed_query_count(
    world, api, django_assert_max_num_queries
):
    from objectives.models import ImportJob

    manager = world.users["manager"]
    job = ImportJob.objects.create(actor=manager, document={"strategy": {}})
    client = api("manager")
    client.get(f"/api/v1/import-jobs/{job.pk}/")
    with django_assert_max_num_queries(8) as small:
        client.get(f"/api/v1/import-jobs/{job.pk}/")
    for _ in range(30):
        ImportJob.objects.create(actor=manager, document={"strategy": {}})
    with django_assert_max_num_queries(8) as large:
        assert client.get(f"/api/v1/import-jobs/{job.pk}/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
