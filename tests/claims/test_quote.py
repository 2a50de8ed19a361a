"""The quote's three doors (CLI, API, page): eligibility and benefit on an event day without filing anything, the
JSON keys, scoping (a person outside the user's area is not found), and the refusals of a bad type or day."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jamsosdesa.claims.models import Claim
from jamsosdesa.claims.quote import quote
from jamsosdesa.core import clock
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.months import add_years
from tests.claims.engine_fixtures import DESA_B, day, fresh_param_cache, month, worker  # noqa: F401
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def cli(*args) -> str:
    out = StringIO()
    call_command("claim", "quote", *args, stdout=out)
    return out.getvalue()


def test_the_cli_json_has_eligibility_total_and_parts_with_their_rules(operator_a):
    person = worker(paid=[month(-3), month(-2), month(-1), month(0)])
    events = AuditEvent.objects.count()
    answer = json.loads(cli(person.nik, "--type", "jkm", "--on", f"{day(-1, 20):%Y-%m-%d}", "--json",
                            "--user", "op_a"))
    assert answer["eligible"] is True and answer["reason"].startswith("aktif: iuran terbayar sampai")
    assert answer["total"] == 42_000_000 + 16_800  # the month paid beyond the event month is refunded
    assert [p["code"] for p in answer["parts"]] == ["jkm_lump_sum", "jkm_periodic", "jkm_funeral", "refund"]
    assert all({"name", "amount", "rule"} <= set(p) for p in answer["parts"])
    assert answer["words"] == "Empat puluh dua juta enam belas ribu delapan ratus rupiah"
    assert answer["eligibility"]["refund_months"] == [f"{month(0):%Y-%m}"]
    assert not Claim.objects.exists() and AuditEvent.objects.count() == events  # nothing written


def test_the_cli_text_names_each_part_and_the_total_in_words(operator_a):
    person = worker(paid=[month(-2), month(-1)], wage=5_000_000)
    text = cli(person.nik, "--type", "jkk_death", "--on", f"{day(-1, 20):%Y-%m-%d}", "--user", "op_a")
    assert "48 × upah Rp5.000.000 = Rp240.000.000" in text
    assert "Rp262.000.000" in text and "Dua ratus enam puluh dua juta rupiah" in text


def test_a_person_outside_the_user_s_area_is_not_found_on_the_cli(operator_a, operator_b):
    person = worker(paid=[month(-2), month(-1)])
    with pytest.raises(CommandError, match="tidak ditemukan"):
        cli(person.nik, "--type", "jkm", "--on", f"{day(-1, 20):%Y-%m-%d}", "--user", "op_b")


def test_not_protected_that_day_is_a_zero_total_with_the_reason(operator_a):
    person = worker(paid=[month(-6)])
    q = quote(operator_a, person, "jkm", day(-1, 20))
    assert (q.eligible, q.held, q.total, q.parts) == (False, False, 0, ())
    assert q.reason.startswith("tidak aktif sejak")


def test_a_day_to_come_or_before_registration_is_refused_in_words(operator_a):
    person = worker(paid=[month(-2), month(-1)])
    with pytest.raises(ServiceError) as caught:
        quote(operator_a, person, "jkm", add_years(clock.today(), 1))
    assert "belum tiba" in caught.value.message and "on" in caught.value.fields
    with pytest.raises(ServiceError) as caught:
        quote(operator_a, person, "jkm", day(-4, 1))
    assert "sebelum peserta terdaftar" in caught.value.message


def test_the_api_answers_the_quote_and_404_outside_the_area(operator_a, operator_b):
    person = worker(paid=[month(-2), month(-1)])
    on = f"{day(-1, 20):%Y-%m-%d}"
    answer = api_client(operator_a)("get", f"/claims/quote?nik={person.nik}&type=jkk_disability_total&on={on}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["total"] == 56 * 1_000_000 + 12_000_000 and body["eligible"] is True
    assert {"name", "amount", "rule"} <= set(body["parts"][0])
    outside = api_client(operator_b)("get", f"/claims/quote?nik={person.nik}&type=jkm&on={on}")
    assert outside.status_code == 404
    nobody = api_client(operator_a)("get", f"/claims/quote?nik=3311110101010001&type=jkm&on={on}")
    assert nobody.status_code == 404 and nobody.json()["error"]["message"] == outside.json()["error"]["message"]


def test_the_api_refuses_a_bad_type_or_date_with_422_naming_the_field(operator_a):
    person = worker(paid=[month(-2), month(-1)])
    call = api_client(operator_a)
    bad_type = call("get", f"/claims/quote?nik={person.nik}&type=jkx&on={day(-1, 20):%Y-%m-%d}")
    assert bad_type.status_code == 422 and "type" in bad_type.json()["error"]["fields"]
    bad_day = call("get", f"/claims/quote?nik={person.nik}&type=jkm&on=2026-02-30")
    assert bad_day.status_code == 422 and "on" in bad_day.json()["error"]["fields"]


def test_temporary_incapacity_by_days_through_the_api(operator_a):
    person = worker(paid=[month(-2), month(-1)], wage=3_000_000)
    start, end = day(-1, 1), day(-1, 10)
    answer = api_client(operator_a)("get", f"/claims/quote?nik={person.nik}&type=jkk_temporary&on={start}"
                                           f"&incapacity_from={start}&incapacity_to={end}")
    assert answer.status_code == 200, answer.content
    assert answer.json()["total"] == 10 * 100_000


def test_the_page_shows_the_verdict_parts_rules_total_and_words(operator_a, operator_b):
    person = worker(paid=[month(-2), month(-1)])
    client = Client()
    client.force_login(operator_a)
    text = client.get("/klaim/hitung/", {"nik": person.nik, "kind": "jkm",
                                         "on": f"{day(-1, 20):%Y-%m-%d}"}).content.decode()
    assert "Layak" in text and "aktif: iuran terbayar sampai" in text
    assert "Rp42.000.000" in text and "Empat puluh dua juta rupiah" in text and "PP 82/2019" in text
    client.force_login(operator_b)
    text = client.get("/klaim/hitung/", {"nik": person.nik, "kind": "jkm",
                                         "on": f"{day(-1, 20):%Y-%m-%d}"}).content.decode()
    assert "tidak ditemukan" in text and "Rp42.000.000" not in text


def test_held_under_a_lenient_policy_shows_the_benefit_once_the_arrears_are_paid(operator_a):
    from jamsosdesa.billing.models import ArrearsPolicy

    ArrearsPolicy.objects.create(kab_code="", valid_from=month(-12), mode="lenient", grace_months=3,
                                 source="Keputusan Direksi 1/2026")
    person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
    answer = json.loads(cli(person.nik, "--type", "jkm", "--on", f"{day(-1, 20):%Y-%m-%d}", "--json",
                            "--user", "op_a"))
    assert (answer["eligible"], answer["held"], answer["total"]) == (False, True, 42_000_000)
    assert answer["eligibility"]["arrears"] == 33_600 and answer["eligibility"]["pay_by"]
    assert answer["warnings"] == ["Manfaat dibayar bila tunggakan dilunasi lebih dahulu."]


def test_a_role_that_sees_no_claims_gets_no_eligibility_even_for_people_in_its_region(operator_a):
    """A wadah manager reads its agents' people but sees no claim: the quote (eligibility, wage, paid-through month)
    answers it as for a NIK nobody has, on the CLI, the API and the page alike."""
    from jamsosdesa.core.roles import Role
    from jamsosdesa.participants.access import scope_participants
    from tests.conftest import make_user

    manager = make_user("wadah_skh", Role.WADAH_MANAGER, ["33.11"])
    person = worker(paid=[month(-2), month(-1)])
    on = f"{day(-1, 20):%Y-%m-%d}"
    with pytest.raises(CommandError, match="tidak ditemukan"):
        cli(person.nik, "--type", "jkm", "--on", on, "--user", "wadah_skh")
    assert scope_participants(manager).filter(pk=person.pk).exists()  # the person is the manager's to read
    answer = api_client(manager)("get", f"/claims/quote?nik={person.nik}&type=jkm&on={on}")
    assert answer.status_code == 404
    assert quote(operator_a, person, "jkm", day(-1, 20)).eligible  # the operator of the desa still sees it
    with pytest.raises(NotFound):  # ... but not its eligibility
        quote(manager, person, "jkm", day(-1, 20))
