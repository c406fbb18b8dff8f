"""Public progress pages and open data: the rollup's public figures, nothing that is not
cleared, a fixed query count, a per-language cache refreshed on acceptance and clearance."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from objectives.caching import public_pages_refresh
from objectives.choices import Audience, NodeType, ReviewState, Sensitivity
from objectives.models import Implementation, Objective, Strategy
from objectives.services.rollup import rollup_compute, rollup_run
from objectives.services.workflow import status_update_clear
from stakeholders.models import Organisation
from tests.signing_in import sign_in

from .conftest import add_update
from .factories import ActionFactory, ImplementationFactory

pytestmark = pytest.mark.django_db(transaction=False)
DAY = datetime.date(2026, 11, 23)
STRATEGY = "DTS-2021"
CONFIDENTIAL_MARKER = "MARKER-CONFIDENTIAL-7f3a9c"
UNCLEARED_MARKER = "MARKER-NOT-CLEARED-41be2d"


@pytest.fixture(scope="module")
def rolled_up_demo(demo_database, django_db_blocker):
    """The module's demo with today's rollup stored: open data reads the rollup's
    public figures."""
    with django_db_blocker.unblock():
        rollup_run()


@pytest.fixture
def demo(rolled_up_demo, db):
    return Strategy.objects.get(code=STRATEGY)


def _public_rows(strategy: Strategy) -> dict:
    return {
        (row.node_type, row.node_id, row.organisation_id): row
        for row in rollup_compute(day=DAY)
        if row.audience == Audience.PUBLIC and row.strategy_id == strategy.pk
    }


class _Links(HTMLParser):
    """The absolute addresses of a page's links."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.add(urljoin(self.base, href))


def _links(html: str, base: str) -> set[str]:
    parser = _Links(base)
    parser.feed(html)
    return parser.found


def test_public_home_figures_are_the_rollups_public_figures(client, demo):
    rows = _public_rows(demo)
    response = client.get("/en/")
    page = response.context["page"]
    overall = rows[(NodeType.STRATEGY, demo.pk, None)]
    assert page.strategy == demo
    assert page.overall.implementation_count == overall.implementation_count > 0
    assert page.overall.progress == overall.progress
    for goal, figures in page.goals:
        assert figures.progress == rows[(NodeType.OBJECTIVE, goal.pk, None)].progress
    for mission, figures in page.mission_totals:
        assert (
            figures.progress == rows[(NodeType.STRATEGY, demo.pk, mission.pk)].progress
        )
    # Public figures count only implementations with an update cleared for release.
    assert (
        overall.implementation_count
        == Implementation.objects.filter(
            action__outcome__objective__strategy=demo, public_update__isnull=False
        ).count()
    )
    html = response.content.decode()
    assert f"{overall.progress.normalize():f}".rstrip("0").rstrip(".") in html
    assert "Data as of" in html
    assert "Last verified" in html


def test_public_home_lists_goals_principles_and_stakeholder_groups(client, demo):
    html = client.get("/en/").content.decode()
    assert "G4 · Ensure the responsible use of digital technologies" in html
    assert (
        len(set(re.findall(rf"/en/strategies/{STRATEGY}/principles/P\d\d/", html)))
        == 12
    )
    assert len(set(re.findall(rf"/en/strategies/{STRATEGY}/goals/G\d/", html))) == 4
    assert "Stakeholder groups" in html
    # The other active strategies are one link away.
    assert 'href="/en/strategies/SGNT-2018/"' in html


def test_goal_mission_and_principle_pages_agree_with_the_rollup(client, demo):
    rows = _public_rows(demo)
    goal = Objective.objects.get(strategy=demo, code="G1")
    response = client.get(f"/en/strategies/{STRATEGY}/goals/G1/")
    assert "Wording: paraphrase of launch coverage" in response.content.decode()
    page = response.context["page"]
    assert (
        page.breakdown.figures.progress
        == rows[(NodeType.OBJECTIVE, goal.pk, None)].progress
    )
    for outcome, figures in page.breakdown.outcomes:
        assert figures.progress == rows[(NodeType.OUTCOME, outcome.pk, None)].progress
    for action in page.breakdown.actions:
        row = rows.get((NodeType.ACTION, action.pk, None))
        figures = page.breakdown.action_figures.get(action.pk)
        assert (figures.progress if figures else None) == (
            row.progress if row else None
        )
    for mission, figures in page.missions:
        assert (
            figures.progress == rows[(NodeType.OBJECTIVE, goal.pk, mission.pk)].progress
        )

    mission = Organisation.objects.get(code="MINUSCA")
    response = client.get(f"/fr/strategies/{STRATEGY}/missions/MINUSCA/")
    page = response.context["page"]
    assert (
        page.figures.progress == rows[(NodeType.STRATEGY, demo.pk, mission.pk)].progress
    )
    shown = {i.pk for i in page.implementations}
    assert shown
    assert all(i.public_update.cleared_for_public for i in page.implementations)
    assert shown <= set(
        Implementation.objects.filter(
            organisation=mission, public_update__isnull=False
        ).values_list("pk", flat=True)
    )

    principle = demo.principles.get(code="P01")
    page = client.get(f"/ar/strategies/{STRATEGY}/principles/P01/").context["page"]
    expected = Implementation.objects.filter(
        action__principles=principle,
        action__outcome__objective__strategy=demo,
        public_update__isnull=False,
        archived_at__isnull=True,
        action__archived_at__isnull=True,
    ).count()
    assert page.figures.implementation_count == expected


def test_unknown_strategy_goal_mission_or_principle_is_404(client, demo):
    for path in (
        "/en/strategies/NOPE/",
        f"/en/strategies/{STRATEGY}/goals/G9/",
        f"/en/strategies/{STRATEGY}/missions/NOPE/",
        f"/en/strategies/{STRATEGY}/principles/NT-P1/",  # another strategy's principle
        f"/en/strategies/{STRATEGY}/open-data/progress.xml",
    ):
        assert client.get(path).status_code == 404, path


def test_open_data_csv_and_json_hold_the_rollups_public_figures(client, demo):
    rows = _public_rows(demo)
    codes = {
        NodeType.STRATEGY: {demo.pk: demo.code},
        **{
            node_type: dict(model.objects.values_list("pk", "code"))
            for node_type, model in (
                (NodeType.OBJECTIVE, Objective),
                (NodeType.OUTCOME, Objective.outcomes.rel.related_model),
                (NodeType.ACTION, ActionFactory._meta.model),
            )
        },
    }
    missions = dict(Organisation.objects.values_list("pk", "code"))
    expected = {
        (node_type, codes[node_type][node_id], missions.get(organisation, "")): (
            row.progress,
            row.implementation_count,
        )
        for (node_type, node_id, organisation), row in rows.items()
        if row.implementation_count or organisation is None
    }
    response = client.get(f"/en/strategies/{STRATEGY}/open-data/progress.csv")
    assert response["Content-Disposition"].endswith('progress.csv"')
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    found = {
        (row["level"], row["code"], row["mission"]): (
            Decimal(row["progress"]) if row["progress"] else None,
            int(row["implementations"]),
        )
        for row in reader
    }
    assert found == expected
    document = json.loads(
        client.get(f"/en/strategies/{STRATEGY}/open-data/progress.json").content
    )
    assert len(document["rows"]) == len(found)
    assert document["last_verified"] is not None
    rows = [dict(zip(document["fields"], row, strict=True)) for row in document["rows"]]
    assert {
        (row["level"], row["code"], row["mission"]): (
            Decimal(str(row["progress"])) if row["progress"] is not None else None,
            row["implementations"],
        )
        for row in rows
    } == found
    arabic = next(row for row in rows if row["level"] == "strategy")
    assert arabic["title_ar"] == "استراتيجية التحول الرقمي لعمليات حفظ السلام الأممية"


PUBLIC_PAGES = [
    "/en/",
    f"/fr/strategies/{STRATEGY}/goals/G1/",
    f"/ar/strategies/{STRATEGY}/missions/MINUSCA/",
    f"/en/strategies/{STRATEGY}/principles/P01/",
    f"/en/strategies/{STRATEGY}/open-data/progress.csv",
]


def _grow(strategy: Strategy, count: int) -> None:
    """More actions in every principle, and cleared updates for them in MINUSCA."""
    goal = Objective.objects.get(strategy=strategy, code="G1")
    outcome = goal.outcomes.first()
    author = get_user_model().objects.get(username="minusca-focal")
    minusca = Organisation.objects.get(code="MINUSCA")
    for index in range(count):
        action = ActionFactory(outcome=outcome, code=f"GROW-{index}")
        action.principles.set(strategy.principles.all())
        implementation = ImplementationFactory(action=action, organisation=minusca)
        update = add_update(
            implementation,
            author,
            ReviewState.ACCEPTED,
            cleared_for_public=True,
            cleared_at=timezone.now(),
            sensitivity=Sensitivity.UNCLASSIFIED,
        )
        implementation.public_update = update
        implementation.save(update_fields=["public_update"])


def test_public_pages_keep_a_fixed_query_count(demo, django_assert_max_num_queries):
    counts = {}
    for size in ("demo", "grown"):
        if size == "grown":
            _grow(demo, 120)  # more than a page of actions
        for path in PUBLIC_PAGES:
            client = Client()
            with django_assert_max_num_queries(20) as captured:
                assert client.get(path).status_code == 200, path
            counts.setdefault(path, []).append(len(captured.captured_queries))
            # The second reader gets the cached page: no query.
            with django_assert_max_num_queries(0):
                assert client.get(path)["X-Public-Cache"] == "hit"
        public_pages_refresh()  # the grown data is read afresh
    for path, (before, after) in counts.items():
        assert before == after, f"{path}: {before} queries, then {after}"


def test_public_home_is_small_on_first_view(client, demo):
    """Under 100 kB on first view: the page and its one stylesheet, no script, no font."""
    response = client.get("/ar/")
    html = response.content
    assert b"<script" not in html
    stylesheets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(stylesheets) == 1
    css = b"".join(client.get(s.decode()).getvalue() for s in stylesheets)
    assert len(html) + len(css) < 100_000, (len(html), len(css))


def test_cache_is_per_language_and_refreshed_when_an_update_is_cleared(
    demo, django_capture_on_commit_callbacks
):
    client = Client()
    first = client.get("/fr/")
    assert first["X-Public-Cache"] == "miss"
    hit = client.get("/fr/")
    assert hit["X-Public-Cache"] == "hit"
    # A hit is served before the inner middleware, with the headers they gave the miss.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert hit[header] == first[header], header
    assert hit.content == first.content
    assert client.get("/ar/")["X-Public-Cache"] == "miss"  # each language its own
    assert 'dir="rtl"' in client.get("/ar/").content.decode()
    before = first.context["page"].overall.implementation_count

    implementation = ImplementationFactory(
        action=ActionFactory(
            outcome=Objective.objects.get(strategy=demo, code="G2").outcomes.first(),
            code="NEW-1",
        ),
        organisation=Organisation.objects.get(code="MINUSCA"),
    )
    update = add_update(
        implementation,
        get_user_model().objects.get(username="minusca-focal"),
        ReviewState.ACCEPTED,
        sensitivity=Sensitivity.UNCLASSIFIED,
    )
    manager = get_user_model().objects.get(username="manager")
    with django_capture_on_commit_callbacks(execute=True):
        status_update_clear(
            update=update, actor=manager, expected_version=update.version
        )
    fresh = client.get("/fr/")
    assert fresh["X-Public-Cache"] == "miss"
    assert fresh.context["page"].overall.implementation_count == before + 1


def test_made_up_query_strings_are_not_cached(client, demo):
    for path in ("/en/?utm=1", "/en/?page=x", "/en/?page=1&x=2"):
        assert client.get(path).status_code == 200
        assert "X-Public-Cache" not in client.get(path), path
    assert (
        client.get(f"/en/strategies/{STRATEGY}/goals/G1/?page=1")["X-Public-Cache"]
        == "miss"
    )


def test_signed_in_readers_are_never_served_a_cached_page(client, demo):
    Client().get("/en/")  # an anonymous reader fills the cache
    sign_in(client, get_user_model().objects.get(username="leader"))
    response = client.get("/en/")
    assert "X-Public-Cache" not in response
    assert "Sign out" in response.content.decode()


def test_language_switch_is_links_to_the_same_page(client, demo):
    html = client.get(f"/en/strategies/{STRATEGY}/goals/G2/").content.decode()
    assert f'href="/fr/strategies/{STRATEGY}/goals/G2/"' in html
    assert f'href="/ar/strategies/{STRATEGY}/goals/G2/"' in html
    assert "csrfmiddlewaretoken" not in html  # nothing per-visitor in a cached page


@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "ru", "es"])
def test_reference_content_reads_in_every_language_with_unofficial_texts_marked(
    client, demo, language
):
    """The home page names the strategy, its goals, principles and stakeholder groups in
    the reader's language, never "not yet translated"; a translation that is not the
    UN's own wording carries the mark the footer explains, the seed's Arabic does not."""
    html = unescape(client.get(f"/{language}/").content.decode())
    assert 'class="untranslated"' not in html
    strategy = Strategy.objects.get(code=STRATEGY)
    goal = Objective.objects.get(strategy=strategy, code="G1")
    column = language.replace("-", "_")
    assert getattr(strategy, f"title_{column}") in html
    assert getattr(goal, f"title_{column}") in html
    assert 'class="unofficial-note"' in html  # the goals' titles are unofficial
    marked = re.findall(r'([^>]*)<sup class="unofficial-mark"', html)

    def is_marked(text: str) -> bool:
        return any(found.endswith(text) for found in marked)

    assert is_marked(getattr(goal, f"title_{column}"))
    # The seed's Arabic title of the strategy is the UN's wording: no mark.
    assert is_marked(getattr(strategy, f"title_{column}")) == (language != "ar")
    mission = client.get(f"/{language}/strategies/{STRATEGY}/missions/MINUSCA/")
    minusca = Organisation.objects.get(code="MINUSCA")
    assert getattr(minusca, f"location_{column}") in unescape(mission.content.decode())


# The marker crawl: nothing confidential or not cleared reaches a public reader.


def _plant_markers(strategy: Strategy) -> None:
    """An accepted confidential update and an accepted unclassified update not cleared for
    release, each the current update of its implementation, each with a unique marker."""
    author = get_user_model().objects.get(username="minusca-focal")
    implementations = Implementation.objects.filter(
        action__outcome__objective__strategy=strategy,
        organisation__code="MINUSCA",
        public_update__isnull=False,
    ).order_by("pk")[:2]
    for implementation, (marker, sensitivity) in zip(
        implementations,
        [
            (CONFIDENTIAL_MARKER, Sensitivity.CONFIDENTIAL),
            (UNCLEARED_MARKER, Sensitivity.UNCLASSIFIED),
        ],
        strict=True,
    ):
        update = add_update(
            implementation,
            author,
            ReviewState.ACCEPTED,
            narrative=f"{marker} narrative",
            sensitivity=sensitivity,
            status="at_risk",
            progress=13,
        )
        implementation.current_update = update
        implementation.status = update.status
        implementation.progress = update.progress
        implementation.last_accepted_at = update.accepted_at
        implementation.save()


def _crawl_pages(client: Client, starts: list[str]) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = list(starts)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        seen[path] = response.content
        if response["Content-Type"].startswith("text/html"):
            for link in _links(response.content.decode(), f"http://testserver{path}"):
                parts = urlsplit(link)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if parts.netloc == "testserver" and re.match(
                    r"^/(en|fr|ar)/(strategies/|$|\?)", target
                ):
                    queue.append(target)
    return seen


def _crawl_api(client: Client) -> dict[str, bytes]:
    """Every address the API root leads to, every detail of every list, every tree."""
    seen: dict[str, bytes] = {}
    queue = ["/api/v1/"] + [
        f"/api/v1/strategies/{code}/tree/"
        for code in Strategy.objects.values_list("code", flat=True)
    ]
    while queue and len(seen) < 2000:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path, HTTP_ACCEPT="application/json")
        seen[path] = response.content
        if response.status_code != 200:
            continue

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and value.startswith("http://testserver/api/"):
                queue.append(value.removeprefix("http://testserver"))

        document = response.json()
        walk(document)
        # Detail addresses of list results that carry only an id or a code.
        results = document.get("results") if isinstance(document, dict) else None
        for item in results or []:
            key = item.get("id") or item.get("code")
            if key is not None and "url" not in item:
                queue.append(f"{path.split('?')[0]}{key}/")
    return seen


def test_no_confidential_or_uncleared_text_reaches_any_public_reader(demo):
    _plant_markers(demo)
    client = Client()
    pages = _crawl_pages(client, ["/en/", "/fr/", "/ar/"])
    strategies = Strategy.objects.filter(status="active").values_list("code", flat=True)
    assert len(pages) > 3 * (4 + 12 + 3)  # every goal and principle, three languages
    for code in strategies:
        assert f"/en/strategies/{code}/open-data/progress.json" in pages
        assert f"/en/strategies/{code}/open-data/progress.csv" in pages
    assert any("/missions/MINUSCA/" in path for path in pages)
    api = _crawl_api(client)
    assert "/api/v1/status-updates/" in api
    assert "/api/v1/implementations/" in api
    assert any(re.match(r"^/api/v1/strategies/[^/]+/tree/$", p) for p in api)
    for path, content in {**pages, **api}.items():
        for marker in (CONFIDENTIAL_MARKER, UNCLEARED_MARKER):
            assert marker.encode() not in content, f"{marker} leaked at {path}"
    # The markers are real: a reader with clearance sees them.
    leader = Client()
    sign_in(leader, get_user_model().objects.get(username="manager"))
    updates = leader.get("/api/v1/status-updates/?page_size=500").content
    assert UNCLEARED_MARKER.encode() in updates


def test_open_data_csv_keeps_a_formula_in_a_title_as_text(client, demo):
    """Finding: the public CSV carried imported titles such as =HYPERLINK(...) raw."""
    goal = Objective.objects.filter(strategy=demo).order_by("order").first()
    formula = '=HYPERLINK("http://example.invalid","open")'
    Objective.objects.filter(pk=goal.pk).update(title_en=formula)
    public_pages_refresh()
    try:
        response = client.get(f"/en/strategies/{STRATEGY}/open-data/progress.csv")
        reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        titles = {row["code"]: row["title_en"] for row in reader}
    finally:
        public_pages_refresh()
    assert titles[goal.code] == "'" + formula


def test_made_up_page_numbers_are_not_cached(client, demo):
    """Finding: 200 made-up ?page=N values made 200 cache entries. A page is stored
    only when it answers 200 ("X-Public-Cache: miss" says it was stored)."""
    goal = Objective.objects.filter(strategy=demo).order_by("order").first()
    address = f"/en/strategies/{STRATEGY}/goals/{goal.code}/"
    public_pages_refresh()
    first = client.get(address, {"page": "1"})
    assert (first.status_code, first["X-Public-Cache"]) == (200, "miss")
    for number in range(500, 520):
        response = client.get(address, {"page": str(number)})
        assert response.status_code == 404
        assert "X-Public-Cache" not in response
    for spelled in ("01", "1.0", "x", "-1"):
        response = client.get(address, {"page": spelled})
        assert "X-Public-Cache" not in response, spelled


def test_every_status_row_adds_up_to_its_total(client, demo):
    """A "not started" column where it was missing: the status columns of each row add
    up to the row's total, on the public home and the leadership dashboard."""
    from django.contrib.auth import get_user_model

    def rows_of(html: str) -> list[list[int]]:
        found = []
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
            counts = re.findall(r'<td class="count">(\d+)</td>', row)
            total = re.findall(r'<td class="total">(\d+)</td>', row)
            if total:
                found.append([*map(int, counts), int(total[0])])
        return found

    public = rows_of(client.get("/en/").content.decode())
    leader = Client()
    sign_in(leader, get_user_model().objects.get(username="leader"))
    dashboard = rows_of(leader.get("/en/dashboard/").content.decode())
    assert public
    assert dashboard
    for counts in public + dashboard:
        *statuses, total = counts
        assert sum(statuses) == total, counts
