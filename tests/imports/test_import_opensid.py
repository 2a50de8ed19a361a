"""A real OpenSID resident export, built by the test: named columns in any order, codes and labels."""

from datetime import date

import pytest

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant
from tests.imports.conftest import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["alamat", "dusun", "rw", "rt", "nama", "nik", "id_kk", "kk_level", "sex", "agama_id", "tempatlahir",
          "tanggallahir", "pendidikan_kk_id", "pekerjaan_id", "status_kawin", "status_dasar", "no_kk", "warganegara_id"]


def resident(nik, name, sex, born, job, status=1, no_kk="3311110101200001"):
    return ["Jl. Melati", "Krajan", "001", "002", name, nik, 1, 1, sex, 1, "Sukoharjo", born, 4, job, 2, status,
            no_kk, 1]


def opensid_file():
    return xlsx([
        HEADER,
        resident("3311110505900003", "SUGENG RIYADI", 1, date(1990, 5, 5), 9),
        resident("3311114506900001", "SRI LESTARI", 2, "05-06-1990", "PETANI/PEKEBUN"),
        resident("3311110101700001", "KARTO", "LAKI-LAKI", "1970-01-01", 86),
        resident("3311110202750001", "SARMIN", 1, "02/02/1975", 85),
        resident("0", "BAYI BARU", 2, "01-01-2026", 1),
        resident("3311110303500001", "MBAH SIRAN", 1, "03-03-1950", 2, status=2),
        [None, "###", None, None, None, None],
        resident("3311110404800001", "SETELAH AKHIR", 1, "04-04-1980", 9),
    ], text_columns=(5, 16))


def test_opensid_export_loads_with_codes_labels_and_dates(run, operator_a):
    outcome = run(operator_a, opensid_file())
    assert outcome.format == "opensid" and outcome.unknown_columns == []
    assert outcome.rows_total == 6  # the row after ### is not data
    assert outcome.counts["new"] == 4 and outcome.counts["invalid"] == 1 and outcome.counts["skipped"] == 1
    sugeng = Participant.objects.get(nik="3311110505900003")
    assert (sugeng.sex, sugeng.birth_date, sugeng.occupation_id) == ("L", date(1990, 5, 5), 9)
    assert (sugeng.rt, sugeng.rw, sugeng.kk) == ("002", "001", "3311110101200001")
    assert sugeng.address == "Jl. Melati, Dusun Krajan"
    assert Participant.objects.get(nik="3311114506900001").sex == "P"
    assert Participant.objects.get(nik="3311110101700001").village_role == "village_head"
    assert Participant.objects.get(nik="3311110202750001").village_role == "village_official"
    assert not Participant.objects.filter(nik="3311110404800001").exists()
    assert "Belum punya NIK" in outcome.samples["invalid"][0]["message"]
    assert "Meninggal" in outcome.samples["skipped"][0]["message"]


def test_a_death_in_a_later_export_deactivates_the_participant(run, operator_a):
    run(operator_a, opensid_file())
    later = xlsx([HEADER, resident("3311110505900003", "SUGENG RIYADI", 1, date(1990, 5, 5), 9, status=2)],
                 text_columns=(5, 16))
    outcome = run(operator_a, later)
    assert outcome.counts["updated"] == 1 and outcome.deactivated == 1
    p = Participant.objects.get(nik="3311110505900003")
    assert not p.is_active and p.deactivation_reason == "died"
    # The trail names it as the page's deactivation does, not as a plain change of data.
    event = AuditEvent.objects.filter(object_type="participant", object_id=str(p.pk)).order_by("-id").first()
    assert event.event_type == "participant.deactivated" and event.new["deactivation_reason"] == "died"


def test_the_same_export_twice_changes_nothing(run, operator_a):
    run(operator_a, opensid_file())
    again = run(operator_a, opensid_file())
    assert again.counts["new"] == 0 and again.counts["unchanged"] == 4 and again.nothing_changed


# Every column of OpenSID's resident import/export format, in its order (36 columns), and the ones later
# versions add at the end.
FULL_HEADER = [
    "alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "agama_id",
    "pendidikan_kk_id", "pendidikan_sedang_id", "pekerjaan_id", "status_kawin", "kk_level", "warganegara_id",
    "nama_ayah", "nama_ibu", "golongan_darah_id", "akta_lahir", "dokumen_pasport", "tanggal_akhir_paspor",
    "dokumen_kitas", "ayah_nik", "ibu_nik", "akta_perkawinan", "tanggalperkawinan", "akta_perceraian",
    "tanggalperceraian", "cacat_id", "cara_kb_id", "hamil", "ktp_el", "status_rekam", "alamat_sekarang",
    "status_dasar", "suku", "tag_id_card", "id_asuransi", "no_asuransi", "telepon", "email",
]


def full_resident(**values):
    row = dict.fromkeys(FULL_HEADER, "")
    row.update({"alamat": "Jl. Mawar 3", "dusun": "KRAJAN", "rw": "'001", "rt": "'004",
                "no_kk": "3311110101200001", "sex": "PEREMPUAN", "tempatlahir": "SUKOHARJO", "agama_id": "ISLAM",
                "pendidikan_kk_id": "SLTA/SEDERAJAT",
                "pendidikan_sedang_id": "", "status_kawin": "KAWIN", "kk_level": "ISTRI", "warganegara_id": "WNI",
                "nama_ayah": "PAIMAN", "nama_ibu": "SARMI", "golongan_darah_id": "TIDAK TAHU", "ayah_nik": "-",
                "ibu_nik": "-", "cacat_id": "", "hamil": "0", "ktp_el": "KTP-EL", "status_rekam": "CARD PRINTED",
                "status_dasar": "HIDUP", "suku": "JAWA", "telepon": "0812 3456 789", "email": ""})
    row.update(values)
    return [row[name] for name in FULL_HEADER]


def test_a_full_width_opensid_export_is_read_without_unknown_columns(run, operator_a):
    rows = [FULL_HEADER,
            full_resident(nama="SITI AMINAH", nik="3311114506900001", tanggallahir="05-06-1990", pekerjaan_id="88"),
            full_resident(nama="SRI WAHYUNI", nik="3311115207850001", tanggallahir="12/07/1985",
                          pekerjaan_id="MENGURUS RUMAH TANGGA", status_dasar="MATI")]
    outcome = run(operator_a, xlsx(rows, text_columns=(5, 6)))
    assert outcome.format == "opensid" and outcome.unknown_columns == []
    assert outcome.counts["new"] == 1 and outcome.counts["skipped"] == 1
    siti = Participant.objects.get(nik="3311114506900001")
    assert (siti.sex, siti.birth_date, siti.rt, siti.rw, siti.kk) == ("P", date(1990, 6, 5), "004", "001",
                                                                      "3311110101200001")
    assert (siti.address, siti.phone, siti.occupation_id) == ("Jl. Mawar 3, Dusun KRAJAN", "08123456789", 88)
