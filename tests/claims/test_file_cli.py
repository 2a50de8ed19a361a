"""`jamsosdesa claim report|list|show|heir|document` (part C2): the same services and scope as the pages and the
API, with --json."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsosdesa.claims.models import Claim
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    PARENT_NIK,
    PNG,
    day,
    fresh_param_cache,
    protected,
    report,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("claim", *args, stdout=out)
    return out.getvalue()


def test_report_list_and_show_in_json(operator_a):
    person = protected()
    body = json.loads(run("report", person.nik, "--type", "jkm", "--date", day(-1, 10).isoformat(), "--place",
                          "Krajan", "--user", operator_a.username, "--json"))
    assert body["status"] == "reported" and body["event_place"] == "Krajan" and "dicatat" in body["message"]
    listed = json.loads(run("list", "--user", operator_a.username, "--json"))
    assert [c["number"] for c in listed] == [body["number"]] and "••" in listed[0]["participant"]["nik"]
    shown = json.loads(run("show", body["number"], "--user", operator_a.username, "--json"))
    assert shown["heirs"][0]["nik"] == "3311••••••••0001"


def test_a_bad_date_and_a_future_event_are_refused_with_a_message(operator_a):
    person = protected()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("report", person.nik, "--type", "jkm", "--date", "kemarin", "--user", operator_a.username)
    with pytest.raises(CommandError, match="belum tiba"):
        run("report", person.nik, "--type", "jkm", "--date", "2999-01-01", "--user", operator_a.username)
    assert not Claim.objects.exists()


def test_a_claim_outside_the_scope_is_not_found(operator_a, operator_b):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("show", claim.number, "--user", operator_b.username)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("document", claim.number, "--kind", "kk", "--seen", "--user", operator_b.username)
    assert "Belum ada klaim" in run("list", "--user", operator_b.username)


def test_heir_and_document_commands(operator_a, tmp_path):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(CommandError, match="NIK"):
        run("heir", claim.number, "--name", "Mbok Sarmi", "--relation", "parent", "--nik", "12", "--user",
            operator_a.username)
    out = run("heir", claim.number, "--name", "Mbok Sarmi", "--relation", "parent", "--nik", PARENT_NIK, "--user",
              operator_a.username)
    assert "3311••••••••0003" in out
    photo = tmp_path / "kk.jpg"
    photo.write_bytes(PNG)
    doc = json.loads(run("document", claim.number, "--kind", "kk", "--file", str(photo), "--user",
                         operator_a.username, "--json"))
    assert doc["content_type"] == "image/png" and doc["file_name"] == "kk.jpg"
    text = tmp_path / "kpj.pdf"
    text.write_text("not a pdf")
    with pytest.raises(CommandError, match="JPEG"):
        run("document", claim.number, "--kind", "kpj", "--file", str(text), "--user", operator_a.username)
    assert AuditEvent.objects.filter(event_type="claim_document.added").count() == 1


def test_document_withdraw_command(operator_a, operator_b):
    from jamsosdesa.claims.documents import add_document

    claim = report(operator_a, protected(), "jkm")
    doc = add_document(operator_a, claim, "kk", seen_in_original=True)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("document", "withdraw", claim.number, str(doc.pk), "--user", operator_b.username)
    with pytest.raises(CommandError, match="ID_DOKUMEN"):
        run("document", "withdraw", claim.number, "--user", operator_a.username)
    out = run("document", "withdraw", claim.number, str(doc.pk), "--note", "buram", "--user", operator_a.username)
    assert "ditarik" in out
    doc.refresh_from_db()
    assert doc.withdrawn_at is not None
    with pytest.raises(CommandError, match="sudah ditarik"):
        run("document", "withdraw", claim.number, str(doc.pk), "--user", operator_a.username)
    event = AuditEvent.objects.get(event_type="claim_document.withdrawn", object_id=str(doc.pk))
    assert event.note == "buram"
    with pytest.raises(CommandError, match="--kind"):
        run("document", claim.number, "--user", operator_a.username)
