"""The returned loop: a report sent back for revision comes first in My actions with the
reviewer's comment; the implementation page puts the comment above the form, fills the
form from the returned report (its evidence kept unless replaced), and the resubmission
is linked to the report it answers."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from objectives.choices import ReviewState
from objectives.models import StatusUpdate
from objectives.services import workflow
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

COMMENT = "Please add the procurement timeline and attach the signed plan."


@pytest.fixture
def returned(world):
    update = workflow.status_update_save(
        implementation=world.minusca_implementation,
        actor=world.users["minusca-focal"],
        content=workflow.UpdateContent(
            status="at_risk", progress=35, narrative="Procurement is slow."
        ),
        submit=True,
        expected_version=None,
    )
    update.evidence_file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    update.evidence_name = "Signed plan.pdf"
    update.evidence_content_type = "application/pdf"
    update.save()
    return workflow.status_update_return(
        update=update,
        actor=world.users["minusca-approver"],
        expected_version=None,
        comment=COMMENT,
    )


def test_my_actions_shows_returned_reports_first_with_the_comment(
    client, world, returned
):
    sign_in(client, world.users["minusca-focal"])
    html = client.get(reverse("objectives:my-actions")).content.decode()
    assert "Returned to you" in html
    assert COMMENT in html
    assert html.index("Returned to you") < html.index('id="actions-heading"')
    address = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    assert address in html


def test_the_page_puts_the_comment_above_a_form_filled_from_the_returned_report(
    client, world, returned
):
    sign_in(client, world.users["minusca-focal"])
    address = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    html = client.get(address).content.decode()
    assert html.index(COMMENT) < html.index('class="update-form"')
    form = client.get(address).context["form"]
    assert form.initial["narrative"] == "Procurement is slow."
    assert form.initial["progress"] == 35
    assert form.initial["status"] == "at_risk"
    assert form.initial["answers"] == returned.pk
    assert "Signed plan.pdf" in html.split('class="update-form"')[1].split("</form>")[0]


def test_the_resubmission_answers_the_returned_report_and_keeps_its_evidence(
    client, world, returned
):
    sign_in(client, world.users["minusca-focal"])
    address = reverse(
        "objectives:implementation-detail", args=[world.minusca_implementation.pk]
    )
    form = client.get(address).context["form"]
    response = client.post(
        address,
        {
            **{k: v for k, v in form.initial.items() if v is not None},
            "narrative": "Procurement is slow; the timeline is attached.",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    answer = StatusUpdate.objects.get(answers=returned)
    assert answer.review_state == ReviewState.SUBMITTED
    assert answer.evidence_name == "Signed plan.pdf"
    assert answer.evidence_file.name == returned.evidence_file.name
    html = client.get(reverse("objectives:my-actions")).content.decode()
    assert "Returned to you" not in html
    detail = client.get(address).content.decode()
    assert f"in answer to update {returned.pk}" in detail
