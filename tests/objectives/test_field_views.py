"""The field pages for every role: who may see, submit, approve, accept and clear.
A refused request writes nothing."""

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from objectives.choices import ReviewState
from objectives.models import Implementation, StatusUpdate
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ActionFactory, ImplementationFactory

pytestmark = pytest.mark.django_db

ROLE_NAMES = [
    "anonymous",
    "minusca-focal",
    "unmiss-focal",
    "minusca-approver",
    "manager",
    "leader",
]


def client_for(client, world, role):
    if role != "anonymous":
        sign_in(client, world.users[role])
    return client


def good_update(world, **changes):
    data = {
        "status": "on_track",
        "progress": "60",
        "narrative": "Focal points named in all sectors.",
        "evidence_url": "",
        "confidence": "high",
        "sensitivity": "unclassified",
        "implementation_version": str(world.minusca_implementation.version),
        "submit": "1",
    }
    data.update(changes)
    return data


# (page, method, expected status per role in ROLE_NAMES order); 302 for anonymous is the sign-in redirect.
MATRIX = [
    ("my actions", "get", [302, 200, 200, 200, 200, 200]),
    ("implementation page", "get", [302, 200, 404, 200, 200, 200]),
    ("submit an update", "post", [302, 302, 404, 403, 403, 403]),
    ("approve", "post", [302, 403, 404, 302, 403, 403]),
    ("accept", "post", [302, 403, 404, 403, 302, 403]),
    ("return submitted", "post", [302, 403, 404, 302, 403, 403]),
    ("clear", "post", [302, 403, 404, 403, 302, 403]),
]
CASES = [
    pytest.param(page, method, role, expected[index], id=f"{page}-{role}")
    for page, method, expected in MATRIX
    for index, role in enumerate(ROLE_NAMES)
]


def request_for(world, page):
    implementation_url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )

    def review(update, decision, comment=""):
        url = reverse("objectives:update-review", args=[update.pk])
        return url, {
            "decision": decision,
            "version": update.version,
            "comment": comment,
        }

    return {
        "my actions": (reverse("objectives:my-actions"), None),
        "implementation page": (implementation_url, None),
        "submit an update": (implementation_url, good_update(world)),
        "approve": review(world.updates[ReviewState.SUBMITTED], "approve"),
        "accept": review(world.updates[ReviewState.APPROVED], "accept"),
        "return submitted": review(
            world.updates[ReviewState.SUBMITTED], "return", "Add the evidence."
        ),
        "clear": review(world.updates[ReviewState.ACCEPTED], "clear"),
    }[page]


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_role_matrix(client, world, page, method, role, expected):
    client = client_for(client, world, role)
    url, data = request_for(world, page)
    before = world.state()

    response = client.get(url) if method == "get" else client.post(url, data)

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/?next=")
    if (method == "post" and expected != 302) or role == "anonymous":
        assert world.state() == before


def test_posting_to_another_missions_update_id_writes_nothing(client, world):
    """An approver guessing the id of another mission's update is told it does not exist."""
    sign_in(client, world.users["minusca-approver"])
    update = world.updates["unmiss"]
    before = world.state()
    response = client.post(
        reverse("objectives:update-review", args=[update.pk]),
        {"decision": "approve", "version": update.version},
    )
    assert response.status_code == 404
    assert world.state() == before


def test_submitting_an_update_records_it_and_tells_the_approver(client, world):
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )

    response = client.post(url, good_update(world), follow=True)

    update = StatusUpdate.objects.get(narrative="Focal points named in all sectors.")
    assert (update.review_state, update.progress, update.author.username) == (
        "submitted",
        60,
        "minusca-focal",
    )
    assert list(
        update.events.values_list("from_state", "to_state", "actor__username")
    ) == [("draft", "submitted", "minusca-focal")]
    assert "Your update was submitted for approval." in response.content.decode()
    assert update.pk in set(
        world.users["minusca-approver"].notifications.values_list(
            "update_id", flat=True
        )
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"status": "completed", "progress": "90"},
            "progress",
            "A completed action is at 100; set progress to 100 or choose another status.",
        ),
        (
            {"status": "at_risk", "narrative": "  "},
            "narrative",
            "Explain in the narrative why the action is at risk or off track.",
        ),
        (
            {"status": "off_track", "narrative": ""},
            "narrative",
            "Explain in the narrative why the action is at risk or off track.",
        ),
        (
            {"progress": "140"},
            "progress",
            "Progress must be a whole number from 0 to 100.",
        ),
        (
            {"progress": "-1"},
            "progress",
            "Progress must be a whole number from 0 to 100.",
        ),
        (
            {"progress": "half"},
            "progress",
            "Progress must be a whole number from 0 to 100.",
        ),
        ({"evidence_url": "not a link"}, "evidence_url", "Enter a valid URL."),
    ],
)
def test_invalid_update_explains_the_field_and_keeps_the_input(
    client, world, changes, field, message
):
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    before = world.state()

    response = client.post(url, good_update(world, **changes))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if field != "narrative":
        assert "Focal points named in all sectors." in html
    assert world.state() == before


def test_evidence_file_type_and_size_are_limited(client, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.EVIDENCE_MAX_BYTES = 10
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    data = good_update(world, evidence_file=SimpleUploadedFile("tool.exe", b"x" * 20))

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors["evidence_file"] == [
        "Files of type “exe” are not accepted; use one of: pdf, png, jpg, jpeg, docx, xlsx, csv, txt.",
    ]
    data = good_update(
        world, evidence_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4" * 3)
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["evidence_file"] == [
        "The file is 0.0 MB; the limit is 0.0 MB.",
    ]


def test_evidence_file_is_stored_with_the_update(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    client.post(
        url,
        good_update(world, evidence_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4")),
    )

    update = StatusUpdate.objects.get(narrative="Focal points named in all sectors.")
    assert update.evidence_name == "report.pdf"
    assert update.evidence_file.name.endswith(".pdf")
    assert "report" not in update.evidence_file.name
    assert update.evidence_file.read() == b"%PDF-1.4"


def test_draft_is_kept_private_and_submitted_later(client, world):
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    data = good_update(world, narrative="Half-written")
    del data["submit"]
    data["draft"] = "1"

    client.post(url, data)
    client.post(url, {**data, "narrative": "Better written"})

    drafts = StatusUpdate.objects.filter(
        author=world.users["minusca-focal"], review_state="draft"
    )
    assert list(drafts.values_list("narrative", flat=True)).count("Better written") == 1
    sign_in(client, world.users["minusca-approver"])
    assert "Better written" not in client.get(url).content.decode()


def test_second_submission_on_a_stale_view_gets_a_conflict_and_keeps_its_text(
    client, world
):
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    stale = good_update(world)
    client.post(url, stale)

    response = client.post(url, {**stale, "narrative": "My own, later report"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else reported on this action while you were editing." in html
    assert "My own, later report" in html
    assert not StatusUpdate.objects.filter(narrative="My own, later report").exists()


def test_full_review_makes_the_update_current(client, world):
    update = world.updates[ReviewState.SUBMITTED]
    for username, decision in (
        ("minusca-approver", "approve"),
        ("manager", "accept"),
        ("manager", "clear"),
    ):
        sign_in(client, world.users[username])
        update.refresh_from_db()
        response = client.post(
            reverse("objectives:update-review", args=[update.pk]),
            {"decision": decision, "version": update.version},
        )
        assert response.status_code == 302, decision
    update.refresh_from_db()
    implementation = Implementation.objects.get(pk=world.minusca_implementation.pk)
    assert (update.review_state, update.cleared_for_public) == ("accepted", True)
    assert (
        implementation.current_update_id,
        implementation.status,
        implementation.progress,
    ) == (
        update.pk,
        update.status,
        update.progress,
    )
    assert list(update.events.values_list("to_state", "actor__username")) == [
        ("approved", "minusca-approver"),
        ("accepted", "manager"),
        ("accepted", "manager"),  # the clearance
    ]


def test_return_needs_a_comment_and_is_shown_to_the_author(client, world):
    update = world.updates[ReviewState.SUBMITTED]
    sign_in(client, world.users["minusca-approver"])
    url = reverse("objectives:update-review", args=[update.pk])

    response = client.post(
        url, {"decision": "return", "version": update.version}, follow=True
    )
    assert "Say what needs to change before returning it." in response.content.decode()
    client.post(
        url,
        {
            "decision": "return",
            "version": update.version,
            "comment": "Add the evidence link.",
        },
    )

    sign_in(client, world.users["minusca-focal"])
    page = client.get(
        reverse("objectives:implementation-detail", args=[update.implementation_id])
    )
    assert "“Add the evidence link.”" in page.content.decode()
    assert StatusUpdate.objects.get(pk=update.pk).review_state == "returned"


def test_reviewing_a_stale_version_is_a_conflict(client, world):
    update = world.updates[ReviewState.SUBMITTED]
    sign_in(client, world.users["minusca-approver"])
    url = reverse("objectives:update-review", args=[update.pk])
    client.post(url, {"decision": "approve", "version": update.version})

    response = client.post(
        url, {"decision": "return", "version": update.version, "comment": "Too late"}
    )

    assert response.status_code == 409
    assert (
        "This update was changed by someone else (it is now “Approved by mission”)."
        in response.content.decode()
    )
    assert StatusUpdate.objects.get(pk=update.pk).review_state == "approved"


def test_timeline_shows_only_what_the_viewer_may_read(client, world):
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    expected = {
        "minusca-focal": {
            "submitted",
            "approved",
            "accepted",
            "confidential",
            "strictly",
            "draft",
        },
        "minusca-approver": {
            "submitted",
            "approved",
            "accepted",
            "confidential",
            "strictly",
        },
        "leader": {"submitted", "approved", "accepted", "confidential"},
        "manager": {"submitted", "approved", "accepted", "confidential", "strictly"},
    }
    names = {update.pk: name for name, update in world.updates.items()}
    for username, visible in expected.items():
        sign_in(client, world.users[username])
        html = client.get(url).content.decode()
        shown = {names[int(pk)] for pk in re.findall(r'id="update-(\d+)"', html)}
        assert shown == visible, username


def test_my_actions_lists_past_due_and_at_risk_first_and_filters(client, world):
    """Past its due date first (open work only), then off track and at risk, then the
    rest by due date, and finished work last."""
    action = world.minusca_implementation.action
    today = timezone.localdate()
    Implementation.objects.filter(pk=world.minusca_implementation.pk).update(
        start_date=None, due_date=today - timedelta(days=1)
    )
    at_risk = ImplementationFactory(
        action=ActionFactory(outcome=action.outcome, code="A1.1.2"),
        organisation=world.minusca,
        status="at_risk",
        start_date=None,
        due_date=today + timedelta(days=90),
    )
    fresh = ImplementationFactory(
        action=ActionFactory(outcome=action.outcome, code="A1.1.3"),
        organisation=world.minusca,
        start_date=None,
        due_date=today,
    )
    ImplementationFactory(
        action=ActionFactory(outcome=action.outcome, code="A1.1.4"),
        organisation=world.minusca,
        status="completed",
        progress=100,
        start_date=None,
        due_date=today - timedelta(days=30),
    )
    sign_in(client, world.users["minusca-focal"])

    page = client.get(reverse("objectives:my-actions")).context["page"]
    assert [i.action.code for i in page.object_list] == [
        "A1.1.1",
        "A1.1.2",
        "A1.1.3",
        "A1.1.4",
    ]
    assert [i.is_past_due for i in page.object_list] == [True, False, False, False]

    filtered = client.get(
        reverse("objectives:my-actions"), {"status": "at_risk"}
    ).context["page"]
    assert [i.pk for i in filtered.object_list] == [at_risk.pk]
    searched = client.get(reverse("objectives:my-actions"), {"q": "a1.1.3"}).context[
        "page"
    ]
    assert [i.pk for i in searched.object_list] == [fresh.pk]


def test_approver_sees_the_review_queue_of_their_mission_only(client, world):
    sign_in(client, world.users["minusca-approver"])
    response = client.get(reverse("objectives:my-actions"))
    assert response.context["queue_count"] == 2
    assert [(value, count) for value, _label, count in response.context["stages"]] == [
        ("to_approve", 2)
    ]
    listed = client.get(reverse("objectives:review-queue"), {"stage": "to_approve"})
    assert {update.pk for update in listed.context["page"].object_list} == {
        world.updates[ReviewState.SUBMITTED].pk,
        world.updates["strictly"].pk,
    }


def _grow(world, count):
    for _ in range(count):
        implementation = ImplementationFactory(organisation=world.minusca)
        add_update(implementation, world.users["minusca-focal"], ReviewState.SUBMITTED)
        add_update(
            ImplementationFactory(organisation=world.minusca),
            world.users["minusca-focal"],
            ReviewState.RETURNED,
        )
        add_update(
            world.minusca_implementation,
            world.users["minusca-focal"],
            ReviewState.ACCEPTED,
        )


@pytest.mark.parametrize("username", ["minusca-focal", "minusca-approver", "manager"])
def test_my_actions_query_count_does_not_grow(
    client, world, django_assert_max_num_queries, username
):
    sign_in(client, world.users[username])
    url = reverse("objectives:my-actions")
    client.get(url)  # warm the session
    # One of them asks whether the person's roles need a second factor (or, for those
    # that do, which device they used in this session).
    with django_assert_max_num_queries(18) as small:
        client.get(url)
    _grow(world, 30)
    with django_assert_max_num_queries(18) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("username", ["minusca-focal", "manager"])
def test_implementation_page_query_count_does_not_grow(
    client, world, django_assert_max_num_queries, username
):
    sign_in(client, world.users[username])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    client.get(url)
    with django_assert_max_num_queries(16) as small:
        client.get(url)
    _grow(world, 30)
    with django_assert_max_num_queries(16) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def _first_view_bytes(html: str) -> int:
    total = len(html.encode())
    for asset in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        path = finders.find(asset)
        assert path, asset
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


@pytest.mark.parametrize("page", ["my actions", "implementation page"])
def test_field_pages_are_small_and_need_no_javascript(client, world, page):
    """First view under 60 kB (HTML and every stylesheet and script it loads), uncompressed."""
    _grow(world, 25)
    sign_in(client, world.users["minusca-focal"])
    url, _ = request_for(world, page)
    html = client.get(url).content.decode()
    assert "<script" not in html
    assert _first_view_bytes(html) < 60_000


def test_the_page_says_when_an_accepted_report_is_not_the_current_one(client, world):
    """An older report accepted after a newer one: the page says which one counts."""
    from objectives.services import workflow

    from .conftest import two_approved_reports

    older, newer = two_approved_reports(world)
    workflow.status_update_accept(
        update=newer, actor=world.users["manager"], expected_version=None
    )
    sign_in(client, world.users["manager"])
    response = client.post(
        reverse("objectives:update-review", args=[older.pk]),
        {
            "decision": "accept",
            "version": StatusUpdate.objects.get(pk=older.pk).version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "a report made after it is already accepted" in html
    assert "not current: a later report counts" in html
    facts = html.split('id="timeline-heading"')[0]
    assert "20\u00a0%" in facts
    assert "19\u00a0%" not in facts


def _unresolved_describedby(html: str) -> list[str]:
    import re

    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return [
        reference
        for references in re.findall(r'aria-describedby="([^"]+)"', html)
        for reference in references.split()
        if reference not in ids
    ]


def test_every_described_by_reference_resolves(client, world):
    """Finding: the update form's help texts were tied to ids that do not exist
    (id_narrative_helptext against id_narrative-help), so they were never read out."""
    sign_in(client, world.users["minusca-focal"])
    url = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    clean = client.get(url).content.decode()
    assert "aria-describedby" in clean
    assert _unresolved_describedby(clean) == []
    with_errors = client.post(
        url, good_update(world, status="at_risk", narrative="", progress="500")
    ).content.decode()
    assert 'aria-invalid="true"' in with_errors
    assert _unresolved_describedby(with_errors) == []
    client.logout()
    for page in ("/en/accounts/login/", "/en/accounts/password_reset/"):
        assert _unresolved_describedby(client.get(page).content.decode()) == []
