"""Creating and changing a scheme from the page, the welfare list upload, the list of who a scheme pays for,
and ending an enrolment from the page."""

import io

import pytest
from django.test import Client

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment, Scheme, SchemeQuota, WelfareEntry
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run
from tests.conftest import DESA_A, DESA_B, make_user

from .conftest import month, month_text, people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**overrides) -> dict:
    data = {"name": "Jaminan RT/RW Krajan", "payer_type": "apbdes", "apbdes_source": "add", "owner_code": DESA_A,
            "legal_basis_number": "Perdes Krajan 3/2026", "legal_basis_date": "2026-10-01", "segment": "BPU",
            "programmes": ["JKK", "JKM"], "income_nominal": "1000000", "start_month": month_text(0),
            "end_month": month_text(11), "budget_ceiling": "30000000", "quota_per_desa": "", "quotas": "",
            "max_age": "65", "village_roles": ["rt_head", "rw_head"], "note": ""}
    data.update(overrides)
    return data


def csv_file(name: str, niks: list[str]) -> io.BytesIO:
    f = io.BytesIO(("NIK\n" + "\n".join(niks) + "\n").encode())
    f.name = name
    return f


def test_an_operator_creates_its_village_scheme_with_a_welfare_list(operator_a):
    listed = people(2, DESA_A)
    page = logged_in(operator_a)
    assert 'href="/skema/baru/"' in page.get("/skema/").content.decode()
    blank = page.get("/skema/baru/").content.decode()
    assert f'value="{DESA_A}"' in blank  # the operator's desa is the owner by default
    answer = page.post("/skema/baru/", form(requires_welfare_list="on",
                                             welfare_file=csv_file("dtks.csv", [p.nik for p in listed])))
    scheme = Scheme.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/skema/{scheme.pk}/"
    assert (scheme.apbdes_source, scheme.owner_code, scheme.programmes) == ("add", DESA_A, ["JKK", "JKM"])
    assert scheme.village_roles == ["rt_head", "rw_head"] and scheme.requires_welfare_list
    assert set(WelfareEntry.objects.values_list("nik", flat=True)) == {p.nik for p in listed}
    assert AuditEvent.objects.filter(event_type="scheme.created").count() == 1


def test_the_form_names_each_wrong_field_and_writes_nothing(operator_a, official):
    page = logged_in(operator_a)
    answer = page.post("/skema/baru/", form(apbdes_source="", income_nominal="1234567", owner_code=DESA_B,
                                             quotas="33.11.11.2004 lima"))
    text = answer.content.decode()
    assert answer.status_code == 200 and "Periksa isian yang ditandai" in text
    assert "KODE_DESA=JUMLAH" in text  # the quota line that is not a number
    assert not Scheme.objects.exists()
    answer = page.post("/skema/baru/", form(apbdes_source="", owner_code=DESA_B))
    text = answer.content.decode()
    assert "pilih sumbernya" in text and "di luar wilayah kerja Anda" in text
    # quotas above the budget: 100 people × 6 months of Rp16,800 do not fit in Rp1,000,000
    answer = logged_in(official).post("/skema/baru/", form(
        payer_type="apbd", apbdes_source="", owner_code="33.11", quota_per_desa="100", budget_ceiling="1000000",
        end_month=month_text(5), village_roles=[]))
    assert "melebihi pagu anggaran" in answer.content.decode()
    bad_list = logged_in(operator_a).post("/skema/baru/", form(requires_welfare_list="on",
                                                                welfare_file=csv_file("dtks.csv", ["12345"])))
    assert "tidak 16 digit" in bad_list.content.decode()
    assert not Scheme.objects.exists() and not WelfareEntry.objects.exists()


def test_an_agent_cannot_create_a_scheme():
    agent = make_user("agen_x", Role.PERISAI_AGENT, [DESA_A])
    assert logged_in(agent).get("/skema/baru/").status_code == 404
    assert 'href="/skema/baru/"' not in logged_in(agent).get("/skema/").content.decode()


def test_the_owner_changes_budget_and_quotas_but_not_the_package(make_scheme, official, operator_a):
    scheme = make_scheme(quota_per_desa=100, quotas={DESA_B: 10})
    page = logged_in(official)
    edit = page.get(f"/skema/{scheme.pk}/ubah/").content.decode()
    assert f"{DESA_B}=10" in edit and "disabled" in edit
    answer = page.post(f"/skema/{scheme.pk}/ubah/", form(
        name="Satu Desa 100 (perubahan)", payer_type="csr", owner_code="51.04", segment="PU",  # fixed: ignored
        legal_basis_number="Perbup Sukoharjo 12/2026", budget_ceiling="2500000000", quota_per_desa="100",
        quotas=f"{DESA_A}=5", end_month=month_text(5), village_roles=[]))
    assert answer.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.name, scheme.budget_ceiling, scheme.payer_type, scheme.owner_code, scheme.segment) == (
        "Satu Desa 100 (perubahan)", 2_500_000_000, "apbd", "33.11", "BPU")
    assert dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota")) == {DESA_A: 5}
    change = AuditEvent.objects.filter(event_type="scheme.updated").latest("id")
    assert change.old["budget_ceiling"] == 2_000_000_000 and change.new["budget_ceiling"] == 2_500_000_000
    # a village operator sees the district's scheme but does not manage it
    assert logged_in(operator_a).get(f"/skema/{scheme.pk}/ubah/").status_code == 404


def test_lowering_the_budget_below_what_is_committed_is_refused_on_the_page(make_scheme, official):
    scheme = make_scheme(quota_per_desa=None)
    enrolment_batch_run(actor=official, scheme=scheme,
                        selection=EnrolmentSelection(niks=[p.nik for p in people(3, DESA_A)]))
    answer = logged_in(official).post(f"/skema/{scheme.pk}/ubah/", form(
        name=scheme.name, legal_basis_number=scheme.legal_basis_number, budget_ceiling="1000", end_month=month_text(5),
        village_roles=[], owner_code="33.11", payer_type="apbd"))
    assert "lebih kecil dari biaya peserta yang sudah terdaftar" in answer.content.decode()
    scheme.refresh_from_db()
    assert scheme.budget_ceiling == 2_000_000_000


def test_the_list_of_people_paid_for_and_ending_one_from_the_page(make_scheme, official, operator_a, operator_b):
    scheme = make_scheme(quota_per_desa=None)
    mine, theirs = people(2, DESA_A), people(1, DESA_B)
    enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(niks=[p.nik for p in mine + theirs],
                                                               start_month=scheme.start_month))
    listing = logged_in(operator_a).get(f"/skema/{scheme.pk}/peserta/").content.decode()
    assert mine[0].full_name in listing and theirs[0].full_name not in listing  # only its own desa
    assert mine[0].nik not in listing  # NIK masked in the list
    enrolment = Enrolment.objects.get(participant=mine[0])
    assert logged_in(operator_b).get(f"/skema/kepesertaan/{enrolment.pk}/akhiri/").status_code == 404
    page = logged_in(operator_a)
    refused = page.post(f"/skema/kepesertaan/{enrolment.pk}/akhiri/", {"last_month": month_text(14), "reason": "died"})
    assert "Bulan terakhir harus antara" in refused.content.decode()
    done = page.post(f"/skema/kepesertaan/{enrolment.pk}/akhiri/",
                     {"last_month": month_text(1), "reason": "died", "note": "meninggal 3 Des",
                      "next": f"/peserta/{mine[0].pk}/"})
    assert done.status_code == 302 and done["Location"] == f"/peserta/{mine[0].pk}/"
    enrolment.refresh_from_db()
    assert enrolment.ended_at and enrolment.end_month == month(1) and enrolment.cost == 2 * 16_800
    detail = page.get(f"/peserta/{mine[0].pk}/").content.decode()
    assert scheme.name in detail and "meninggal dunia" in detail
    ended = page.get(f"/skema/{scheme.pk}/peserta/?status=ended").content.decode()
    assert mine[0].full_name in ended and mine[1].full_name not in ended
    outside = page.post(f"/skema/kepesertaan/{enrolment.pk}/akhiri/",
                        {"last_month": month_text(1), "reason": "died", "next": "https://example.com/"})
    assert outside.status_code == 200  # already ended: the page says so, and never redirects off-site
    assert "Sudah diakhiri" in outside.content.decode()


def test_a_self_paid_scheme_is_created_and_changed_on_the_page(operator_a):
    page = logged_in(operator_a)
    answer = page.post("/skema/baru/", form(payer_type="self", apbdes_source="", name="Mandiri Krajan",
                                             village_roles=[]))
    scheme = Scheme.objects.get()
    assert answer.status_code == 302 and scheme.payer_type == "self"
    changed = page.post(f"/skema/{scheme.pk}/ubah/", form(payer_type="self", apbdes_source="", name="Mandiri Krajan",
                                                          budget_ceiling="40000000", village_roles=[]))
    assert changed.status_code == 302
    scheme.refresh_from_db()
    assert scheme.budget_ceiling == 40_000_000


@pytest.mark.parametrize("quotas", ["33.11.11.2004=99999999999999999999", "33.11.11.2004=²", "33.11.11.2004=20000000"])
def test_an_absurd_quota_is_a_message_not_a_server_error(operator_a, quotas):
    answer = logged_in(operator_a).post("/skema/baru/", form(quotas=quotas))
    text = answer.content.decode()
    assert answer.status_code == 200 and ("KODE_DESA=JUMLAH" in text or "harus 0 sampai" in text)
    assert not Scheme.objects.exists()


def test_a_welfare_list_scheme_needs_its_list_and_dates_must_make_sense(operator_a):
    page = logged_in(operator_a)
    answer = page.post("/skema/baru/", form(requires_welfare_list="on"))
    assert "unggah daftar NIK-nya" in answer.content.decode()
    # (year 9999 is refused by the month field itself: tests/funding/test_crashes.py)
    answer = page.post("/skema/baru/", form(legal_basis_date="0001-01-01", start_month="2150-01",
                                             end_month="2150-12"))
    text = answer.content.decode()
    assert "Tanggal dasar hukum tidak masuk akal" in text and "paling jauh 5 tahun ke depan" in text
    assert not Scheme.objects.exists()
    page.post("/skema/baru/", form())
    scheme = Scheme.objects.get()
    answer = page.post(f"/skema/{scheme.pk}/ubah/", form(requires_welfare_list="on"))
    assert "unggah daftar NIK-nya" in answer.content.decode()
    listed = people(1, DESA_A)[0]
    answer = page.post(f"/skema/{scheme.pk}/ubah/", form(requires_welfare_list="on",
                                                         welfare_file=csv_file("dtks.csv", [listed.nik])))
    assert answer.status_code == 302  # the list comes with the change
    assert list(WelfareEntry.objects.values_list("nik", flat=True)) == [listed.nik]


def test_the_list_pages_keep_the_search(make_scheme, official):
    scheme = make_scheme(quota_per_desa=None)
    enrolment_batch_run(actor=official, scheme=scheme,
                        selection=EnrolmentSelection(niks=[p.nik for p in people(51, DESA_A)]))
    first = logged_in(official).get(f"/skema/{scheme.pk}/peserta/?desa={DESA_A}&status=all").content.decode()
    assert "51 kepesertaan" in first and "halaman 1 dari 2" in first
    assert f"?desa={DESA_A}&amp;status=all&amp;page=2" in first
    second = logged_in(official).get(f"/skema/{scheme.pk}/peserta/?desa={DESA_A}&status=all&page=2")
    assert second.content.decode().count('class="small">akhiri</a>') == 1
