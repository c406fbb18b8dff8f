"""One way to write a percentage and a date on every page, per language."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from objectives.templatetags.formatting import percent
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("30.00"), "30\u00a0%"),
        ("en", Decimal("27.50"), "27.5\u00a0%"),
        ("en", 27, "27\u00a0%"),
        ("en", Decimal("19.17"), "19.2\u00a0%"),
        ("fr", Decimal("27.50"), "27,5\u00a0%"),
        ("ar", Decimal("27.50"), "27,5\u00a0%"),
        ("en", None, "\u2013"),
    ],
)
def test_a_percentage_is_written_one_way(language, value, expected):
    """Finding: "27 %" printed beside "30.0 %" on one page."""
    with translation.override(language):
        assert percent(value) == expected


def test_arabic_dates_and_times_keep_one_order():
    """Finding: one Arabic sentence mixed "نوفمبر 30, 2026" and "4 ديسمبر، 2026":
    Django's Arabic locale has a date format but no date-and-time format."""
    import datetime

    moment = datetime.datetime(2026, 11, 30, 22, 5, tzinfo=datetime.UTC)
    template = Template(
        '{{ moment|date:"DATE_FORMAT" }} | {{ moment|date:"DATETIME_FORMAT" }}'
    )
    with translation.override("ar"):
        date, date_and_time = template.render(Context({"moment": moment})).split(" | ")
    assert date == "30 نوفمبر، 2026"
    assert date_and_time.startswith(date)
    assert date_and_time.endswith("22:05")


def test_no_page_mixes_percentage_forms(demo_database, db):
    """Every percentage on the dashboard is written by the one filter."""
    from django.contrib.auth import get_user_model

    client = Client()
    sign_in(client, get_user_model().objects.get(username="leader"))
    for language in ("en", "fr", "ar"):
        body = client.get(f"/{language}/dashboard/").content.decode()
        text = re.sub(r"<[^>]+>", " ", body)
        assert re.findall(r"\d %", text) == [], language
        assert re.findall(r"\d\.\d\d\u00a0%", text) == [], language
        assert "\u00a0%" in text
