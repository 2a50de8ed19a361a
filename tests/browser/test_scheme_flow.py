"""The money paths in a real browser: a quote on a phone, and a district that creates a scheme, fills it from
the registry by filter (a background job with progress), reads the budget and ends one enrolment."""

from datetime import date

import pytest

from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment, Scheme
from jamsosdesa.participants.models import Participant
from tests.browser.conftest import log_in, nav_to
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import month_text

pytestmark = pytest.mark.browser


def test_a_village_head_asks_what_100_workers_cost_for_six_months(page):
    make_user("op_quote", Role.VILLAGE_OPERATOR, [DESA_A])
    log_in(page, "op_quote")
    nav_to(page, "Simulasi iuran")
    page.fill("#id_income", "1000000")
    page.select_option("#id_payer", "apbdes")
    page.fill("#id_month", month_text(0))  # APBDes is a state budget: no PP 50/2025 discount in any month
    page.fill("#id_people", "100")
    page.fill("#id_months", "6")
    page.wait_for_selector("#quote-budget >> text=Rp10.080.000")  # updated in place while typing
    assert page.inner_text("#quote-total") == "Rp16.800"
    page.fill("#id_income", "1234567")  # not an allowed nominal: said next to the result, no crash
    page.wait_for_selector("#quote-result >> text=Belum bisa dihitung")


def _people(count: int) -> None:
    rows = []
    for n in range(1, count + 1):
        rows.append(Participant(nik=f"331111070385{n:04d}", full_name=f"Ketua RT {n}", birth_date=date(1985, 3, 7),
                                sex="L", desa_id=DESA_A, segment="BPU", village_role="rt_head").fill_derived())
    Participant.objects.bulk_create(rows)


def test_a_district_creates_a_scheme_enrols_by_filter_and_ends_one(page):
    make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])
    _people(3)
    log_in(page, "pemkab_skh")
    page.goto(page.base_url + "/skema/")
    page.click("text=Skema baru")
    page.fill("#id_name", "Jaminan Ketua RT Sukoharjo")
    page.select_option("#id_payer_type", "apbd")
    page.fill("#id_owner_code", "33.11")
    page.fill("#id_legal_basis_number", "Perbup Sukoharjo 12/2026")
    page.fill("#id_legal_basis_date", "2026-10-01")
    page.fill("#id_start_month", month_text(0))
    page.fill("#id_end_month", month_text(5))
    page.fill("#id_budget_ceiling", "500000")  # too small for a quota of 100 people per desa
    page.fill("#id_quota_per_desa", "100")
    page.click("text=Buat skema")
    page.wait_for_selector(".errorlist >> text=melebihi pagu anggaran")
    assert not Scheme.objects.exists()
    page.fill("#id_budget_ceiling", "500000000")
    page.fill("#id_quota_per_desa", "2")
    page.click("text=Buat skema")
    page.wait_for_selector("h1 >> text=Jaminan Ketua RT Sukoharjo")

    page.fill("#id_region", DESA_A)
    page.select_option("#id_village_role", "rt_head")
    page.fill("#id_start_month", month_text(0))
    page.click("button >> text=Daftarkan")
    page.wait_for_selector("text=2 orang didaftarkan")  # the job ran; the page followed it to the report
    assert page.is_visible("text=kuota desa sudah penuh")
    page.click("text=Kembali ke skema")
    assert page.inner_text("#committed") == "Rp201.600"  # 2 people × 6 months × Rp16,800

    page.click("text=Daftar peserta")
    page.click("#enrolments >> text=akhiri >> nth=0")
    page.fill("#id_last_month", month_text(1))
    page.select_option("#id_reason", "died")
    page.click("button >> text=Akhiri")
    page.wait_for_selector("text=diakhiri")
    assert Enrolment.objects.filter(ended_at__isnull=False).count() == 1
    page.goto(page.base_url + f"/skema/{Scheme.objects.get().pk}/")
    assert page.inner_text("#committed") == "Rp134.400"  # 100,800 + 2 months × 16,800
