"""Signing in with the organisation's account against a real OpenID Connect provider:
the certified Node `oidc-provider` (tools/oidc, pinned by its lock file), started here on
a loopback port. Chromium walks the code flow with PKCE, the "no role yet" page, a role
granted, the silent re-check with the provider, an account disabled there, and signing
out at both ends."""

import json
import logging
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from stakeholders.models import SignInIdentity
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from tests.conftest import service_missing
from tests.stakeholders.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "tools" / "oidc"
CLIENT_ID = "strategy-tracker"
CLIENT_SECRET = "test-client-secret-not-a-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def provider(live_server, tmp_path, settings):
    """The provider, with one person (amina) who can sign in, for this test's live
    server; the tracker configured for it as the environment variables would."""
    node = shutil.which("node")
    if node is None or not (PROVIDER / "node_modules" / "oidc-provider").exists():
        service_missing(
            "the test OpenID provider is not installed; run: npm ci --prefix tools/oidc "
            "(tools/dev.py test and .ci/run do it when npm is present)"
        )
    accounts = tmp_path / "accounts.json"
    people = {
        "amina": {
            "claims": {
                "email": "amina.diallo@un.example",
                "email_verified": True,
                "given_name": "Amina",
                "family_name": "Diallo",
                "name": "Amina Diallo",
                "preferred_username": "amina.diallo",
            }
        }
    }
    accounts.write_text(json.dumps(people))
    port = _free_port()
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen(
        [node, str(PROVIDER / "provider.mjs")],
        cwd=PROVIDER,
        env={
            **os.environ,
            "PORT": str(port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URI": f"{live_server.url}/oidc/callback/",
            "POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/oidc/signed-out/",
            "ACCOUNTS_FILE": str(accounts),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(
                    "the test provider did not start: "
                    + (tmp_path / "provider.log").read_text()
                )
            time.sleep(0.1)
    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()

    def person(login: str, **changes) -> None:
        people[login].update(changes)
        accounts.write_text(json.dumps(people))

    yield type("Provider", (), {"issuer": issuer, "person": staticmethod(person)})
    process.terminate()
    process.wait(timeout=10)
    log.close()
    # What the provider said, shown with the test's log when it fails.
    logging.getLogger(__name__).info((tmp_path / "provider.log").read_text()[-4000:])
    cache.clear()


def _local_only(route):
    """Nothing leaves the machine (the provider's pages ask for a web font)."""
    host = route.request.url.split("/")[2]
    if host.startswith(("127.0.0.1", "localhost")):
        route.continue_()
    else:
        route.abort()


def _sign_in_at_provider(page, site: str) -> None:
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_role("link", name="Sign in with your organisation account").click()
    page.wait_for_url("http://127.0.0.1:*/interaction/**")
    page.fill("input[name=login]", "amina")
    page.fill("input[name=password]", "any password at this provider")
    page.click("button[type=submit]")


@pytest.mark.browser
def test_the_organisation_sign_in_walks_the_whole_code_flow(
    browser, transactional_db, live_server, provider, settings
):
    site = live_server.url
    mission = OrganisationFactory(code="MINUSCA", name_en="MINUSCA")
    # The provider is asked again on the first page after this long (the idle timeout
    # in production), so an account disabled there stops working here.
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 3
    context = browser.new_context(locale="en-GB")
    context.route("**/*", _local_only)
    page = context.new_page()

    # 1. First sign-in: the person is created without any role, and told so.
    _sign_in_at_provider(page, site)
    page.wait_for_url(f"{site}/en/accounts/no-role/")
    assert "You are signed in, but have no role yet" in page.locator("h1").inner_text()
    assert "Welcome, Amina Diallo" in page.content()
    user = get_user_model().objects.get(sign_in_identities__issuer=provider.issuer)
    assert user.username == "amina.diallo"
    assert user.email == "amina.diallo@un.example"
    assert not user.has_usable_password()
    assert not user.role_assignments.exists()
    identity = SignInIdentity.objects.get(user=user)
    assert identity.subject == "amina"
    assert identity.last_signed_in_at is not None

    # 2. A strategy manager gives a role: the same session now reaches My actions.
    role_assign(user=user, role=Role.FOCAL_POINT, organisation=mission)
    page.goto(f"{site}/en/start/")
    page.wait_for_url(f"{site}/en/my/")
    assert "amina.diallo" in page.get_by_role("navigation", name="Main").inner_text()

    # 3. Past the re-check time the provider is asked again without a prompt, and
    #    the person goes on where they were.
    time.sleep(3.5)
    page.goto(f"{site}/en/my/")
    page.wait_for_url(f"{site}/en/my/")
    assert "amina.diallo" in page.get_by_role("navigation", name="Main").inner_text()

    # 4. Signing out ends the provider's session too.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("http://127.0.0.1:*/session/end**")
    page.click("button[value=yes]")
    page.wait_for_url(f"{site}/oidc/signed-out/")
    page.goto(f"{site}/en/my/")
    assert "/en/accounts/login/" in page.url
    page.get_by_role("link", name="Sign in with your organisation account").click()
    page.wait_for_url("http://127.0.0.1:*/interaction/**")  # asked to sign in again

    # 5. An account disabled at the provider stops working at the next re-check.
    page.fill("input[name=login]", "amina")
    page.fill("input[name=password]", "any password at this provider")
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/en/my/")
    provider.person("amina", disabled=True)
    time.sleep(3.5)
    page.goto(f"{site}/en/my/")
    page.wait_for_url(f"{site}/en/accounts/login/")
    assert "Your session with your organisation has ended" in page.content()
    page.goto(f"{site}/en/my/")
    assert "/en/accounts/login/" in page.url
    assert SignInIdentity.objects.count() == 1  # the same person, never a second one
    context.close()


def test_the_sign_in_page_offers_the_organisation_account_when_configured(
    client, settings, db
):
    assert (
        "organisation account" not in client.get("/en/accounts/login/").content.decode()
    )
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    page = client.get("/fr/accounts/login/").content.decode()
    assert "/oidc/authenticate/?next=%2Ffr%2Fstart%2F" in page


def test_the_sign_in_start_sends_a_pkce_challenge(provider, db):
    response = Client().get("/oidc/authenticate/?next=/en/my/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{provider.issuer}/auth?")
    for part in ("code_challenge_method=S256", "code_challenge=", "nonce=", "state="):
        assert part in location


def test_a_provider_that_does_not_answer_is_said_plainly_and_local_sign_in_works(
    settings, db
):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{_free_port()}"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    cache.clear()
    client = Client()
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 503
    assert "does not answer" in response.content.decode()
    assert client.get("/en/accounts/login/").status_code == 200


def test_forged_callbacks_are_counted_and_locked_out(provider, db):
    """A callback whose state this session never sent is refused and counted; after
    AXES_FAILURE_LIMIT of them the address is locked out of organisation sign-in."""
    client = Client()
    client.get("/oidc/authenticate/")  # a real state in the session, not these
    for attempt in range(4):
        response = client.get(f"/oidc/callback/?code=stolen&state=forged{attempt}")
        assert response.status_code == 302
        assert response["Location"] == "/en/accounts/login/"
    locked = client.get("/oidc/callback/?code=stolen&state=forged9")
    assert locked.status_code == 429
    assert client.get("/oidc/authenticate/").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.browser
def test_a_person_locked_out_locally_is_refused_through_the_provider(
    browser, transactional_db, live_server, provider
):
    """The lockout holds on every path: five wrong passwords for the person's account
    refuse their organisation sign-in from that address too."""
    site = live_server.url
    context = browser.new_context()
    context.route("**/*", _local_only)
    page = context.new_page()
    _sign_in_at_provider(page, site)
    page.wait_for_url(f"{site}/en/accounts/no-role/")
    page.get_by_role("button", name="Sign out").click()
    page.click("button[value=yes]")
    page.wait_for_url(f"{site}/oidc/signed-out/")
    for _ in range(5):
        page.goto(f"{site}/en/accounts/login/")
        page.fill("#id_username", "amina.diallo")
        page.fill("#id_password", "wrong")
        page.click("form.narrow button[type=submit]")
    _sign_in_at_provider(page, site)
    page.wait_for_load_state()
    assert "Too many failed sign-in attempts" in page.content()
    page.goto(f"{site}/en/my/")
    assert "/en/accounts/login/" in page.url
    context.close()
