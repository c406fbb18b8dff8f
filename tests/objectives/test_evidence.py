"""Evidence files: checked by their bytes, stored under unguessable names outside any
public path, downloaded only by those who may read the update, as an attachment."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from objectives.choices import ReviewState, Sensitivity
from objectives.services import workflow
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _report(world, upload, *, sensitivity=Sensitivity.CONFIDENTIAL, submit=True):
    return workflow.status_update_save(
        implementation=world.minusca_implementation,
        actor=world.users["minusca-focal"],
        content=workflow.UpdateContent(
            status="on_track",
            progress=30,
            narrative="With evidence.",
            evidence_file=upload,
            sensitivity=sensitivity,
        ),
        submit=submit,
        expected_version=None,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", HTML),  # HTML renamed .pdf
        ("chart.png", SVG),  # SVG renamed .png
        ("notes.txt", HTML),
        ("data.csv", SVG),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("fake.docx", b"PK\x03\x04not really a zip"),
    ],
)
def test_files_are_checked_by_their_bytes_whatever_their_name(world, name, content):
    """Finding: types were checked by extension only; HTML renamed .pdf and SVG renamed
    .png were accepted."""
    with pytest.raises(ValidationError) as caught:
        _report(world, SimpleUploadedFile(name, content))
    assert "evidence_file" in caught.value.message_dict
    assert "does not hold" in caught.value.message_dict["evidence_file"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("chart.png", PNG),
        ("minutes.docx", _docx()),
        ("figures.csv", b"mission,progress\nMINUSCA,30\n"),
        ("notes.txt", "Réunion tenue le 3 novembre.\n".encode()),
    ],
)
def test_real_files_of_each_allowed_type_are_accepted(world, name, content):
    update = _report(world, SimpleUploadedFile(name, content))
    assert update.evidence_name == name
    assert name not in update.evidence_file.name  # stored under an unguessable name
    assert len(update.evidence_file.name.rsplit("/", 1)[-1]) >= 32


@pytest.fixture
def confidential(world):
    return _report(world, SimpleUploadedFile("Budget plan.pdf", PDF))


def test_the_author_and_the_approver_download_a_confidential_file(
    world, client, confidential
):
    address = f"/en/updates/{confidential.pk}/evidence/"
    for username in ("minusca-focal", "minusca-approver"):
        sign_in(client, world.users[username])
        response = client.get(address)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert "Budget plan.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        page = client.get(f"/en/implementations/{world.minusca_implementation.pk}/")
        assert address in page.content.decode()
    api = APIClient()
    api.force_authenticate(world.users["minusca-approver"])
    body = api.get(f"/api/v1/status-updates/{confidential.pk}/").json()
    assert body["evidence_file"] == "Budget plan.pdf"
    assert body["evidence_download"].endswith(
        f"/api/v1/status-updates/{confidential.pk}/evidence/"
    )
    download = api.get(body["evidence_download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_other_missions_and_anonymous_readers_get_404_at_every_address(
    world, client, confidential
):
    """Finding: every uploaded file was downloadable anonymously and by other missions
    at a guessable /media/evidence/YYYY/MM/<original name>."""
    stored = confidential.evidence_file.name
    addresses = [
        f"/en/updates/{confidential.pk}/evidence/",
        f"/api/v1/status-updates/{confidential.pk}/evidence/",
        f"/media/{stored}",
        f"/media/evidence/{stored}",
        "/media/evidence/2026/11/Budget%20plan.pdf",
    ]
    for username in ("unmiss-focal", None):
        client.logout()
        if username:
            sign_in(client, world.users[username])
        for address in addresses:
            response = client.get(address)
            assert response.status_code in (404, 401, 302), (username, address)
            if response.status_code == 302:  # anonymous: to sign in, then 404
                assert "/accounts/login/" in response["Location"]
            assert PDF not in getattr(response, "content", b"")
    # Files are kept outside any folder the web server publishes.
    evidence_root = Path(settings.EVIDENCE_ROOT).resolve()
    for published in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not evidence_root.is_relative_to(Path(published).resolve())


def test_a_draft_file_reaches_only_its_author(world, client):
    draft = _report(
        world,
        SimpleUploadedFile("draft.pdf", PDF),
        sensitivity=Sensitivity.UNCLASSIFIED,
        submit=False,
    )
    sign_in(client, world.users["minusca-approver"])
    assert client.get(f"/en/updates/{draft.pk}/evidence/").status_code == 404
    sign_in(client, world.users["minusca-focal"])
    assert client.get(f"/en/updates/{draft.pk}/evidence/").status_code == 200


def test_downloading_keeps_a_fixed_query_count(
    world, client, confidential, django_assert_max_num_queries
):
    from .conftest import add_update
    from .factories import ImplementationFactory

    sign_in(client, world.users["minusca-approver"])
    address = f"/en/updates/{confidential.pk}/evidence/"
    api = APIClient()
    api.force_authenticate(world.users["minusca-approver"])
    api_address = f"/api/v1/status-updates/{confidential.pk}/evidence/"
    client.get(address)  # warm the session and the permission caches
    api.get(api_address)
    with django_assert_max_num_queries(12) as small:
        client.get(address)
    with django_assert_max_num_queries(12) as small_api:
        api.get(api_address)
    for _ in range(30):
        add_update(
            ImplementationFactory(organisation=world.minusca),
            world.users["minusca-focal"],
            ReviewState.SUBMITTED,
        )
    with django_assert_max_num_queries(12) as large:
        client.get(address)
    with django_assert_max_num_queries(12) as large_api:
        api.get(api_address)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large_api.captured_queries) == len(small_api.captured_queries)
