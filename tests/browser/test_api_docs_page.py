"""The API docs page in a real browser: Swagger UI draws the operations from this site's own files, with no
request to another host and nothing blocked by the Content-Security-Policy (the page fixture checks that)."""

import os
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_draw_the_operations_without_the_internet(page):
    here = urlsplit(page.base_url).netloc
    elsewhere = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).netloc not in (here, "") else None)
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title:has-text('jamsosdesa API')")
    page.wait_for_selector(".opblock-summary-path:has-text('/api/v1/participants')")
    assert page.locator(".opblock").count() > 10
    if os.environ.get("JAMSOSDESA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["JAMSOSDESA_SCREENSHOTS"], "api-docs.png"), full_page=False)
    assert elsewhere == []
