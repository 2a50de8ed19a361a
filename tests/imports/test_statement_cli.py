"""`jamsosdesa import statement`: the same preview and recording as the page, with a JSON answer."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.billing.models import Payment, PaymentSource, ReconciliationItem
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from tests.billing.conftest import DESA_A, people
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


def mt940_file(tmp_path, nik: str):
    d = f"{clock.today() - timedelta(days=1):%y%m%d}"
    path = tmp_path / "bank.sta"
    path.write_text(f":20:S1\n:25:123\n:28C:1/1\n:60F:C{d}IDR0,\n:61:{d}C33600,NTRFREF-1\n:86:IURAN {nik}\n"
                    f":61:{d}C16800,NTRFREF-2\n:86:IURAN 3311110101800099\n:62F:C{d}IDR50400,\n-\n")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import", "statement", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_preview_then_apply_then_again(branch, tmp_path):
    (person,) = people(1, DESA_A)
    path = mt940_file(tmp_path, person.nik)
    preview = json.loads(run(path, "--as", branch.username, "--json"))
    assert preview["applied"] is False and preview["counts"]["person"] == 1 and preview["counts"]["queued"] == 1
    assert Payment.objects.count() == 0
    done = json.loads(run(path, "--apply", "--as", branch.username, "--json"))
    assert done["applied"] is True and done["queued"] == {"unknown_nik": 1}
    assert Payment.objects.filter(source=PaymentSource.MT940).count() == 2 and ReconciliationItem.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_IMPORTED).count() == 1
    again = run(path, "--apply", "--as", branch.username)
    assert "Sudah tercatat sebelumnya" in again and Payment.objects.count() == 2


def test_a_file_that_is_not_a_statement_fails_with_its_message(branch, tmp_path):
    path = tmp_path / "x.sta"
    path.write_text("bukan rekening koran\n")
    with pytest.raises(CommandError, match="bukan rekening koran MT940"):
        run(path, "--format", "mt940", "--as", branch.username)


def test_a_village_operator_is_refused(operator_a, tmp_path):
    with pytest.raises(CommandError, match="petugas kantor cabang"):
        run(mt940_file(tmp_path, "3311110101800099"), "--as", operator_a.username)
