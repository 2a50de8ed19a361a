"""The admin's index names every section and table in the administrator's language: no name Django makes up from
a class name ("Audit events", "Api tokens") and no third-party English ("Task Results") on an Indonesian page."""

import re

import pytest
from django.contrib import admin
from django.utils import translation
from django.utils.text import camel_case_to_spaces

from tests.core.test_own_pages import client_in

pytestmark = pytest.mark.django_db


def _index_names(client) -> list[str]:
    """The section captions and table names the admin index lists."""
    text = client.get("/admin/").content.decode()
    main = text[text.index('id="content-main"'):]
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", main)
    tables = re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>([^<]+)</a>', main)
    assert captions and tables  # the page still lists them where this test reads them
    return [name.strip() for name in captions + tables]


@pytest.fixture
def national_admin(admin_user, settings):
    settings.DEBUG = False
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user


def test_the_admin_index_in_indonesian_has_no_english_names(national_admin):
    names = _index_names(client_in("id", national_admin))
    for english in ["Audit events", "Api tokens", "Task Results", "Tasks Database Backend", "contributions"]:
        assert english not in names
    assert {"Jejak audit", "Daftar token API", "Iuran"} <= set(names)


def test_every_table_in_the_admin_has_a_name_of_ours():
    """A name Django derives from the class ('Api tokens') is English whatever the language: every model the admin
    shows names itself, in Indonesian, through the translation catalogue."""
    with translation.override("id"):
        made_up = [model.__name__ for model in admin.site._registry
                   if str(model._meta.verbose_name_plural) == camel_case_to_spaces(model.__name__) + "s"]
    assert made_up == []


def test_the_task_queue_rows_are_not_in_the_admin(national_admin):
    answer = client_in("id", national_admin).get("/admin/django_tasks_db/dbtaskresult/")
    assert answer.status_code == 404


@pytest.mark.parametrize(("language", "name"), [("id", "Penguncian login"), ("en", "Login lockout")])
def test_the_login_lockout_section_has_a_name_in_the_users_language(national_admin, language, name):
    """django-axes' section was captioned "Axes" (shown as AXES), its package name, in every language."""
    names = _index_names(client_in(language, national_admin))
    assert name in names
    assert not any(n.lower() == "axes" for n in names), names


def test_the_login_lockout_still_wires_its_signals():
    """Our AppConfig subclass keeps axes' ready(): its checks and signal handlers are loaded."""
    from django.apps import apps

    config = apps.get_app_config("axes")
    assert type(config).initialized is True
    assert config.label == "axes"
