"""Issuing and revoking an API token is in the audit trail, by every door (the profile page, the admin): who did it
and which token (its name, owner and visible prefix), never its secret or the secret's hash."""

import json

import pytest
from django.test import Client

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def the_trail_text() -> str:
    return json.dumps(list(AuditEvent.objects.values("object_id", "old", "new", "note")), default=str)


@pytest.fixture
def superuser(db):
    user = make_user("admin_pusat", Role.NATIONAL_ADMIN)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_a_token_issued_and_revoked_on_the_profile_page_is_in_the_trail(operator_a):
    page = logged_in(operator_a)
    page.post("/profil/token/", {"name": "aplikasi desa"})
    token = ApiToken.objects.get(user=operator_a)
    raw = page.get("/profil/").content.decode().split('id="new-token">')[1].split("<")[0]
    issued = AuditEvent.objects.get(event_type="api_token.issued")
    assert (issued.actor, issued.object_type, issued.object_id) == (operator_a, "api_token", str(token.pk))
    assert issued.new == {"name": "aplikasi desa", "owner": "op_a", "prefix": token.prefix}

    page.post(f"/profil/token/{token.pk}/cabut/")
    revoked = AuditEvent.objects.get(event_type="api_token.revoked")
    assert (revoked.actor, revoked.object_id) == (operator_a, str(token.pk))
    assert revoked.old == {"revoked_at": None}
    assert revoked.new["name"] == "aplikasi desa" and revoked.new["owner"] == "op_a" and revoked.new["revoked_at"]
    page.post(f"/profil/token/{token.pk}/cabut/")  # already revoked: 404, nothing more in the trail
    assert AuditEvent.objects.filter(event_type="api_token.revoked").count() == 1
    trail = the_trail_text()
    assert raw not in trail and raw[10:] not in trail and token.key_hash not in trail


def test_the_admin_revokes_a_token_with_its_action_and_the_trail_names_the_admin_and_the_owner(operator_a,
                                                                                                superuser):
    token, raw = ApiToken.issue(user=operator_a, name="sistem desa")
    response = logged_in(superuser).post("/admin/accounts/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    revoked = AuditEvent.objects.get(event_type="api_token.revoked")
    assert revoked.actor == superuser and revoked.object_id == str(token.pk)
    assert (revoked.new["name"], revoked.new["owner"]) == ("sistem desa", "op_a")
    assert raw not in the_trail_text() and token.key_hash not in the_trail_text()


def test_the_admin_cannot_hand_a_token_to_someone_else_or_delete_it(operator_a, operator_b, superuser):
    """A token changes owner or disappears only by the trail's doors: revoke, and the owner issues a new one."""
    token, _raw = ApiToken.issue(user=operator_a, name="sistem desa")
    admin = logged_in(superuser)
    response = admin.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"name": "sistem desa",
                                                                            "user": operator_b.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.user == operator_a
    assert admin.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
