"""Security headers, session lifetime and the production settings `check --deploy` accepts."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import api_client

PRODUCTION_ENV = {  # the README's production settings
    "JAMSOSDESA_SECRET_KEY": "k" * 20 + "production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "JAMSOSDESA_ALLOWED_HOSTS": "jamsosdesa.example.go.id",
    "JAMSOSDESA_CSRF_TRUSTED_ORIGINS": "https://jamsosdesa.example.go.id",
    "JAMSOSDESA_HTTPS": "1",
}


def run_cli(*args, tmp_path, **env_extra):
    # a clean deployment's environment (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("JAMSOSDESA_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="jamsosdesa.settings", JAMSOSDESA_VAR_DIR=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **env_extra)
    return subprocess.run([sys.executable, "-m", "jamsosdesa", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_check_deploy_passes_for_the_documented_production_settings(tmp_path):
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_over_https_cookies_are_secure_and_hsts_is_sent(tmp_path):
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT)")
    shown = run_cli("shell", "-c", code, tmp_path=tmp_path, **PRODUCTION_ENV)
    assert shown.stdout.strip().splitlines()[-1] == "True True True True"
    plain = {key: value for key, value in PRODUCTION_ENV.items() if key != "JAMSOSDESA_HTTPS"}
    shown = run_cli("shell", "-c", code.replace(">= 31536000", "== 0"), tmp_path=tmp_path, **plain)
    assert shown.stdout.strip().splitlines()[-1] == "False False True False"


@pytest.mark.django_db
def test_pages_and_api_answers_are_not_stored(operator_a):
    client = Client()
    client.force_login(operator_a)
    assert client.get("/peserta/")["Cache-Control"] == "no-store"
    call = api_client(operator_a)
    assert call("get", "/participants")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_session_ends_after_half_an_hour_idle(operator_a):
    client = Client()
    login = client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"})
    assert login.cookies["sessionid"]["max-age"] == 30 * 60
    again = client.get("/peserta/")
    assert again.cookies["sessionid"]["max-age"] == 30 * 60  # each request starts the idle time again


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_code(operator_a):
    client = Client()
    client.force_login(operator_a)
    policy = client.get("/peserta/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts_styles_or_event_handlers():
    import re
    from pathlib import Path

    import jamsosdesa

    inline = re.compile(r"""<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle="|\son[a-z]+="|javascript:""", re.I)
    templates = Path(jamsosdesa.__file__).parent.rglob("templates/**/*.html")
    found = [f"{path.name}: {match.group(0)}" for path in templates for match in inline.finditer(path.read_text())]
    assert found == []


@pytest.mark.django_db
def test_answers_made_by_a_middleware_carry_the_policy_and_no_store_too(operator_a):
    """The 400 page for a NUL byte (with the user's menu), the API's 404 for an unknown route and the lockout page
    are answered by middlewares; they are sent with the same CSP and `no-store` as any page (issue 11)."""
    client = Client()
    client.force_login(operator_a)
    answers = [client.get("/peserta/", {"q": "a\x00b"}), client.get("/api/v1/no-such-route")]
    stranger = Client()
    for _ in range(6):
        locked = stranger.post("/masuk/", {"username": "op_a", "password": "wrong"})
    answers.append(locked)
    assert [a.status_code for a in answers] == [400, 404, 429]
    for answer in answers:
        assert answer["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in answer["Content-Security-Policy"]
