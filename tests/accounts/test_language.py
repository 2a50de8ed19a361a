"""The language a user chose follows them into a new session, in every process, and leaves with the request."""

import subprocess
import sys

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_login_receiver_is_connected_without_loading_the_urls():
    # A worker or a test process that never imports the URL configuration must still remember the language.
    # (send_robust: the lockout receiver wants a whole request; only ours is under test.)
    script = (
        "import django; django.setup()\n"
        "from types import SimpleNamespace\n"
        "from django.contrib.auth.signals import user_logged_in\n"
        "request = SimpleNamespace(session={})\n"
        "user_logged_in.send_robust(sender=None, request=request, user=SimpleNamespace(language='en'))\n"
        "print(request.session.get('language'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "jamsosdesa.settings_test"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "en"


def test_an_english_users_request_leaves_the_thread_in_indonesian(admin_user):
    english = make_user("reader.en", role=admin_user.role)
    english.language = "en"
    english.save()
    client = Client()
    client.force_login(english)
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    # The next request or job handled by this thread must not inherit the English of the last one.
    assert translation.get_language() == "id"
