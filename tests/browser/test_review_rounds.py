"""The review queue and the returned loop in a real browser, with the demo's rounds: the
manager bulk-accepts ten updates of which one went stale meanwhile (nine accepted, one
refused with its reason), with JavaScript on and off; the focal point finds the returned
report first in My actions and the form filled from it."""

import re

import pytest
from django.db.models import F

from objectives.choices import ReviewState
from objectives.models import StatusUpdate

from .test_field_journey import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_the_manager_bulk_accepts_ten_of_which_one_is_stale(
    browser, demo_site, javascript
):
    waiting = StatusUpdate.objects.filter(review_state=ReviewState.APPROVED).count()
    assert waiting >= 10
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, demo_site, "manager")
    page.goto(f"{demo_site}/en/review/?stage=to_accept")
    heading = page.locator("#stage-heading").inner_text()
    assert f"To accept · {waiting} updates" in heading
    boxes = page.locator("input[name=items]")
    values = [boxes.nth(index).get_attribute("value") for index in range(10)]
    for index in range(10):
        boxes.nth(index).check()
    # Someone else acts on the first one after the page was read: it is now stale.
    stale_id = int(values[0].split(":")[0])
    StatusUpdate.objects.filter(pk=stale_id).update(version=F("version") + 1)
    page.click("button[name=decision][value=accept]")
    page.wait_for_load_state()
    messages = page.locator(".messages").inner_text()
    assert "9 update(s) accepted." in messages
    assert re.search(rf"\(update {stale_id}\): .+", messages)
    ids = [int(value.split(":")[0]) for value in values]
    states = dict(
        StatusUpdate.objects.filter(pk__in=ids).values_list("pk", "review_state")
    )
    assert states.pop(stale_id) == ReviewState.APPROVED
    assert set(states.values()) == {ReviewState.ACCEPTED}
    assert (
        f"To accept · {waiting - 9} updates"
        in page.locator("#stage-heading").inner_text()
    )
    context.close()


def test_the_focal_point_finds_the_returned_report_first_and_the_form_filled(
    browser, demo_site
):
    returned = (
        StatusUpdate.objects.filter(
            review_state=ReviewState.RETURNED,
            implementation__organisation__code="MINUSCA",
        )
        .select_related("implementation__action")
        .order_by("pk")
        .first()
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, demo_site, "minusca-focal")
    first_section = page.locator("main h2").first.inner_text()
    assert first_section == "Returned to you"
    section = page.locator("section.returned")
    assert returned.implementation.action.code in section.inner_text()
    assert "Please add the evidence link and explain the delay." in section.inner_text()
    section.locator("a", has_text=returned.implementation.action.code).first.click()
    assert page.locator("#id_narrative").input_value() == returned.narrative
    assert page.locator("#id_progress").input_value() == str(returned.progress)
    comment = page.locator("text=Please add the evidence link").first
    form = page.locator("form.update-form, form[enctype]").first
    assert comment.bounding_box()["y"] < form.bounding_box()["y"]
    context.close()
