"""`jamsosdesa coverage event create|list|show`: the same services from the command line, refusals as messages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.coverage.models import OutreachEvent
from tests.billing.conftest import month
from tests.billing.status_fixtures import history
from tests.conftest import DESA_A, DESA_B

from .events_fixtures import register_with

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("coverage", "event", *args, stdout=out)
    return out.getvalue()


def test_create_list_and_show_an_event_from_the_command_line(operator_a):
    made = json.loads(run("create", "--user", "op_a", "--title", "Sosialisasi di balai desa", "--date",
                          month(0).isoformat(), "--region", DESA_A, "--audience", "village_officials,dprd",
                          "--attendance", "25", "--json"))
    code = made["code"]
    assert made["region_name"] == "Krajan" and made["audience"] == ["village_officials", "dprd"]
    assert made["result"] == {"registered": 0, "protected": 0, "conversion": None, "on": made["result"]["on"]}
    assert AuditEvent.objects.filter(event_type=AuditEventType.OUTREACH_EVENT_CREATED).count() == 1
    history(register_with(operator_a, code, 0), paid=[month(-1), month(0)])
    register_with(operator_a, code, 1)
    listed = json.loads(run("list", "--user", "op_a", "--region", DESA_A, "--json"))
    assert [(e["code"], e["result"]["registered"], e["result"]["protected"]) for e in listed] == [(code, 2, 1)]
    shown = json.loads(run("show", code.lower(), "--user", "op_a", "--json"))
    assert shown["result"]["conversion"] == 50.0
    text = run("show", code, "--user", "op_a")
    assert "mendaftar 2, terlindungi 1 (50.0%)" in text and "Warga 0" in text


def test_the_command_line_refuses_what_the_page_refuses(operator_a, operator_b):
    with pytest.raises(CommandError, match="Wilayah 33.11.11.2004 di luar wilayah kerja Anda"):
        run("create", "--user", "op_b", "--title", "Sosialisasi", "--date", month(0).isoformat(), "--region",
            DESA_A, "--audience", "dprd")
    with pytest.raises(CommandError, match="Tanggal 'kemarin' tidak dikenal"):
        run("create", "--user", "op_b", "--title", "Sosialisasi", "--date", "kemarin", "--region", DESA_B,
            "--audience", "dprd")
    assert not OutreachEvent.objects.exists()
    made = json.loads(run("create", "--user", "op_a", "--title", "Sosialisasi", "--date", month(0).isoformat(),
                          "--region", DESA_A, "--audience", "dprd", "--json"))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("show", made["code"], "--user", "op_b")  # outside operator B's area
