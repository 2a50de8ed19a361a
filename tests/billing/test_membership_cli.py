"""`jamsosdesa membership start|change|end|show`: the same service as the page and the API, acting as the user
named by --as, with --json for scripts, and one message for an unknown NIK and one outside the user's area."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.billing.models import Membership
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import month, month_text, people

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("membership", *args, stdout=out)
    return out.getvalue()


def test_start_with_json_change_end_and_show(operator_a, agent):
    (p,) = people(1)
    data = json.loads(run("start", p.nik, "--programs", "jkk,jkm", "--income", "1000000", "--month", month_text(0),
                          "--agent", "agen_a", "--as", "op_a", "--json"))
    assert (data["programmes"], data["income"], data["first_month"], data["agent"], data["channel"]) == (
        ["JKK", "JKM"], 1_000_000, month_text(0), "agen_a", "cli")
    assert data["month"] == month_text(0) and isinstance(data["monthly_amount"], int) and data["monthly_amount"] > 0
    m = Membership.objects.get()
    assert m.started_by == operator_a
    assert AuditEvent.objects.get(event_type="membership.started").actor_name == "op_a"

    said = run("change", p.nik, "--from", month_text(2), "--income", "1.500.000", "--as", "op_a")
    assert "Rp1.500.000" in said and month(2).strftime("%m/%Y") in said
    said = run("end", p.nik, "--month", month_text(5), "--reason", "stopped", "--as", "op_a")
    assert month(5).strftime("%m/%Y") in said

    shown = json.loads(run("show", p.nik, "--as", "op_a", "--json"))
    assert shown["current"] is None and len(shown["history"]) == 2
    assert shown["history"][0]["last_month"] == month_text(5) and shown["history"][1]["end_reason"] == "changed"
    assert "belum punya iuran mandiri" in run("show", p.nik, "--as", "op_a")


def test_an_unknown_nik_and_one_outside_the_area_get_the_same_message(operator_b):
    (p,) = people(1)  # desa A; operator B works in desa B
    messages = []
    for nik in (p.nik, "3311110101900999"):
        with pytest.raises(CommandError) as refused:
            run("start", nik, "--income", "1000000", "--month", month_text(0), "--as", "op_b")
        messages.append(str(refused.value).replace(nik, "NIK"))
    assert messages[0] == messages[1] and "tidak ada di registri (atau di luar wilayah Anda)" in messages[0]
    assert not Membership.objects.exists()


def test_a_refusal_says_why_and_writes_nothing(operator_a):
    (p,) = people(1)
    with pytest.raises(CommandError) as refused:
        run("start", p.nik, "--income", "1200000", "--month", month_text(0), "--as", "op_a")
    assert "Rp1.200.000" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        run("start", p.nik, "--income", "satu juta", "--month", month_text(0), "--as", "op_a")
    assert "satu juta" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        run("start", p.nik, "--income", "1000000", "--month", "09-2026", "--as", "op_a")
    assert "YYYY-MM" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        run("end", p.nik, "--month", month_text(1), "--reason", "stopped", "--as", "op_a")
    assert "belum punya iuran mandiri" in str(refused.value)
    assert not Membership.objects.exists()


def test_who_sees_the_person_but_may_not_manage_packages_hears_not_found(official):
    (p,) = people(1)  # a district official sees the people of its kabupaten but does not manage their packages
    for args in (("end", p.nik, "--month", month_text(1), "--reason", "stopped"),
                 ("start", p.nik, "--income", "1000000", "--month", month_text(0))):
        with pytest.raises(CommandError) as refused:
            run(*args, "--as", "pemkab_skh")
        assert "tidak ada di registri (atau di luar wilayah Anda)" in str(refused.value)
    assert not Membership.objects.exists()
