"""The NIK box on the register page hints how long a NIK is in the user's language ("16 digits" in English,
not the Indonesian "16 digit")."""

import pytest

from tests.core.test_own_pages import client_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "hint"), [("id", "16 digit"), ("en", "16 digits")])
def test_the_nik_box_hints_its_length_in_the_users_language(operator_a, language, hint):
    text = client_in(language, operator_a).get("/peserta/baru/").content.decode()
    box = text.split('name="nik"', 1)[1].split(">", 1)[0]
    assert f'placeholder="{hint}"' in box, box
