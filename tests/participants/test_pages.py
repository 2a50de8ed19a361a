import pytest
from django.test import Client

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant

pytestmark = pytest.mark.django_db

FORM = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_date": "1990-05-05", "sex": "L",
        "desa": "33.11.11.2004", "segment": "BPU", "village_role": "rt_head", "declared_income": "1000000",
        "occupation": "9", "rt": "2", "rw": "1", "client_token": "tok-1",
        "heirs-TOTAL_FORMS": "2", "heirs-INITIAL_FORMS": "0", "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "10",
        "heirs-0-name": "Sri Wahyuni", "heirs-0-relation": "spouse", "heirs-0-nik": "", "heirs-0-phone": "",
        "heirs-1-name": "", "heirs-1-relation": "", "heirs-1-nik": "", "heirs-1-phone": ""}


@pytest.fixture
def client(operator_a):
    c = Client()
    c.force_login(operator_a)
    return c


def test_the_register_form_defaults_to_the_operators_desa(client):
    page = client.get("/peserta/baru/")
    assert page.status_code == 200
    assert b'value="33.11.11.2004"' in page.content and b"Krajan, Gatak" in page.content


def test_registering_through_the_form_then_finding_the_person(client):
    response = client.post("/peserta/baru/", FORM)
    p = Participant.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/peserta/{p.pk}/"
    assert [h.name for h in p.heirs.all()] == ["Sri Wahyuni"]
    listing = client.get("/peserta/", {"q": "sugeng"})
    assert b"Sugeng Riyadi" in listing.content
    assert b"Sugeng Riyadi" in client.get("/peserta/", {"q": "3311110505900003"}).content
    assert b"Sugeng Riyadi" in client.get("/peserta/", {"q": "sugeng"}, headers={"HX-Request": "true"}).content


def test_posting_the_form_twice_keeps_one_participant(client):
    client.post("/peserta/baru/", FORM)
    again = client.post("/peserta/baru/", FORM)
    assert again.status_code == 302 and Participant.objects.count() == 1


def test_a_bad_nik_is_shown_on_the_field_in_indonesian(client):
    response = client.post("/peserta/baru/", {**FORM, "nik": "3311113102900001"})
    assert response.status_code == 200
    assert b"bukan tanggal lahir yang mungkin" in response.content
    assert Participant.objects.count() == 0


def test_a_duplicate_nik_names_where_the_person_is(client):
    client.post("/peserta/baru/", FORM)
    response = client.post("/peserta/baru/", {**FORM, "client_token": "tok-2", "full_name": "Lain"})
    assert b"sudah terdaftar atas nama Sugeng Riyadi di Desa Krajan" in response.content


def test_warnings_are_confirmed_with_a_checkbox(client):
    first = client.post("/peserta/baru/", {**FORM, "sex": "P"})
    assert b"confirm_warnings" in first.content and Participant.objects.count() == 0
    second = client.post("/peserta/baru/", {**FORM, "sex": "P", "confirm_warnings": "on"})
    assert second.status_code == 302 and Participant.objects.get().sex == "P"


def test_editing_records_history_shown_on_the_detail_page(client):
    client.post("/peserta/baru/", FORM)
    p = Participant.objects.get()
    edit = {**FORM, "phone": "0877", "heirs-INITIAL_FORMS": "1"}
    assert client.post(f"/peserta/{p.pk}/ubah/", edit).status_code == 302
    detail = client.get(f"/peserta/{p.pk}/")
    assert "nomor HP: — → 0877" in detail.content.decode()  # the field by its name, not its code (phone)
    assert b"phone:" not in detail.content
    assert AuditEvent.objects.filter(event_type="participant.updated", object_id=str(p.pk)).count() == 1
    history = detail.content.decode().split("Riwayat perubahan")[1]  # each event named by what happened
    assert history.index("data peserta diubah") < history.index("peserta didaftarkan")


def test_deactivating_from_the_detail_page(client):
    client.post("/peserta/baru/", FORM)
    p = Participant.objects.get()
    client.post(f"/peserta/{p.pk}/nonaktifkan/", {"reason": "died", "note": "x"})
    p.refresh_from_db()
    assert not p.is_active and b"Meninggal dunia" in client.get(f"/peserta/{p.pk}/").content


def test_filters_by_region_segment_role_and_status(client, operator_a, register):
    register(operator_a)
    assert b"Sugeng" in client.get("/peserta/", {"region": "33.11", "segment": "BPU", "village_role": "rt_head",
                                                 "status": "active"}).content
    assert b"Sugeng" not in client.get("/peserta/", {"status": "inactive"}).content
    assert b"Sugeng" not in client.get("/peserta/", {"region": "33.10"}).content


def test_english_is_available(client):
    client.post("/bahasa/", {"language": "en", "next": "/peserta/"})
    page = client.get("/peserta/baru/")
    assert b"Register a new participant" in page.content
    client.post("/bahasa/", {"language": "id", "next": "/peserta/"})
    assert b"Daftar peserta baru" in client.get("/peserta/baru/").content


def test_region_picker_and_live_nik_check(client):
    picker = client.get("/wilayah/cari/", {"desa_q": "krajan"}, HTTP_HX_REQUEST="true")
    assert b"33.11.11.2004" in picker.content and b"Gatak" in picker.content
    kabupaten = client.get("/wilayah/cari/", {"region_q": "sukoharjo", "level": "any", "target": "id_region"},
                           HTTP_HX_REQUEST="true")
    assert b'data-code="33.11"' in kabupaten.content and b"id_region" in kabupaten.content
    check = client.get("/peserta/cek-nik/", {"nik": "3311113102900001"})
    assert b"bukan tanggal lahir" in check.content
