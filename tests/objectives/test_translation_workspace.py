"""The translation workspace: progress per language, missing and outdated texts,
side-by-side editing that detects a concurrent edit, and PO files exchanged with
translators, imported all or nothing with every problem named by its line."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from objectives.models import Objective
from objectives.services.translations import content_version
from stakeholders.permissions import Role
from stakeholders.services import role_assign
from strategy_tracker.models import TranslationSource
from tests.objectives.factories import ActionFactory, UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

WORKSPACE = "/en/translations/"


@pytest.fixture
def manager(reference_data):
    user = UserFactory(username="translation-manager")
    role_assign(user=user, role=Role.STRATEGY_MANAGER)
    return user


@pytest.fixture
def client_of(manager):
    client = Client()
    sign_in(client, manager)
    return client


def goal(code="G1") -> Objective:
    return Objective.objects.get(strategy__code="DTS-2021", code=code)


def test_only_strategy_managers_use_the_workspace(reference_data, client_of):
    assert client_of.get(WORKSPACE).status_code == 200
    anonymous = Client().get(WORKSPACE)
    assert anonymous.status_code == 302
    leader = UserFactory(username="leader-reader")
    role_assign(user=leader, role=Role.LEADERSHIP)
    other = Client()
    sign_in(other, leader)
    assert other.get(WORKSPACE).status_code == 403
    assert other.get("/en/translations/fr/content.po").status_code == 403


def test_the_workspace_shows_each_languages_progress(client_of):
    page = client_of.get(WORKSPACE)
    names = [s.language for s in page.context["statuses"]]
    assert names == ["ar", "zh-hans", "fr", "ru", "es"]
    for status in page.context["statuses"]:
        assert status.counts["missing"] == 0, (
            status.language
        )  # the reference is complete
        assert status.percent_done == 100


def test_a_changed_english_text_shows_as_outdated_and_is_fixed_side_by_side(client_of):
    g1 = goal()
    g1.title_en = "Drive innovation at Headquarters and in every mission"
    g1.save()
    listing = client_of.get("/en/translations/ru/")
    outdated = [i for i in listing.context["items"] if i.state == "outdated"]
    assert [(i.kind, i.instance.pk, i.field) for i in outdated] == [
        ("goal", g1.pk, "title")
    ]
    edit_url = f"/en/translations/ru/goal/{g1.pk}/"
    form = client_of.get(edit_url)
    assert (
        "Drive innovation at Headquarters and in every mission" in form.content.decode()
    )
    answer = client_of.post(
        edit_url,
        {
            "version": form.context["form"]["version"].value(),
            "text_title": "Содействовать инновациям в Центральных учреждениях и в каждой миссии",
            "source_title": "official",
            "text_description": g1.description_ru,
            "source_description": "unofficial",
        },
    )
    assert answer.status_code == 302
    g1.refresh_from_db()
    assert g1.title_ru.endswith("в каждой миссии")
    assert g1.translation_source("title", "ru") == TranslationSource.OFFICIAL
    assert ("title", "ru") not in g1.outdated_translations()
    assert ("title", "fr") in g1.outdated_translations()


def test_two_people_editing_the_same_content_do_not_overwrite_each_other(
    client_of, manager
):
    g2 = goal("G2")
    version = content_version(g2)
    url = f"/en/translations/fr/goal/{g2.pk}/"
    first = client_of.post(
        url,
        {
            "version": version,
            "text_title": "Premier texte",
            "source_title": "unofficial",
            "text_description": g2.description_fr,
            "source_description": "unofficial",
        },
    )
    assert first.status_code == 302
    second = client_of.post(
        url,
        {
            "version": version,
            "text_title": "Second texte",
            "source_title": "unofficial",
            "text_description": g2.description_fr,
            "source_description": "unofficial",
        },
    )
    assert second.status_code == 400
    assert "Someone else changed this content" in second.content.decode()
    assert "Premier texte" in second.content.decode()  # theirs, shown
    g2.refresh_from_db()
    assert g2.title_fr == "Premier texte"
    # Having seen theirs, saving again goes through.
    again = client_of.post(url, {**second.context["form"].data.dict()})
    assert again.status_code == 302
    g2.refresh_from_db()
    assert g2.title_fr == "Second texte"


def _exported(client, language, query="") -> polib.POFile:
    response = client.get(f"/en/translations/{language}/content.po{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return polib.pofile(response.content.decode())


def _upload(client, language, po: polib.POFile):
    return client.post(
        f"/en/translations/{language}/",
        {"file": SimpleUploadedFile("content.po", str(po).encode())},
    )


def test_po_export_and_import_round_trip(client_of):
    g1 = goal()
    g1.title_en = "Drive innovation everywhere"
    g1.save()
    action = ActionFactory(outcome__objective=g1, title_en="Run a hackathon")
    po = _exported(client_of, "es")
    entries = {entry.msgctxt: entry for entry in po}
    assert "fuzzy" in entries[f"goal:{g1.pk}:title"].flags  # outdated
    assert entries[f"action:{action.pk}:title"].msgstr == ""  # missing
    assert entries[f"action:{action.pk}:title"].msgid == "Run a hackathon"
    entries[f"goal:{g1.pk}:title"].msgstr = "Impulsar la innovación en todas partes"
    entries[f"goal:{g1.pk}:title"].flags.remove("fuzzy")
    entries[f"action:{action.pk}:title"].msgstr = "Organizar un hackatón"
    answer = _upload(client_of, "es", po)
    assert answer.status_code == 302
    g1.refresh_from_db()
    action.refresh_from_db()
    assert g1.title_es == "Impulsar la innovación en todas partes"
    assert action.title_es == "Organizar un hackatón"
    assert action.translation_source("title", "es") == TranslationSource.UNOFFICIAL
    assert ("title", "es") not in g1.outdated_translations()
    everything = _exported(client_of, "es", "?all=1")
    assert len(everything) > 80


def test_an_import_with_any_problem_writes_nothing_and_names_each_line(client_of):
    g1 = goal()
    po = _exported(client_of, "fr", "?all=1")
    entries = {entry.msgctxt: entry for entry in po}
    entries[f"goal:{g1.pk}:title"].msgstr = "Un titre qui ne doit pas être écrit"
    po.append(polib.POEntry(msgctxt="goal:999999:title", msgid="x", msgstr="y"))
    po.append(polib.POEntry(msgctxt=f"goal:{g1.pk}:colour", msgid="x", msgstr="y"))
    po.append(polib.POEntry(msgctxt="nonsense", msgid="x", msgstr="y"))
    changed = entries[f"goal:{goal('G2').pk}:title"]
    changed.msgid = "An English text that is no longer the goal's"
    changed.msgstr = "Texte"
    answer = _upload(client_of, "fr", po)
    assert answer.status_code == 400
    problems = answer.context["problems"]
    reread = polib.pofile(str(po))
    lines = {entry.msgctxt: entry.linenum for entry in reread}
    assert (
        f"line {lines['goal:999999:title']}: there is no goal with id 999999."
        in problems
    )
    assert any(p.startswith(f"line {lines[f'goal:{g1.pk}:colour']}:") for p in problems)
    assert any("is not <kind>:<id>:<field>" in p for p in problems)
    assert any("has changed since this file was made" in p for p in problems)
    assert len(problems) == 4
    g1.refresh_from_db()
    assert g1.title_fr == "Stimuler l'innovation au Siège et sur le terrain"


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01binary", b"\xff\xfe not utf-8", b'msgid "unterminated', b""],
)
def test_a_file_that_is_not_a_po_file_is_refused_plainly(client_of, content):
    answer = client_of.post(
        "/en/translations/ru/", {"file": SimpleUploadedFile("x.po", content)}
    )
    assert answer.status_code == 400


def test_a_file_for_another_language_is_refused(client_of):
    po = _exported(client_of, "ar", "?all=1")
    answer = _upload(client_of, "zh-hans", po)
    assert answer.status_code == 400
    assert "is for language “ar”" in " ".join(answer.context["problems"])


def test_workspace_pages_keep_their_query_count_as_content_grows(
    client_of, django_assert_max_num_queries
):
    pages = [
        "/en/translations/",
        "/en/translations/fr/",
        "/en/translations/fr/content.po",
    ]
    counts = {}
    for path in pages:
        client_of.get(path)
        with django_assert_max_num_queries(20) as small:
            client_of.get(path)
        counts[path] = len(small.captured_queries)
    g1 = goal()
    for _ in range(25):
        ActionFactory(outcome__objective=g1)
    for path in pages:
        with django_assert_max_num_queries(20) as large:
            client_of.get(path)
        assert len(large.captured_queries) == counts[path], path
