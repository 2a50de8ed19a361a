"""The agent's field app on a phone with no signal (issue 14 part D): the service worker keeps the forms, a
registration entered offline waits on the phone with its client token and is sent when the connection returns,
making the participant exactly once. JAMSOSDESA_SCREENSHOT_DIR=dir keeps the 360-px screenshots."""

import os
from pathlib import Path

import pytest

from jamsosdesa.agents.models import ClientSubmission
from jamsosdesa.participants.models import Participant
from tests.agents.field.conftest import make_field_agent
from tests.browser.conftest import log_in
from tests.browser.test_phone_layout import MEASURE

pytestmark = pytest.mark.browser
API = "**/api/v1/agents/field/submissions"


def _unplugged(route):
    """No network for the service worker either (Chromium's offline emulation covers only the pages)."""
    route.abort("internetdisconnected")


def _fits_the_phone(page, what: str) -> None:
    found = page.evaluate(MEASURE)
    assert found["width"] <= 360 and found["covered"] == [], (what, found)
    folder = os.environ.get("JAMSOSDESA_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"field_{what}.png"), full_page=True)


def test_a_registration_entered_offline_is_sent_once_when_the_signal_returns(page):
    agent = make_field_agent("agen_hp")
    log_in(page, "agen_hp")
    page.goto(page.base_url + "/agen/lapangan/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # installed, with the forms kept
    _fits_the_phone(page, "home")

    context = page.context
    context.route(API, _unplugged)
    context.set_offline(True)
    page.goto(page.base_url + "/agen/lapangan/daftar/")  # from the phone: no signal
    page.wait_for_selector("#field-net >> text=Tanpa sinyal")
    page.fill("#id_nik", "3311114506900001")
    page.fill("#id_full_name", "Sri Lestari")
    page.fill("#id_birth_date", "1990-06-05")
    page.check("input[name=sex][value=P]")
    page.fill("#id_declared_income", "1000000")
    page.fill("#id_heir_name", "Budi Santoso")
    page.select_option("#id_heir_relation", "spouse")
    _fits_the_phone(page, "register")
    page.click("text=Simpan pendaftaran")
    page.wait_for_selector("#field-result >> text=Tersimpan di HP")

    page.click(".field-tabs >> text=Kiriman")
    page.wait_for_selector("#field-local-list >> text=Menunggu dikirim")
    assert page.is_visible("#field-local-list >> text=Sri Lestari")
    assert "3311••••••••0001" in page.inner_text("#field-local-list")  # masked, as the server's list
    assert page.inner_text("#field-queued-count") == "1"
    _fits_the_phone(page, "outbox_offline")
    assert not Participant.objects.filter(nik="3311114506900001").exists()

    context.unroute(API, _unplugged)
    context.set_offline(False)  # the page's 'online' listener sends what waits
    page.wait_for_selector("#field-local-list >> text=Terkirim", timeout=20_000)
    page.wait_for_timeout(1500)  # and whatever the service worker's queue replays meanwhile
    page.click("#field-send-now")  # sending again changes nothing
    page.wait_for_timeout(1000)
    page.reload()
    page.wait_for_selector("#field-server-list >> text=Sri Lestari")
    _fits_the_phone(page, "outbox_sent")
    assert Participant.objects.filter(nik="3311114506900001").count() == 1
    person = Participant.objects.get(nik="3311114506900001")
    assert person.registered_by == agent.user and person.heirs.get().name == "Budi Santoso"
    assert ClientSubmission.objects.filter(user=agent.user).count() == 1


def test_a_collection_entered_offline_is_one_payment_with_its_receipt(page):
    from jamsosdesa.agents.models import Collection
    from jamsosdesa.billing.models import Payment
    from tests.billing.conftest import package
    from tests.funding.conftest import month, people

    agent = make_field_agent("agen_tagih")
    (worker,) = people(1)
    package(worker, first=month(0), agent=agent.user)
    log_in(page, "agen_tagih")
    page.goto(page.base_url + "/agen/lapangan/tagih/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    context = page.context
    context.route(API, _unplugged)
    context.set_offline(True)
    page.reload()  # the form, from the phone
    page.fill("#id_nik", worker.nik)
    page.fill("#id_months", "1")
    page.click("text=Simpan setoran")
    page.wait_for_selector("#field-result >> text=Tersimpan di HP")
    assert not Collection.objects.exists()

    page.click(".field-tabs >> text=Kiriman")
    page.wait_for_selector("#field-local-list >> text=Menunggu dikirim")

    context.unroute(API, _unplugged)
    context.set_offline(False)  # background sync, or the page's own retry, sends it
    page.wait_for_selector("#field-local-list >> text=Terkirim", timeout=20_000)
    page.reload()
    page.wait_for_selector("#field-server-list >> text=Berhasil")
    collection = Collection.objects.get()
    assert Payment.objects.filter(participant_id=worker.pk).count() == 1
    page.click("#field-local-list >> text=Buka")
    page.wait_for_selector(f"text={collection.receipt_number}")
    _fits_the_phone(page, "receipt")
