"""The API documentation works offline under the site's CSP: Swagger UI and ReDoc from
the app's own static files, nothing fetched from anywhere else.

Finding: /api/docs/ was a blank page, Swagger UI being loaded from a CDN that the app's
own CSP blocks and that closed networks cannot reach."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/api/docs/", ".swagger-ui .opblock"),
        ("/api/redoc/", "[data-section-id]"),
    ],
)
def test_api_docs_render_from_the_apps_own_files(
    browser, transactional_db, live_server, path, rendered
):
    page = browser.new_page()
    elsewhere, refused = [], []
    # ReDoc's bundle shows a small vendor logo from its CDN, which the CSP's img-src
    # refuses (ReDoc hides it on error): nothing from elsewhere is ever loaded.
    page.on(
        "requestfinished",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(request.url)
        ),
    )
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            and "cdn.redoc.ly/redoc/logo-mini.svg" not in message.text
            else None
        ),
    )
    try:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(rendered, timeout=20_000)
        assert "Peacekeeping strategy tracker API" in page.content()
    finally:
        page.close()
    assert elsewhere == []
    assert refused == []
