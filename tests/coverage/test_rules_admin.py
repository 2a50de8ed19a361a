"""A national admin adds and changes the counting rule in the Django admin; every save is audited
(counting_rule.changed) with the old and new values; nobody else reaches it and nobody deletes a rule."""

import pytest
from django.test import Client

from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.coverage.models_rules import CountingRule
from jamsosdesa.coverage.rules import rule_for
from tests.conftest import make_user
from tests.funding.conftest import month


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def national_admin(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user


def _form(**overrides) -> dict:
    data = {"valid_from": month(1).isoformat(), "full_after_months": "12", "pro_rata_payers": ["apbd", "apbdes"],
            "basis": "paid_months", "protected_name": "Terlindungi", "protected_name_en": "Protected",
            "counted_name": "Capaian target cabang", "counted_name_en": "Branch target achievement",
            "source": "Surat Direktur Kepesertaan 7/2027", "note": ""}
    data.update(overrides)
    return data


def test_a_national_admin_adds_and_changes_a_rule_and_each_save_is_audited(national_admin):
    client = _client(national_admin)
    response = client.post("/admin/coverage/countingrule/add/", _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = CountingRule.objects.get(valid_from=month(1))
    assert (rule.full_after_months, rule.pro_rata_payers, rule.created_by) == (12, ["apbd", "apbdes"], national_admin)
    event = AuditEvent.objects.get(event_type=AuditEventType.COUNTING_RULE_CHANGED)
    assert event.old is None and event.new["source"] == "Surat Direktur Kepesertaan 7/2027"
    assert event.actor_id == national_admin.pk
    assert rule_for(month(1)).counted_name == "Capaian target cabang"
    response = client.post(f"/admin/coverage/countingrule/{rule.pk}/change/", _form(full_after_months="6"))
    assert response.status_code == 302
    change = AuditEvent.objects.filter(event_type=AuditEventType.COUNTING_RULE_CHANGED).latest("id")
    assert (change.old, change.new) == ({"full_after_months": 12}, {"full_after_months": 6})


@pytest.mark.parametrize(("field", "value", "words"), [
    ("valid_from", "2027-01-16", "pilih tanggal 1"),
    ("full_after_months", "999", "Paling lama 120 bulan"),
    ("full_after_months", "-1", ""),
    ("pro_rata_payers", ["pemda"], "pemda"),
    ("basis", "forever", ""),
    ("source", "  ", ""),
])
def test_a_bad_rule_is_refused_with_a_message_and_nothing_is_saved(national_admin, field, value, words):
    before = CountingRule.objects.count()
    response = _client(national_admin).post("/admin/coverage/countingrule/add/", _form(**{field: value}))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert CountingRule.objects.count() == before
    assert not AuditEvent.objects.filter(event_type=AuditEventType.COUNTING_RULE_CHANGED).exists()


def test_only_a_national_admin_reaches_the_rules_and_nobody_deletes_one(national_admin):
    branch = make_user("cabang", Role.BRANCH_OFFICER, ["33.11"])
    branch.is_staff = True
    branch.save(update_fields=["is_staff"])
    assert _client(branch).get("/admin/coverage/countingrule/").status_code == 403
    rule = CountingRule.objects.first()  # the migration's default row
    assert _client(national_admin).get(f"/admin/coverage/countingrule/{rule.pk}/delete/").status_code == 403
    assert CountingRule.objects.filter(pk=rule.pk).exists()


def test_the_api_names_both_figures_under_the_rule_in_force(operator_a):
    from tests.conftest import api_client

    call = api_client(operator_a)
    body = call("get", "/coverage/counting-rule").json()
    assert body["protected_name"] == "Terlindungi (status aktif)" and body["counted_name"] == "Dihitung untuk target"
    assert body["full_after_months"] == 6 and body["pro_rata_payers"] == ["apbd", "apbdes", "apbn"]
    assert "PROBIS" in body["source"]
    bad = call("get", "/coverage/counting-rule?on=2026-02-30")
    assert bad.status_code in (400, 422) and "YYYY-MM-DD" in bad.content.decode()
