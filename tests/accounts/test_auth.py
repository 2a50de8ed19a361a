import pytest
from django.test import Client

from jamsosdesa.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(operator_a):
    assert operator_a.password.startswith("argon2")


def test_login_then_the_list(operator_a):
    client = Client()
    response = client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"})
    assert response.status_code == 302
    assert client.get("/peserta/").status_code == 200


def test_login_is_throttled_after_repeated_failures(operator_a):
    client = Client()
    for _ in range(5):
        client.post("/masuk/", {"username": "op_a", "password": "salah"})
    locked = client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"})
    assert locked.status_code == 429
    assert b"Terlalu banyak percobaan" in locked.content
    assert client.get("/peserta/").status_code == 302  # still not logged in


def test_one_address_trying_many_accounts_is_locked_out(operator_a, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 12
    client = Client()
    for number in range(12):  # never more than the per-account limit on one name
        client.post("/masuk/", {"username": f"tebakan{number}", "password": "salah"})
    locked = client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"})
    assert locked.status_code == 429
    other_address = Client(REMOTE_ADDR="10.9.9.9")
    assert other_address.post("/masuk/", {"username": "op_a", "password": "rahasia-123"}).status_code == 302


def test_a_few_failures_on_other_accounts_do_not_lock_the_address(operator_a, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 12
    client = Client()
    for number in range(11):
        client.post("/masuk/", {"username": f"tebakan{number}", "password": "salah"})
    assert client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"}).status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_the_addresss_failures_on_others(operator_a, settings):
    # an attacker with an account of their own logs in between guesses: the address count must keep growing
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 12
    client = Client()
    for number in range(12):
        client.post("/masuk/", {"username": f"tebakan{number}", "password": "salah"})
        if number == 5:
            assert client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"}).status_code == 302
            client.logout()
    locked = client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"})
    assert locked.status_code == 429


def test_a_successful_login_clears_that_accounts_own_failures(operator_a):
    client = Client()
    for _ in range(4):
        client.post("/masuk/", {"username": "op_a", "password": "salah"})
    assert client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"}).status_code == 302
    client.logout()
    for _ in range(4):  # four more are below the limit again, as the account's count started over
        client.post("/masuk/", {"username": "op_a", "password": "salah"})
    assert client.post("/masuk/", {"username": "op_a", "password": "rahasia-123"}).status_code == 302


def test_tokens_are_created_shown_once_and_revoked_from_the_profile(operator_a):
    client = Client()
    client.force_login(operator_a)
    client.post("/profil/token/", {"name": "aplikasi desa"})
    token = ApiToken.objects.get(user=operator_a)
    page = client.get("/profil/")
    raw = page.content.decode().split('id="new-token">')[1].split("<")[0]
    assert raw.startswith(token.prefix) and token.key_hash != raw
    assert raw not in client.get("/profil/").content.decode()  # shown once
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/participants").status_code == 200
    client.post(f"/profil/token/{token.pk}/cabut/")
    assert api.get("/api/v1/participants").status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(operator_a, operator_b):
    token, _raw = ApiToken.issue(user=operator_a, name="a")
    client = Client()
    client.force_login(operator_b)
    assert client.post(f"/profil/token/{token.pk}/cabut/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_api_calls_need_csrf(operator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_a)
    response = client.post("/api/v1/participants", "{}", content_type="application/json")
    assert response.status_code in (401, 403)


def test_a_session_write_without_csrf_says_why_in_the_users_language(operator_a):
    """django-ninja's refusal came through as code 'http_error', message 'CSRF check Failed' (English, no hint)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_a)
    error = client.post("/api/v1/participants", "{}", content_type="application/json").json()["error"]
    assert error["code"] == "forbidden"
    assert "X-CSRFToken" in error["message"] and "token API" in error["message"]


def _fail_five_times(client, **headers):
    for _ in range(5):
        client.post("/masuk/", {"username": "op_a", "password": "salah"}, headers=headers)


def test_behind_the_proxy_each_client_is_counted_under_its_own_address(operator_a, settings):
    """Behind the documented reverse proxy every request comes from 127.0.0.1: without JAMSOSDESA_TRUSTED_PROXIES
    five wrong passwords from anywhere locked the account for its owner everywhere (and twenty on any accounts
    locked every user out). With it, the address the proxy appended to X-Forwarded-For is the one counted."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    _fail_five_times(attacker, **{"X-Forwarded-For": "203.0.113.7"})
    assert attacker.post("/masuk/", {"username": "op_a", "password": "rahasia-123"},
                         headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    owner = Client(REMOTE_ADDR="127.0.0.1")
    assert owner.post("/masuk/", {"username": "op_a", "password": "rahasia-123"},
                      headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 302


def test_a_client_cannot_choose_the_address_it_is_counted_under(operator_a, settings):
    """X-Forwarded-For is read only from a trusted proxy, and only the address that proxy appended: a client
    sending its own header (directly, or through the proxy, which appends the real address) is still locked."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    direct = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(6):
        last = direct.post("/masuk/", {"username": "op_a", "password": "salah"},
                           headers={"X-Forwarded-For": f"10.0.0.{number}"})
    assert last.status_code == 429
    through_proxy = Client(REMOTE_ADDR="127.0.0.1")
    for number in range(6):
        last = through_proxy.post("/masuk/", {"username": "op_a", "password": "salah"},
                                  headers={"X-Forwarded-For": f"10.0.0.{number}, 198.51.100.99"})
    assert last.status_code == 429
    settings.TRUSTED_PROXIES = []  # no proxy configured: the header means nothing
    for number in range(6):
        last = Client(REMOTE_ADDR="192.0.2.1").post("/masuk/", {"username": "op_a", "password": "salah"},
                                                     headers={"X-Forwarded-For": f"10.1.0.{number}"})
    assert last.status_code == 429
