"""Every UI string in the five languages beside English (the six official languages of the
UN): the .po files are complete (no untranslated or fuzzy entry, every plural form), their
compiled .mo files match, and no string in the code is missing."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]
SOURCES = [
    "manage.py",
    "strategy_tracker",
    "objectives",
    "principles",
    "stakeholders",
    "templates",
]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_po_file_is_complete_with_no_fuzzy_entry(language):
    po = catalogue(language)
    assert len(po) > 300
    assert po.untranslated_entries() == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert po.obsolete_entries() == []
    assert not po.metadata_is_fuzzy
    plurals = {
        "fr": "nplurals=2;",
        "ar": "nplurals=6;",
        "es": "nplurals=3;",
        "ru": "nplurals=4;",
        "zh_Hans": "nplurals=1;",
    }[language]
    assert po.metadata["Plural-Forms"].startswith(plurals)
    for entry in po:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The .mo files are committed (a fresh machine may have no gettext): they must be
    compiled from the current .po files (manage.py compilemessages)."""
    po = catalogue(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        found = compiled.get((entry.msgctxt, entry.msgid))
        assert found is not None, f"{entry.msgid!r} is not compiled"
        if entry.msgid_plural:
            assert {int(k): v for k, v in found[1].items()} == {
                int(k): v for k, v in entry.msgstr_plural.items()
            }
        else:
            assert found[0] == entry.msgstr, entry.msgid


def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """makemessages, run on a copy of the sources, finds nothing new to translate."""
    if shutil.which("xgettext") is None:
        service_missing("GNU gettext (xgettext) is not installed")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *[f"--locale={language}" for language in LANGUAGES],
            "--no-obsolete",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "strategy_tracker.settings.test",
            "PYTHONPATH": str(tmp_path),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        fresh = polib.pofile(
            str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        )
        assert fresh.untranslated_entries() == [], language
        assert fresh.fuzzy_entries() == [], language
        assert {e.msgid for e in fresh} == {e.msgid for e in catalogue(language)}


@pytest.mark.django_db
def test_pages_speak_the_readers_language(client, reference_data):
    french = client.get("/fr/").content.decode()
    assert "Avancement global" in french
    assert "Principes directeurs" in french
    arabic = client.get("/ar/").content.decode()
    assert "التقدم الإجمالي" in arabic
    assert "المبادئ التوجيهية" in arabic
