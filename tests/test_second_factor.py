"""The second factor of local accounts: enrolment, verification with the app or a
recovery code (once), the lockout counting wrong codes apart from wrong passwords, and
who is asked for one."""

import base64
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.signin.second_factor import SIGNED_IN_WITH
from tests.objectives.factories import UserFactory
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
SETUP = "/en/accounts/second-factor/set-up/"
VERIFY = "/en/accounts/second-factor/verify/"
PASSWORD = "a-long-password-42"


def person(username: str, role: Role | None, **extra):
    user = UserFactory(username=username, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    if role is Role.FOCAL_POINT:
        role_assign(user=user, role=role, organisation=OrganisationFactory())
    elif role is not None:
        role_assign(user=user, role=role)
    return user


def password_sign_in(client, username: str):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def code_of(device: TOTPDevice) -> str:
    """The code the app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    # The key is shown as text too, for an app that cannot scan.
    key = page.context["key"].replace(" ", "")
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    answer = client.post(SETUP, {"code": code_of(device), "next": "/en/dashboard/"})
    assert answer.status_code == 200
    codes = answer.context["codes"]
    device.refresh_from_db()
    return device, codes


def test_a_manager_signing_in_with_a_password_is_sent_to_enrolment_first():
    client = Client()
    person("manager", Role.STRATEGY_MANAGER)
    response = password_sign_in(client, "manager")
    assert response.status_code == 302
    start = client.get(response["Location"])
    assert start["Location"].startswith(f"{SETUP}?next=")
    # Nothing else is reachable, the admin and the review queue included.
    for path in ("/en/dashboard/", "/en/review/", "/en/admin/", "/en/"):
        assert client.get(path)["Location"].startswith(SETUP), path
    page = client.get(SETUP)
    body = page.content.decode()
    assert "<svg" in body
    assert page.context["key"] in body
    assert 'autocomplete="one-time-code"' in body


def test_enrolment_checks_a_code_gives_ten_recovery_codes_and_tells_the_person():
    client = Client()
    person("manager", Role.STRATEGY_MANAGER)
    password_sign_in(client, "manager")
    client.get(SETUP)
    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 400
    assert "This code does not match the key" in wrong.content.decode()
    too_soon = client.post(SETUP, {"code": "000000"})
    assert too_soon.status_code == 429
    assert "Too many wrong codes" in too_soon.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0)  # as if the wait had passed
    device, codes = enrol(client)
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    # Kept only as keyed hashes.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes}
    assert client.get("/en/dashboard/").status_code == 200
    assert mail.outbox[-1].to == ["manager@example.org"]
    assert "second factor" in mail.outbox[-1].subject


def test_the_app_code_signs_in_and_cannot_be_replayed():
    client = Client()
    manager = person("manager", Role.STRATEGY_MANAGER)
    device = TOTPDevice.objects.create(user=manager, confirmed=True)
    password_sign_in(client, "manager")
    assert client.get("/en/dashboard/")["Location"].startswith(f"{VERIFY}?next=")
    code = code_of(device)
    answer = client.post(VERIFY, {"code": code, "next": "/en/dashboard/"})
    assert answer["Location"] == "/en/dashboard/"
    assert client.get("/en/dashboard/").status_code == 200

    other = Client()
    password_sign_in(other, "manager")
    replayed = other.post(VERIFY, {"code": code})
    assert replayed.status_code == 400
    assert "already used" in replayed.content.decode()
    assert other.get("/en/dashboard/").status_code == 302


def test_a_recovery_code_works_once():
    client = Client()
    person("manager", Role.STRATEGY_MANAGER)
    password_sign_in(client, "manager")
    _device, codes = enrol(client)
    client.post("/en/accounts/logout/")

    first = Client()
    password_sign_in(first, "manager")
    used = first.post(VERIFY, {"code": codes[3].upper().replace("-", " ")})
    assert used.status_code == 302
    assert first.get("/en/dashboard/").status_code == 200
    assert StaticToken.objects.count() == 9

    second = Client()
    password_sign_in(second, "manager")
    again = second.post(VERIFY, {"code": codes[3]})
    assert again.status_code == 400
    assert second.get("/en/dashboard/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones():
    client = Client()
    person("manager", Role.STRATEGY_MANAGER)
    password_sign_in(client, "manager")
    _device, old = enrol(client)
    answer = client.post("/en/accounts/second-factor/recovery-codes/")
    new = answer.context["codes"]
    assert not set(old) & set(new)
    fresh = Client()
    password_sign_in(fresh, "manager")
    assert fresh.post(VERIFY, {"code": old[0]}).status_code == 400
    assert fresh.post(VERIFY, {"code": new[0]}).status_code == 302


def test_wrong_codes_lock_out_even_after_signing_in_again_with_the_password():
    """Five wrong codes from an address lock the second factor for the cool-off, and a
    correct password does not reset that count (it would give endless guesses)."""
    client = Client()
    manager = person("manager", Role.STRATEGY_MANAGER)
    device = TOTPDevice.objects.create(user=manager, confirmed=True)
    for attempt in range(5):
        password_sign_in(client, "manager")
        # django-otp's own throttle makes the next try wait; lift it to reach the lockout.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post(VERIFY, {"code": "123456" if attempt % 2 else "111111"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    password_sign_in(client, "manager")
    refused = client.post(VERIFY, {"code": code_of(device)})
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_codes_in_a_row_make_the_next_try_wait():
    client = Client()
    manager = person("manager", Role.STRATEGY_MANAGER)
    device = TOTPDevice.objects.create(user=manager, confirmed=True)
    password_sign_in(client, "manager")
    assert client.post(VERIFY, {"code": "000001"}).status_code == 400
    waiting = client.post(VERIFY, {"code": code_of(device)})
    assert waiting.status_code == 429
    assert "Too many wrong codes" in waiting.content.decode()


def test_mission_staff_are_not_asked_unless_configured():
    client = Client()
    person("focal", Role.FOCAL_POINT)
    password_sign_in(client, "focal")
    assert client.get("/en/start/")["Location"] == "/en/my/"
    with override_settings(SECOND_FACTOR_ROLES=["focal_point"]):
        assert client.get("/en/my/")["Location"].startswith(SETUP)


def test_admin_access_needs_the_second_factor_whatever_the_role():
    client = Client()
    person("admin", None, is_staff=True, is_superuser=True)
    password_sign_in(client, "admin")
    assert client.get("/en/admin/")["Location"].startswith(SETUP)


def test_an_organisation_sign_in_is_not_asked_again():
    """The organisation's provider asks its own second factor."""
    client = Client()
    manager = person("manager", Role.STRATEGY_MANAGER)
    client.force_login(manager)
    session = client.session
    session[SIGNED_IN_WITH] = "organisation"
    session.save()
    assert client.get("/en/dashboard/").status_code == 200


def test_the_api_refuses_a_session_that_owes_its_second_factor():
    client = Client()
    person("manager", Role.STRATEGY_MANAGER)
    password_sign_in(client, "manager")
    response = client.get("/api/v1/me/token/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_the_verification_page_speaks_the_readers_language():
    client = Client()
    manager = person("manager", Role.STRATEGY_MANAGER)
    TOTPDevice.objects.create(user=manager, confirmed=True)
    password_sign_in(client, "manager")
    page = client.get("/fr/accounts/second-factor/verify/")
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()
    wrong = client.post("/fr/accounts/second-factor/verify/", {"code": "12\x0034"})
    assert wrong.status_code == 400
