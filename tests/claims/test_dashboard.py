"""The claims' dashboard: paid counts and rupiah, working days to pay and refusals by reason add up to the claims
themselves, for the region and each child region; a region outside the user's scope is not found (page, API, CLI)."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsosdesa.claims import dashboard
from jamsosdesa.claims.models import Claim, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.errors import NotFound
from tests.conftest import DESA_C, api_client

from .decision_world import claim, officers

pytestmark = pytest.mark.django_db


def _world(admin_user):
    now = clock.now()
    paid = [claim(admin_user, status=ClaimStatus.PAID, total=42_000_000) for _ in range(2)]
    for c in paid:
        c.paid_at = now
        c.save()
    lapsed = claim(admin_user, status=ClaimStatus.REJECTED, rejection_code="lapsed", decided_at=now)
    bali = claim(admin_user, status=ClaimStatus.PAID, total=20_000_000)
    Claim.objects.filter(pk=bali.pk).update(kab_code=DESA_C[:5], desa_code=DESA_C, paid_at=now)
    return paid, lapsed, bali


def test_figures_add_up_to_the_claims(admin_user):
    one, _two, _far = officers()
    paid, _lapsed, _bali = _world(admin_user)
    f = dashboard.figures(one, region="33.11")
    assert (f["paid"], f["paid_amount"], f["refused"]) == (2, 84_000_000, 1)
    assert f["refusals"] == [{"code": "lapsed", "label": "kepesertaan terputus: iuran tidak dibayar", "count": 1}]
    assert f["median_days"] is not None  # complete a day before payment
    [gatak] = f["children"]
    assert (gatak["code"], gatak["paid"], gatak["paid_amount"], gatak["refused"]) == ("33.11.11", 2, 84_000_000, 1)
    this_month = f["months"][-1]
    assert this_month["month"] == f"{clock.today():%Y-%m}" and this_month["paid_amount"] == 84_000_000
    assert sum(m["paid_amount"] for m in f["months"]) == f["paid_amount"]
    nation = dashboard.figures(admin_user, region="ID")
    assert (nation["paid"], nation["paid_amount"]) == (3, 104_000_000)
    assert sum(c["paid_amount"] for c in nation["children"]) == nation["paid_amount"]
    desa = dashboard.figures(one, region=paid[0].desa_code, month=clock.this_month())
    assert (desa["paid"], desa["paid_amount"], desa["month"]) == (2, 84_000_000, f"{clock.today():%Y-%m}")
    last_month = dashboard.figures(one, region="33.11", month=clock.this_month() - timedelta(days=1))
    assert last_month["paid"] == 0


def test_outside_the_scope_is_not_found(admin_user, operator_a):
    one, _two, _far = officers()
    _world(admin_user)
    with pytest.raises(NotFound):
        dashboard.figures(one, region="51.04")
    with pytest.raises(NotFound):
        dashboard.figures(one, region="ID")
    with pytest.raises(NotFound):
        dashboard.figures(one, region="99.99")
    assert dashboard.figures(operator_a, region="")["paid"] == 2  # the operator's desa by default

    call = api_client(one)
    assert call("get", "/claims/dashboard?region=51.04").status_code == 404
    answer = call("get", "/claims/dashboard?region=33.11")
    assert answer.status_code == 200 and answer.json()["paid_amount"] == 84_000_000
    assert call("get", "/claims/dashboard?region=33.11&month=2026-13").status_code == 422

    browser = Client()
    browser.force_login(one)
    assert browser.get("/klaim/dasbor/?wilayah=51.04").status_code == 404
    page = browser.get("/klaim/dasbor/?wilayah=33.11")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rp84.000.000" in text and 'data-chart="chart-paid"' in text
    assert 'href="?wilayah=33.11.11"' in text  # down to the kecamatan
    desa = browser.get("/klaim/dasbor/?wilayah=33.11.11.2004").content.decode()
    assert 'id="parent" href="?wilayah=33.11.11"' in desa  # and back up, as far as the officer sees
    assert dashboard.figures(one, region="33.11")["parent"] is None

    out = StringIO()
    call_command("claim", "dashboard", "--region", "33.11", "--user", one.username, "--json", stdout=out)
    assert json.loads(out.getvalue())["paid_amount"] == 84_000_000
    with pytest.raises(CommandError):
        call_command("claim", "dashboard", "--region", "51.04", "--user", one.username, stdout=StringIO())
