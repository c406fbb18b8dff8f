"""The public home: the strategy, its goals, principles and groups in English, French and Arabic."""

import pytest

pytestmark = pytest.mark.django_db


def test_public_home_in_arabic_is_right_to_left_with_verbatim_names(
    client, reference_data
):
    response = client.get("/ar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "سهولة الوصول" in html
    assert "الاستدامة وقابلية التوسع" in html
    assert "استراتيجية التحول الرقمي لعمليات حفظ السلام الأممية" in html


def test_public_home_shows_english_with_a_note_where_french_is_missing(
    client, reference_data
):
    from objectives.models import Objective

    goal = Objective.objects.get(strategy__code="DTS-2021", code="G1")
    goal.title_fr = ""
    goal.save()
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert (
        '<span lang="en" dir="ltr">Drive innovation at Headquarters and in the field</span> '
        '<small class="untranslated">(pas encore traduit)</small>'
    ) in html
