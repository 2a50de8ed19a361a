import pytest

from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Participant
from tests.browser.conftest import log_in, nav_to
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser

CSV = ("nik;nama;tanggal_lahir;jenis_kelamin\n"
       "3311110505900003;Sugeng Riyadi;05-05-1990;L\n"
       "3311113102900001;Salah Tanggal;31-02-1990;L\n")


def test_operator_previews_an_import_loads_it_and_gets_the_report(page, tmp_path):
    make_user("op_krajan", Role.VILLAGE_OPERATOR, [DESA_A])
    source = tmp_path / "warga.csv"
    source.write_text(CSV, encoding="utf-8")
    log_in(page, "op_krajan")
    nav_to(page, "Impor")
    assert page.input_value("#id_desa") == DESA_A
    page.set_input_files("#id_file", str(source))
    page.click("text=Unggah dan pratinjau")
    page.wait_for_selector("text=Muat sekarang: 1 baru")
    assert page.is_visible("text=31-02-1990") and Participant.objects.count() == 0
    with page.expect_download() as download:
        page.click("text=Unduh laporan baris bermasalah")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.click("text=Muat sekarang")
    page.wait_for_selector("text=Selesai dimuat")
    assert Participant.objects.get().full_name == "Sugeng Riyadi"


def test_an_oversized_file_is_refused_in_the_browser_before_it_is_sent(page, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0  # every file is too large: the page's own script (no inline handler) says so
    make_user("op_krajan", Role.VILLAGE_OPERATOR, [DESA_A])
    source = tmp_path / "warga.csv"
    source.write_text(CSV, encoding="utf-8")
    log_in(page, "op_krajan")
    nav_to(page, "Impor")
    page.set_input_files("#id_file", str(source))
    assert "Berkas terlalu besar" in page.inner_text("#id_file-size")
    assert page.evaluate("document.getElementById('id_file').validity.customError")
