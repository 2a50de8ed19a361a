"""A JKM death claim from report to payment on a 360-px phone: the village operator of Krajan reports the death of a
protected worker, gives the spouse's bank account and uploads every missing document from the checklist (a photo
through the phone's file input) until the file is complete; a branch officer prepares it (Rp42.000.000 with its
rule), cannot approve what they prepared, a second officer approves and records the payment to the spouse, and the
claim is paid. Every page on the way fits the screen (no sideways scrolling, no control under another element) and
runs within the Content-Security-Policy."""

import importlib
import struct
import zlib
from datetime import timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Heir
from tests.browser.conftest import log_in
from tests.browser.test_phone_layout import _measure
from tests.claims.file_world import SPOUSE_NIK, fresh_param_cache, protected  # noqa: F401 (a fixture)
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 760}
SPOUSE = "Siti Aminah"
ACCOUNT = "001201009876543"


def _png() -> bytes:
    """A real 1x1 white PNG (documents.sniff tells a file by its first bytes; a viewer opens this one too)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _benefit_parameters() -> None:
    """The benefit parameters migration 0002 seeds: a transactional test before this one flushed them with the rest
    (the browser tests' reference_data does not load them)."""
    from django.apps import apps

    from jamsosdesa.claims.parameters import param_cache_clear

    importlib.import_module("jamsosdesa.claims.migrations.0002_engine").seed(apps, None)
    param_cache_clear()


def _phone(browser, base_url: str, refused: list):
    """Another person's phone: a new browser context as the `page` fixture makes it."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    other = context.new_page()
    other.set_default_timeout(15_000)
    other.base_url = base_url
    other.on("console", lambda message: refused.append(message.text)
             if "Content Security Policy" in message.text else None)
    return context, other


def _fits(page, what: str, failures: list) -> None:
    """The page is no wider than the phone, nothing covers its controls (test_phone_layout's measure), and the
    claim's tables (heirs, benefit parts, shares) are read without scrolling them sideways: every cell ends inside
    the screen (a table scrolling in its own box once hid the payment form and cut amounts to 'Rp20.000.0')."""
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{what} scrolls sideways"
    _measure(page, "", what, failures)
    cut = page.evaluate("""() => [...document.querySelectorAll('#heir-table td, #benefit-parts td, #benefit-parts th,'
        + ' #shares td, form.pay-form')].filter(c => c.offsetParent !== null
        && c.getBoundingClientRect().right > window.innerWidth + 1).map(c => c.innerText.slice(0, 40))""")
    if cut:
        failures.append(f"{what}: cut at the screen's edge: {cut}")


def test_a_death_claim_from_report_to_payment_on_a_phone(page, browser):
    _benefit_parameters()
    make_user("operator", Role.VILLAGE_OPERATOR, [DESA_A])
    make_user("cabang.satu", Role.BRANCH_OFFICER, ["33.11"])
    make_user("cabang.dua", Role.BRANCH_OFFICER, ["33.11"])
    worker = protected(heirs=False)  # months -3 to 0 paid: protected on any day of the last weeks
    Heir.objects.create(participant=worker, name=SPOUSE, relation="spouse", nik=SPOUSE_NIK)
    failures: list[str] = []
    event_day = clock.today() - timedelta(days=3)

    # 1. The village operator reports the death.
    log_in(page, "operator")
    page.goto(page.base_url + "/klaim/lapor/")
    _fits(page, "/klaim/lapor/", failures)
    page.fill("input[name=nik]", worker.nik)
    page.select_option("select[name=kind]", "jkm")
    page.fill("input[name=event_date]", event_day.isoformat())
    page.fill("input[name=event_place]", "Dusun Krajan")
    page.click("button:has-text('Catat kejadian')")
    page.wait_for_url("**/klaim/KLM-*/")
    claim_url = page.url
    number = claim_url.rstrip("/").rsplit("/", 1)[-1]
    assert page.locator("#eligibility .badge.on").inner_text() == "terlindungi"
    assert page.locator("#claim-status").inner_text() == "dilaporkan"
    assert "berkas belum lengkap" in page.locator("main").inner_text()
    _fits(page, "claim reported", failures)

    # 2. The spouse's bank account (approval pays only an account on the claim), the NIK typed again from the e-KTP
    # (masked for a village operator).
    page.click(f"#heirs tr:has-text('{SPOUSE}') a:has-text('ubah')")
    page.wait_for_url("**/ahli-waris/*/")
    _fits(page, "heir form", failures)
    assert page.input_value("input[name=nik]") == ""  # masked for the operator: typed again
    page.fill("input[name=nik]", SPOUSE_NIK)
    page.fill("input[name=bank_name]", "BRI")
    page.fill("input[name=account_number]", ACCOUNT)
    page.fill("input[name=account_holder]", SPOUSE)
    page.click("button:has-text('Simpan ahli waris')")
    page.wait_for_url(claim_url)
    assert f"Ahli waris {SPOUSE} tersimpan." in page.locator(".flash").inner_text()
    assert "BRI" in page.locator(f"#heirs tr:has-text('{SPOUSE}')").inner_text()

    # Every missing item of the checklist: its "unggah" link chooses the kind (and the heir) on the upload form.
    missing = page.locator("#documents .checklist a:has-text('unggah')")
    required = missing.count()
    assert required == 8  # KPJ, e-KTP, death certificate, KK, heir statement, the spouse's e-KTP, bank book, marriage
    photo = _png()
    for n in range(required):
        item = missing.first.locator("xpath=..")
        label = item.inner_text().split("unggah")[0].strip(" ✘\n")
        missing.first.click()
        page.wait_for_url("**jenis=**")
        if n == 0:
            _fits(page, "claim with the upload form chosen", failures)
        kind = page.input_value("select[name=kind]")
        if "ahli waris:" in label:  # the heir is chosen too
            assert page.locator("select[name=heir] option:checked").inner_text().startswith(SPOUSE), label
        page.set_input_files("input[name=file]", {"name": f"{kind}.png", "mimeType": "image/png", "buffer": photo})
        page.click("button:has-text('Tambah dokumen')")
        page.wait_for_url(claim_url)
        assert "ditambahkan" in page.locator(".flash").inner_text(), label
        assert page.locator("#documents .checklist a:has-text('unggah')").count() == required - n - 1, label
    assert "berkas lengkap sejak" in page.locator("main").inner_text()
    assert page.locator("#documents .checklist a:has-text('lihat berkas')").count() == required
    _fits(page, "claim with the file complete", failures)

    refused: list[str] = []
    contexts = []
    try:
        # 3. A branch officer prepares it: the benefit with its rule.
        context, first = _phone(browser, page.base_url, refused)
        contexts.append(context)
        log_in(first, "cabang.satu")
        first.goto(claim_url)
        _fits(first, "claim for the branch officer", failures)
        first.click("button:has-text('Siapkan')")
        first.wait_for_url(claim_url)
        assert first.locator("#claim-status").inner_text() == "disiapkan, menunggu persetujuan"
        assert first.locator("#benefit-total").inner_text() == "Rp42.000.000"
        parts = first.locator("#benefit-parts tbody").inner_text()
        assert "PP 44/2015 jo. PP 82/2019" in parts, parts
        assert "Rp42.000.000" in first.locator("#shares").inner_text()  # the only receiving heir's share
        assert "Empat puluh dua juta rupiah" in first.locator("#decision").inner_text()
        _fits(first, "claim prepared (preparer)", failures)
        # ... and cannot approve it: no button, and the approval sent anyway is refused with a message.
        assert first.locator("#four-eyes").is_visible()
        assert first.locator("button:has-text('Setujui klaim')").count() == 0
        with first.expect_navigation():
            first.evaluate("""(action) => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = action;
              form.appendChild(document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode());
              document.body.appendChild(form);
              form.submit();
            }""", f"/klaim/{number}/setujui/")
        assert "orang lain" in first.locator(".flash").inner_text()
        assert first.locator("#claim-status").inner_text() == "disiapkan, menunggu persetujuan"

        # A second officer approves and records the transfer to the spouse's approved account.
        context, second = _phone(browser, page.base_url, refused)
        contexts.append(context)
        log_in(second, "cabang.dua")
        second.goto(claim_url)
        second.click("button:has-text('Setujui klaim')")
        second.wait_for_url(claim_url)
        assert second.locator("#claim-status").inner_text() == "disetujui"
        _fits(second, "claim approved (pay form)", failures)
        row = second.locator(f"form.pay-form:has-text('{SPOUSE}')")
        row.locator("input[name=paid_on]").fill(clock.today().isoformat())
        row.locator("input[name=reference]").fill("TRF-BRI-000123")
        row.locator("button:has-text('Catat pembayaran')").click()
        second.wait_for_url(claim_url)
        assert f"Pembayaran kepada {SPOUSE} dicatat." in second.locator(".flash").inner_text()
        assert second.locator("#claim-status").inner_text() == "dibayar"
        paid = second.locator(f"#shares tr:has-text('{SPOUSE}')").inner_text()
        assert f"{clock.today():%d-%m-%Y}" in paid and "TRF-BRI-000123" in paid
        _fits(second, "claim paid", failures)

        # The operator's phone shows it paid too.
        page.reload()
        assert page.locator("#claim-status").inner_text() == "dibayar"
        _fits(page, "claim paid (operator)", failures)
        page.screenshot(path="/tmp/claim_phone.png", full_page=True)
    finally:
        for context in contexts:
            context.close()
    assert refused == [], refused
    assert failures == [], "\n".join(failures)
