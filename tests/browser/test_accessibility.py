"""WCAG 2.2 AA in a real Chromium: axe-core (npm, tools/axe) on the public pages, the
leadership dashboard and the field pages in the six UN languages; right-to-left Arabic;
keyboard and reflow at 320 px; the public home's weight on first view."""

import re
from pathlib import Path

import pytest

from principles.models import Principle
from tests.conftest import service_missing

from .test_field_journey import sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The six official languages of the UN.
LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
STRATEGY = "DTS-2021"
PUBLIC_PAGES = [
    "/{lang}/",
    f"/{{lang}}/strategies/{STRATEGY}/goals/G1/",
    f"/{{lang}}/strategies/{STRATEGY}/missions/MINUSCA/",
    f"/{{lang}}/strategies/{STRATEGY}/principles/P01/",
    "/{lang}/strategies/SGNT-2018/",
]
DASHBOARD_PAGES = [
    "/{lang}/dashboard/",
    f"/{{lang}}/dashboard/?strategy={STRATEGY}&goal=G1&sort=G1",
    "/{lang}/dashboard/briefing/",
    "/{lang}/missions/MINUSCA/summary/",
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        service_missing(
            "axe-core is not installed; run: npm ci --prefix tools/axe "
            "(tools/dev.py test and .ci/run do it when npm is present)"
        )
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert len(result["passes"]) > 10, "axe-core ran no checks"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


def check_pages(page, site: str, paths: list[str], axe_source: str) -> dict:
    found = {}
    for language in LANGUAGES:
        for template in paths:
            path = template.format(lang=language)
            response = page.goto(f"{site}{path}")
            assert response.status == 200, path
            violations = axe_violations(page, axe_source)
            if violations:
                found[path] = violations
    return found


def test_public_pages_have_no_axe_violations(browser, demo_site, axe_source):
    # The tests inject axe-core as an inline script, which the pages' CSP forbids.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    assert check_pages(page, demo_site, PUBLIC_PAGES, axe_source) == {}
    context.close()


def test_dashboard_has_no_axe_violations(browser, demo_site, axe_source):
    """The dashboard, a goal drill-down sorted by a goal, the briefing page, a mission
    summary and a briefing pack's page, in every language."""
    from django.contrib.auth import get_user_model

    from objectives.models import BriefingPack

    pack = BriefingPack.objects.create(
        key="a" * 64,
        scope="all",
        requested_by=get_user_model().objects.get(username="leader"),
        language="en",
        state=BriefingPack.State.SUCCEEDED,
        pages=3,
        pdf=b"%PDF-1.7",
    )
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, demo_site, "leader")
    paths = [*DASHBOARD_PAGES, f"/{{lang}}/dashboard/briefing/packs/{pack.pk}/"]
    assert check_pages(page, demo_site, paths, axe_source) == {}
    context.close()


def test_the_summary_fits_one_screen_in_every_language(browser, demo_site):
    """The executive summary (progress, statuses, the round, risks, movers) is whole
    within 1366 x 768, without scrolling, in the six languages."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, demo_site, "leader")
    boxes = {}
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/dashboard/")
        boxes[language] = page.evaluate(
            """() => {
              const r = document.querySelector('#summary').getBoundingClientRect();
              const cards = document.querySelectorAll('#summary .card').length;
              return {bottom: r.bottom, left: r.left, right: r.right, cards,
                      dir: document.documentElement.dir};
            }"""
        )
    context.close()
    for language, box in boxes.items():
        assert box["cards"] == 5, language
        assert box["bottom"] <= 768, (language, box)
        assert box["left"] >= 0, (language, box)
        assert box["right"] <= 1366, (language, box)
    assert boxes["ar"]["dir"] == "rtl"


def test_field_pages_have_no_axe_violations(browser, demo_site, axe_source):
    """Beyond the issue's pages: the focal point's own pages, the sign-in page and the
    manager's rounds pages."""
    from objectives.models import Implementation

    implementation = Implementation.objects.get(
        organisation__code="MINUSCA", action__code="A1.1.1"
    )
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    assert check_pages(page, demo_site, ["/{lang}/accounts/login/"], axe_source) == {}
    sign_in(page, demo_site, "minusca-focal")
    paths = [
        "/{lang}/my/",
        f"/{{lang}}/implementations/{implementation.pk}/",
        "/{lang}/review/",
    ]
    assert check_pages(page, demo_site, paths, axe_source) == {}
    # The rounds pages as the strategy manager sees them: the open round with its close
    # button, a closed one with the reopen form.
    from objectives.models import ReportingRound

    rounds = list(ReportingRound.objects.order_by("-period_start")[:2])
    page.goto(f"{demo_site}/en/my/")
    page.click("nav form button[type=submit]")
    sign_in(page, demo_site, "manager")
    paths = ["/{lang}/rounds/", *(f"/{{lang}}/rounds/{r.pk}/" for r in rounds)]
    assert check_pages(page, demo_site, paths, axe_source) == {}
    # The translation workspace: the languages, one language's texts, an edit page.
    from objectives.models import Objective

    goal = Objective.objects.get(strategy__code=STRATEGY, code="G1")
    paths = [
        "/{lang}/translations/",
        "/{lang}/translations/ru/?state=all",
        f"/{{lang}}/translations/zh-hans/goal/{goal.pk}/",
    ]
    assert check_pages(page, demo_site, paths, axe_source) == {}
    context.close()


def test_switching_to_arabic_gives_right_to_left_and_the_verbatim_names(
    browser, demo_site
):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{demo_site}/en/")
    page.click('.language-switch a[lang="ar"]')
    page.wait_for_url(f"{demo_site}/ar/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    text = page.locator("main").inner_text()
    names = list(
        Principle.objects.filter(strategies__code=STRATEGY).values_list(
            "name_ar", flat=True
        )
    )
    assert len(names) == 12
    for name in [*names, "سهولة الوصول", "الاستدامة وقابلية التوسع"]:
        assert name in text
    # The page mirrors: the site name sits on the right.
    box = page.locator(".site-name").bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] + box["width"] > width / 2
    # And back to French from the same switch, on the same page.
    page.click('.language-switch a[lang="fr"]')
    page.wait_for_url(f"{demo_site}/fr/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_pages_reflow_at_320_px(
    browser, demo_site
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["x"] >= 0  # visible when focused
        assert box["x"] + box["width"] <= 320
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"/{language}/ scrolls sideways at 320 px"
    context.close()


def test_my_actions_reflows_at_320_px_in_english_and_arabic(browser, demo_site):
    """The filter boxes shrink to the screen (a long option used to widen the page to
    759 px) and a returned report's comment wraps."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, demo_site, "minusca-focal")
    for language in ("en", "ar"):
        page.goto(f"{demo_site}/{language}/my/")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"/{language}/my/ scrolls sideways at 320 px"
    context.close()


TABLE_CHECK = """() => [...document.querySelectorAll('table')].map(table => {
  const head = table.querySelector('thead');
  const headings = head ? head.querySelectorAll('th').length : 0;
  const rows = [...table.querySelectorAll('tbody tr')];
  return {
    headVisible: head ? getComputedStyle(head).display !== 'none' : true,
    mismatched: rows.filter(r => headings && r.children.length !== headings).length,
    boxed: !!table.closest('.table-scroll'),
  };
})"""


def test_tables_keep_their_headings_and_nothing_is_wider_than_a_phone(
    browser, demo_site
):
    """Finding: at 375 px the stacked tables lost their headings, so a goal row read
    "18 9 7 2 2". Each table now keeps its headings and scrolls inside its own box; no
    page is wider than 320 px, in English and Arabic."""
    from objectives.models import Implementation

    implementation = Implementation.objects.filter(organisation__code="MINUSCA").first()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, demo_site, "manager")
    paths = [
        *PUBLIC_PAGES[:4],
        "/{lang}/my/",
        "/{lang}/review/?stage=to_clear",
        "/{lang}/dashboard/",
        "/{lang}/dashboard/briefing/",
        "/{lang}/missions/MINUSCA/summary/",
        f"/{{lang}}/implementations/{implementation.pk}/",
    ]
    problems = {}
    for language in ("en", "ar"):
        for template in paths:
            path = template.format(lang=language)
            page.goto(f"{demo_site}{path}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            tables = page.evaluate(TABLE_CHECK)
            bad = [
                t
                for t in tables
                if not t["headVisible"] or t["mismatched"] or not t["boxed"]
            ]
            if overflow > 0 or bad:
                problems[path] = {"overflow": overflow, "tables": bad}
    context.close()
    assert problems == {}


def test_sign_in_and_second_factor_pages_are_accessible_and_fit_a_phone(
    browser, demo_site, axe_source, settings
):
    """The sign-in page with the organisation's button, enrolment (with its error),
    the recovery codes, verification and the no-role page: axe-clean in every language,
    usable without JavaScript, no wider than 320 px in English and Arabic."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from objectives.devtools.demo import DEMO_PASSWORD
    from stakeholders.permissions import Role
    from stakeholders.services import role_assign

    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_RP_CLIENT_ID = "strategy-tracker"
    people = get_user_model().objects
    chief = people.create_user("chief", "chief@example.org", DEMO_PASSWORD)
    role_assign(user=chief, role=Role.STRATEGY_MANAGER)
    people.create_user("newcomer", "newcomer@example.org", DEMO_PASSWORD)

    def password_sign_in(page, username):
        page.goto(f"{demo_site}/en/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form.narrow button[type=submit]")
        page.wait_for_load_state()

    found = {}

    def check(page, path):
        violations = axe_violations(page, axe_source)
        if violations:
            found[path] = violations

    context = browser.new_context(bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/accounts/login/")
        assert page.get_by_role("link", name=re.compile(".")).count() > 3
        check(page, f"/{language}/accounts/login/")
    password_sign_in(page, "chief")
    assert "/accounts/second-factor/set-up/" in page.url
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/accounts/second-factor/set-up/")
        check(page, page.url)
    page.fill("#id_code", "000000")
    page.click("form.narrow button[type=submit]")
    assert page.locator("#id_code_error").count() == 1
    check(page, "set-up with an error")
    TOTPDevice.objects.update(throttling_failure_count=0)
    device = TOTPDevice.objects.get(user=chief)
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.click("form.narrow button[type=submit]")
    assert page.locator(".recovery-codes li").count() == 10
    check(page, "recovery codes")
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    password_sign_in(page, "chief")
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/accounts/second-factor/verify/")
        check(page, page.url)
    context.close()

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    password_sign_in(page, "newcomer")
    for language in LANGUAGES:
        page.goto(f"{demo_site}/{language}/accounts/no-role/")
        check(page, page.url)
    context.close()
    assert found == {}

    # Without JavaScript, and on a phone, in English and Arabic.
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    password_sign_in(page, "chief")
    for language in ("en", "ar"):
        for path in ("accounts/second-factor/verify/", "accounts/login/"):
            page.goto(f"{demo_site}/{language}/{path}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"/{language}/{path} scrolls sideways at 320 px"
    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.goto(f"{demo_site}/ar/accounts/second-factor/verify/")
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(f"{demo_site}/ar/my/")
    context.close()


def test_the_public_home_weighs_under_100_kb_on_first_view_in_every_language(
    browser, demo_site
):
    """Everything a first visit downloads (the page, its stylesheet, scripts, images and
    any font), counted as Chromium received it, stays under 100 kB in every language;
    nothing comes from another host."""
    weights = {}
    for language in LANGUAGES:
        context = browser.new_context()  # an empty cache: a first view
        page = context.new_page()
        received = []
        page.on("requestfinished", lambda request, into=received: into.append(request))
        page.goto(f"{demo_site}/{language}/")
        page.wait_for_load_state("networkidle")
        total = 0
        for request in received:
            assert request.url.startswith(demo_site), request.url
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        weights[language] = total
        context.close()
    assert all(weight < 100_000 for weight in weights.values()), weights
