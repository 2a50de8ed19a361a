"""The benefit parameters: seeded from DOMAIN.md with their regulation, effective-dated (a change applies from its
day only), entered by a national admin only and audited, through the service, the CLI and the admin site."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jamsosdesa.claims.benefits import Facts, compute
from jamsosdesa.claims.models import BenefitParameter
from jamsosdesa.claims.parameters import CODES, param, set_parameter, value_on
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.claims.engine_fixtures import fresh_param_cache, month  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_code_is_seeded_with_its_figure_and_regulation():
    today = clock.today()
    for code, spec in CODES.items():
        v = value_on(code, today)
        assert (v.value, v.regulation) == (spec.default, spec.regulation), code
    assert param("jkm_lump_sum", today) + param("jkm_periodic", today) + param("jkm_funeral", today) == 42_000_000
    assert value_on("jkm_lump_sum", today).regulation == "PP 44/2015 jo. PP 82/2019"


def test_a_day_before_any_rule_is_refused_in_words_not_guessed():
    with pytest.raises(ServiceError) as caught:
        param("jkm_lump_sum", date(2019, 12, 1))  # PP 82/2019's amounts start on 2 December 2019
    assert "jkm_lump_sum" in caught.value.message and "01-12-2019" in caught.value.message


def test_a_change_applies_from_its_day_only_and_is_audited(admin_user):
    start = month(-1)
    set_parameter(admin_user, "jkm_lump_sum", 25_000_000, start, "PP 99/2026 (contoh)")
    before, after = start - timedelta(days=1), start
    assert compute("jkm", Facts(), before).total == 42_000_000
    changed = compute("jkm", Facts(), after)
    assert changed.total == 47_000_000
    assert "PP 99/2026 (contoh)" in changed.parts[0].rule
    event = AuditEvent.objects.get(event_type="benefit_parameter.changed")
    assert event.new["value"] == 25_000_000 and event.old is None and event.actor_name == "admin"
    set_parameter(admin_user, "jkm_lump_sum", 26_000_000, start, "PP 99/2026 (ralat)")  # same day: replaced
    assert param("jkm_lump_sum", after) == 26_000_000
    assert AuditEvent.objects.filter(event_type="benefit_parameter.changed").latest("id").old["value"] == 25_000_000


def test_only_a_national_admin_changes_them_and_bad_values_are_named(operator_a, admin_user):
    with pytest.raises(ServiceError) as caught:
        set_parameter(operator_a, "jkm_lump_sum", 1, clock.today(), "x")
    assert caught.value.code == "forbidden"
    with pytest.raises(ServiceError) as caught:
        set_parameter(admin_user, "jkm_nothing", -5, clock.today(), "")
    assert set(caught.value.fields) == {"code", "value", "regulation"}
    assert not BenefitParameter.objects.filter(changed_by__isnull=False).exists()


def test_the_cli_lists_and_sets_parameters(admin_user):
    out = StringIO()
    call_command("claim", "parameters", "--json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())["parameters"]}
    assert rows["jkk_death_multiplier"]["value"] == 48 and rows["jkk_death_multiplier"]["unit"] == "kali upah"
    out = StringIO()
    call_command("claim", "parameters", "--set", "jkk_death_minimum", "25000000", "--from",
                 f"{month(-1):%Y-%m-%d}", "--regulation", "PP 99/2026 (contoh)", "--json", stdout=out)
    assert json.loads(out.getvalue())["value"] == 25_000_000
    assert param("jkk_death_minimum", month(-1)) == 25_000_000
    with pytest.raises(CommandError, match="--from"):
        call_command("claim", "parameters", "--set", "jkk_death_minimum", "1", stdout=StringIO())


def test_the_admin_site_saves_a_new_row_audited_and_never_deletes(admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    answer = client.post("/admin/claims/benefitparameter/add/", {
        "code": "jkm_funeral", "value": "11000000", "valid_from": f"{month(-1):%Y-%m-%d}",
        "regulation": "PP 99/2026 (contoh)", "note": ""})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert param("jkm_funeral", month(-1)) == 11_000_000
    assert AuditEvent.objects.filter(event_type="benefit_parameter.changed", new__value=11_000_000).exists()
    row = BenefitParameter.objects.get(code="jkm_funeral", valid_from=month(-1))
    assert client.post(f"/admin/claims/benefitparameter/{row.pk}/delete/", {"post": "yes"}).status_code == 403
