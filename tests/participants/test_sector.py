"""A participant's sector (PP 50/2025 discounts transport workers differently): taken from the occupation where it
says so (SOPIR 81, TRANSPORTASI 14), chosen by hand otherwise, and a hand-chosen sector survives a later change of
occupation. The same through the form, the API, the file import and our export."""

import io

import pytest
from django.test import Client

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.imports.export import export_csv
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.selectors import ParticipantFilter
from tests.conftest import DESA_A, api_client, person
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    """run(actor, file) -> ImportOutcome: the file imported into desa A."""
    from jamsosdesa.imports.engine import ImportOptions, participants_import

    def _run(actor, source):
        return participants_import(actor=actor, source=source, options=ImportOptions(desa=DESA_A, dry_run=False))

    return _run

SOPIR, TRANSPORTASI, PETANI = 81, 14, 9


def sector_of(p: Participant) -> tuple[str, str]:
    p.refresh_from_db()
    return p.sector, p.sector_source


@pytest.mark.parametrize("occupation", [SOPIR, TRANSPORTASI])
def test_a_driver_or_transport_worker_is_in_the_transport_sector(operator_a, register, occupation):
    p = register(operator_a, occupation=occupation)
    assert sector_of(p) == ("transportasi", "occupation")


def test_a_farmer_is_general_and_becomes_transport_when_he_turns_driver(operator_a, register):
    p = register(operator_a, occupation=PETANI)
    assert sector_of(p) == ("umum", "occupation")
    services.participant_update(actor=operator_a, participant=p, data={"occupation": SOPIR})
    assert sector_of(p) == ("transportasi", "occupation")


def test_a_sector_chosen_by_hand_is_kept_when_the_occupation_changes(operator_a, register):
    p = register(operator_a, occupation=PETANI, sector="transportasi")  # an ojek rider who also farms
    assert sector_of(p) == ("transportasi", "manual")
    services.participant_update(actor=operator_a, participant=p, data={"occupation": 88})
    assert sector_of(p) == ("transportasi", "manual")
    # the change is in the person's history, in words
    event = AuditEvent.objects.filter(object_id=str(p.pk), event_type="participant.updated").first()
    assert event.new == {"occupation": 88}


def test_a_blank_sector_follows_the_occupation_again(operator_a, register):
    p = register(operator_a, occupation=SOPIR, sector="umum")
    assert sector_of(p) == ("umum", "manual")
    services.participant_update(actor=operator_a, participant=p, data={"sector": ""})
    assert sector_of(p) == ("transportasi", "occupation")
    event = AuditEvent.objects.filter(object_id=str(p.pk), event_type="participant.updated").first()
    assert event.old == {"sector": "umum", "sector_source": "manual"}
    assert event.new == {"sector": "transportasi", "sector_source": "occupation"}


def test_an_unknown_sector_is_refused_naming_the_field(operator_a):
    from jamsosdesa.core.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        services.participant_register(actor=operator_a, data=person(sector="ojek"))
    assert "sector" in refused.value.fields
    assert "ojek" in refused.value.fields["sector"][0] and "transportasi" in refused.value.fields["sector"][0]
    assert refused.value.field_errors[0]["code"] == "sector_unknown"
    assert not Participant.objects.exists()


def test_the_api_takes_and_gives_the_sector(operator_a):
    call = api_client(operator_a)
    made = call("post", "/participants", {**person(birth_date="1990-05-05"), "occupation": SOPIR})
    assert made.status_code == 201, made.json()
    assert (made.json()["sector"], made.json()["sector_source"]) == ("transportasi", "occupation")
    nik = "3311110505900003"
    changed = call("patch", f"/participants/{nik}", {"sector": "furnitur"})
    assert (changed.json()["sector"], changed.json()["sector_source"]) == ("furnitur", "manual")
    changed = call("patch", f"/participants/{nik}", {"occupation": PETANI})
    assert changed.json()["sector"] == "furnitur"  # chosen by hand: kept
    back = call("patch", f"/participants/{nik}", {"sector": None})
    assert (back.json()["sector"], back.json()["sector_source"]) == ("umum", "occupation")
    wrong = call("patch", f"/participants/{nik}", {"sector": "nelayan"})
    assert wrong.status_code == 422 and "sector" in wrong.json()["error"]["fields"]


def test_the_form_offers_the_sector_and_the_page_says_it_in_words(operator_a, register):
    p = register(operator_a, occupation=SOPIR)
    client = Client()
    client.force_login(operator_a)
    page = client.get(f"/peserta/{p.pk}/ubah/").content.decode()
    assert 'name="sector"' in page and "Ikuti pekerjaan (sekarang: transportasi" in page
    detail = client.get(f"/peserta/{p.pk}/").content.decode()
    assert "transportasi (ojek, sopir, kurir) · dari pekerjaan" in detail

    data = {"nik": p.nik, "full_name": p.full_name, "birth_date": "1990-05-05", "sex": "L", "desa": DESA_A,
            "segment": "BPU", "village_role": "rt_head", "occupation": str(PETANI), "sector": "",
            "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0", "heirs-MIN_NUM_FORMS": "0",
            "heirs-MAX_NUM_FORMS": "10"}
    assert client.post(f"/peserta/{p.pk}/ubah/", data).status_code == 302
    assert sector_of(p) == ("umum", "occupation")  # left to the occupation: a farmer now
    assert client.post(f"/peserta/{p.pk}/ubah/", {**data, "sector": "transportasi"}).status_code == 302
    assert sector_of(p) == ("transportasi", "manual")
    assert "dipilih petugas" in client.get(f"/peserta/{p.pk}/").content.decode()


HEADER = "nik,nama,tanggal_lahir,jenis_kelamin,kode_pekerjaan"


def test_an_import_that_changes_the_occupation_changes_the_sector_unless_chosen(operator_a, register, run):
    follows = register(operator_a, occupation=PETANI)
    chosen = register(operator_a, nik="3311110606900001", full_name="Joko Susilo", birth_date=person()["birth_date"]
                      .replace(month=6, day=6), occupation=PETANI, sector="furnitur")
    rows = [HEADER, f"{follows.nik},{follows.full_name},05-05-1990,L,{SOPIR}",
            f"{chosen.nik},{chosen.full_name},06-06-1990,L,{SOPIR}"]
    outcome = run(operator_a, csv_bytes("\n".join(rows) + "\n"))
    assert outcome.counts["updated"] == 2, outcome.samples
    assert sector_of(follows) == ("transportasi", "occupation")
    assert sector_of(chosen) == ("furnitur", "manual")
    event = AuditEvent.objects.filter(object_id=str(follows.pk), event_type="participant.updated").first()
    assert event.new["sector"] == "transportasi" and event.old["sector"] == "umum"


def test_an_import_column_sets_the_sector_by_hand_and_a_blank_one_follows_the_occupation(operator_a, register, run):
    p = register(operator_a, occupation=SOPIR, sector="umum")
    rows = [HEADER + ",sektor", f"{p.nik},{p.full_name},05-05-1990,L,{SOPIR},"]
    assert run(operator_a, csv_bytes("\n".join(rows) + "\n")).counts["updated"] == 1
    assert sector_of(p) == ("transportasi", "occupation")
    rows = [HEADER + ",sektor", f"{p.nik},{p.full_name},05-05-1990,L,{SOPIR},Mainan",
            f"3311110606900001,Joko Susilo,06-06-1990,L,{PETANI},transportasi",
            f"3311110707900001,Budi Santoso,07-07-1990,L,{PETANI},kapal"]
    outcome = run(operator_a, csv_bytes("\n".join(rows) + "\n"))
    assert outcome.counts["updated"] == 1 and outcome.counts["new"] == 1 and outcome.counts["invalid"] == 1
    assert "sektor" in outcome.samples["invalid"][0]["message"].lower(), outcome.samples["invalid"]
    assert sector_of(p) == ("mainan", "manual")
    assert Participant.objects.values_list("sector", "sector_source").get(nik="3311110606900001") == (
        "transportasi", "manual")


def test_our_export_with_sectors_imports_back_unchanged(admin_user, operator_a, register, run):
    register(operator_a, occupation=SOPIR)
    register(operator_a, nik="3311110606900001", full_name="Joko Susilo",
             birth_date=person()["birth_date"].replace(month=6, day=6), occupation=SOPIR, sector="umum")
    before = list(Participant.objects.order_by("nik").values_list("nik", "sector", "sector_source"))
    out = io.StringIO()
    export_csv(admin_user, ParticipantFilter(), out)
    assert ",umum" in out.getvalue()  # the sector chosen by hand; the other one follows the occupation

    outcome = run(admin_user, csv_bytes(out.getvalue()))

    assert outcome.counts["unchanged"] == 2 and outcome.counts["updated"] == 0, outcome.samples["updated"]
    assert list(Participant.objects.order_by("nik").values_list("nik", "sector", "sector_source")) == before
