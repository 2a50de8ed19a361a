"""Every page on a 360-px phone, as every role of the demo: no page wider than the screen (a table scrolls inside
its own box), no button or field under another element, the menu usable, the admin within the Content-Security-
Policy (the `page` fixture fails on anything it blocks). One run lists every failure of a role at once.

JAMSOSDESA_SCREENSHOT_DIR=dir keeps a full-page screenshot of every page visited, to judge readability by eye."""

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run, scheme_create
from jamsosdesa.imports.services import import_job_create
from jamsosdesa.participants import demo, services
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, DESA_B, make_user, person
from tests.funding.conftest import month_text, people, scheme_data

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Regions like the demo's, inside the area the browser tests load (Kab. Sukoharjo).
REGIONS = {Role.NATIONAL_ADMIN: [], Role.BRANCH_OFFICER: ["33.11"], Role.DISTRICT_OFFICIAL: ["33.11"],
           Role.VILLAGE_OPERATOR: [DESA_A], Role.PERISAI_AGENT: [DESA_A, DESA_B],
           Role.WADAH_MANAGER: [DESA_A, DESA_B]}
IMPORT_CSV = ("nik;nama;tanggal_lahir;jenis_kelamin;alamat\n"
              "3311110505900003;Sugeng Riyadi;05-05-1990;L;Dusun Krajan\n"
              "3311113102900001;Salah Tanggal Lahirnya Karena Februari Tidak Punya Tanggal 31;31-02-1990;L;-\n")

# What a page measures in the browser: how wide the document is and what sticks out of the screen (outside any
# box that scrolls or clips), and every visible control whose centre, once scrolled into view, hits another
# element (or nothing: it is off the screen).
MEASURE = """() => {
  const name = (el) => !el ? 'nothing' : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '')
    + (el.textContent.trim() ? ' "' + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30) + '"' : '');
  const screen = document.documentElement.clientWidth;
  const inScroller = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') { return true; } } return false; };
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.right > screen + 1 && !inScroller(el);
  }).slice(0, 4).map((el) => name(el) + ' to ' + Math.round(el.getBoundingClientRect().right) + 'px');
  const covered = [];
  const controls = 'button, input:not([type=hidden]), select, textarea, [role=button], nav a';
  for (const el of document.querySelectorAll(controls)) {
    // a disabled field is not for tapping; a 1-px one is hidden for screen readers' sake (the admin's selects)
    if (el.disabled || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) { continue; }
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) { continue; }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const own = hit && (hit === el || el.contains(hit) || [...(el.labels || [])].some((l) => l.contains(hit)));
    if (!own) { covered.push(name(el) + ' is covered by ' + name(hit)); }
  }
  for (const box of document.querySelectorAll('.table-wrap')) { box.scrollLeft = 0; }
  window.scrollTo(0, 0);
  return {width: document.documentElement.scrollWidth, wide, covered};
}"""


def _users() -> dict[Role, object]:
    """One user of every role the demo has, with the demo's kind of area."""
    assert {role for _name, role, _regions, _what in demo.USERS} == set(Role)  # the demo still has them all
    users = {role: make_user(f"hp_{role.value}", role, REGIONS[role]) for role in Role}
    admin = users[Role.NATIONAL_ADMIN]
    admin.is_staff = admin.is_superuser = True  # as `jamsosdesa demo` makes it: the admin is theirs
    admin.save(update_fields=["is_staff", "is_superuser"])
    return users


def _data(users) -> dict[str, int]:
    """Something on every page: a participant with heirs and a long name, a scheme with a refusal in its batch,
    and an import with a problem row for every user (an import job is its uploader's only)."""
    operator, official = users[Role.VILLAGE_OPERATOR], users[Role.DISTRICT_OFFICIAL]
    participant = services.participant_register(
        actor=operator, data=person(full_name="Raden Roro Siti Nurhayati Kusumawardhani Purbonegoro",
                                    address="Dusun Krajan Kidul, belakang Balai Desa, dekat lapangan sepak bola"),
        heirs=[{"name": "Sri Wahyuni Kusumaningrum", "relation": "spouse", "nik": "3311114808920002"}])
    scheme = scheme_create(actor=official, data=scheme_data(
        name="Perlindungan Ketua RT/RW dan Pekerja Rentan Kabupaten Sukoharjo", quota_per_desa=2))
    listed = people(3, DESA_A)
    batch = enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(
        niks=[p.nik for p in listed] + ["3311110703850099", "33111107038500019"]))
    assert batch.enrolled == 2 and batch.refused >= 2  # the quota and the list's mistakes give a refusal table
    from tests.agents.wadah.factories import record_agent

    agent = record_agent(users[Role.PERISAI_AGENT])  # issue 14: only the agent of a wadah with a PKS in force acts
    agent.wadah.managers.add(users[Role.WADAH_MANAGER])
    jobs = {}
    for role, user in users.items():
        ApiToken.issue(user=user, name="aplikasi pendataan desa Krajan")  # a row in the profile's token table
        if role == Role.WADAH_MANAGER:  # reads its agents' desa and imports nothing (issue 14)
            continue
        upload = SimpleUploadedFile("warga desa krajan.csv", IMPORT_CSV.encode())
        jobs[role] = import_job_create(actor=user, upload=upload, desa=DESA_A).pk
    incentive_run = _incentive_lines(agent, listed[0])  # issue 14 H-C: a statement with lines to lay out
    return {"participant": participant.pk, "scheme": scheme.pk, "batch": batch.pk, "jobs": jobs,
            "wadah": agent.wadah_id, "agent": agent.pk, "incentive_run": incentive_run.pk,
            **_statement_and_queue(users[Role.BRANCH_OFFICER], listed[0])}


def _statement_and_queue(branch, payer) -> dict[str, int]:
    """H5: a previewed statement of the branch officer's (a line for a person, one for an unknown NIK) and a
    payment queued in its kabupaten."""
    from datetime import timedelta

    from jamsosdesa.billing.services.payments import PaymentRequest, payment_record_queued
    from jamsosdesa.core import clock
    from jamsosdesa.imports.statement_import import statement_import_create

    day = clock.today() - timedelta(days=1)
    text = (f"nik;jumlah;tanggal;referensi;keterangan\n{payer.nik};33.600;{day:%d/%m/%Y};TRX-1;iuran dua bulan\n"
            f"3311110101800099;16800;{day:%d/%m/%Y};TRX-2;setoran tunai kantor kas Gatak\n")
    job = statement_import_create(actor=branch, upload=SimpleUploadedFile("rekening bank jateng.csv", text.encode()))
    queued = payment_record_queued(actor=branch, request=PaymentRequest(
        amount=16800, paid_on=day, reference="BJTG-0000000000123456789", channel="bank", source="mt940"),
        reason="ambiguous", kab_code="33.11", raw={"text": f"IURAN {payer.nik} DAN 3311110101800099 BULAN INI",
                                                  "line": {":61:": "261202C16800,00NTRFNONREF//BJ002"}})
    return {"statement": job.pk, "queue_item": queued.payment.queue_item.pk}


def _incentive_lines(agent, person):
    """Issue 14 H-C: last month's finished incentive run with a share line of the agent and its wadah's line (rows
    written directly; the run has its own tests)."""
    from jamsosdesa.agents.models import IncentiveLine, IncentiveRun
    from tests.funding.conftest import month

    run = IncentiveRun.objects.create(month=month(-1), status="done", lines=2, agents=1, total_agents=5_520,
                                      total_wadah=552)
    IncentiveLine.objects.create(month=month(-1), run=run, agent=agent.user, wadah=agent.wadah, participant=person,
                                 kind="share_1_24", contribution_month=month(-1), month_index=1, base=36_800,
                                 rate_bp=1500, amount=5_520)
    IncentiveLine.objects.create(month=month(-1), run=run, wadah=agent.wadah, kind="wadah", base=5_520, rate_bp=1000,
                                 amount=552)
    return run


def _pages(data, role) -> list[str]:
    """The pages of the issue: every list, detail and form, the printable sheet, an import, a missing page."""
    p, s = data["participant"], data["scheme"]
    pages = ["/peserta/", f"/peserta/{p}/", f"/peserta/{p}/ubah/", "/peserta/baru/", "/impor/",
             *([f"/impor/{data['jobs'][role]}/"] if role in data["jobs"] else []), "/iuran/simulasi/",
             f"/iuran/simulasi/?segment=BPU&programmes=JKK&programmes=JKM&income=1000000&month={month_text(0)}"
             "&payer=apbdes&sector=umum&people=100&months=6",
             "/skema/", f"/skema/{s}/", "/skema/baru/", f"/skema/{s}/ubah/", f"/skema/{s}/peserta/",
             f"/skema/daftar/{data['batch']}/", f"/skema/{s}/lembar-anggaran/",
             f"/skema/{s}/lembar-anggaran/?desa={DESA_A}", "/profil/", "/halaman-yang-tidak-ada/",
             f"/tagihan/peserta/{p}/mandiri/mulai/",  # the package form (404 for who may not start one)
             # H5: statement imports and the queue (the branch officer's and the national admin's; 404 for the rest)
             "/impor/rekening/", f"/impor/rekening/{data['statement']}/", "/tagihan/antrean/",
             f"/tagihan/antrean/{data['queue_item']}/",
             # issue 14 H-A: wadah and agents (404 for who has no agents' pages)
             "/agen/", "/agen/wadah/", f"/agen/wadah/{data['wadah']}/", "/agen/wadah/baru/",
             f"/agen/wadah/{data['wadah']}/ubah/", f"/agen/wadah/{data['wadah']}/agen-baru/", f"/agen/{data['agent']}/",
             f"/agen/{data['agent']}/ubah/", "/agen/aturan/",
             # issue 14 H-C: incentives (the runs, a run, the rules; the agent's and the wadah's statement)
             "/agen/insentif/", f"/agen/insentif/{data['incentive_run']}/", "/agen/insentif/aturan/",
             f"/agen/{data['agent']}/insentif/{month_text(-1)}/",
             f"/agen/wadah/{data['wadah']}/insentif/{month_text(-1)}/",
             # issue 14 H-E: the agents' ranking (the admin's and the branch's; 404 for the rest)
             "/agen/peringkat/?kab=33.11"]
    if role == Role.NATIONAL_ADMIN:
        pages += ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{data['admin_pk']}/change/",
                  "/admin/regions/region/?q=krajan", "/admin/contributions/rate/", "/admin/core/auditevent/"]
    return pages


def _measure(page, where: str, what: str, failures: list[str]) -> None:
    found = page.evaluate(MEASURE)
    if found["width"] > PHONE["width"]:
        failures.append(f"{where} {what}: {found['width']}px wide ({'; '.join(found['wide'])})")
    failures += [f"{where} {what}: {text}" for text in found["covered"]]
    folder = os.environ.get("JAMSOSDESA_SCREENSHOT_DIR")
    if folder:
        name = f"{where}{what}".replace("/", "_").replace("?", "_")[:120]
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _walk(page, role, language: str) -> None:
    """Log in as `role`, choose `language`, open the menu and every page; fail listing everything found."""
    users = _users()
    data = _data(users) | {"admin_pk": users[Role.NATIONAL_ADMIN].pk}
    page.set_viewport_size(PHONE)
    failures: list[str] = []
    where = f"{role.value}/{language}"

    page.goto(page.base_url + "/masuk/")
    _measure(page, where, "/masuk/", failures)
    log_in(page, users[role].username)
    if language != "id":
        page.click(f"footer button[value={language}]")  # the language switch at the foot of every page
        page.wait_for_selector(f"html[lang={language}]")

    # The menu: one button on a phone, its links open under it, each reachable.
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.is_visible() and not page.is_visible("#menu-links")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.is_visible("#menu-links")
    _measure(page, where, "/peserta/ (menu open)", failures)
    nav_pages = page.eval_on_selector_all("#menu-links a", "links => links.map(a => a.getAttribute('href'))")
    page.keyboard.press("Escape")
    assert not page.is_visible("#menu-links")

    answers = {}
    for path in dict.fromkeys(nav_pages + _pages(data, role)):
        answers[path] = page.goto(page.base_url + path).status
        _measure(page, where, path, failures)

    page.goto(page.base_url + "/profil/")  # a new API token is shown once, whole: it must not widen the page
    page.fill("input[name=name]", "token untuk aplikasi pendataan")
    page.click("form[action='/profil/token/'] button[type=submit]")
    page.wait_for_selector("#new-token")
    _measure(page, where, "/profil/ (new token)", failures)
    page.click("[data-menu-toggle]")  # logging out is in the menu too, for a phone shared at the village office
    page.click("#menu-links button[form=logout-form]")
    page.wait_for_url("**/masuk/")

    assert failures == [], "\n".join(failures)
    assert all(answers[path] == 200 for path in nav_pages), answers
    if role == Role.NATIONAL_ADMIN:  # sees everything: every page was really there, not a 404 that fits
        assert [path for path, status in answers.items() if status != 200] == ["/halaman-yang-tidak-ada/"], answers


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_page_fits_a_phone_for_every_role(page, role):
    _walk(page, role, "id")


def test_the_longer_english_words_fit_a_phone_too(page):
    _walk(page, Role.VILLAGE_OPERATOR, "en")
