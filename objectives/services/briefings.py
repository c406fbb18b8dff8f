"""Briefing packs: the dashboard's state for one strategy, round and set of filters, in
the reader's language, as a PDF rendered by WeasyPrint from the briefing page's own
template (`objectives/briefing.html`), in a worker.

A pack is kept under a key made of everything that changes its content: the strategy,
the round, the filters, the language, whose missions the reader may read, and the
version of the figures (the closed round's close, the rollup's run, or, for figures
computed live, the minute). Asking again for the same pack returns the one made, ready
or on its way.
"""

import datetime
import hashlib
import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import BriefingPack, ReportingRound
from ..permissions import reading_scope
from ..selectors.dashboard import (
    DashboardFilters,
    current_rollup,
    leadership_dashboard,
)
from ..selectors.figures import active_strategies, chosen_strategy

logger = logging.getLogger(__name__)

BRIEFING_STYLESHEETS = ["css/tracker.css", "css/briefing.css"]
# A pack whose worker has not started it after this long is run by the periodic check.
WAITING_SECONDS = 60


def figures_version(filters: DashboardFilters) -> str:
    """What the figures of a briefing would be read from, and as of when: a closed
    round's close, else the rollup's latest run when nothing waits for it, else the
    current minute (figures computed live). Three queries at most."""
    strategy = chosen_strategy(active_strategies(), filters.strategy)
    if strategy is None:
        return "none"
    if filters.round:
        closed_at = (
            ReportingRound.objects.filter(
                pk=filters.round if filters.round.isdigit() else None,
                strategy=strategy,
                closed_at__isnull=False,
            )
            .values_list("closed_at", flat=True)
            .first()
        )
        if closed_at is not None:
            return f"round:{filters.round}:{closed_at.isoformat()}"
    run, _pending = current_rollup(filters)
    if run is not None:
        return f"rollup:{run.pk}"
    return "live:" + timezone.now().strftime("%Y-%m-%dT%H:%M")


def briefing_key(filters: DashboardFilters, user: AbstractBaseUser, language: str):
    """The key of the pack this person would get, and their reading scope."""
    scope = reading_scope(user)
    wanted = {
        "filters": filters.as_query(sort=None),
        "language": language,
        "scope": scope,
        "figures": figures_version(filters),
    }
    text = json.dumps(wanted, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest(), scope


def briefing_pack_request(
    filters: DashboardFilters, *, user: AbstractBaseUser, language: str
) -> tuple[BriefingPack, bool]:
    """The pack for these filters, language and reader: the one already made or on its
    way, or a new one queued (True). A failed one is queued again."""
    key, scope = briefing_key(filters, user, language)
    pack = BriefingPack.objects.filter(key=key).first()
    if pack is not None and pack.state != BriefingPack.State.FAILED:
        return pack, False
    try:
        with transaction.atomic():
            pack, _created = BriefingPack.objects.update_or_create(
                key=key,
                defaults={
                    "scope": scope,
                    "requested_by": user,
                    "language": language,
                    "filters": filters.as_query(sort=None),
                    "state": BriefingPack.State.QUEUED,
                    "progress": "",
                    "error": "",
                },
            )
    except IntegrityError:  # asked for twice at once: the other request made it
        return BriefingPack.objects.get(key=key), False
    return pack, True


def briefing_render(
    filters: DashboardFilters,
    *,
    user: AbstractBaseUser,
    language: str,
    say: Callable[[str], None] | None = None,
) -> tuple[bytes, int]:
    """The briefing pack as PDF bytes, and its number of pages."""
    from weasyprint import CSS, HTML  # a heavy import, needed by the worker only

    say = say or (lambda message: None)
    with translation.override(language):
        say("collecting the figures")
        dashboard = leadership_dashboard(filters, user=user)
        say("laying out the pages")
        html = render_to_string(
            "objectives/briefing.html",
            {
                "dashboard": dashboard,
                "pdf": True,
                "LANGUAGE_CODE": language,
                "LANGUAGE_BIDI": translation.get_language_bidi(),
                "generated_at": timezone.now(),
            },
        )
        stylesheets = [
            CSS(filename=finders.find(name) or staticfiles_storage.path(name))
            for name in BRIEFING_STYLESHEETS
        ]
        document = HTML(string=html, base_url=settings.SITE_URL).render(
            stylesheets=stylesheets
        )
        say(f"writing {len(document.pages)} pages")
        return document.write_pdf(), len(document.pages)


def briefing_pack_run(*, pack_id) -> BriefingPack | None:
    """Render a queued pack (a worker's task); a pack already done is left alone."""
    pack = BriefingPack.claim(pack_id)
    if pack is None:
        return None

    def say(message: str) -> None:
        BriefingPack.objects.filter(pk=pack.pk).update(progress=message)
        logger.info("briefing.%s", message.replace(" ", "_"))

    started = time.monotonic()
    try:
        pdf, pages = briefing_render(
            DashboardFilters.from_query(pack.filters),
            user=pack.requested_by,
            language=pack.language,
            say=say,
        )
    except Exception as error:
        logger.exception("briefing.failed")
        BriefingPack.objects.filter(pk=pack.pk).update(
            state=BriefingPack.State.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        pack.refresh_from_db()
        return pack
    BriefingPack.objects.filter(pk=pack.pk).update(
        state=BriefingPack.State.SUCCEEDED,
        pdf=pdf,
        pages=pages,
        progress=f"{pages} pages in {time.monotonic() - started:.1f} s",
        finished_at=timezone.now(),
    )
    pack.refresh_from_db()
    return pack


def briefing_packs_waiting(*, older_than_seconds: int = WAITING_SECONDS) -> list:
    """Queued packs whose task never came (Redis or the worker was down)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        BriefingPack.objects.filter(
            state=BriefingPack.State.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


def briefing_packs_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the packs made more than BRIEFING_PACK_DAYS ago (their figures have moved
    on; asking again makes a new one); return how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.BRIEFING_PACK_DAYS
    )
    deleted, _by_model = BriefingPack.objects.filter(created_at__lt=cutoff).delete()
    return deleted
