"""The public page (no login) where a worker checks their protection with NIK and birth date: it says only
"protected until <month>" or one same text for everything else, with the same status code after the same queries
(no oracle on whether a NIK exists or what birth date it has); no name, amount or desa; rate-limited per address
and per NIK with a 429 page; the NIK never in a log."""

import logging
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jamsosdesa.core.roles import Role
from tests.billing.conftest import month, people
from tests.billing.status_fixtures import fresh_policy_cache, history  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/cek-perlindungan/"
NOTHING = "Tidak ada perlindungan aktif untuk NIK dan tanggal lahir ini"
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


@pytest.fixture(autouse=True)
def fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def answer_of(response) -> str:
    found = re.search(r'id="answer">(.*?)</p>', response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


def ask(client, nik: str, born: str, **extra):
    return client.post(URL, {"nik": nik, "birth_date": born}, **extra)


def test_the_page_is_public_no_store_and_linked_from_the_login_page():
    client = Client()
    response = client.get(URL)
    assert response.status_code == 200 and 'name="nik"' in response.content.decode()
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    assert URL in client.get("/masuk/").content.decode()


def test_a_protected_worker_sees_until_when_and_nothing_else_about_them():
    person, = people(1)
    history(person, paid=[month(-1), month(0), month(1)])
    response = ask(Client(), person.nik, person.birth_date.isoformat())
    until = month(1)
    assert response.status_code == 200
    assert answer_of(response) == f"Terlindungi sampai {MONTHS[until.month - 1]} {until.year}"
    text = response.content.decode()
    # No amount: "Rp" followed by a figure (the page's random CSRF token may hold the letters "Rp").
    assert person.full_name not in text and person.nik not in text and "Krajan" not in text
    assert not re.search(r"Rp\s?\d", text)
    assert "no-store" in response["Cache-Control"]


def test_a_birth_date_written_the_indonesian_way_is_read_too():
    person, = people(1)
    history(person, paid=[month(-1), month(0), month(1)])
    response = ask(Client(), person.nik, person.birth_date.strftime("%d-%m-%Y"))
    assert answer_of(response).startswith("Terlindungi sampai")


def test_unknown_nik_wrong_birth_date_and_unprotected_get_the_same_answer_after_the_same_queries():
    protected, unprotected, ended = people(3)
    history(protected, paid=[month(-1), month(0), month(1)])
    history(unprotected, paid=[month(-6)], unpaid=[month(-5), month(-4)])
    history(ended, paid=[month(-1), month(0), month(1)])
    ended.is_active = False
    ended.save(update_fields=["is_active"])
    born = protected.birth_date
    cases = {
        "unknown NIK": ("3311110101990001", born.isoformat()),
        "wrong birth date": (protected.nik, born.replace(day=born.day % 28 + 1).isoformat()),
        "not protected": (unprotected.nik, unprotected.birth_date.isoformat()),
        "ended": (ended.nik, ended.birth_date.isoformat()),
    }
    seen = {}
    for name, (nik, date_text) in cases.items():
        with CaptureQueriesContext(connection) as queries:
            response = ask(Client(), nik, date_text)
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
        seen[name] = (response.status_code, answer_of(response), len(queries.captured_queries), page)
    assert {name: s[:2] for name, s in seen.items()} == dict.fromkeys(cases, (200, NOTHING))
    assert len({s[2] for s in seen.values()}) == 1, {name: s[2] for name, s in seen.items()}  # same queries
    assert len({s[3] for s in seen.values()}) == 1  # the whole page is the same, byte for byte


def test_bad_input_gets_a_message_and_no_lookup():
    client = Client()
    response = ask(client, "33111105", "1990-05-05")
    assert response.status_code == 200 and "16 angka" in response.content.decode() and answer_of(response) == ""
    response = ask(client, "3311110505900003", "31-02-1990")
    assert "Tanggal lahir tidak dikenal" in response.content.decode()
    response = ask(client, "3311110505900003", "1890-01-01")
    assert "antara 01-01-1900 dan hari ini" in response.content.decode()


def test_too_many_lookups_from_one_address_get_429_with_a_page(settings):
    settings.STATUS_PUBLIC_RATE = 3
    client = Client()
    niks = [f"331111010199{n:04d}" for n in range(1, 6)]
    answers = [ask(client, nik, "1999-01-01").status_code for nik in niks]
    assert answers == [200, 200, 200, 429, 429]
    limited = ask(client, niks[0], "1999-01-01")
    assert limited.status_code == 429 and "Terlalu banyak permintaan" in limited.content.decode()
    other = ask(client, niks[0], "1999-01-01", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200  # another address is counted on its own (this NIK: 2 lookups so far)


def test_too_many_lookups_of_one_nik_from_many_addresses_get_429(settings):
    settings.STATUS_PUBLIC_RATE = 3
    person, = people(1)
    codes = [ask(Client(), person.nik, "1999-01-01", REMOTE_ADDR=f"10.0.0.{n}").status_code for n in range(1, 6)]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_client_address_is_counted_on_its_own(settings):
    settings.STATUS_PUBLIC_RATE = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client()
    niks = [f"331111010199{n:04d}" for n in range(1, 9)]
    first = [ask(client, nik, "1999-01-01", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code for nik in niks[:3]]
    second = [ask(client, nik, "1999-01-01", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code for nik in niks[3:6]]
    assert first == second == [200, 200, 429]


def test_the_form_needs_its_csrf_token():
    person, = people(1)
    response = ask(Client(enforce_csrf_checks=True), person.nik, person.birth_date.isoformat())
    assert response.status_code == 403


def test_no_nik_in_the_logs(settings, caplog):
    settings.STATUS_PUBLIC_RATE = 1
    person, = people(1)
    client = Client()
    with caplog.at_level(logging.DEBUG):
        ask(client, person.nik, person.birth_date.isoformat())
        ask(client, person.nik, person.birth_date.isoformat())  # 429: Django logs the request's path
    assert caplog.records and all(person.nik not in r.getMessage() for r in caplog.records)
    assert all(person.nik not in str(getattr(r, "request", "")) for r in caplog.records)


def test_a_logged_in_user_may_use_it_too(operator_a):
    client = Client()
    client.force_login(make_user("agen_x", Role.PERISAI_AGENT, ["33.11.11.2004"]))
    assert client.get(URL).status_code == 200
