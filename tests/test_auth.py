"""Signing in: lockout after repeated failures, idle timeout, password reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.objectives.factories import UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


@pytest.fixture
def person():
    user = UserFactory(username="minusca-focal", email="focal@example.org")
    user.set_password("right-password-123")
    user.save()
    return user


def test_sign_in_page_is_public_and_has_a_csrf_token(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_signing_in_leads_to_my_actions(client, person):
    from stakeholders.permissions import Role
    from stakeholders.services import role_assign
    from tests.stakeholders.factories import OrganisationFactory

    role_assign(user=person, role=Role.FOCAL_POINT, organisation=OrganisationFactory())
    response = client.post(
        LOGIN,
        {"username": "minusca-focal", "password": "right-password-123"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/en/my/"


def test_leadership_lands_on_the_dashboard_after_signing_in(client, person):
    from stakeholders.permissions import Role
    from stakeholders.services import role_assign

    leader = UserFactory(username="leader")
    leader.set_password("another-pw-123")
    leader.save()
    role_assign(user=leader, role=Role.LEADERSHIP)
    device = TOTPDevice.objects.create(user=leader, confirmed=True)
    response = client.post(
        LOGIN, {"username": "leader", "password": "another-pw-123"}, follow=True
    )
    # Leadership needs a second factor first.
    assert response.redirect_chain[-1][0].startswith(
        "/en/accounts/second-factor/verify/"
    )
    response = client.post(
        response.redirect_chain[-1][0], {"code": totp(device.bin_key)}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/dashboard/"
    assert response.status_code == 200


def test_five_failures_lock_the_account_from_that_address_for_fifteen_minutes(
    client, person
):
    for _ in range(4):
        response = client.post(
            LOGIN, {"username": "minusca-focal", "password": "wrong"}
        )
        assert response.status_code == 200
    locked = client.post(LOGIN, {"username": "minusca-focal", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()

    even_right = client.post(
        LOGIN, {"username": "minusca-focal", "password": "right-password-123"}
    )
    assert even_right.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another address is not locked out of the same account.
    elsewhere = client.post(
        LOGIN,
        {"username": "minusca-focal", "password": "right-password-123"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert elsewhere.status_code == 302
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_out_needs_a_post(client, person):
    sign_in(client, person)
    assert client.get("/en/accounts/logout/").status_code == 405
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_and_change(client, person):
    client.post(reverse("password_reset"), {"email": "focal@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/reset/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-new-long-password-42",
            "new_password2": "a-new-long-password-42",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-new-long-password-42")


def test_rotating_x_forwarded_for_does_not_escape_the_lockout(client, person):
    """The lockout counts by the real client address, never a header it sets."""
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "minusca-focal", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    locked = client.post(
        LOGIN,
        {"username": "minusca-focal", "password": "right-password-123"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert locked.status_code == 429
