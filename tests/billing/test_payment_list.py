"""The payment list page (issue 12): every payment the user may see (billing's scoping), newest first, with
filters (dates, channel, desa, reference or NIK), paged, each row leading to the payment's page, NIKs masked as the
registry's presenter masks them in a list."""

from datetime import timedelta

import pytest
from django.test import Client

from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.core import clock
from jamsosdesa.core.presenters import mask_nik
from tests.billing.conftest import DESA_A, DESA_B, DESA_C, people
from tests.billing.payment_fixtures import pay

pytestmark = pytest.mark.django_db
URL = "/tagihan/pembayaran/"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def days_ago(n: int):
    return clock.today() - timedelta(days=n)


def test_the_list_shows_the_users_region_newest_first_with_masked_niks_and_links(operator_a, admin_user):
    [a1, a2] = people(2, DESA_A)
    [b] = people(1, DESA_B)
    older = pay(admin_user, nik=a1.nik, amount=16_800, reference="KW-OLD", paid_on=days_ago(5)).payment
    newer = pay(admin_user, nik=a2.nik, amount=33_600, reference="KW-NEW", paid_on=days_ago(1)).payment
    pay(admin_user, nik=b.nik, amount=50_400, reference="KW-OTHER-DESA")
    page = browser(operator_a).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "KW-NEW" in text and "KW-OLD" in text and "KW-OTHER-DESA" not in text and b.full_name not in text
    assert text.index("KW-NEW") < text.index("KW-OLD")  # newest first
    assert f'href="/tagihan/pembayaran/{newer.pk}/"' in text and f'href="/tagihan/pembayaran/{older.pk}/"' in text
    assert mask_nik(a1.nik) in text and a1.nik not in text  # a village operator sees a list's NIKs masked
    assert "Rp33.600" in text


def test_the_filters_narrow_the_list(operator_a, admin_user):
    [a1, a2] = people(2, DESA_A)
    [b] = people(1, DESA_B)
    pay(admin_user, nik=a1.nik, amount=16_800, reference="AG-1", channel="ppob", paid_on=days_ago(20))
    pay(admin_user, nik=a2.nik, amount=16_800, reference="BK-2", channel="bank", paid_on=days_ago(2))
    pay(admin_user, nik=b.nik, amount=16_800, reference="BK-3", channel="bank", paid_on=days_ago(2))
    client = browser(admin_user)

    def refs(**params) -> set[str]:
        text = client.get(URL, params).content.decode()
        return {r for r in ("AG-1", "BK-2", "BK-3") if r in text}

    assert refs() == {"AG-1", "BK-2", "BK-3"}
    assert refs(channel="bank") == {"BK-2", "BK-3"}
    assert refs(start=days_ago(10).isoformat()) == {"BK-2", "BK-3"}
    assert refs(end=days_ago(10).isoformat()) == {"AG-1"}
    assert refs(region=DESA_B) == {"BK-3"}
    assert refs(region=DESA_A[:8]) == {"AG-1", "BK-2", "BK-3"}  # a kecamatan: its desas (A and B)
    assert refs(region=DESA_C[:5]) == set()
    assert refs(q="bk-") == {"BK-2", "BK-3"}  # the beginning of a reference, any case
    assert refs(q=a1.nik) == {"AG-1"}  # a whole NIK
    bad = client.get(URL, {"start": days_ago(1).isoformat(), "end": days_ago(5).isoformat()}).content.decode()
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in bad


def test_a_nik_outside_the_users_region_finds_nothing(operator_a, admin_user):
    [b] = people(1, DESA_B)
    pay(admin_user, nik=b.nik, amount=16_800, reference="SECRET-1")
    text = browser(operator_a).get(URL, {"q": b.nik}).content.decode()
    assert "SECRET-1" not in text and "Tidak ada pembayaran" in text


def test_the_list_is_paged_and_keeps_its_filters(operator_a, admin_user):
    [a] = people(1, DESA_A)
    for i in range(52):
        pay(admin_user, nik=a.nik, amount=16_800, reference=f"P-{i:02d}", channel="bank")
    client = browser(operator_a)
    first = client.get(URL, {"channel": "bank"}).content.decode()
    assert "halaman 1 dari 2" in first and "?channel=bank&amp;page=2" in first
    second = client.get(URL, {"channel": "bank", "page": 2}).content.decode()
    assert second.count('href="/tagihan/pembayaran/') - second.count('href="/tagihan/pembayaran/"') == 2


def test_a_reversed_payment_is_marked_and_the_menu_leads_to_the_list(operator_a, admin_user, branch):
    [a] = people(1, DESA_A)
    payment = pay(admin_user, nik=a.nik, amount=16_800, reference="GONE-1").payment
    payment_reverse(actor=branch, payment=payment, reason="mistake")
    text = browser(operator_a).get(URL).content.decode()
    assert "dibatalkan" in text
    home = browser(operator_a).get("/peserta/").content.decode()
    assert f'href="{URL}"' in home
