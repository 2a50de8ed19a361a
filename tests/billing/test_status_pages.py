"""Status where the staff see it: the badge panel on the participant page, the protection filter of the participant
list (and its export), and the arrears policy in the admin (national admins only, every save audited)."""

import pytest
from django.test import Client

from jamsosdesa.billing.models import ArrearsPolicy
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from tests.billing.conftest import DESA_A, DESA_B, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_participant_page_shows_status_paid_through_owed_and_policy(operator_a):
    late, = people(1)
    history(late, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    text = _client(operator_a).get(f"/peserta/{late.pk}/").content.decode()
    assert "Status perlindungan" in text
    assert 'id="protection-status">menunggak<' in text
    assert 'id="paid-through">' + _month_words(month(-2)) in text
    assert "Rp16.800" in text
    assert 'id="covered">tidak' in text
    assert "ketat" in text and "pengaturan bawaan sistem" in text


def test_the_panel_names_a_lenient_policy_and_its_source(operator_a):
    late, = people(1)
    history(late, paid=[month(-2)], unpaid=[month(-1), month(0)])
    ArrearsPolicy.objects.create(kab_code="33.11", valid_from=month(-12), mode="lenient", grace_months=3,
                                 source="Surat Cabang Sukoharjo 4/2026")
    text = _client(operator_a).get(f"/peserta/{late.pk}/").content.decode()
    assert "longgar" in text and "tenggang 3 bulan" in text and "Surat Cabang Sukoharjo 4/2026" in text
    assert 'id="covered">ya' in text and "bila tunggakan dilunasi sebelum" in text


def _month_words(when) -> str:
    names = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
    return f"{names[when.month - 1]} {when.year}"


def test_the_list_filters_by_protection_status_within_the_users_scope(operator_a, operator_b):
    active, late, never = people(3)
    history(active, paid=[month(-1), month(0), month(1)])
    history(late, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    other_desa, = people(1, DESA_B)
    history(other_desa, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    client = _client(operator_a)

    def shown(value: str) -> set[int]:
        text = client.get("/peserta/", {"protection": value}).content.decode()
        return {p.pk for p in (active, late, never, other_desa) if f"/peserta/{p.pk}/" in text}

    assert shown("active") == {active.pk}
    assert shown("arrears") == {late.pk}
    assert shown("not_started") == {never.pk}
    assert shown("non_active") == set()
    assert shown("") == {active.pk, late.pk, never.pk}
    # operator B sees only its own desa's late payer
    text = _client(operator_b).get("/peserta/", {"protection": "arrears"}).content.decode()
    assert f"/peserta/{other_desa.pk}/" in text and f"/peserta/{late.pk}/" not in text


def test_the_list_offers_the_filter_and_an_unknown_value_filters_nothing(operator_a):
    person, = people(1)
    client = _client(operator_a)
    page = client.get("/peserta/").content.decode()
    assert 'name="protection"' in page and ">Menunggak<" in page and "Semua perlindungan" in page
    response = client.get("/peserta/", {"protection": "bogus"})
    assert response.status_code == 200 and f"/peserta/{person.pk}/" in response.content.decode()


def test_the_export_follows_the_protection_filter(operator_a):
    active, late = people(2)
    history(active, paid=[month(-1), month(0), month(1)])
    history(late, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    response = _client(operator_a).get("/peserta/ekspor.csv", {"protection": "arrears"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert late.nik[:4] in body and late.full_name in body and active.full_name not in body


# --- the arrears policy in the admin ---------------------------------------------------------------------------


@pytest.fixture
def national_admin(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user


def _policy_form(**overrides) -> dict:
    data = {"kab_code": "33.11", "valid_from": month(1).isoformat(), "mode": "lenient", "grace_months": "2",
            "source": "Surat Kepala Cabang Sukoharjo 12/2026", "note": ""}
    data.update(overrides)
    return data


def test_a_national_admin_adds_and_changes_a_policy_and_each_save_is_audited(national_admin):
    client = _client(national_admin)
    response = client.post("/admin/billing/arrearspolicy/add/", _policy_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = ArrearsPolicy.objects.get()
    assert (policy.mode, policy.grace_months, policy.created_by) == ("lenient", 2, national_admin)
    event = AuditEvent.objects.get(event_type=AuditEventType.ARREARS_POLICY_CHANGED)
    assert event.old is None and event.new["source"] == "Surat Kepala Cabang Sukoharjo 12/2026"
    assert event.actor_id == national_admin.pk and event.region_code == "33.11"
    response = client.post(f"/admin/billing/arrearspolicy/{policy.pk}/change/", _policy_form(grace_months="4"))
    assert response.status_code == 302
    change = AuditEvent.objects.filter(event_type=AuditEventType.ARREARS_POLICY_CHANGED).latest("id")
    assert (change.old, change.new) == ({"grace_months": 2}, {"grace_months": 4})


@pytest.mark.parametrize(("field", "value", "words"), [
    ("kab_code", "33.99", "bukan kode kabupaten/kota yang dikenal"),
    ("kab_code", "33.1", "bukan kode kabupaten/kota yang dikenal"),
    ("kab_code", "33.11.11", ""),  # longer than a kabupaten code: the field's own length check
    ("valid_from", "2027-01-16", "pilih tanggal 1"),
    ("source", "   ", ""),  # required
    ("grace_months", "99", "paling lama 24 bulan"),
    ("grace_months", "-1", ""),
    ("mode", "forgiving", ""),
])
def test_a_bad_policy_is_refused_with_a_message_and_nothing_is_saved(national_admin, field, value, words):
    response = _client(national_admin).post("/admin/billing/arrearspolicy/add/", _policy_form(**{field: value}))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ArrearsPolicy.objects.exists() and not AuditEvent.objects.filter(
        event_type=AuditEventType.ARREARS_POLICY_CHANGED).exists()


def test_only_a_national_admin_reaches_the_policy_and_nobody_deletes_one(national_admin):
    branch = make_user("cabang", Role.BRANCH_OFFICER, ["33.11"])
    branch.is_staff = True
    branch.save(update_fields=["is_staff"])
    assert _client(branch).get("/admin/billing/arrearspolicy/").status_code == 403
    policy = ArrearsPolicy.objects.create(kab_code="", valid_from=month(0), source="x")
    assert _client(national_admin).get(f"/admin/billing/arrearspolicy/{policy.pk}/delete/").status_code == 403
    assert ArrearsPolicy.objects.filter(pk=policy.pk).exists()
    assert DESA_A  # the admin page is not scoped by desa: it is national
