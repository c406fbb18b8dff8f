"""The demo refuses to load where the settings do not allow it (production), on an empty
database: this module loads no demo of its own."""

import pytest
from django.core.management import CommandError, call_command

from objectives.devtools.demo import demo_data_load
from objectives.models import StatusUpdate
from strategy_tracker.exceptions import ForbiddenInProduction

pytestmark = pytest.mark.django_db


def test_demo_refuses_production_settings(settings):
    settings.TRACKER_DEMO_ALLOWED = False
    with pytest.raises(ForbiddenInProduction):
        demo_data_load()
    with pytest.raises(
        CommandError, match="Demo data is for the embedded default only"
    ):
        call_command("load_demo")
    assert StatusUpdate.objects.count() == 0
