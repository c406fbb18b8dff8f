"""Bad input from outside answers 4xx in the API's JSON shape (or the page's language),
never a server error: the hand list of what outside testing found."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from objectives.choices import ReviewState
from tests.signing_in import sign_in

from .test_api import etag

pytestmark = pytest.mark.django_db


def _is_api_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["message"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/en/strategies/DTS-2021/missions/a%00/",
        "/en/strategies/DTS-2021/goals/a%00/",
        "/en/strategies/DTS-2021/principles/a%00/",
        "/en/strategies/DTS%00/",
        "/en/?page=1%00",
    ],
)
def test_a_nul_byte_in_a_page_address_is_a_400(world, client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/a%00/",
        "/api/v1/strategies/a%00/tree/",
        "/api/v1/implementations/?organisation=a%00",
    ],
)
def test_a_nul_byte_in_an_api_address_is_a_json_400(world, path):
    body = _is_api_error(APIClient().get(path), 400)
    assert body["code"] == "invalid"


@pytest.mark.parametrize("offset", ["%2B22:05", "-16:00", "%2B16:00", "%2B23:59"])
def test_a_date_filter_with_any_utc_offset_answers_without_a_server_error(
    world, api, offset
):
    response = api("manager").get(
        f"/api/v1/status-updates/?submitted_after=2026-01-01T00:00:00{offset}"
    )
    assert response.status_code == 200, response.content[:300]


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    ("method", "address", "key"),
    [
        ("post", "/api/v1/implementations/{implementation}/updates/", "minusca-focal"),
        ("post", "/api/v1/status-updates/{submitted}/return/", "manager"),
        ("post", "/api/v1/strategies/import/", "manager"),
    ],
)
def test_json_nested_2000_levels_deep_is_a_400(world, api, method, address, key):
    submitted = world.updates[ReviewState.SUBMITTED]
    url = address.format(
        implementation=world.minusca_implementation.pk, submitted=submitted.pk
    )
    response = getattr(api(key), method)(
        url,
        data='{"comment": ' + _deep(2000) + "}",
        content_type="application/json",
        HTTP_IF_MATCH=etag(
            world.minusca_implementation if "implementations" in url else submitted
        ),
    )
    body = _is_api_error(response, 400)
    assert "nested" in body["message"]


@override_settings(REQUEST_BODY_MAX_BYTES=1_000_000)
def test_a_body_over_the_limit_is_refused_in_the_api_shape_before_it_is_read(
    world, api
):
    payload = json.dumps({"comment": "x" * 1_100_000})
    response = api("manager").post(
        "/api/v1/strategies/import/", data=payload, content_type="application/json"
    )
    body = _is_api_error(response, 413)
    assert body["code"] == "too_large"


@override_settings(REQUEST_BODY_MAX_BYTES=100_000, EVIDENCE_MAX_BYTES=1_000_000)
def test_an_upload_over_the_limit_is_refused_in_the_readers_language(world, client):
    """Finding: a 50 MB upload was refused only after all of it arrived."""
    sign_in(client, world.users["minusca-focal"])
    response = client.post(
        f"/fr/implementations/{world.minusca_implementation.pk}/",
        data={
            "status": "on_track",
            "progress": "30",
            "evidence_file": SimpleUploadedFile("big.pdf", b"%PDF-1.4 " * 150_000),
        },
    )
    assert response.status_code == 413
    assert "trop volumineuse" in response.content.decode()


@override_settings(DEBUG=True)
def test_an_unknown_api_address_answers_json_404_even_in_the_embedded_default(db):
    _is_api_error(APIClient().get("/api/v1/no-such-thing/"), 404)
    _is_api_error(APIClient().get("/api/nothing-here"), 404)
    # A write to an address that is not one (an id the router does not take), with a
    # session cookie: still the JSON 404, never a CSRF page.
    client = APIClient(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "x"
    _is_api_error(client.post("/api/v1/status-updates/0.5/accept/", {}), 404)


def test_the_schema_marks_if_match_required_on_every_write(db):
    schema = (
        APIClient()
        .get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        .json()
    )
    writes = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            headers = {
                p["name"]: p
                for p in operation.get("parameters", [])
                if p["in"] == "header"
            }
            if "If-Match" in headers:
                writes += 1
                assert headers["If-Match"]["required"] is True, (method, path)
    assert writes >= 5
