"""The public home: the strategy, its goals, principles and groups in English, French and Arabic."""

import pytest

from objectives.services.tree_import import strategy_import
from tests.objectives.test_import import tree

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
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert (
        '<span lang="en" dir="ltr">Drive innovation at Headquarters and in the field</span> '
        '<small class="untranslated">(not yet translated)</small>'
    ) in html


def test_public_home_in_english_lists_goals_and_principles(client, reference_data):
    html = client.get("/en/").content.decode()
    assert "G4 · Ensure the responsible use of digital technologies" in html
    assert html.count("<li><strong>P") == 12
    assert html.count("<li><strong>NT-P") == 5
    assert "Wording: paraphrase of launch coverage" in html


def test_public_home_query_count_does_not_grow_with_data(
    client, reference_data, django_assert_num_queries
):
    with django_assert_num_queries(5):
        client.get("/en/")
    strategy_import(data=tree())
    for index in range(5):
        strategy_import(data=tree(code=f"MORE-{index}"))
    with django_assert_num_queries(5):
        response = client.get("/en/")
    assert response.content.decode().count("<article") == 3 + 6
