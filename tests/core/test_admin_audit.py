"""Every add, change and delete in Django's admin is in the audit trail (`admin_record.changed`): who, which model,
which object, and the old and new values of what changed. Rates, wage ceilings and discounts are effective-dated
rule data an administrator edits there; users, their regions and their passwords too."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.forms import MultiWidget
from django.test import Client

from jamsosdesa.accounts.models import User
from jamsosdesa.contributions.models import IncomeNominal, Rate
from jamsosdesa.core.admin_audit import AuditedAdmin
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db) -> User:
    user = make_user("admin_pusat", Role.NATIONAL_ADMIN)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def site(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def form_data(client, url: str, **changes) -> dict:
    """The admin form at `url` as the browser would send it back, with `changes`."""
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # unwrap the related-object wrapper
        if isinstance(widget, MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    data.update(changes)
    return data


def events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type="admin_record.changed", **filters).order_by("id"))


def test_every_model_admin_is_audited():
    """Ours derive from AuditedAdmin; those Django and libraries register (groups, axes) get it at start-up."""
    plain = [model._meta.label for model, model_admin in admin.site._registry.items()
             if not isinstance(model_admin, AuditedAdmin)]
    assert plain == []


def test_changing_a_rate_in_the_admin_records_who_which_rate_and_the_old_and_new_percent(site, superuser):
    rate = Rate.objects.filter(segment="BPU", programme="JKK").order_by("pk").first()
    url = f"/admin/contributions/rate/{rate.pk}/change/"
    before = str(rate.percent)
    response = site.post(url, form_data(site, url, percent="0.3100", note="koreksi"))
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = events()
    assert (event.actor, event.object_type, event.object_id) == (superuser, "contributions.rate", str(rate.pk))
    assert event.old == {"percent": before, "note": rate.note} and event.new == {"percent": "0.3100",
                                                                                "note": "koreksi"}
    assert str(Rate.objects.get(pk=rate.pk)) in event.note


def test_saving_the_form_unchanged_records_nothing(site):
    rate = Rate.objects.order_by("pk").first()
    url = f"/admin/contributions/rate/{rate.pk}/change/"
    assert site.post(url, form_data(site, url)).status_code == 302
    assert events() == []


def test_adding_and_deleting_a_row_record_every_value(site, superuser):
    data = {"amount": "9100000", "valid_from": "01-01-2027", "valid_until": "", "regulation": "PP 99/2026",
            "note": ""}
    assert site.post("/admin/contributions/incomenominal/add/", data).status_code == 302
    added = IncomeNominal.objects.get(amount=9_100_000)
    (event,) = events()
    assert event.old is None and event.object_id == str(added.pk)
    assert event.new == {"id": added.pk, "amount": 9_100_000, "valid_from": "2027-01-01", "valid_until": None,
                         "regulation": "PP 99/2026", "note": ""}
    response = site.post("/admin/contributions/incomenominal/", {
        "action": "delete_selected", "_selected_action": [added.pk], "post": "yes"})
    assert response.status_code == 302 and not IncomeNominal.objects.filter(pk=added.pk).exists()
    deleted = events()[-1]
    assert (deleted.object_type, deleted.object_id, deleted.new) == ("contributions.incomenominal", str(added.pk),
                                                                      None)
    assert deleted.old == event.new and deleted.actor == superuser


def test_a_users_regions_and_role_are_recorded_and_a_new_password_only_as_changed(site):
    officer = make_user("petugas", Role.BRANCH_OFFICER, ["33.11"])
    officer.date_joined = officer.date_joined.replace(microsecond=0)  # the form sends whole seconds back
    officer.save(update_fields=["date_joined"])  # (in Jakarta time: the same moment is no change)
    url = f"/admin/accounts/user/{officer.pk}/change/"
    data = form_data(site, url, role=Role.DISTRICT_OFFICIAL, regions=["33.11", DESA_A])
    assert site.post(url, data).status_code == 302
    (event,) = events()
    assert (event.object_type, event.object_id) == ("accounts.user", str(officer.pk))
    assert event.old == {"role": "branch_officer", "regions": ["33.11"]}
    assert event.new == {"role": "district_official", "regions": ["33.11", DESA_A]}

    old_hash = User.objects.get(pk=officer.pk).password
    response = site.post(f"/admin/accounts/user/{officer.pk}/password/", {
        "password1": "Kata-Sandi-Baru-2026", "password2": "Kata-Sandi-Baru-2026", "usable_password": "true"})
    assert response.status_code == 302
    new_hash = User.objects.get(pk=officer.pk).password
    assert new_hash != old_hash
    changed = events()[-1]
    assert changed.old == {"password": "***"} and changed.new == {"password": "***"}
    trail = json.dumps(list(AuditEvent.objects.values("old", "new", "note")))
    assert old_hash not in trail and new_hash not in trail and "Kata-Sandi-Baru-2026" not in trail


def test_a_group_djangos_own_admin_is_audited_too(site):
    assert site.post("/admin/auth/group/add/", {"name": "Pemeriksa"}).status_code == 302
    (event,) = events()
    group = Group.objects.get(name="Pemeriksa")
    assert (event.object_type, event.object_id, event.new["name"]) == ("auth.group", str(group.pk), "Pemeriksa")


def test_the_arrears_policy_keeps_its_own_event_and_is_not_recorded_twice(site):
    response = site.post("/admin/billing/arrearspolicy/add/", {
        "kab_code": "33.11", "valid_from": "01-01-2027", "mode": "strict", "grace_months": "3",
        "source": "SK Bupati 1/2027", "note": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert AuditEvent.objects.filter(event_type="arrears_policy.changed").count() == 1
    assert events() == []


def test_the_audit_trail_in_the_admin_is_read_only_by_who_sees_everything(site):
    """The trail holds full NIKs and bank accounts of every region: a staff account of another role that was given
    the admin's view permission by hand still does not read it (404 on the list and on a row)."""
    from django.contrib.auth.models import Permission

    event = AuditEvent.objects.order_by("-pk").first() or AuditEvent.objects.create(
        event_type="participant.registered", actor_name="x", object_type="participant", object_id="1")
    assert site.get("/admin/core/auditevent/").status_code == 200
    officer = make_user("cabang.staf", Role.BRANCH_OFFICER, ["33.11"])
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    client = Client()
    client.force_login(officer)
    assert client.get("/admin/core/auditevent/").status_code in (403, 404)
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code in (403, 404)
    assert "auditevent" not in client.get("/admin/").content.decode()
