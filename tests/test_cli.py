import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.accounts.models import User
from jamsosdesa.participants.models import Participant


def run_cli(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "jamsosdesa", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_nik_check_prints_json_with_the_documented_keys(tmp_path):
    # a database with no tables yet: the packaged region list still answers
    result = run_cli("nik", "check", "3311114506900001", "--birth-date", "1990-06-05", "--sex", "L", "--json",
                     env_extra={"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"})
    data = json.loads(result.stdout)
    assert result.returncode == 0
    assert data["valid"] is True and data["sex"] == "P" and data["birth_date"] == "1990-06-05"
    assert data["region_code"] == "33.11.11" and data["errors"] == []
    assert [w["code"] for w in data["warnings"]] == ["nik_sex_mismatch"]


def test_nik_check_exits_non_zero_for_an_invalid_nik():
    result = run_cli("nik", "check", "3311113102900000")
    assert result.returncode == 1 and "TIDAK SAH" in result.stdout and "0000" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["regions", "load", "--help"], ["nik", "check", "--help"],
                                  ["demo", "--help"], ["migrate", "--help"]])
def test_every_subcommand_has_help(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert "usage" in result.stdout.lower() or ("regions" in result.stdout and "nik" in result.stdout)


@pytest.mark.django_db
def test_demo_data_has_krajan_and_every_role():
    out = StringIO()
    call_command("demo", stdout=out)
    assert Participant.objects.filter(desa_id="33.11.11.2004").count() == 350
    assert Participant.objects.filter(desa_id="33.11.11.2004", deactivation_reason="died").count() == 2
    for kab in ("51.04", "35.25", "33.10", "12.71"):
        assert Participant.objects.filter(kab_code=kab).exists(), kab
    assert set(User.objects.values_list("role", flat=True)) == {
        "national_admin", "branch_officer", "district_official", "village_operator", "perisai_agent", "wadah_manager"}
    from jamsosdesa.agents.models import Wadah  # issue 14 H-A: the demo's wadah, its PKS in force, five agents
    from jamsosdesa.core import clock

    krajan = Wadah.objects.get(name="BUMDes Krajan Makmur")
    assert krajan.kind == "bumdes" and krajan.kab_code == "33.11"
    assert krajan.pks_start <= clock.today() <= krajan.pks_end
    assert list(krajan.managers.values_list("username", flat=True)) == ["wadah.krajan"]
    agents = set(krajan.agents.filter(status="active", participant__segment="BPU").values_list("user__username",
                                                                                              flat=True))
    assert "agen.krajan" in agents and len(agents) >= 5
    from jamsosdesa.agents.idle import agents_deactivate_idle

    assert agents_deactivate_idle(on=clock.today()).deactivated == []  # serve's periodic check leaves them be
    assert "operator.krajan" in out.getvalue() and "demo12345" in out.getvalue()
    from jamsosdesa.participants.nik import check_nik

    sample = Participant.objects.order_by("?")[:50]
    assert all(check_nik(p.nik, birth_date=p.birth_date, sex=p.sex).warnings == [] for p in sample)
    from jamsosdesa.funding.models import Enrolment, Scheme

    gianyar = Scheme.objects.get(owner_region_id="51.04")  # the regency pays 100 workers per village
    assert gianyar.quota_per_desa == 100 and Enrolment.objects.filter(scheme=gianyar).exists()
    total, enrolled = Participant.objects.count(), Enrolment.objects.count()
    call_command("demo", stdout=StringIO())
    assert Participant.objects.count() == total and Enrolment.objects.count() == enrolled


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_users_unless_forced(operator_a):
    with pytest.raises(CommandError, match="op_a") as refused:
        call_command("demo", stdout=StringIO())
    assert "--force" in str(refused.value)
    assert not User.objects.filter(username="operator.krajan").exists()
    call_command("demo", "--force", stdout=StringIO())
    assert User.objects.filter(username="operator.krajan").exists()


@pytest.mark.django_db
def test_nik_check_names_the_kecamatan_and_the_sex_in_words():
    """Not only codes: 'wilayah 33.11.11 Gatak, Kabupaten Sukoharjo, Jawa Tengah (berlaku)', 'kelamin P (Perempuan)';
    the status was the English code 'current' even in Indonesian output."""
    out = StringIO()
    call_command("nik", "check", "3311114506900001", stdout=out)
    text = out.getvalue()
    assert "33.11.11 Gatak, Kabupaten Sukoharjo, Jawa Tengah (berlaku)" in text
    assert "P (Perempuan)" in text and "current" not in text
