"""A registration carries its outreach event's code on the page, the API and the import; a code no event has is
refused on that field, in words that say so, and the registration is not lost: the page keeps everything typed, the
API answers 422 naming the field, the import's report names the column (the row is refused, like any invalid row:
the rest loaded, or nothing with all-or-nothing)."""

import io

import pytest
from django.db import connection
from django.test import Client

from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.imports.engine import ImportOptions, participants_import
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, api_client
from tests.imports.conftest import xlsx

from .events_fixtures import NIKS, make_event

pytestmark = pytest.mark.django_db

FORM = {"nik": NIKS[0], "full_name": "Sugeng Riyadi", "birth_date": "1990-05-05", "sex": "L", "desa": DESA_A,
        "segment": "BPU", "village_role": "rt_head", "declared_income": "1000000", "occupation": "9", "rt": "2",
        "rw": "1", "phone": "081234567890", "client_token": "tok-1",
        "heirs-TOTAL_FORMS": "2", "heirs-INITIAL_FORMS": "0", "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "10",
        "heirs-0-name": "Sri Wahyuni", "heirs-0-relation": "spouse", "heirs-0-nik": "", "heirs-0-phone": "",
        "heirs-1-name": "", "heirs-1-relation": "", "heirs-1-nik": "", "heirs-1-phone": ""}
API_PERSON = {"nik": NIKS[1], "full_name": "Siti Aminah", "birth_date": "1990-05-05", "sex": "L", "desa": DESA_A}


@pytest.fixture
def page(operator_a):
    client = Client()
    client.force_login(operator_a)
    return client


def test_the_form_refuses_an_unknown_code_on_its_field_and_keeps_what_was_typed(page):
    response = page.post("/peserta/baru/", {**FORM, "outreach_code": "zz-999"})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["outreach_code"]
    assert "Kode sosialisasi 'zz-999' tidak dikenal" in form.errors["outreach_code"][0]
    html = response.content.decode()
    for typed in (NIKS[0], "Sugeng Riyadi", "081234567890", "Sri Wahyuni", "zz-999"):
        assert typed in html
    assert not Participant.objects.exists()


def test_the_form_stores_a_known_code_as_written_on_the_flyer_and_audits_it(page, operator_a):
    event = make_event(operator_a)
    typed = f"{event.code[:3].lower()}-{event.code[3:].lower()}"  # 'k7m-3pq': capitals and dashes do not matter
    response = page.post("/peserta/baru/", {**FORM, "outreach_code": typed})
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.outreach_code == event.code
    registered = AuditEvent.objects.get(event_type=AuditEventType.PARTICIPANT_REGISTERED)
    assert registered.new["outreach_code"] == event.code
    assert event.code in page.get(f"/peserta/{person.pk}/").content.decode()


def test_the_api_answers_422_naming_the_field_for_an_unknown_code(operator_a):
    call = api_client(operator_a)
    response = call("post", "/participants", {**API_PERSON, "outreach_code": "NOPE42"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert list(error["fields"]) == ["outreach_code"]
    assert error["field_errors"] == [{"field": "outreach_code", "code": "outreach_code_unknown",
                                      "message": error["fields"]["outreach_code"][0]}]
    assert not Participant.objects.exists()


def test_the_api_registers_with_a_known_code_and_a_patch_can_correct_it(operator_a):
    first, second = make_event(operator_a), make_event(operator_a, title="Sosialisasi kedua")
    call = api_client(operator_a)
    made = call("post", "/participants", {**API_PERSON, "outreach_code": first.code.lower()})
    assert made.status_code == 201 and made.json()["outreach_code"] == first.code
    refused = call("patch", f"/participants/{NIKS[1]}", {"outreach_code": "NOPE42"})
    assert refused.status_code == 422 and "outreach_code" in refused.json()["error"]["fields"]
    fixed = call("patch", f"/participants/{NIKS[1]}", {"outreach_code": second.code})
    assert fixed.status_code == 200 and fixed.json()["outreach_code"] == second.code
    changed = AuditEvent.objects.get(event_type=AuditEventType.PARTICIPANT_UPDATED)
    assert (changed.old, changed.new) == ({"outreach_code": first.code}, {"outreach_code": second.code})


def run(actor, source, **options):
    """Import a file into desa A (written, not a preview)."""
    return participants_import(actor=actor, source=source, options=ImportOptions(desa=DESA_A, dry_run=False,
                                                                                 **options))


HEADER = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_sosialisasi"]


def _file(code_known: str) -> object:
    return xlsx([HEADER, [NIKS[2], "Warga Dua", "05-05-1990", "L", code_known],
                 [NIKS[3], "Warga Tiga", "05-05-1990", "L", "SALAH1"],
                 [NIKS[4], "Warga Empat", "05-05-1990", "L", ""]])


def test_an_import_row_with_an_unknown_code_is_refused_naming_the_column(operator_a):
    event = make_event(operator_a)
    outcome = run(operator_a, _file(event.code.lower()))
    assert outcome.applied and outcome.counts["new"] == 2 and outcome.counts["invalid"] == 1
    [problem] = outcome.problems
    assert problem.row == 3 and problem.message.startswith("kode sosialisasi: Kode sosialisasi 'SALAH1' tidak dikenal")
    assert problem.issues == [{"field": "outreach_code", "code": "outreach_code_unknown",
                               "message": problem.issues[0]["message"]}]
    codes = dict(Participant.objects.values_list("nik", "outreach_code"))
    assert codes == {NIKS[2]: event.code, NIKS[4]: ""}
    audited = {e.new["nik"]: e.new["outreach_code"] for e in AuditEvent.objects.filter(
        event_type=AuditEventType.PARTICIPANT_REGISTERED)}
    assert audited == {NIKS[2]: event.code, NIKS[4]: ""}


def test_an_all_or_nothing_import_with_an_unknown_code_loads_nothing(operator_a):
    event = make_event(operator_a)
    outcome = run(operator_a, _file(event.code), all_or_nothing=True)
    assert outcome.rejected and not outcome.applied and outcome.counts["invalid"] == 1
    assert not Participant.objects.exists()


def test_an_import_never_moves_a_registered_person_to_another_event(operator_a):
    first, second = make_event(operator_a), make_event(operator_a, title="Sosialisasi kedua")
    run(operator_a, xlsx([HEADER, [NIKS[2], "Warga Dua", "05-05-1990", "L", first.code]]))
    again = run(operator_a, xlsx([HEADER, [NIKS[2], "Warga Dua", "05-05-1990", "L", second.code]]))
    assert again.counts["unchanged"] == 1
    assert Participant.objects.get().outreach_code == first.code


def test_a_bulk_load_stores_and_audits_the_code_as_the_usual_path_does(operator_a, settings):
    settings.IMPORT_BULK_MIN_ROWS, settings.IMPORT_BULK_MIN_SHARE = 1, 0  # PostgreSQL: the COPY and its trigger
    event = make_event(operator_a)
    rows = [[NIKS[i], f"Warga {i}", "05-05-1990", "L", event.code if i % 2 else ""] for i in range(2, 12)]
    outcome = run(operator_a, xlsx([HEADER, *rows]))
    assert outcome.applied and outcome.counts["new"] == 10
    assert outcome.bulk_load == (connection.vendor == "postgresql")
    expected = {NIKS[i]: event.code if i % 2 else "" for i in range(2, 12)}
    assert dict(Participant.objects.values_list("nik", "outreach_code")) == expected
    audited = {e.new["nik"]: e.new["outreach_code"] for e in AuditEvent.objects.filter(
        event_type=AuditEventType.PARTICIPANT_REGISTERED)}
    assert audited == expected


def test_the_participant_export_carries_the_code_and_imports_back_unchanged(operator_a, admin_user):
    from jamsosdesa.imports.export import export_csv
    from jamsosdesa.participants.selectors import ParticipantFilter

    event = make_event(operator_a)
    run(operator_a, xlsx([HEADER, [NIKS[2], "Warga Dua", "05-05-1990", "L", event.code]]))
    out = io.StringIO()
    export_csv(admin_user, ParticipantFilter(), out)  # full NIKs: a file that imports back
    header, row = (line.split(",") for line in out.getvalue().lstrip("\ufeff").splitlines()[:2])
    assert row[header.index("kode_sosialisasi")] == event.code
    again = run(admin_user, io.BytesIO(out.getvalue().encode()))
    assert again.counts["unchanged"] == 1 and again.counts["invalid"] == 0, again.samples
