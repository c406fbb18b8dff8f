"""The field journey in a real browser, with the demo accounts: submit, approve, accept, clear."""

import pytest

from objectives.devtools.demo import DEMO_PASSWORD
from objectives.models import Implementation, StatusUpdate

pytestmark = pytest.mark.browser


def authenticator_code(username: str) -> str:
    """The code an authenticator app would show now for the person's device (one is
    made when they have none); the last code used is forgotten, so that signing the
    same person in twice within 30 seconds works as two phones would."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key):06d}"


def sign_in(page, site, username):
    """Sign in with the password, and with the second factor when the role needs it."""
    page.goto(f"{site}/en/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    code = authenticator_code(username) if username in {"manager", "leader"} else None
    page.click("form.narrow button[type=submit]")
    if code is not None:
        page.wait_for_url("**/second-factor/verify/**")
        page.fill("#id_code", code)
        page.click("form.narrow button[type=submit]")
    # Leadership lands on the dashboard, everyone else on My actions.
    page.wait_for_url(
        f"{site}/en/dashboard/" if username == "leader" else f"{site}/en/my/"
    )


def sign_out(page):
    page.click("nav form button[type=submit]")


def minusca_implementation() -> Implementation:
    return Implementation.objects.filter(
        organisation__code="MINUSCA", action__code="A1.1.1"
    ).get()


def test_update_travels_from_focal_point_to_public_release(browser, demo_site):
    implementation = minusca_implementation()
    url = f"{demo_site}/en/implementations/{implementation.pk}/"
    context = browser.new_context()
    page = context.new_page()

    sign_in(page, demo_site, "minusca-focal")
    assert page.locator("h1").inner_text() == "My actions"
    page.goto(url)
    page.select_option("#id_status", "on_track")
    page.fill("#id_progress", "77")
    page.fill("#id_narrative", "Browser journey: focal points named in every sector.")
    page.check("input[name=confidence][value=high]")
    page.check("input[name=sensitivity][value=unclassified]")
    page.click("button[name=submit]")
    assert (
        page.locator(".messages").inner_text()
        == "Your update was submitted for approval."
    )
    update = StatusUpdate.objects.get(narrative__startswith="Browser journey")
    sign_out(page)

    sign_in(page, demo_site, "minusca-approver")
    assert "wait for your review" in page.locator("#queue-heading").inner_text()
    page.goto(f"{url}#update-{update.pk}")
    page.click(f"#update-{update.pk} button[value=approve]")
    assert page.locator(".messages").inner_text() == "Update approved and passed to HQ."
    sign_out(page)

    sign_in(page, demo_site, "manager")
    page.goto(url)
    page.click(f"#update-{update.pk} button[value=accept]")
    assert (
        page.locator(".messages").inner_text()
        == "Update accepted; it is now the action's current status."
    )
    page.click(f"#update-{update.pk} button[value=clear]")
    assert (
        page.locator(".messages").inner_text() == "Update cleared for public release."
    )

    assert page.locator(".facts dd").first.inner_text() == "● On track · 77\u00a0%"
    update.refresh_from_db()
    assert (update.review_state, update.cleared_for_public) == ("accepted", True)
    assert list(update.events.values_list("to_state", "actor__username")) == [
        ("submitted", "minusca-focal"),
        ("approved", "minusca-approver"),
        ("accepted", "manager"),
        ("accepted", "manager"),  # the clearance for public release
    ]
    context.close()


def test_focal_point_submits_with_javascript_disabled(browser, demo_site):
    implementation = minusca_implementation()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    sign_in(page, demo_site, "minusca-focal")
    page.goto(f"{demo_site}/en/implementations/{implementation.pk}/")
    page.select_option("#id_status", "at_risk")
    page.fill("#id_progress", "35")
    page.click("button[name=submit]")
    assert page.locator("#id_narrative_error").inner_text() == (
        "Explain in the narrative why the action is at risk or off track."
    )
    assert page.input_value("#id_progress") == "35"
    page.fill("#id_narrative", "No-script journey: the generator failed twice.")
    page.click("button[name=submit]")

    assert (
        page.locator(".messages").inner_text()
        == "Your update was submitted for approval."
    )
    update = StatusUpdate.objects.get(narrative__startswith="No-script journey")
    assert (update.status, update.progress, update.review_state) == (
        "at_risk",
        35,
        "submitted",
    )
    context.close()
