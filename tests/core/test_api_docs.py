"""The interactive API docs work with no internet (django-ninja's bundled Swagger UI, served as our own static
files) and within the site's Content-Security-Policy; the profile page links to them next to the API token."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from jamsosdesa.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_the_sites_own_scripts_and_styles():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert not re.search(r"https?://", page), "the docs page fetches nothing from another host"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    for attributes, body in scripts:  # no inline script to run: code comes from files, settings are JSON data
        assert ("src=" in attributes and not body.strip()) or 'type="application/json"' in attributes, attributes
    assert "style=" not in page and "<style" not in page
    assert '"validatorUrl": null' in page  # no badge fetched from validator.swagger.io on a real host
    referenced = re.findall(r'(?:src|href)="([^"]+)"', page)
    assets = [url for url in referenced if url.startswith(settings.STATIC_URL)]
    assert any(url.endswith(".js") for url in assets) and any(url.endswith(".css") for url in assets)
    for url in assets:  # each one found by collectstatic's finders and served here
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        assert Client().get(url).status_code == 200, url


def test_the_profile_page_links_to_the_api_docs_next_to_the_token(operator_a):
    client = Client()
    client.force_login(operator_a)
    page = client.get("/profil/").content.decode()
    token_section = page.split("Token API", 1)[1]
    assert 'href="/api/v1/docs"' in token_section and 'href="/api/v1/openapi.json"' in token_section
    assert "Authorization: Bearer" in token_section
