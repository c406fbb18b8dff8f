"""Every route of the URL conf, for each method and role, has an expected status.

The matrix is keyed by route name; `test_every_route_has_an_entry` fails when a route is
added without one. Admin routes are one entry: nobody in these roles is staff, so every
admin address sends them to the admin sign-in.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from objectives.choices import ReviewState
from strategy_tracker.api.preconditions import etag
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "minusca-focal",  # own-mission focal point
    "unmiss-focal",  # other-mission focal point
    "minusca-approver",
    "manager",
    "leader",
]


def same(code: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


def signed_in(anonymous: int, others: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], others)}


def by_role(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def _ids(world) -> dict:
    implementation = world.minusca_implementation
    action = implementation.action
    return {
        "implementation": implementation,
        "action": action,
        "outcome": action.outcome,
        "objective": action.outcome.objective,
        "strategy": action.outcome.objective.strategy,
        "organisation": world.minusca,
        "group": world.minusca.group,
    }


def _pack(world):
    """A ready briefing pack the manager asked for, for all missions."""
    from objectives.models import BriefingPack

    return BriefingPack.objects.create(
        key="k" * 64,
        scope="all",
        requested_by=world.users["manager"],
        language="en",
        state=BriefingPack.State.SUCCEEDED,
        pages=1,
        pdf=b"%PDF-1.7 briefing",
    )


def _if_match(obj):
    return {"HTTP_IF_MATCH": etag(obj)}


def _principle(world):
    from tests.principles.factories import PrincipleFactory

    return PrincipleFactory()


def _principle_of_strategy(world):
    principle = _principle(world)
    _ids(world)["strategy"].principles.add(principle)
    return principle


def _with_evidence(world):
    """The submitted MINUSCA update with a PDF attached."""
    from django.core.files.base import ContentFile

    update = world.updates[ReviewState.SUBMITTED]
    update.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    update.evidence_name = "evidence.pdf"
    update.save()
    return update


def _import_job(world):
    from objectives.models import ImportJob

    return ImportJob.objects.create(
        actor=world.users["manager"], document={"strategy": {"code": "JOB"}}
    )


def _round(world, *, closed: bool = False):
    """A 2026-Q3 round of the world's strategy, open or closed by the manager."""
    import datetime

    from objectives.services import rounds

    opened = rounds.round_open(
        strategy=_ids(world)["strategy"],
        actor=world.users["manager"],
        name="2026-Q3",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
        opens_on=datetime.date(2026, 10, 1),
        deadline=datetime.date(2026, 10, 31),
    )
    if closed:
        rounds.round_close(reporting_round=opened, actor=world.users["manager"])
    return opened


def _round_form(world) -> dict:
    return {
        "strategy": _ids(world)["strategy"].code,
        "name": "2026-Q4",
        "period_start": "2026-10-01",
        "period_end": "2026-12-31",
        "opens_on": "2027-01-01",
        "deadline": "2027-01-31",
    }


# (route name, method) -> (request builder, expected status by role).
# A builder takes the world and returns (path, data, extra headers).
MATRIX = {
    ("healthz", "get"): (lambda w: ("/healthz", None, {}), same(200)),
    ("root", "get"): (lambda w: ("/", None, {}), same(302)),
    ("set_language", "post"): (
        lambda w: ("/i18n/setlang/", {"language": "fr", "next": "/fr/"}, {}),
        same(302),
    ),
    ("login", "get"): (
        lambda w: ("/en/accounts/login/", None, {}),
        signed_in(200, 302),
    ),
    ("logout", "post"): (lambda w: ("/en/accounts/logout/", None, {}), same(302)),
    # Everyone in the world holds a role: the no-role page sends them on.
    ("no-role", "get"): (lambda w: ("/en/accounts/no-role/", None, {}), same(302)),
    ("second-factor", "get"): (
        lambda w: ("/en/accounts/second-factor/", None, {}),
        signed_in(302, 200),
    ),
    ("second-factor-setup", "get"): (
        lambda w: ("/ar/accounts/second-factor/set-up/", None, {}),
        signed_in(302, 200),
    ),
    # The manager and leader have used theirs in this session: sent on.
    ("second-factor-verify", "get"): (
        lambda w: ("/en/accounts/second-factor/verify/", None, {}),
        by_role(302, 200, 200, 200, 302, 302),
    ),
    ("second-factor-recovery-codes", "post"): (
        lambda w: ("/en/accounts/second-factor/recovery-codes/", None, {}),
        by_role(302, 302, 302, 302, 200, 200),
    ),
    # Organisation sign-in is off unless OIDC_ISSUER is set (tests/test_sso.py turns it on).
    ("oidc_authentication_init", "get"): (
        lambda w: ("/oidc/authenticate/", None, {}),
        same(404),
    ),
    ("oidc_authentication_callback", "get"): (
        lambda w: ("/oidc/callback/?code=x&state=y", None, {}),
        same(404),
    ),
    ("oidc-signed-out", "get"): (lambda w: ("/oidc/signed-out/", None, {}), same(200)),
    # The translation workspace: strategy managers only.
    ("objectives:translations", "get"): (
        lambda w: ("/en/translations/", None, {}),
        by_role(302, 403, 403, 403, 200, 403),
    ),
    ("objectives:translation-language", "get"): (
        lambda w: ("/ar/translations/zh-hans/", None, {}),
        by_role(302, 403, 403, 403, 200, 403),
    ),
    ("objectives:translation-language", "post"): (
        lambda w: ("/en/translations/fr/", {}, {}),
        by_role(302, 403, 403, 403, 400, 403),
    ),
    ("objectives:translation-export", "get"): (
        lambda w: ("/en/translations/ru/content.po", None, {}),
        by_role(302, 403, 403, 403, 200, 403),
    ),
    ("objectives:translation-edit", "get"): (
        lambda w: (f"/en/translations/es/goal/{_ids(w)['objective'].pk}/", None, {}),
        by_role(302, 403, 403, 403, 200, 403),
    ),
    ("objectives:translation-edit", "post"): (
        lambda w: (f"/en/translations/es/goal/{_ids(w)['objective'].pk}/", {}, {}),
        by_role(302, 403, 403, 403, 400, 403),
    ),
    ("password_change", "get"): (
        lambda w: ("/en/accounts/password_change/", None, {}),
        signed_in(302, 200),
    ),
    ("password_change_done", "get"): (
        lambda w: ("/en/accounts/password_change/done/", None, {}),
        signed_in(302, 200),
    ),
    ("password_reset", "get"): (
        lambda w: ("/en/accounts/password_reset/", None, {}),
        same(200),
    ),
    ("password_reset_done", "get"): (
        lambda w: ("/en/accounts/password_reset/done/", None, {}),
        same(200),
    ),
    ("password_reset_confirm", "get"): (
        lambda w: ("/en/accounts/reset/MQ/set-password/", None, {}),
        same(200),  # an invalid link says so on a page
    ),
    ("password_reset_complete", "get"): (
        lambda w: ("/en/accounts/reset/done/", None, {}),
        same(200),
    ),
    ("admin:*", "get"): (lambda w: ("/en/admin/", None, {}), same(302)),
    ("objectives:public-home", "get"): (lambda w: ("/en/", None, {}), same(200)),
    ("objectives:public-strategy", "get"): (
        lambda w: (f"/en/strategies/{_ids(w)['strategy'].code}/", None, {}),
        same(200),
    ),
    ("objectives:public-goal", "get"): (
        lambda w: (
            f"/fr/strategies/{_ids(w)['strategy'].code}/goals/{_ids(w)['objective'].code}/",
            None,
            {},
        ),
        same(200),
    ),
    ("objectives:public-mission", "get"): (
        lambda w: (
            f"/ar/strategies/{_ids(w)['strategy'].code}/missions/{w.minusca.code}/",
            None,
            {},
        ),
        same(200),
    ),
    ("objectives:public-principle", "get"): (
        lambda w: (
            f"/en/strategies/{_ids(w)['strategy'].code}/principles/"
            f"{_principle_of_strategy(w).code}/",
            None,
            {},
        ),
        same(200),
    ),
    ("objectives:public-open-data", "get"): (
        lambda w: (
            f"/en/strategies/{_ids(w)['strategy'].code}/open-data/progress.json",
            None,
            {},
        ),
        same(200),
    ),
    ("objectives:dashboard-export", "get"): (
        lambda w: ("/en/dashboard/implementations.xlsx", None, {}),
        by_role(302, 403, 403, 403, 200, 200),
    ),
    ("objectives:dashboard", "get"): (
        lambda w: ("/en/dashboard/", None, {}),
        by_role(302, 403, 403, 403, 200, 200),
    ),
    ("objectives:briefing", "get"): (
        lambda w: ("/en/dashboard/briefing/", None, {}),
        by_role(302, 403, 403, 403, 200, 200),
    ),
    ("objectives:briefing-request", "post"): (
        lambda w: ("/en/dashboard/briefing/pdf/", {"mission": "MINUSCA"}, {}),
        by_role(302, 403, 403, 302, 302, 302),
    ),
    ("objectives:briefing-pack", "get"): (
        lambda w: (f"/en/dashboard/briefing/packs/{_pack(w).pk}/", None, {}),
        by_role(302, 404, 404, 404, 200, 200),
    ),
    ("objectives:briefing-pack-pdf", "get"): (
        lambda w: (
            f"/en/dashboard/briefing/packs/{_pack(w).pk}/briefing.pdf",
            None,
            {},
        ),
        by_role(302, 404, 404, 404, 200, 200),
    ),
    ("objectives:mission-summary", "get"): (
        lambda w: (f"/en/missions/{w.minusca.code}/summary/", None, {}),
        by_role(302, 403, 403, 200, 200, 200),
    ),
    ("objectives:rounds", "get"): (
        lambda w: ("/en/rounds/", None, {}),
        signed_in(302, 200),
    ),
    ("objectives:rounds", "post"): (
        lambda w: ("/en/rounds/", _round_form(w), {}),
        by_role(302, 403, 403, 403, 302, 403),
    ),
    ("objectives:round-detail", "get"): (
        lambda w: (f"/en/rounds/{_round(w).pk}/", None, {}),
        signed_in(302, 200),
    ),
    ("objectives:round-detail", "post"): (
        lambda w: (f"/en/rounds/{_round(w).pk}/", {"close": "1"}, {}),
        by_role(302, 403, 403, 403, 302, 403),
    ),
    ("objectives:round-export", "get"): (
        lambda w: (f"/en/rounds/{_round(w).pk}/reports.xlsx", None, {}),
        signed_in(302, 200),
    ),
    ("api:reporting-round-list", "get"): (
        lambda w: ("/api/v1/reporting-rounds/", None, {}),
        same(200),
    ),
    ("api:reporting-round-list", "post"): (
        lambda w: ("/api/v1/reporting-rounds/", _round_form(w), {}),
        by_role(401, 403, 403, 403, 201, 403),
    ),
    ("api:reporting-round-detail", "get"): (
        lambda w: (f"/api/v1/reporting-rounds/{_round(w).pk}/", None, {}),
        same(200),
    ),
    ("api:reporting-round-close", "post"): (
        lambda w: (f"/api/v1/reporting-rounds/{_round(w).pk}/close/", None, {}),
        by_role(401, 403, 403, 403, 200, 403),
    ),
    ("api:reporting-round-reopen", "post"): (
        lambda w: (
            f"/api/v1/reporting-rounds/{_round(w, closed=True).pk}/reopen/",
            {"reason": "A late report arrived by e-mail."},
            {},
        ),
        by_role(401, 403, 403, 403, 200, 403),
    ),
    ("api:reporting-round-completeness", "get"): (
        lambda w: (f"/api/v1/reporting-rounds/{_round(w).pk}/completeness/", None, {}),
        same(200),
    ),
    ("api:reporting-round-changes", "get"): (
        lambda w: (f"/api/v1/reporting-rounds/{_round(w).pk}/changes/", None, {}),
        same(200),
    ),
    ("api:round-figure-list", "get"): (
        lambda w: (
            f"/api/v1/round-figures/?round={_round(w, closed=True).pk}",
            None,
            {},
        ),
        same(200),
    ),
    ("objectives:my-actions", "get"): (
        lambda w: ("/en/my/", None, {}),
        signed_in(302, 200),
    ),
    ("objectives:implementation-detail", "get"): (
        lambda w: (f"/en/implementations/{w.minusca_implementation.pk}/", None, {}),
        by_role(302, 200, 404, 200, 200, 200),
    ),
    ("objectives:update-review", "post"): (
        lambda w: (
            f"/en/updates/{w.updates[ReviewState.SUBMITTED].pk}/review/",
            {
                "decision": "approve",
                "version": w.updates[ReviewState.SUBMITTED].version,
            },
            {},
        ),
        # Approver: done, back to the page; focal point and HQ: not theirs to approve.
        by_role(302, 403, 404, 302, 403, 403),
    ),
    # -- API -----------------------------------------------------------------------------
    ("api:api-root", "get"): (lambda w: ("/api/v1/", None, {}), same(200)),
    ("api:schema", "get"): (lambda w: ("/api/schema/", None, {}), same(200)),
    ("api:docs", "get"): (lambda w: ("/api/docs/", None, {}), same(200)),
    ("api:strategy-list", "get"): (
        lambda w: ("/api/v1/strategies/", None, {}),
        same(200),
    ),
    ("api:strategy-detail", "get"): (
        lambda w: (f"/api/v1/strategies/{_ids(w)['strategy'].code}/", None, {}),
        same(200),
    ),
    ("api:strategy-tree", "get"): (
        lambda w: (f"/api/v1/strategies/{_ids(w)['strategy'].code}/tree/", None, {}),
        same(200),
    ),
    ("api:strategy-import-tree", "post"): (
        lambda w: (
            "/api/v1/strategies/import/",
            {"strategy": {"code": "MATRIX", "title": {"en": "Matrix"}}},
            {},
        ),
        by_role(401, 403, 403, 403, 202, 403),
    ),
    ("api:import-job-detail", "get"): (
        lambda w: (f"/api/v1/import-jobs/{_import_job(w).pk}/", None, {}),
        by_role(401, 404, 404, 404, 200, 404),
    ),
    ("api:objective-list", "get"): (
        lambda w: ("/api/v1/objectives/", None, {}),
        same(200),
    ),
    ("api:objective-detail", "get"): (
        lambda w: (f"/api/v1/objectives/{_ids(w)['objective'].pk}/", None, {}),
        same(200),
    ),
    ("api:outcome-list", "get"): (lambda w: ("/api/v1/outcomes/", None, {}), same(200)),
    ("api:outcome-detail", "get"): (
        lambda w: (f"/api/v1/outcomes/{_ids(w)['outcome'].pk}/", None, {}),
        same(200),
    ),
    ("api:action-list", "get"): (lambda w: ("/api/v1/actions/", None, {}), same(200)),
    ("api:action-detail", "get"): (
        lambda w: (f"/api/v1/actions/{_ids(w)['action'].pk}/", None, {}),
        same(200),
    ),
    ("api:principle-list", "get"): (
        lambda w: ("/api/v1/principles/", None, {}),
        same(200),
    ),
    ("api:principle-detail", "get"): (
        lambda w: (f"/api/v1/principles/{_principle(w).pk}/", None, {}),
        same(200),
    ),
    ("api:stakeholder-group-list", "get"): (
        lambda w: ("/api/v1/stakeholder-groups/", None, {}),
        same(200),
    ),
    ("api:stakeholder-group-detail", "get"): (
        lambda w: (f"/api/v1/stakeholder-groups/{_ids(w)['group'].pk}/", None, {}),
        same(200),
    ),
    ("api:organisation-list", "get"): (
        lambda w: ("/api/v1/organisations/", None, {}),
        same(200),
    ),
    ("api:organisation-detail", "get"): (
        lambda w: (f"/api/v1/organisations/{w.minusca.pk}/", None, {}),
        same(200),
    ),
    ("api:implementation-list", "get"): (
        lambda w: ("/api/v1/implementations/", None, {}),
        same(200),
    ),
    ("api:implementation-detail", "get"): (
        lambda w: (f"/api/v1/implementations/{w.minusca_implementation.pk}/", None, {}),
        # Anonymous: nothing of it is cleared for the public yet.
        by_role(404, 200, 404, 200, 200, 200),
    ),
    ("api:implementation-report", "post"): (
        lambda w: (
            f"/api/v1/implementations/{w.minusca_implementation.pk}/updates/",
            {"status": "on_track", "progress": 30},
            _if_match(w.minusca_implementation),
        ),
        by_role(401, 201, 404, 403, 403, 403),
    ),
    ("api:status-update-list", "get"): (
        lambda w: ("/api/v1/status-updates/", None, {}),
        same(200),
    ),
    ("objectives:start", "get"): (lambda w: ("/en/start/", None, {}), same(302)),
    ("objectives:review-queue", "get"): (
        lambda w: ("/en/review/", None, {}),
        signed_in(302, 200),
    ),
    ("objectives:review-queue", "post"): (
        lambda w: (
            "/en/review/",
            {
                "decision": "approve",
                "items": [
                    f"{w.updates[ReviewState.SUBMITTED].pk}:"
                    f"{w.updates[ReviewState.SUBMITTED].version}"
                ],
            },
            {},
        ),
        same(302),  # anonymous: to sign in; everyone else: back, with the outcome
    ),
    ("objectives:update-evidence", "get"): (
        lambda w: (f"/en/updates/{_with_evidence(w).pk}/evidence/", None, {}),
        by_role(302, 200, 404, 200, 200, 200),
    ),
    ("api:status-update-evidence", "get"): (
        lambda w: (
            f"/api/v1/status-updates/{_with_evidence(w).pk}/evidence/",
            None,
            {},
        ),
        by_role(401, 200, 404, 200, 200, 200),
    ),
    ("api:redoc", "get"): (lambda w: ("/api/redoc/", None, {}), same(200)),
    ("api:not-found", "get"): (
        lambda w: ("/api/v1/no-such-resource/", None, {}),
        same(404),
    ),
    ("api:status-update-detail", "get"): (
        lambda w: (
            f"/api/v1/status-updates/{w.updates[ReviewState.SUBMITTED].pk}/",
            None,
            {},
        ),
        by_role(404, 200, 404, 200, 200, 200),
    ),
    ("api:status-update-approve", "post"): (
        lambda w: (
            f"/api/v1/status-updates/{w.updates[ReviewState.SUBMITTED].pk}/approve/",
            {},
            _if_match(w.updates[ReviewState.SUBMITTED]),
        ),
        by_role(401, 403, 404, 200, 403, 403),
    ),
    ("api:status-update-return-update", "post"): (
        lambda w: (
            f"/api/v1/status-updates/{w.updates[ReviewState.SUBMITTED].pk}/return/",
            {"comment": "Add the procurement dates."},
            _if_match(w.updates[ReviewState.SUBMITTED]),
        ),
        by_role(401, 403, 404, 200, 403, 403),
    ),
    ("api:status-update-accept", "post"): (
        lambda w: (
            f"/api/v1/status-updates/{w.updates[ReviewState.APPROVED].pk}/accept/",
            {},
            _if_match(w.updates[ReviewState.APPROVED]),
        ),
        by_role(401, 403, 404, 403, 200, 403),
    ),
    ("api:status-update-clear", "post"): (
        lambda w: (
            f"/api/v1/status-updates/{w.updates[ReviewState.ACCEPTED].pk}/clear/",
            {},
            _if_match(w.updates[ReviewState.ACCEPTED]),
        ),
        by_role(401, 403, 404, 403, 200, 403),
    ),
    ("api:progress-snapshot-list", "get"): (
        lambda w: ("/api/v1/progress-snapshots/", None, {}),
        same(200),
    ),
    ("api:my-token", "get"): (
        lambda w: ("/api/v1/me/token/", None, {}),
        signed_in(401, 200),
    ),
    ("api:my-token", "post"): (
        lambda w: ("/api/v1/me/token/", None, {}),
        signed_in(401, 201),
    ),
    ("api:my-token", "delete"): (
        lambda w: ("/api/v1/me/token/", None, {}),
        signed_in(401, 204),
    ),
}


def _route_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = (
                f"{namespace}{pattern.name}"
                if pattern.name
                else f"{namespace}<unnamed>"
            )
            names.add("admin:*" if name.startswith("admin:") else name)
    return names


def test_every_route_has_an_entry():
    covered = {name for name, _method in MATRIX}
    missing = _route_names(get_resolver().url_patterns) - covered
    assert not missing, f"routes without an entry in the matrix: {sorted(missing)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("route", "method"), list(MATRIX))
def test_route_answers_each_role_as_expected(world, route, method, role):
    build, expected = MATRIX[(route, method)]
    client = Client()
    if role != "anonymous":
        sign_in(client, world.users[role])
    path, data, headers = build(world)
    call = getattr(client, method)
    if method == "get":
        response = call(path, **headers)
    else:
        response = (
            call(path, data, content_type="application/json", **headers)
            if path.startswith("/api/")
            else call(path, data or {}, **headers)
        )
    assert response.status_code == expected[role], (
        route,
        method,
        role,
        response.content[:300],
    )


# Routes a person who owes a second factor may still use.
OPEN_TO_THE_UNVERIFIED = {
    "healthz",
    "set_language",
    "logout",
    "second-factor",
    "second-factor-setup",
    "second-factor-verify",
    "second-factor-recovery-codes",  # sends them to verification (tested above)
    "oidc-signed-out",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


@pytest.mark.parametrize(
    ("route", "method"),
    [key for key in MATRIX if key[0] not in OPEN_TO_THE_UNVERIFIED],
)
def test_a_manager_without_a_second_factor_reaches_nothing_but_enrolment(
    world, route, method
):
    """Signed in with the password only, the strategy manager is sent to enrolment from
    every page (the admin, accepting and clearing included) and the API refuses the
    session; nothing is changed on the way."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from objectives.models import StatusUpdate

    manager = world.users["manager"]
    TOTPDevice.objects.filter(user=manager).delete()
    client = Client()
    client.force_login(manager)
    states_before = sorted(
        StatusUpdate.objects.values_list("pk", "review_state", "cleared_for_public")
    )
    build, _expected = MATRIX[(route, method)]
    path, data, headers = build(world)
    if method == "get":
        response = client.get(path, **headers)
    elif path.startswith("/api/"):
        response = getattr(client, method)(
            path, data, content_type="application/json", **headers
        )
    else:
        response = getattr(client, method)(path, data or {}, **headers)
    if path.startswith("/api/"):
        assert response.status_code == 403, (route, response.content[:200])
        assert response.json()["code"] == "second_factor_required"
    else:
        assert response.status_code == 302, (route, response.content[:200])
        assert "/accounts/second-factor/set-up/?next=" in response["Location"]
    assert (
        sorted(
            StatusUpdate.objects.values_list("pk", "review_state", "cleared_for_public")
        )
        == states_before
    )


# -- content: signing in never shows less, and nothing outside the reader's scope --------

LISTS = [
    "/api/v1/strategies/",
    "/api/v1/objectives/",
    "/api/v1/outcomes/",
    "/api/v1/actions/",
    "/api/v1/implementations/",
    "/api/v1/status-updates/",
    "/api/v1/progress-snapshots/",
]


def _public_world(world):
    """MINUSCA reports a series of updates that HQ accepts and clears for public release,
    beside the world's updates at every review stage; a rollup stores the figures."""
    from objectives.services.rollup import rollup_run
    from objectives.services.workflow import status_update_clear
    from tests.objectives.conftest import add_update

    manager = world.users["manager"]
    cleared = []
    for progress in (10, 20, 30):
        update = add_update(
            world.minusca_implementation,
            world.users["minusca-focal"],
            ReviewState.ACCEPTED,
            progress=progress,
            narrative=f"Cleared report at {progress} %",
        )
        cleared.append(
            status_update_clear(update=update, actor=manager, expected_version=None)
        )
    rollup_run()
    return cleared


def _read_all(client, path: str) -> list[dict]:
    """Every row of a list endpoint, following its pages (number or cursor)."""
    rows, address = [], path
    while address:
        response = client.get(address)
        assert response.status_code == 200, (path, response.content[:300])
        body = response.json()
        rows += body["results"] if isinstance(body, dict) else body
        address = body.get("next") if isinstance(body, dict) else None
    return rows


def _key(path: str, row: dict):
    if path.endswith("progress-snapshots/"):
        return (
            row["audience"],
            row["node_type"],
            row["node_id"],
            row["organisation"],
            row["date"],
        )
    return row["id"]


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_role_reads_at_least_what_an_anonymous_reader_reads(world, role):
    """By list and by id: whatever an anonymous reader gets, each role gets too, with
    the same public content where the row is outside their missions."""
    cleared = _public_world(world)
    anonymous, reader = Client(), Client()
    sign_in(reader, world.users[role])
    for path in LISTS:
        public = {_key(path, row): row for row in _read_all(anonymous, path)}
        seen = {_key(path, row): row for row in _read_all(reader, path)}
        assert public, path  # the public world shows something on every list
        assert set(public) <= set(seen), (path, role, set(public) - set(seen))
    for update in cleared:
        response = reader.get(f"/api/v1/status-updates/{update.pk}/")
        assert response.status_code == 200, (role, update.pk)
        assert response.json()["narrative"] == update.narrative
    implementation = world.minusca_implementation
    response = reader.get(f"/api/v1/implementations/{implementation.pk}/")
    assert response.status_code == 200


def test_other_missions_read_the_public_figures_only(world):
    """An UNMISS focal point reads MINUSCA's cleared updates and public figures, never
    MINUSCA's internal figures, uncleared updates or authors."""
    cleared = _public_world(world)
    reader = Client()
    sign_in(reader, world.users["unmiss-focal"])
    updates = _read_all(reader, "/api/v1/status-updates/")
    minusca = [
        u for u in updates if u["implementation"] == world.minusca_implementation.pk
    ]
    assert sorted(u["id"] for u in minusca) == sorted(u.pk for u in cleared)
    assert {u["author"] for u in minusca} == {None}
    own = [u for u in updates if u["id"] == world.updates["unmiss"].pk]
    assert own[0]["author"] == "unmiss-focal"
    implementation = reader.get(
        f"/api/v1/implementations/{world.minusca_implementation.pk}/"
    ).json()
    newest = max(cleared, key=lambda u: (u.accepted_at, u.pk))
    assert (implementation["progress"], implementation["current_update"]) == (
        newest.progress,
        newest.pk,
    )
    snapshots = _read_all(reader, "/api/v1/progress-snapshots/")
    assert {
        row["audience"] for row in snapshots if row["organisation"] == "MINUSCA"
    } == {"public"}
    for key in (ReviewState.SUBMITTED, ReviewState.APPROVED, "confidential", "draft"):
        path = f"/api/v1/status-updates/{world.updates[key].pk}/"
        assert reader.get(path).status_code == 404, key
