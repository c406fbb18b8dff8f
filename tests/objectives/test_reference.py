"""The reference data in the database equals fixtures/reference/strategies.yaml, to the byte."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from objectives.models import Objective, Strategy
from objectives.services.reference import REFERENCE_FILE, reference_data_load
from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup

SHARED_REFERENCE = (
    Path(settings.BASE_DIR).parent / "shared" / "reference" / "strategies.yaml"
)


@pytest.fixture(scope="module")
def facts():
    return yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))


def _strategy(facts, code):
    return next(s for s in facts["strategies"] if s["code"] == code)


def test_fixture_file_is_the_shared_reference_unchanged():
    """The repository's copy is the team's reference file, byte for byte (when it is beside us)."""
    if not SHARED_REFERENCE.exists():
        pytest.skip("the shared reference folder is not beside this checkout")
    assert REFERENCE_FILE.read_bytes() == SHARED_REFERENCE.read_bytes()


@pytest.mark.django_db
def test_counts_match_the_reference(reference_data):
    """12 + 5 principles, 3 groups, 11 missions, 4 HQ departments, and each strategy's objectives."""
    assert Principle.objects.count() == 17
    assert Strategy.objects.get(code="DTS-2021").principles.count() == 12
    assert Strategy.objects.get(code="SGNT-2018").principles.count() == 5
    assert StakeholderGroup.objects.count() == 3
    assert Organisation.objects.filter(kind="mission").count() == 11
    assert Organisation.objects.filter(kind="hq_department").count() == 4
    assert sorted(Strategy.objects.values_list("code", flat=True)) == [
        "A4P-2018",
        "DTS-2021",
        "SGNT-2018",
    ]
    counts = {
        code: Objective.objects.filter(strategy__code=code).count()
        for code in ("DTS-2021", "SGNT-2018", "A4P-2018")
    }
    assert counts == {"DTS-2021": 4, "SGNT-2018": 4, "A4P-2018": 8}


@pytest.mark.django_db
def test_principles_match_the_reference_verbatim(reference_data, facts):
    """Every principle's code, order, and English and Arabic name and definition, exactly."""
    expected = [
        p
        for code in ("DTS-2021", "SGNT-2018")
        for p in _strategy(facts, code)["principles"]
    ]
    for entry in expected:
        principle = Principle.objects.get(code=entry["code"])
        assert principle.order == entry["order"]
        assert principle.name_en == entry["name"]["en"]
        assert principle.name_ar == entry["name"]["ar"]
        assert principle.name_ar.encode() == entry["name"]["ar"].encode()
        assert (principle.definition_en or None) == entry.get("definition", {}).get(
            "en"
        )
        assert (principle.definition_ar or None) == entry.get("definition", {}).get(
            "ar"
        )
    assert Principle.objects.get(code="P01").name_ar == "سهولة الوصول"
    assert Principle.objects.get(code="P12").name_ar == "الاستدامة وقابلية التوسع"


@pytest.mark.django_db
def test_stakeholder_groups_match_the_reference_verbatim(reference_data, facts):
    for entry in _strategy(facts, "DTS-2021")["stakeholder_groups"]:
        group = StakeholderGroup.objects.get(code=entry["code"])
        assert (group.order, group.name_en, group.name_ar) == (
            entry["order"],
            entry["name"]["en"],
            entry["name"]["ar"],
        )
        assert group.description_en == entry["description"]["en"]
        assert group.description_ar == entry["description"]["ar"]
    assert StakeholderGroup.objects.get(code="S3").name_ar == (
        "منظومة الأمم المتحدة والشركاء الخارجيون في المنظمات الدولية ومجتمعات البحث والمجتمع المدني"
    )


@pytest.mark.django_db
def test_strategies_and_their_objectives_match_the_reference(reference_data, facts):
    """Titles in both languages, dates as precise as the source, owners, alignment, objectives."""
    dts = Strategy.objects.get(code="DTS-2021")
    entry = _strategy(facts, "DTS-2021")
    assert (dts.title_en, dts.title_ar) == (entry["title"]["en"], entry["title"]["ar"])
    assert (dts.purpose_en, dts.purpose_ar) == (
        entry["purpose"]["en"],
        entry["purpose"]["ar"],
    )
    assert (dts.initiated, dts.published, dts.launched) == (
        "2020-11",
        "2021-08-15",
        "2021-08-18",
    )
    assert sorted(dts.owners.values_list("code", flat=True)) == ["DMSPC", "DOS", "DPO"]
    assert sorted(dts.aligned_with.values_list("code", flat=True)) == [
        "A4P-2018",
        "SGNT-2018",
    ]
    assert sorted(dts.stakeholder_groups.values_list("code", flat=True)) == [
        "S1",
        "S2",
        "S3",
    ]
    assert Strategy.objects.get(code="SGNT-2018").published == "2018-09"

    for code, key, term in (
        ("DTS-2021", "goals", "goal"),
        ("SGNT-2018", "commitments", "commitment"),
        ("A4P-2018", "areas", "area"),
    ):
        strategy = Strategy.objects.get(code=code)
        assert strategy.objective_term == term
        rows = list(
            strategy.objectives.order_by("order").values(
                "code", "order", "title_en", "title_ar"
            )
        )
        assert [(r["code"], r["order"], r["title_en"]) for r in rows] == [
            (item["code"], item["order"], item["title"]["en"])
            for item in _strategy(facts, code)[key]
        ]
        # The seed's Arabic verbatim where it has one (the goals' Arabic is an
        # unofficial translation: see the six-languages test below).
        for row, item in zip(rows, _strategy(facts, code)[key], strict=True):
            assert row["title_ar"] == item["title"].get("ar", row["title_ar"])
            assert row["title_ar"]
    goal = Objective.objects.get(strategy__code="DTS-2021", code="G1")
    assert goal.source_note == "paraphrase of launch coverage"


@pytest.mark.django_db
def test_organisations_match_the_reference(reference_data, facts):
    for entry in facts["organisations"]["missions"]:
        mission = Organisation.objects.get(code=entry["code"])
        assert (
            mission.kind,
            mission.name_en,
            mission.location,
            mission.established_year,
            mission.working_language,
            mission.group.code,
        ) == (
            "mission",
            entry["name"]["en"],
            entry["location"],
            entry["since"],
            entry["working_language"],
            "S1",
        )
    hq_codes = sorted(
        Organisation.objects.filter(kind="hq_department").values_list("code", flat=True)
    )
    assert hq_codes == ["DMSPC", "DOS", "DPO", "OICT"]


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_data):
    """The loader is safe to run again: no row is created, updated or touched."""
    stamps_before = sorted(Principle.objects.values_list("code", "updated_at"))
    counts_before = (
        Principle.objects.count(),
        Organisation.objects.count(),
        Objective.objects.count(),
    )

    changes = reference_data_load()

    assert changes["principles"] == 0
    assert changes["organisations"] == 0
    assert changes["stakeholder groups"] == 0
    assert [
        changes[code].changed for code in ("SGNT-2018", "A4P-2018", "DTS-2021")
    ] == [False] * 3
    assert sorted(Principle.objects.values_list("code", "updated_at")) == stamps_before
    assert (
        Principle.objects.count(),
        Organisation.objects.count(),
        Objective.objects.count(),
    ) == counts_before


REFERENCE_MODELS = (Strategy, Objective, Principle, StakeholderGroup, Organisation)


def _seed_key(instance) -> tuple[str, str]:
    if isinstance(instance, Strategy):
        return ("strategy", instance.code)
    if isinstance(instance, Objective):
        return (f"objective:{instance.strategy.code}", instance.code)
    kind = {Principle: "principle", StakeholderGroup: "group"}.get(
        type(instance), "organisation"
    )
    return (kind, instance.code)


@pytest.mark.django_db
def test_every_reference_text_is_in_the_six_languages_with_its_source_recorded(
    reference_data,
):
    """Every translated field of the reference content that has English text has it in
    Arabic, Chinese, French, Russian and Spanish too. The seed's Arabic is recorded as the
    UN's own wording (and is verbatim); every other text records its source, never the
    seed's: the translations file is unofficial, and the pages say so."""
    from objectives.services.reference import reference_data_read, seed_texts
    from strategy_tracker.models import TranslationSource, column

    seeds = seed_texts(reference_data_read())
    checked = 0
    for model in REFERENCE_MODELS:
        rows = model.objects.all()
        if model is Objective:
            rows = rows.select_related("strategy")
        for instance in rows:
            key = _seed_key(instance)
            assert instance.missing_translations() == [], key
            assert instance.outdated_translations() == [], key
            for field in instance.translated_fields():
                if not getattr(instance, f"{field}_en"):
                    continue
                for language, _name in settings.LANGUAGES:
                    if language == "en":
                        continue
                    text = getattr(instance, column(field, language))
                    source = instance.translation_source(field, language)
                    seed = seeds.get(key, {}).get((field, language))
                    if seed is not None:
                        assert text == seed, (key, field, language)
                        assert source == TranslationSource.SEED, (key, field, language)
                    else:
                        assert source in {
                            TranslationSource.UNOFFICIAL,
                            TranslationSource.OFFICIAL,
                        }, (key, field, language, source)
                    checked += 1
    # 2021 strategy, goals, 12 principles, 3 groups, 2018 strategies, 15 organisations.
    assert checked > 400


@pytest.mark.django_db
def test_a_translation_saved_without_a_source_is_unofficial_and_goes_out_of_date(
    reference_data,
):
    """Whatever writes a translation, its source is recorded; when the English changes
    afterwards, the translation is reported as outdated until it is translated again."""
    from strategy_tracker.models import TranslationSource

    goal = Objective.objects.get(strategy__code="DTS-2021", code="G1")
    assert goal.translation_source("title", "ru") == TranslationSource.UNOFFICIAL
    goal.title_en = "Drive innovation at Headquarters and in every field mission"
    goal.save()
    assert ("title", "fr") in goal.outdated_translations()
    goal.title_fr = "Stimuler l'innovation au Siège et dans chaque mission"
    goal.translation_record("title", "fr", TranslationSource.UNOFFICIAL)
    goal.save()
    assert ("title", "fr") not in goal.outdated_translations()
    assert ("title", "es") in goal.outdated_translations()
    goal.title_es = ""
    goal.save()
    assert goal.translation_source("title", "es") is None
    assert ("title", "es") in goal.missing_translations()
