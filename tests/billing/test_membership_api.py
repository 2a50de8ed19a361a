"""The worker's own package through the API (/api/v1/participants/{id}/membership…): the same service as the
page and the command line, its refusals as the one error body, and the same 404 for an unknown NIK and one
outside the user's area."""

import pytest

from jamsosdesa.billing.models import Membership
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import enrol, month, month_text, people
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_start_read_change_and_end_a_package(operator_a, agent):
    (p,) = people(1)
    call = api_client(operator_a)
    made = call("post", f"/participants/{p.pk}/membership",
                {"programmes": ["JKK", "JKM"], "income": 1_000_000, "first_month": month_text(0), "agent": "agen_a"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["programmes"], body["income"], body["first_month"], body["last_month"], body["agent"],
            body["channel"]) == (["JKK", "JKM"], 1_000_000, month_text(0), None, "agen_a", "api")
    assert body["month"] == month_text(0) and body["monthly_amount"] in (8_400, 16_800)

    changed = call("post", f"/participants/{p.pk}/membership/change",
                   {"from_month": month_text(2), "income": 2_000_000})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["replaces"] == body["id"] and changed.json()["first_month"] == month_text(2)

    shown = call("get", f"/participants/{p.pk}/membership").json()
    assert shown["current"]["income"] == 2_000_000 and shown["sector"] == "umum"
    assert [m["first_month"] for m in shown["history"]] == [month_text(2), month_text(0)]
    assert shown["history"][1]["last_month"] == month_text(1) and shown["history"][1]["end_reason"] == "changed"

    ended = call("post", f"/participants/{p.pk}/membership/end", {"last_month": month_text(4), "reason": "stopped"})
    assert ended.status_code == 200 and ended.json()["last_month"] == month_text(4)
    assert call("get", f"/participants/{p.pk}/membership").json()["current"] is None
    assert AuditEvent.objects.filter(event_type__startswith="membership.").count() == 3


def test_an_unknown_participant_and_one_outside_the_area_get_the_same_404(operator_b):
    (p,) = people(1)  # in desa A; operator B works in desa B
    call = api_client(operator_b)
    for path, body in (("/participants/{}/membership", None),
                       ("/participants/{}/membership", {"income": 1_000_000, "first_month": month_text(0)}),
                       ("/participants/{}/membership/change", {"from_month": month_text(1), "income": 1_500_000}),
                       ("/participants/{}/membership/end", {"last_month": month_text(1), "reason": "stopped"})):
        method = "get" if body is None else "post"
        outside = call(method, path.format(p.pk), body)
        unknown = call(method, path.format(999_999), body)
        assert outside.status_code == unknown.status_code == 404, path
        assert outside.json() == unknown.json()
    assert not Membership.objects.exists()


def test_a_refusal_is_the_one_error_body_naming_the_field(operator_a, make_scheme):
    (p,) = people(1)
    enrol(make_scheme(), [p], start=month(0), end=month(5))
    call = api_client(operator_a)
    covered = call("post", f"/participants/{p.pk}/membership", {"income": 1_000_000, "first_month": month_text(3)})
    assert covered.status_code == 422
    error = covered.json()["error"]
    assert error["code"] == "covered" and "first_month" in error["fields"] and month(3).strftime("%m/%Y") in \
        error["message"]
    wrong = call("post", f"/participants/{p.pk}/membership", {"income": 1_234_567, "first_month": month_text(6)})
    assert wrong.json()["error"]["code"] == "income_not_allowed" and "income" in wrong.json()["error"]["fields"]
    bad_month = call("post", f"/participants/{p.pk}/membership", {"income": 1_000_000, "first_month": "2026-13"})
    assert bad_month.status_code == 422
    none = call("post", f"/participants/{p.pk}/membership/end", {"last_month": month_text(1), "reason": "stopped"})
    assert none.status_code == 409 and none.json()["error"]["code"] == "no_package"


def test_a_conflict_with_the_packages_state_is_409(operator_a):
    """An open package already, no package to change or end, a month already paid: the request is fine, the
    package's state refuses it (409 Conflict, as for a NIK already registered), not a bad input (422)."""
    from tests.billing.test_membership import paid_due

    (p,) = people(1)
    call = api_client(operator_a)
    body = {"income": 1_000_000, "first_month": month_text(0)}
    assert call("post", f"/participants/{p.pk}/membership", body).status_code == 201
    again = call("post", f"/participants/{p.pk}/membership", body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "package_open"
    package = Membership.objects.get(participant=p)
    paid_due(package, month(0))
    paid_due(package, month(1))
    paid = call("post", f"/participants/{p.pk}/membership/end", {"last_month": month_text(0), "reason": "stopped"})
    assert paid.status_code == 409 and paid.json()["error"]["code"] == "month_paid"
    assert call("post", f"/participants/{p.pk}/membership/end",
                {"last_month": month_text(1), "reason": "stopped"}).status_code == 200
    ended = call("post", f"/participants/{p.pk}/membership/change", {"from_month": month_text(2), "income": 2_000_000})
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "no_package"
