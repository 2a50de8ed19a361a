"""Values the import used to judge differently from the registration form (it now asks the same cleaner)."""

import pytest

from jamsosdesa.participants.models import Participant
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "nik,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,penghasilan\n"
GOOD = "3311110505900003,Sugeng Riyadi,Sukoharjo,05-05-1990,L,1500000\n"


def test_a_twenty_digit_income_is_one_invalid_row_not_a_failed_import(run, operator_a):
    twenty_digits = "3311110606900001,Joko,Klaten,06-06-1990,L,12345678901234567890\n"
    outcome = run(operator_a, csv_bytes(HEADER + GOOD + twenty_digits))
    assert outcome.applied and outcome.counts["new"] == 1 and outcome.counts["invalid"] == 1
    assert outcome.samples["invalid"][0]["message"] == (
        "penghasilan: Penghasilan paling banyak Rp1.000.000.000.000 per bulan.")
    assert Participant.objects.get().declared_income == 1_500_000


def test_an_income_the_form_refuses_is_refused_so_the_person_can_still_be_saved_later(run, operator_a):
    outcome = run(operator_a, csv_bytes(HEADER + GOOD.replace("1500000", "5000000000000")))
    assert outcome.counts["invalid"] == 1 and not Participant.objects.exists()
    assert outcome.problems[0].issues[0]["code"] == "income_too_large"


def test_a_long_birth_place_is_refused_not_cut_short(run, operator_a):
    place = "Kabupaten " + "Sukoharjo " * 7
    outcome = run(operator_a, csv_bytes(HEADER + GOOD.replace("Sukoharjo", place.strip())))
    assert outcome.counts["invalid"] == 1 and not Participant.objects.exists()
    assert outcome.samples["invalid"][0]["message"] == "tempat lahir: Paling banyak 60 karakter."
