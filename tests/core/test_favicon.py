"""Browsers and the admin ask for /favicon.ico: they get our icon (a small SVG), not a 404 in the server log and
the network panel on every page; the app's pages name the icon themselves."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_our_icon_for_anyone():
    client = Client()
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer["Location"].endswith("jamsosdesa/favicon.svg")
    icon = client.get(answer["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])


def test_the_pages_name_the_icon():
    text = Client().get("/masuk/").content.decode()
    assert 'rel="icon" href="/static/jamsosdesa/favicon.svg"' in text
