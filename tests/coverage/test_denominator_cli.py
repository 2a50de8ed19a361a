"""`jamsosdesa coverage denominators ...`: set, list and import from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.coverage.models import Denominator

from .region_fixtures import DESA_A, this_year

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_set_and_list(official):
    made = json.loads(run("denominators", "set", "--region", "33.11", "--year", str(this_year()), "--count",
                          "480000", "--source", "bps_sakernas", "--note", "Sakernas Agustus", "--user",
                          official.username, "--json"))
    assert made["count"] == 480_000 and "Sukoharjo" in made["region_name"] and made["changed"]
    text = run("denominators", "list", "--region", "33.11", "--user", official.username)
    assert "480.000" in text and "BPS Sakernas (Sakernas Agustus)" in text
    with pytest.raises(CommandError, match="negatif"):
        run("denominators", "set", "--region", DESA_A, "--year", str(this_year()), "--count", "-2", "--source",
            "village_count", "--user", official.username)


def test_import_all_or_nothing_then_partial(official, tmp_path):
    path = tmp_path / "sakernas.csv"
    path.write_text("kode,jumlah\n33.11,480000\n99.99,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Tidak ada yang dimuat"):
        run("denominators", "import", str(path), "--year", str(this_year()), "--source", "bps_sakernas",
            "--user", official.username)
    assert not Denominator.objects.exists()
    report = json.loads(run("denominators", "import", str(path), "--partial", "--year", str(this_year()),
                            "--source", "bps_sakernas", "--user", official.username, "--json"))
    assert report["created"] == 1 and report["problems"] == [
        {"row": 3, "field": "region", "message": "kode wilayah '99.99' tidak dikenal"}]
    with pytest.raises(CommandError, match="kolom kode wilayah dan jumlah"):
        (tmp_path / "salah.csv").write_text("nama,alamat\nx,y\n", encoding="utf-8")
        run("denominators", "import", str(tmp_path / "salah.csv"), "--user", official.username)
