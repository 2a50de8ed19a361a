"""A missing page, a refused page, a server error and the admin are jamsosdesa's own, in the language the user
chose, with DEBUG off as in production (issue 11)."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from jamsosdesa.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def client_in(language: str, user=None) -> Client:
    """A client whose user chose `language` at the foot of a page (as the session keeps it)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.post("/bahasa/", {"language": language, "next": "/"})
    return client


def staff_without_rights():
    """Staff may enter the admin; with no permissions its pages refuse them (Django raises PermissionDenied)."""
    user = make_user("staf_cabang", Role.BRANCH_OFFICER, ["33.11"])
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_a_missing_page_is_the_apps_own_in_indonesian_with_its_menu(operator_a):
    answer = client_in("id", operator_a).get("/peserta/999999999/")
    text = answer.content.decode()
    assert answer.status_code == 404 and '<html lang="id">' in text
    assert "Halaman tidak ditemukan" in text and "di luar wilayah kerja Anda" in text
    assert 'id="menu-links"' in text and "Daftar baru" in text  # the user can go on from here


def test_a_missing_page_speaks_english_to_who_chose_english(operator_a):
    text = client_in("en", operator_a).get("/tidak-ada/").content.decode()
    assert '<html lang="en">' in text and "Page not found" in text and "Halaman tidak ditemukan" not in text
    assert "Participants" in text  # the menu in English too


def test_a_missing_page_is_ours_before_logging_in_too():
    answer = client_in("en").get("/tidak-ada/")
    assert answer.status_code == 404 and "Page not found" in answer.content.decode()
    assert "Halaman tidak ditemukan" in Client().get("/tidak-ada/").content.decode()


def test_a_refused_page_is_the_apps_own_in_both_languages():
    user = staff_without_rights()
    answer = client_in("id", user).get("/admin/accounts/user/")
    assert answer.status_code == 403 and "Akses ditolak" in answer.content.decode()
    answer = client_in("en", user).get("/admin/accounts/user/")
    assert answer.status_code == 403 and "Access denied" in answer.content.decode()


@pytest.mark.parametrize(("language", "words"), [("id", "Formulir sudah kedaluwarsa"), ("en", "This form has expired")])
def test_a_form_sent_with_a_stale_security_code_says_what_to_do_in_the_users_language(operator_a, language, words):
    client = client_in(language, operator_a)
    client.handler.enforce_csrf_checks = True  # as a browser whose form was issued before logging in elsewhere
    answer = client.post("/bahasa/", {"language": language, "next": "/"})
    text = answer.content.decode()
    assert answer.status_code == 403 and words in text and "CSRF verification" not in text
    assert 'id="menu-links"' in text  # still logged in: the menu leads on


@pytest.mark.parametrize(("language", "words"), [("id", "Terjadi kesalahan"), ("en", "Something went wrong")])
def test_a_server_error_page_needs_no_request_context_and_speaks_the_language(language, words):
    with translation.override(language):
        answer = server_error(RequestFactory().get("/peserta/"))
    text = answer.content.decode()
    assert answer.status_code == 500 and words in text and f'<html lang="{language}">' in text
    assert "Django" not in text and "Server Error" not in text


def test_the_admin_is_titled_jamsosdesa_in_the_users_language(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    text = client_in("id", admin_user).get("/admin/").content.decode()
    assert "Administrasi jamsosdesa" in text and "Pengguna dan data rujukan" in text and "Django" not in text
    text = client_in("en", admin_user).get("/admin/").content.decode()
    assert "jamsosdesa administration" in text and "Users and reference data" in text
