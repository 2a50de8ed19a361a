"""A NUL byte in a page's address or form is refused with the app's own error page (menu, language switch, a way
back) in the user's language, naming the field; the API keeps its JSON error (issue 11)."""

import pytest

from tests.core.test_own_pages import client_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_nul_byte_in_a_search_gets_our_page_in_indonesian(operator_a):
    answer = client_in("id", operator_a).get("/peserta/", {"q": "kraj\x00an"})
    text = answer.content.decode()
    assert answer.status_code == 400 and '<html lang="id">' in text
    assert "Permintaan tidak dapat diproses" in text and "Isian &#x27;q&#x27; berisi karakter yang tidak sah" in text
    assert 'id="menu-links"' in text and "Daftar baru" in text  # the user can go on from here


def test_a_nul_byte_in_a_form_speaks_english_to_who_chose_english(operator_a):
    answer = client_in("en", operator_a).post("/peserta/baru/", {"full_name": "Sugeng\x00"})
    text = answer.content.decode()
    assert answer.status_code == 400 and '<html lang="en">' in text
    assert "Field &#x27;full_name&#x27; contains a character that is not allowed" in text
    assert "Participants" in text and "berisi karakter" not in text


def test_the_api_keeps_its_json_error(operator_a):
    answer = client_in("id", operator_a).get("/api/v1/participants", {"q": "kraj\x00an"})
    assert answer.status_code == 422 and answer["Content-Type"] == "application/json"
    assert answer.json()["error"]["code"] == "bad_chars"


def test_djangos_own_bad_request_answer_uses_the_same_page():
    """A request Django itself refuses (e.g. an unknown Host header) renders 400.html without a request context."""
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    answer = bad_request(RequestFactory().get("/peserta/"), SuspiciousOperation("host"))
    text = answer.content.decode()
    assert answer.status_code == 400 and "Permintaan tidak dapat diproses" in text and "Bad Request" not in text
