"""Beside a masked NIK the list shows the person's age, to tell apart two people of the same name: in the words of
the language the user chose ("41 years", not the Indonesian "41 tahun", nor a count of participants)."""

import pytest

from jamsosdesa.core import clock
from jamsosdesa.participants import services
from jamsosdesa.participants.labels import age
from tests.conftest import person
from tests.core.test_own_pages import client_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "words"), [("id", "{n} tahun"), ("en", "{n} years")])
def test_the_participant_list_says_the_age_in_the_users_language(operator_a, language, words):
    data = person()
    services.participant_register(actor=operator_a, data=data)
    n = age(data["birth_date"], clock.today())
    text = client_in(language, operator_a).get("/peserta/").content.decode()
    hint = text.split('nik-hint">', 1)[1].split("</span>", 1)[0]
    assert hint.startswith(words.format(n=n)), hint
