"""The package panel on the participant page ("Iuran mandiri") and its start, change and end forms."""

import pytest
from django.test import Client

from jamsosdesa.billing.models import Membership
from tests.billing.conftest import enrol, month, month_text, package, people

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_panel_shows_the_package_and_this_months_amount(operator_a, agent):
    (p,) = people(1)
    package(p, first=month(0), agent=agent)
    page = browser(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    assert 'id="package"' in page and "JKK + JKM" in page and "Rp1.000.000" in page
    assert 'id="package-amount"' in page and "agen_a" in page
    assert "Ubah paket" in page and "Akhiri iuran mandiri" in page and "Mulai iuran mandiri" not in page
    assert f'name="from_month" value="{month_text(1)}"' in page  # a change: at the earliest the month after the start


def test_starting_from_the_page(operator_a):
    (p,) = people(1)
    client = browser(operator_a)
    assert "Mulai iuran mandiri" in client.get(f"/peserta/{p.pk}/").content.decode()
    answer = client.post(f"/tagihan/peserta/{p.pk}/mandiri/mulai/",
                         {"programmes": ["JKK", "JKM"], "income": "1000000", "first_month": month_text(0)})
    assert answer.status_code == 302 and answer["Location"] == f"/peserta/{p.pk}/"
    m = Membership.objects.get()
    assert (m.first_month, m.channel, m.started_by) == (month(0), "web", operator_a)


def test_a_refusal_is_shown_on_the_form_naming_the_month(operator_a, make_scheme):
    (p,) = people(1)
    enrol(make_scheme(), [p])
    answer = browser(operator_a).post(f"/tagihan/peserta/{p.pk}/mandiri/mulai/",
                                      {"programmes": ["JKK", "JKM"], "income": "1000000",
                                       "first_month": month_text(1)})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "sudah dibiayai skema lain" in page and month(1).strftime("%m/%Y") in page
    assert not Membership.objects.exists()


def test_change_and_end_from_the_page(operator_a):
    (p,) = people(1)
    old = package(p, first=month(0))
    client = browser(operator_a)
    answer = client.post(f"/tagihan/peserta/{p.pk}/mandiri/ubah/",
                         {"from_month": month_text(1), "programmes": ["JKK", "JKM", "JHT"], "income": "1000000"})
    assert answer.status_code == 302
    old.refresh_from_db()
    assert old.last_month == month(0)
    new = Membership.objects.get(last_month__isnull=True)
    assert new.programmes == ["JKK", "JKM", "JHT"] and new.replaces == old
    answer = client.post(f"/tagihan/peserta/{p.pk}/mandiri/akhiri/", {"last_month": month_text(3),
                                                                       "reason": "stopped"})
    assert answer.status_code == 302
    new.refresh_from_db()
    assert new.last_month == month(3)
    assert "Riwayat paket" in client.get(f"/peserta/{p.pk}/").content.decode()


def test_outside_the_area_the_forms_do_not_exist(operator_b):
    (p,) = people(1)
    client = browser(operator_b)
    for path in ("mulai", "ubah", "akhiri"):
        assert client.get(f"/tagihan/peserta/{p.pk}/mandiri/{path}/").status_code == 404
        assert client.post(f"/tagihan/peserta/{p.pk}/mandiri/{path}/", {}).status_code == 404
    assert client.get("/tagihan/peserta/999999/mandiri/mulai/").status_code == 404


def test_the_panel_says_why_a_pu_worker_gets_no_start_form(operator_a):
    (p,) = people(1, segment="PU")
    page = browser(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    assert "hanya untuk peserta BPU" in page and "billing:package_start" not in page
    assert f"/tagihan/peserta/{p.pk}/mandiri/mulai/" not in page
