"""One masking decision for every output: a village operator sees masked NIKs in lists, exports, reports and
printouts; a branch officer and a national admin see whole ones (settings.NIK_UNMASKED_LIST_ROLES). Each output
is checked through every door it has: page, API and command line."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.presenters import mask_listed, mask_nik, nik_for, personal_data, sees_full_nik
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run, scheme_create
from tests.conftest import DESA_A, api_client, make_user
from tests.funding.conftest import people, scheme_data

pytestmark = pytest.mark.django_db

UNKNOWN = "3311110101800099"  # a NIK no one registered: refused, and shown back in the refusal list
VIEWERS = {"village operator": (Role.VILLAGE_OPERATOR, [DESA_A], True),
           "branch officer": (Role.BRANCH_OFFICER, ["33.11"], False),
           "national admin": (Role.NATIONAL_ADMIN, [], False)}


@pytest.fixture(params=list(VIEWERS))
def viewer(request, db):
    """(user, whether NIKs in lists are masked for that user)."""
    role, regions, masked = VIEWERS[request.param]
    return make_user("viewer", role, regions), masked


@pytest.fixture
def official(db):
    return make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])


@pytest.fixture
def make_scheme(official):
    """A district scheme of Kab. Sukoharjo (tests/funding/conftest.py's default) without desa quotas."""
    return lambda: scheme_create(actor=official, data=scheme_data(quota_per_desa=None))


def expected(nik: str, masked: bool) -> str:
    return mask_nik(nik) if masked else nik


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shows(text: str, nik: str, masked: bool) -> bool:
    """The output shows this NIK as the rule says, and never the whole NIK when it must be masked."""
    return expected(nik, masked) in text and (not masked or nik not in text)


def test_the_mask_keeps_region_and_serial_and_a_typo_keeps_only_its_ends(admin_user, operator_a):
    assert mask_nik("3311110505900003") == "3311••••••••0003"
    assert mask_listed("331111070385001") == "3311•••••••5001" and mask_listed("1234") == "1234"
    assert (sees_full_nik(operator_a), sees_full_nik(admin_user)) == (False, True)
    assert nik_for(operator_a, "3311110505900003") == "3311••••••••0003" and nik_for(operator_a, "") == ""
    assert personal_data(operator_a, one_person=True).nik("3311110505900003") == "3311110505900003"


def test_the_roles_that_see_whole_niks_are_a_setting(operator_a, settings):
    settings.NIK_UNMASKED_LIST_ROLES = ["national_admin", "village_operator"]
    assert sees_full_nik(operator_a)


def test_participant_lists_and_exports(viewer, register, admin_user, tmp_path):
    user, masked = viewer
    p = register(admin_user, kk="3311110505900001")
    page = page_for(user)
    assert shows(page.get("/peserta/").content.decode(), p.nik, masked)
    item = api_client(user)("get", "/participants")
    assert item.json()["items"][0]["nik"] == expected(p.nik, masked)
    assert item.json()["items"][0]["kk"] == expected(p.kk, masked)
    exported = b"".join(page.get("/peserta/ekspor.csv").streaming_content).decode("utf-8-sig")
    assert shows(exported, p.nik, masked) and shows(exported, p.kk, masked)
    out = tmp_path / "peserta.csv"
    call_command("export", "participants", "--user", user.username, "--out", str(out), stdout=StringIO())
    assert shows(out.read_text(encoding="utf-8-sig"), p.nik, masked)
    assert [e.new["nik_masked"] for e in AuditEvent.objects.filter(event_type="participant.exported")] == [masked] * 2
    # one person's own record shows the whole NIK to anyone who may see that person
    assert p.nik in page.get(f"/peserta/{p.pk}/").content.decode()
    assert api_client(user)("get", f"/participants/{p.nik}").json()["nik"] == p.nik


def test_scheme_enrolments_and_refusals_through_the_api(viewer, make_scheme):
    user, masked = viewer
    scheme = make_scheme()
    worker = people(1, DESA_A)[0]
    api = api_client(user)
    batch = api("post", f"/schemes/{scheme.pk}/enrolments", {"niks": [worker.nik, UNKNOWN]})
    assert batch.status_code == 201 and batch.json()["enrolled"] == 1, batch.content
    assert [r["nik"] for r in batch.json()["refusals"]] == [expected(UNKNOWN, masked)]
    listed = api("get", f"/schemes/{scheme.pk}/enrolments").json()
    assert [e["nik"] for e in listed] == [expected(worker.nik, masked)]
    again = api("post", f"/schemes/{scheme.pk}/enrolments", {"niks": [worker.nik]}).json()
    assert [r["nik"] for r in again["refusals"]] == [expected(worker.nik, masked)]  # already in this scheme
    ended = api("post", f"/enrolments/{listed[0]['id']}/end", {"last_month": listed[0]["end_month"],
                                                              "reason": "moved"})
    assert ended.status_code == 200 and ended.json()["nik"] == expected(worker.nik, masked)


def test_scheme_pages_the_refusal_report_and_the_end_page(viewer, make_scheme):
    user, masked = viewer
    scheme = make_scheme()
    worker = people(1, DESA_A)[0]
    batch = enrolment_batch_run(actor=user, scheme=scheme, selection=EnrolmentSelection(niks=[worker.nik, UNKNOWN]))
    page = page_for(user)
    assert shows(page.get(f"/skema/daftar/{batch.pk}/").content.decode(), UNKNOWN, masked)
    assert shows(page.get(f"/skema/{scheme.pk}/peserta/").content.decode(), worker.nik, masked)
    enrolment = Enrolment.objects.get(participant=worker)
    assert shows(page.get(f"/skema/kepesertaan/{enrolment.pk}/akhiri/").content.decode(), worker.nik, masked)


def test_the_budget_sheet_follows_the_rule_and_is_recorded_as_an_export(viewer, make_scheme, official):
    user, masked = viewer
    scheme = make_scheme()
    worker = people(1, DESA_A)[0]
    enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(participant=worker))
    page = page_for(user)
    sheet = page.get(f"/skema/{scheme.pk}/lembar-anggaran/?desa={DESA_A}").content.decode()
    assert shows(sheet, worker.nik, masked) and worker.full_name in sheet
    event = AuditEvent.objects.get(event_type="scheme.budget_sheet_exported")
    assert (event.actor, event.object_type, event.object_id, event.region_code) == (user, "scheme", str(scheme.pk),
                                                                                     DESA_A)
    assert event.new == {"desa": DESA_A, "format": "print", "rows": 1, "nik_masked": masked}
    page.get(f"/skema/{scheme.pk}/lembar-anggaran/")  # the totals alone list no one: not an export
    assert AuditEvent.objects.filter(event_type="scheme.budget_sheet_exported").count() == 1


def test_the_command_line_shows_refusals_by_the_rule(viewer, make_scheme, tmp_path):
    user, masked = viewer
    scheme = make_scheme()
    listed = tmp_path / "penerima.csv"
    listed.write_text(f"nik\n{UNKNOWN}\n", encoding="utf-8")
    out = StringIO()
    call_command("scheme", "enrol", str(scheme.pk), "--user", user.username, "--file", str(listed), "--json",
                 stdout=out)
    refusals = json.loads(out.getvalue())["refusals"]
    assert [(r["nik"], r["reason"]) for r in refusals] == [(expected(UNKNOWN, masked), "not_registered")]
    out = StringIO()
    call_command("scheme", "enrol", str(scheme.pk), "--user", user.username, "--file", str(listed), stdout=out)
    assert shows(out.getvalue(), UNKNOWN, masked)


def test_the_participant_page_shows_what_the_presenter_decides(register, admin_user, operator_a, monkeypatch):
    """One person's page takes the NIK, KK, address and heirs' NIKs from core.presenters like every other output
    (it printed them itself, so a rule changed in the presenter would have missed it)."""
    from jamsosdesa.core.presenters import PersonalData

    p = register(admin_user, kk="3311110505900001", address="Jl. Melati 3",
                 heirs=[{"name": "Siti", "relation": "child", "nik": "3311114506100002", "phone": ""}])
    text = page_for(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    assert all(v in text for v in (p.nik, "3311110505900001", "Jl. Melati 3", "3311114506100002"))  # all whole
    monkeypatch.setattr(PersonalData, "nik", lambda self, value: f"[nik {value[-4:]}]")
    monkeypatch.setattr(PersonalData, "kk", lambda self, value: f"[kk {value[-4:]}]")
    monkeypatch.setattr(PersonalData, "address", lambda self, value: "[alamat]")
    text = page_for(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    assert f"[nik {p.nik[-4:]}]" in text and "[kk 0001]" in text and "[alamat]" in text and "[nik 0002]" in text
    assert all(v not in text for v in (p.nik, "3311110505900001", "Jl. Melati 3", "3311114506100002"))
    body = api_client(operator_a)("get", f"/participants/{p.nik}").json()  # the API's record, heirs included
    assert (body["nik"], body["kk"], body["address"]) == (f"[nik {p.nik[-4:]}]", "[kk 0001]", "[alamat]")
    assert body["heirs"][0]["nik"] == "[nik 0002]"
