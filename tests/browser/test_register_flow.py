import pytest

from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Participant
from tests.browser.conftest import log_in, nav_to
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser


def test_operator_logs_in_registers_a_participant_and_finds_them(page):
    make_user("op_krajan", Role.VILLAGE_OPERATOR, [DESA_A])
    log_in(page, "op_krajan")

    nav_to(page, "Daftar baru")
    page.fill("#id_nik", "3311114506900001")
    page.wait_for_selector("#nik-check >> text=NIK sah")  # live check decodes region, date and sex
    page.fill("#id_full_name", "Sri Lestari")
    page.fill("#id_birth_place", "Sukoharjo")
    page.fill("#id_birth_date", "1990-06-05")
    page.check("input[name=sex][value=P]")
    assert page.input_value("#id_desa") == DESA_A  # the operator's desa is preselected
    page.fill("#id_rt", "3")
    page.fill("#id_rw", "2")
    page.select_option("#id_occupation", "88")
    page.fill("#id_declared_income", "1000000")
    page.fill("#id_heirs-0-name", "Budi Santoso")
    page.select_option("#id_heirs-0-relation", "spouse")
    page.click("text=Simpan pendaftaran")
    page.wait_for_selector("h1 >> text=Sri Lestari")
    assert page.is_visible("text=Budi Santoso")

    nav_to(page, "Peserta")
    page.fill("input[name=q]", "lestari")
    page.wait_for_selector("#results >> text=Sri Lestari")
    assert page.is_visible("#results >> text=3311••••••••0001")
    assert Participant.objects.get().heirs.get().name == "Budi Santoso"


def test_the_desa_picker_finds_a_village_by_name(page):
    make_user("admin_b", Role.NATIONAL_ADMIN)
    log_in(page, "admin_b")
    page.goto(page.base_url + "/peserta/baru/")
    page.fill("#desa-q", "krajan")
    page.click("#id_desa-results >> text=Gatak")
    assert page.input_value("#id_desa") == DESA_A
    assert "Gatak" in page.inner_text("#id_desa-label")
