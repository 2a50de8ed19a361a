"""An agent's cash enters the ledger only through a collection (issue 14): billing's payment page, API and CLI
refuse an agent (pointing it to /agen/penagihan/) and the agent channel; `ledger check` invariant 24 finds a live
payment on the agent channel, or recorded by an agent, without a live collection; the demo's agent money all has
collections."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Payment, Reversal
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from tests.agents.cash.conftest import assert_ledger_ok, collect, worker
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

DOOR = "/agen/penagihan/"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**more) -> dict:
    return {"amount": "16800", "paid_on": clock.today().isoformat(), "reference": "KW-AGEN", "channel": "bank",
            "token": "t-agen", **more}


def test_the_agent_meets_404_at_billings_payment_page_with_the_way_to_its_collections(agent):
    person = worker(agent)
    client = browser(agent.user)
    url = f"/tagihan/peserta/{person.pk}/bayar/"
    seen = client.get(url)
    assert seen.status_code == 404  # as every role without the right at this door
    text = seen.content.decode()
    assert f'href="{DOOR}"' in text and "sebagai penagihan" in text
    sent = client.post(url, _form())
    assert sent.status_code == 404 and DOOR in sent.content.decode()
    assert not Payment.objects.exists()


def test_the_agent_is_offered_its_collections_not_billings_payment_form(agent):
    person = worker(agent)
    text = browser(agent.user).get(f"/peserta/{person.pk}/").content.decode()
    assert f"/tagihan/peserta/{person.pk}/bayar/" not in text  # no payment form on the participant page
    assert 'id="collect-here"' in text and f'href="{DOOR}"' in text
    assert 'href="/tagihan/pembayaran/"' not in text  # the menu: its collections instead of billing's payments


def test_a_village_operator_keeps_billings_payment_form_and_menu(agent, operator_a):
    person = worker(agent)
    text = browser(operator_a).get(f"/peserta/{person.pk}/").content.decode()
    assert f"/tagihan/peserta/{person.pk}/bayar/" in text and 'id="collect-here"' not in text
    assert 'href="/tagihan/pembayaran/"' in text


def test_the_api_answers_the_agent_403_naming_its_collections(agent):
    person = worker(agent)
    response = api_client(agent.user)("post", "/payments", {"nik": person.nik, "amount": 16_800,
                                                            "paid_on": clock.today().isoformat(),
                                                            "reference": "KW-API-AGEN", "channel": "agent"})
    assert response.status_code == 403
    assert DOOR in response.json()["error"]["message"]
    assert not Payment.objects.exists()


def test_the_cli_refuses_the_agent_naming_its_collections(agent):
    person = worker(agent)
    with pytest.raises(CommandError) as refused:
        call_command("payment", "record", "--nik", person.nik, "--amount", "16800", "--date",
                     clock.today().isoformat(), "--reference", "KW-CLI-AGEN", "--as", agent.user.username,
                     stdout=StringIO())
    assert DOOR in str(refused.value)
    assert not Payment.objects.exists()


def test_nobody_records_the_agent_channel_outside_a_collection(agent, operator_a, branch):
    person = worker(agent)
    with pytest.raises(ServiceError) as refused:
        payment_record(actor=branch, request=PaymentRequest(amount=16_800, paid_on=clock.today(),
                                                            reference="KW-X", channel="agent", nik=person.nik))
    assert refused.value.code == ErrorCode.INVALID and "channel" in refused.value.fields
    response = api_client(branch)("post", "/payments", {"nik": person.nik, "amount": 16_800,
                                                        "paid_on": clock.today().isoformat(), "reference": "KW-Y",
                                                        "channel": "agent"})
    assert response.status_code == 422 and "channel" in str(response.json())
    page = browser(operator_a).post(f"/tagihan/peserta/{person.pk}/bayar/", _form(channel="agent"))
    assert page.status_code == 200 and "channel" in page.context["form"].errors
    assert not Payment.objects.exists()
    assert collect(agent, person).collection.payment.channel == "agent"  # the one door
    assert_ledger_ok()


def _invariant_24() -> list[dict]:
    return [row for f in ledger_check() if f.invariant == 24 for row in f.rows]


def _hand_made(person, *, channel="agent", recorded_by=None, reference="HAND-1") -> Payment:
    """A payment written past the services (as an old import or a bug would leave it), with nothing allocated."""
    return Payment.objects.create(channel=channel, source="entry", external_reference=reference, request_hash="-",
                                  amount=16_800, paid_on=clock.today(), received_at=clock.now(),
                                  target_kind="person", participant=person, holder_type="P", holder_id=person.pk,
                                  kab_code=person.kab_code, desa_code=person.desa_id, recorded_by=recorded_by)


def test_an_agent_channel_payment_without_a_collection_fails_the_check(agent, branch):
    person = worker(agent)
    collect(agent, person)
    assert _invariant_24() == []
    stray = _hand_made(person)
    rows = _invariant_24()
    assert [(r["payment_id"], r["reference"], r["channel"]) for r in rows] == [(stray.pk, "HAND-1", "agent")]
    (failure,) = [f for f in ledger_check() if f.invariant == 24]
    assert failure.name == "agent_money_collected" and "penagihan" in str(failure.title)


def test_a_payment_an_agent_recorded_on_another_channel_without_a_collection_fails_the_check(agent):
    person = worker(agent)
    stray = _hand_made(person, channel="bank", recorded_by=agent.user, reference="HAND-2")
    assert [(r["payment_id"], r["recorded_by"]) for r in _invariant_24()] == [(stray.pk, agent.user.username)]


def test_a_reversed_collection_and_its_payment_pass(agent, branch):
    person = worker(agent)
    paid = collect(agent, person).collection.payment
    payment_reverse(actor=branch, payment=paid, reason="mistake")
    assert Reversal.objects.filter(target_type="payment", target_id=paid.pk).exists()
    assert _invariant_24() == []
    assert_ledger_ok()


def test_the_demos_agent_money_all_has_collections():
    from jamsosdesa.agents.models import Collection

    call_command("demo", stdout=StringIO())
    assert ledger_check() == []
    collected = Collection.objects.filter(reversed_at__isnull=True)
    assert collected.count() == 4 and {c.agent.username for c in collected} == {"agen.krajan"}
    agent_money = Payment.objects.filter(channel="agent")
    assert set(agent_money.values_list("pk", flat=True)) == set(collected.values_list("payment_id", flat=True))
    assert not Payment.objects.filter(recorded_by__role="perisai_agent").exclude(
        pk__in=collected.values("payment_id")).exists()
    # billing's demo still shows every status: Sanggung's workers paid at the branch office, some every month
    assert Payment.objects.filter(channel="branch", external_reference__startswith="DEMO-CABANG-").count() == 30


def test_a_statement_on_the_agent_channel_records_nothing(agent, branch):
    import io
    from datetime import timedelta

    from jamsosdesa.imports.statement_import import StatementOptions, statement_import

    person = worker(agent)
    day = f"{clock.today() - timedelta(days=1):%d/%m/%Y}"
    data = (f"nik;jumlah;tanggal;referensi\n{person.nik};16800;{day};AG-1\n"
            f"3311110101800099;16800;{day};AG-2\n").encode()  # a known person, and a NIK nobody has (queued)
    outcome = statement_import(actor=branch, source=io.BytesIO(data),
                               options=StatementOptions(channel="agent", dry_run=False))
    assert outcome.counts["person"] == outcome.counts["queued"] == 0 and outcome.counts["invalid"] == 2
    assert all("Saluran agen" in p.message for p in outcome.problems)
    assert not Payment.objects.exists()
