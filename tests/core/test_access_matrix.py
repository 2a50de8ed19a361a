"""The access matrix (issue 11): every page of the site and every API operation, asked for the objects of desa A
(Krajan) by every role of the demo. Nobody ever meets a 5xx; the anonymous visitor is sent to the login (the API:
401); who works outside desa A's regions gets 404 for its objects, never 403 nor 200, and a change sent from
outside answers 404 and changes nothing; who works inside gets the page.

The expected answers are written out per URL name below, from the rules in participants/access.py,
funding/access.py and core/access.py (and the views' own: an import job is its creator's, a token its owner's).
A URL added to the site, or an operation added to the API, without its row here fails
`test_every_url_of_the_site_is_in_the_matrix` / `test_every_api_operation_is_in_the_matrix`.

Each request runs in a transaction rolled back afterwards, so every role meets the same world, and what a request
changed can be compared with the world before it.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jamsosdesa.accounts.models import ApiToken, User
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Candidate, Enrolment, EnrolmentBatch, Scheme
from jamsosdesa.funding.services import EnrolmentSelection, SchemeData, enrolment_batch_run, scheme_create
from jamsosdesa.imports.models import ImportJob
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Heir, Participant
from tests.conftest import DESA_A, DESA_B, person

pytestmark = pytest.mark.django_db

ANON, ADMIN, BRANCH, DISTRICT, OP_A, OP_B, AGENT = (
    "anonymous", "national_admin", "branch_officer_elsewhere", "district_official_elsewhere", "operator_a",
    "operator_b", "agent")
USERS = (ADMIN, BRANCH, DISTRICT, OP_A, OP_B, AGENT)
ROLES = (ANON, *USERS)
OUTSIDE = (BRANCH, DISTRICT, OP_B)  # none of their regions holds desa A
LOGIN = "login"  # a redirect to the login page (the admin's own login for the admin site)


def expect(users, *, anonymous=LOGIN, **by_role) -> dict:
    """The answer per role: `users` for every logged-in role unless `by_role` says otherwise."""
    answers = {ANON: anonymous, **dict.fromkeys(USERS, users)}
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {**answers, **by_role}


def scoped(inside=200, outside=404, **by_role) -> dict:
    """An object of desa A: `inside` for the national admin, operator A and the agent (assigned desa A and B),
    `outside` (404: it does not exist for them) for the rest."""
    return expect(inside, **dict.fromkeys(OUTSIDE, outside), **by_role)


def own(owner=200, **by_role) -> dict:
    """An object only its creator (operator A) and the national admin reach: 404 for everyone else."""
    return expect(404, **{ADMIN: owner, OP_A: owner, **by_role})


@dataclass(frozen=True)
class Url:
    path: str  # with {participant}, {nik}, {scheme}, {enrolment}, {batch}, {job}, {token}, {month}
    get: dict  # role -> status or LOGIN
    post: dict | None = None  # role -> status or LOGIN, for a POST of `data`
    data: dict = field(default_factory=dict)
    changes: tuple = ()  # the roles whose POST may change something; for everyone else nothing changes
    must_change: bool = False  # and for one of them it does (so that "nothing changed" says something)
    echoes: tuple = ()  # secrets the answer may repeat to anyone because the request itself sent them (a typed NIK)


# Every URL name of the site (an unnamed pattern by its route), with what each role meets.
EVENT_FORM = {"title": "Sosialisasi di Balai Desa Krajan", "held_on": "{today}", "region": DESA_A,  # H3
              "organiser_type": "village", "audience": ["village_officials", "informal_workers"], "attendance": "30"}
MONTH = "{month}"
EDIT_FORM = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_date": "1990-05-05", "sex": "L",
             "desa": DESA_A, "segment": "BPU", "village_role": "rt_head", "declared_income": "1000000",
             "occupation": "9", "rt": "2", "rw": "1", "phone": "0877000111",
             "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0", "heirs-MIN_NUM_FORMS": "0",
             "heirs-MAX_NUM_FORMS": "10"}
NEW_FORM = {**EDIT_FORM, "nik": "3311110606900001", "full_name": "Joko Susilo", "birth_date": "1990-06-06",
            "confirm_warnings": "on"}
INSIDE_CHANGERS = (ADMIN, OP_A, AGENT)
WADAH_FORM = {"name": "Koperasi Matriks", "kind": "koperasi", "legal_status": "AHU-0001", "kab_code": "33.11",  # H-A
              "pks_number": "PKS/MATRIKS", "pks_date": "{today}", "pks_start": "{today}", "pks_end": "{today}",
              "is_active": "on"}
AGENT_FORM = {"nik": "{nik}", "username": "agen.matriks", "password": "kata-sandi-matriks-1",  # H-A
              "full_name": "Agen Matriks", "desa": DESA_A, "bank_name": "BRI", "bank_account": "0011",
              "bank_holder": "Agen Matriks", "training_certificate": "SERT/1", "assignment_letter": "ST/1"}

CLAIMANT_NIK, HEIR_NIK, HEIR_ACCOUNT = "3311110808850001", "3311114506920001", "0012010009876"  # issue 15's world
REPORT_FORM = {"nik": "{nik}", "kind": "jkm", "event_date": "{today}", "event_place": "Krajan"}
NEW_HEIR = {"name": "Bagus", "relation": "child", "nik": "3311110101150002"}
HEIR_EDIT = {"name": "Sri Wahyuni", "relation": "spouse", "nik": HEIR_NIK, "bank_name": "BNI",
             "account_number": HEIR_ACCOUNT}

PAGES = {
    "/": Url("/", get=expect(302, anonymous=302)),  # to the participant list, which asks for the login
    "login": Url("/masuk/", get=expect(302, anonymous=200)),
    "logout": Url("/keluar/", get=expect(405, anonymous=405), post=expect(LOGIN, anonymous=LOGIN)),
    "set_language": Url("/bahasa/", get=expect(405, anonymous=405), post=expect(302, anonymous=302),
                        data={"language": "en"}),
    "participants:list": Url("/peserta/", get=expect(200)),
    "participants:register": Url("/peserta/baru/", get=expect(200), data=NEW_FORM, changes=INSIDE_CHANGERS,
                                 must_change=True,
                                 # registering in desa A from outside: the form says the desa is not theirs
                                 post=expect(302, **dict.fromkeys(OUTSIDE, 200))),
    "participants:detail": Url("/peserta/{participant}/", get=scoped()),
    "participants:edit": Url("/peserta/{participant}/ubah/", get=scoped(), post=scoped(302), data=EDIT_FORM,
                             changes=INSIDE_CHANGERS, must_change=True),
    "participants:deactivate": Url("/peserta/{participant}/nonaktifkan/", get=expect(405), post=scoped(302),
                                   data={"reason": "moved"}, changes=INSIDE_CHANGERS, must_change=True),
    "participants:nik_check": Url("/peserta/cek-nik/?nik=3311110505900011", get=expect(200)),
    "participants_export": Url("/peserta/ekspor.csv", get=expect(200)),
    "accounts:profile": Url("/profil/", get=expect(200)),
    "accounts:token_create": Url("/profil/token/", get=expect(405), post=expect(302), data={"name": "baru"},
                                 changes=USERS),  # a token of one's own
    "accounts:token_revoke": Url("/profil/token/{token}/cabut/", get=expect(405), changes=(OP_A,), must_change=True,
                                 post=expect(404, **{OP_A: 302})),  # operator A's token: nobody else's to revoke
    "imports:start": Url("/impor/", get=expect(200)),
    "imports:template": Url("/impor/templat.xlsx", get=expect(200)),
    "imports:job": Url("/impor/{job}/", get=own()),
    "imports:apply": Url("/impor/{job}/muat/", get=expect(405), post=own(302), changes=(ADMIN, OP_A),
                         must_change=True),
    "imports:mapping": Url("/impor/{job}/pemetaan/", get=expect(405), post=own(302), changes=(ADMIN, OP_A)),
    "imports:retry": Url("/impor/{job}/ulang/", get=expect(405), post=own(302), changes=(ADMIN, OP_A)),
    "imports:cancel": Url("/impor/{job}/batal/", get=expect(405), post=own(302), changes=(ADMIN, OP_A)),
    "imports:report": Url("/impor/{job}/laporan.xlsx", get=own()),
    "contributions:quote": Url("/iuran/simulasi/", get=expect(200)),
    "region_search": Url("/wilayah/cari/?q=krajan", get=expect(200)),
    "funding:list": Url("/skema/", get=expect(200)),
    "funding:new": Url("/skema/baru/", get=expect(200, **{AGENT: 404})),  # agents do not create schemes
    "funding:detail": Url("/skema/{scheme}/", get=scoped()),
    # the scheme's managers change it: for the agent, who sees it, there is nothing to change (404 as the view says)
    "funding:edit": Url("/skema/{scheme}/ubah/", get=scoped(**{AGENT: 404}), post=scoped(**{AGENT: 404}),
                        data={"name": "Diubah"}, changes=(ADMIN, OP_A)),
    "funding:enrolments": Url("/skema/{scheme}/peserta/", get=scoped()),
    "funding:end": Url("/skema/kepesertaan/{enrolment}/akhiri/", get=scoped(**{AGENT: 404}),
                       post=scoped(302, **{AGENT: 404}), data={"last_month": MONTH, "reason": "moved"},
                       changes=(ADMIN, OP_A), must_change=True),
    # the agent may not enrol: the page says so and nothing is written
    "funding:enrol": Url("/skema/{scheme}/daftarkan/", get=expect(405), post=scoped(302),
                         data={"region": DESA_A}, changes=(ADMIN, OP_A), must_change=True),
    "funding:sheet": Url("/skema/{scheme}/lembar-anggaran/", get=scoped(), ),
    "funding:batch": Url("/skema/daftar/{batch}/", get=own()),  # its creator and the scheme's managers
    "funding:batch_retry": Url("/skema/daftar/{batch}/ulang/", get=expect(405), post=own(302),
                               changes=(ADMIN, OP_A)),
    "funding:batch_cancel": Url("/skema/daftar/{batch}/batal/", get=expect(405), post=own(302),
                                changes=(ADMIN, OP_A)),
    # H6: worklists and statements. A worklist shows each user its own area (the national admin is asked to choose
    # a region first: its export sends it back to the page); the start action and the statements are desa A's.
    "billing:worklist": Url("/tagihan/daftar-kerja/", get=expect(200)),
    "billing:worklist_export": Url("/tagihan/daftar-kerja.xlsx", get=expect(200, **{ADMIN: 302})),
    "billing:worklist_start": Url("/tagihan/daftar-kerja/mulai/{enrolment}/", get=expect(405), post=scoped(302),
                                  changes=(ADMIN, OP_A, AGENT)),
    "billing:statement_participant": Url("/tagihan/peserta/{participant}/rekening/", get=scoped()),
    "billing:statement_participant_export": Url("/tagihan/peserta/{participant}/rekening.xlsx", get=scoped()),
    "billing:statement_scheme": Url("/tagihan/skema/{scheme}/rekening/", get=scoped()),
    "billing:statement_scheme_export": Url("/tagihan/skema/{scheme}/rekening.xlsx", get=scoped()),
    # H5: statement imports (branch officers and national admins; a job is its creator's, here the admin's) and the
    # reconciliation queue (a branch officer's kabupaten: the one here is Klaten's, so desa A's Sukoharjo item is not
    # theirs; other roles have no queue)
    "imports:statement_start": Url("/impor/rekening/", get=expect(404, **{ADMIN: 200, BRANCH: 200})),
    "imports:statement": Url("/impor/rekening/{statement}/", get=expect(404, **{ADMIN: 200})),
    "imports:statement_apply": Url("/impor/rekening/{statement}/catat/", get=expect(405),
                                   post=expect(404, **{ADMIN: 302}), changes=(ADMIN,)),
    "imports:statement_mapping": Url("/impor/rekening/{statement}/pemetaan/", get=expect(405),
                                     post=expect(404, **{ADMIN: 302}), changes=(ADMIN,)),
    "imports:statement_retry": Url("/impor/rekening/{statement}/ulang/", get=expect(405),
                                   post=expect(404, **{ADMIN: 302}), changes=(ADMIN,)),
    "imports:statement_report": Url("/impor/rekening/{statement}/laporan.xlsx", get=expect(404)),  # none written
    "billing:queue": Url("/tagihan/antrean/", get=expect(404, **{ADMIN: 200, BRANCH: 200})),
    "billing:queue_item": Url("/tagihan/antrean/{queue_item}/", get=expect(404, **{ADMIN: 200})),
    "billing:queue_decide": Url("/tagihan/antrean/{queue_item}/putuskan/", get=expect(405),
                                post=expect(404, **{ADMIN: 302}), data={"decision": "reject", "note": "bukan iuran"},
                                changes=(ADMIN,), must_change=True),
    # H2: the monthly billing runs (national admins, and branch offices and district officials, read them; only the
    # national admin starts one: the others' button answers with a message) and the schemes' collective invoices
    "billing:runs": Url("/tagihan/penagihan/", get=expect(404, **{ADMIN: 200, BRANCH: 200, DISTRICT: 200})),
    "billing:run_start": Url("/tagihan/penagihan/jalankan/", get=expect(405),
                             post=expect(404, **{ADMIN: 302, BRANCH: 302, DISTRICT: 302})),
    "billing:run": Url("/tagihan/penagihan/{run}/", get=expect(404, **{ADMIN: 200, BRANCH: 200, DISTRICT: 200})),
    "billing:invoices": Url("/tagihan/kolektif/", get=expect(200)),
    "billing:invoice": Url("/tagihan/kolektif/{invoice}/", get=scoped()),
    "billing:invoice_print": Url("/tagihan/kolektif/{invoice}/cetak/", get=scoped()),
    # H3 payments: a person's payment by who may record it (operator, branch, national admin; not the agent, whose
    # cash is its collection on /agen/penagihan/: 404 with a page saying so); reversing is a branch officer's
    # (national admin here: the branch officer of the world works elsewhere); an invoice is paid by its scheme's
    # managers
    "billing:payment_new": Url("/tagihan/peserta/{participant}/bayar/", get=scoped(**{AGENT: 404}),
                               post=scoped(302, **{AGENT: 404}),
                               data={"amount": "16800", "paid_on": "{today}", "reference": "KW-M", "channel": "bank"},
                               changes=(ADMIN, OP_A), must_change=True),
    "billing:payments": Url("/tagihan/pembayaran/", get=expect(200)),  # a list of what each user may see
    "billing:payment_detail": Url("/tagihan/pembayaran/{payment}/", get=scoped()),
    "billing:payment_reverse": Url("/tagihan/pembayaran/{payment}/batalkan/", get=expect(405),
                                   post=expect(404, **{ADMIN: 302}), data={"reason": "mistake"}, changes=(ADMIN,),
                                   must_change=True),
    "billing:invoice_pay": Url("/tagihan/kolektif/{invoice}/bayar/", get=own(), post=own(302),
                               data={"amount": "16800", "paid_on": "{today}", "reference": "TRF-M",
                                     "channel": "bank"}, changes=(ADMIN, OP_A), must_change=True),
    # the API's own pages: the document is public, the root is no page
    # H1: the worker's own package. Desa A's participant has a scheme for 12 months from this month, so a package
    # starts after it; it has none to change or end (the form says so, nothing changes).
    "billing:package_start": Url("/tagihan/peserta/{participant}/mandiri/mulai/", get=scoped(), post=scoped(302),
                                 data={"programmes": ["JKK", "JKM"], "income": "1000000",
                                       "first_month": "{after_scheme}"}, changes=INSIDE_CHANGERS, must_change=True),
    "billing:package_change": Url("/tagihan/peserta/{participant}/mandiri/ubah/", get=scoped(), post=scoped(),
                                  data={"from_month": "{after_scheme}", "income": "1500000"}),
    "billing:package_end": Url("/tagihan/peserta/{participant}/mandiri/akhiri/", get=scoped(), post=scoped(),
                               data={"last_month": MONTH, "reason": "stopped"}),
    "billing:package_cancel": Url("/tagihan/peserta/{participant}/mandiri/batalkan/", get=scoped(), post=scoped(),
                                  data={"reason": "stopped"}),
    "api:openapi-json": Url("/api/v1/openapi.json", get=expect(200, anonymous=200)),
    "api:openapi-view": Url("/api/v1/docs", get=expect(200, anonymous=200)),
    "api:api-root": Url("/api/v1/", get=expect(404, anonymous=404)),
    "/favicon.ico": Url("/favicon.ico", get=expect(302, anonymous=302)),  # to the icon, for anyone
    # billing, status (H4): the public check of one's own protection, for anyone, telling nothing of the person
    "public_status": Url("/cek-perlindungan/", get=expect(200, anonymous=200), post=expect(200, anonymous=200),
                         data={"nik": "{nik}", "birth_date": "1990-05-05"}),
    # H8: the BPJS cross-check: the upload form for branch officers and national admins; a compared list of desa A's
    # kabupaten (33.11) by the national admin, whom alone it concerns (the world's branch officer works in Klaten)
    "imports:bpjs_start": Url("/impor/bpjs/", get=expect(404, **{ADMIN: 200, BRANCH: 200, DISTRICT: 200})),
    "imports:bpjs_mapping": Url("/impor/bpjs/{bpjs}/pemetaan/", get=expect(405), post=expect(404, **{ADMIN: 302}),
                                data={"mapping_name": "x", "nik": "NIK", "status": "STATUS"}, changes=(ADMIN,)),
    "billing:bpjs_list": Url("/tagihan/bpjs/{bpjs}/", get=expect(404, **{ADMIN: 200})),
    "billing:bpjs_rows": Url("/tagihan/bpjs/{bpjs}/baris/?desa=" + DESA_A, get=expect(404, **{ADMIN: 200})),
    "billing:bpjs_export": Url("/tagihan/bpjs/{bpjs}/perbedaan.xlsx", get=expect(404, **{ADMIN: 200})),
    "billing:bpjs_report": Url("/tagihan/bpjs/{bpjs}/laporan.xlsx", get=expect(404, **{ADMIN: 200})),
    # H2 coverage targets: desa A's target is seen by who works there; set by its operator and the national admin
    # (the agent sees it without the form: a POST from it answers 404)
    "coverage:targets": Url("/cakupan/target/", get=expect(200)),
    "coverage:region_targets": Url(f"/cakupan/target/{DESA_A}/", get=scoped(), post=scoped(302, **{AGENT: 404}),
                                   data={"year": "{today:.4}", "count": "10"}, changes=(ADMIN, OP_A),
                                   must_change=True),
    "coverage:target_history": Url("/cakupan/target/riwayat/{target}/", get=scoped()),
    # H2 denominators: as the targets; the import page with no file sent asks for one and loads nothing
    "coverage:denominators": Url("/cakupan/penduduk-bekerja/", get=expect(200)),
    "coverage:denominator_import": Url("/cakupan/penduduk-bekerja/impor/", get=expect(200), post=expect(200)),
    "coverage:region_denominators": Url(f"/cakupan/penduduk-bekerja/{DESA_A}/", get=scoped(),
                                        post=scoped(302, **{AGENT: 404}), changes=(ADMIN, OP_A), must_change=True,
                                        data={"year": "{today:.4}", "count": "2500", "source": "village_count"}),
    # H3 outreach events: every organiser role records events, each within its own area (an event in desa A from
    # outside: the form again with the region refused, nothing written); desa A's event is seen and changed by who
    # works there
    "coverage:events": Url("/cakupan/sosialisasi/", get=expect(200)),
    "coverage:event_new": Url("/cakupan/sosialisasi/baru/", get=expect(200), post=scoped(302, outside=200),
                              data=EVENT_FORM, changes=(ADMIN, OP_A, AGENT), must_change=True),
    "coverage:event": Url("/cakupan/sosialisasi/{event}/", get=scoped()),
    # prospects (issue 13 item 5): a desa's unprotected working-age residents, for who works in the desa (404 outside)
    "coverage:prospects": Url(f"/cakupan/prospek/?desa={DESA_A}", get=scoped()),
    "coverage:prospects_export": Url(f"/cakupan/prospek/ekspor.xlsx?desa={DESA_A}", get=scoped()),
    "coverage:event_edit": Url("/cakupan/sosialisasi/{event}/ubah/", get=scoped(), post=scoped(302),
                               data={**EVENT_FORM, "attendance": "12"}, changes=(ADMIN, OP_A, AGENT),
                               must_change=True),
    # the coverage dashboard: /cakupan/ sends each user to their region's page (the agent, with two desa, chooses);
    # desa A's figures, report and workbook for who works there (404 outside)
    "coverage:dashboard_home": Url("/cakupan/", get=expect(302, **{AGENT: 200})),
    "coverage:dashboard": Url(f"/cakupan/wilayah/{DESA_A}/", get=scoped()),
    "coverage:dashboard_print": Url(f"/cakupan/wilayah/{DESA_A}/cetak/", get=scoped()),
    "coverage:dashboard_export": Url(f"/cakupan/wilayah/{DESA_A}/ekspor.xlsx", get=scoped()),
    # snapshot refreshes: everyone sees the list and a refresh; only the national admin starts one
    "coverage:refreshes": Url("/cakupan/potret/", get=expect(200)),
    "coverage:refresh_start": Url("/cakupan/potret/perbarui/", get=expect(405), post=expect(403, **{ADMIN: 302}),
                                  changes=(ADMIN,)),
    "coverage:refresh": Url("/cakupan/potret/{refresh}/", get=expect(200)),
    # the public coverage pages: no login, aggregates only
    "coverage:public": Url("/cakupan/publik/", get=expect(200, anonymous=200)),
    "coverage:public_province": Url("/cakupan/publik/33/", get=expect(200, anonymous=200)),
    # issue 14 H-A: wadah and agents. The world's agent is the agent of a Sukoharjo wadah (desa A's kabupaten) whose
    # PKS is in force; the branch officer here works in Klaten: 404 for that wadah (its list is empty). District
    # officials and village operators have no agents' pages (404). The agent sees its wadah and itself, and changes
    # neither; the national admin records and changes (the Klaten branch's new wadah in Sukoharjo: the form again).
    "agents:agents": Url("/agen/", get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "agents:wadah_list": Url("/agen/wadah/", get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "agents:wadah_new": Url("/agen/wadah/baru/", get=expect(404, **{ADMIN: 200, BRANCH: 200}),
                            post=expect(404, **{ADMIN: 302, BRANCH: 200}), data=WADAH_FORM, changes=(ADMIN,),
                            must_change=True),
    "agents:wadah": Url("/agen/wadah/{wadah}/", get=expect(404, **{ADMIN: 200, AGENT: 200})),
    "agents:wadah_edit": Url("/agen/wadah/{wadah}/ubah/", get=expect(404, **{ADMIN: 200}),
                             post=expect(404, **{ADMIN: 302}), data={**WADAH_FORM, "pks_number": "PKS/MATRIKS/2"},
                             changes=(ADMIN,), must_change=True),
    "agents:agent_new": Url("/agen/wadah/{wadah}/agen-baru/", get=expect(404, **{ADMIN: 200}),
                            post=expect(404, **{ADMIN: 302}), data=AGENT_FORM, changes=(ADMIN,), must_change=True),
    "agents:agent": Url("/agen/{agent}/", get=expect(404, **{ADMIN: 200, AGENT: 200})),
    "agents:agent_edit": Url("/agen/{agent}/ubah/", get=expect(404, **{ADMIN: 200}), post=expect(404, **{ADMIN: 302}),
                             data={key: value for key, value in AGENT_FORM.items()
                                   if key not in ("nik", "username", "password")}, changes=(ADMIN,),
                             must_change=True),
    "agents:agent_deactivate": Url("/agen/{agent}/nonaktifkan/", get=expect(405), post=expect(404, **{ADMIN: 302}),
                                   data={"reason": "manual", "note": "uji matriks"}, changes=(ADMIN,),
                                   must_change=True),
    # the agent is active: the national admin's reactivation answers with a message and changes nothing
    "agents:agent_reactivate": Url("/agen/{agent}/aktifkan/", get=expect(405), post=expect(404, **{ADMIN: 302})),
    "agents:rules": Url("/agen/aturan/", get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200}),
                        post=expect(404, **{ADMIN: 302}), changes=(ADMIN,), must_change=True,
                        data={"valid_from": "{today}", "source": "Uji matriks", "min_active_agents": "5",
                              "idle_months": "3", "reactivate_after_months": "6", "pks_max_months": "12",
                              "deposit_due_days": "2"}),
    # H-E the agents' ranking of a kabupaten: the national admin any, a branch officer its own (Klaten's is not
    # Sukoharjo), a wadah manager its wadah's; everyone else (an agent too) meets 404
    "agents:rankings": Url("/agen/peringkat/?kab=33.11", get=expect(404, **{ADMIN: 200})),
    "agents:rankings_export": Url("/agen/peringkat/ekspor.xlsx?kab=33.11", get=expect(404, **{ADMIN: 200})),
    # issue 14 H-D: the agent's field app (404 for every other role); a form posted without JavaScript is stored
    # as the phone's submission would be (the matrix's agent has no wadah: refused, and the refusal is kept)
    "agents:field_home": Url("/agen/lapangan/", get=expect(404, **{AGENT: 200})),
    "agents:field_register": Url("/agen/lapangan/daftar/", get=expect(404, **{AGENT: 200}),
                                 post=expect(404, **{AGENT: 302}), data={**NEW_FORM, "client_token": "matrix-reg-1"},
                                 changes=(AGENT,), must_change=True),
    "agents:field_collect": Url("/agen/lapangan/tagih/", get=expect(404, **{AGENT: 200}),
                                post=expect(404, **{AGENT: 302}), changes=(AGENT,), must_change=True,
                                data={"nik": "{nik}", "months": "1", "collected_on": "{today}",
                                      "client_token": "matrix-col-1"}),
    "agents:field_outbox": Url("/agen/lapangan/kiriman/", get=expect(404, **{AGENT: 200})),
    "agents:field_sw": Url("/agen/lapangan/sw.js", get=expect(404, **{AGENT: 200})),
    "agents:field_manifest": Url("/agen/lapangan/manifest.webmanifest", get=expect(200, anonymous=200)),
    # issue 14 H-B: the cash pages are for agents (their own), wadah managers and branch officers (their agents') and
    # national admins; anyone else meets 404. Desa A's participant has no package of its own: the agent's collection
    # is refused on the form (200, nothing written). No collection exists in this world: every receipt answers 404.
    "agents:collections": Url("/agen/penagihan/", get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200}),
                              post=expect(404, **{AGENT: 200}),
                              data={"nik": "{nik}", "months": "1", "token": "matrix-cash-1"}),
    "agents:receipt": Url("/agen/kuitansi/KW-3311-000000-00001/", get=expect(404)),
    "agents:cash_in_transit": Url("/agen/uang-belum-disetor/",
                                  get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "agents:cash_export": Url("/agen/uang-belum-disetor/ekspor.xlsx",
                              get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    # issue 14 H-C incentives: national admins and branch officers run them (a run of this month is refused and the
    # page says so: nothing is written); the runs' list is also for agents and wadah managers (their statements);
    # a statement is read by who sees the agent or wadah (agents.access): the world's agent its own and its wadah's
    # (not the wadah's export, which lists every agent's participants); the rules are the national admin's
    "agents:incentive_runs": Url("/agen/insentif/", get=expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "agents:incentive_run_start": Url("/agen/insentif/jalankan/", get=expect(405),
                                      post=expect(404, **{ADMIN: 302, BRANCH: 302}), data={"month": MONTH}),
    "agents:incentive_run": Url("/agen/insentif/{incentive_run}/", get=expect(404, **{ADMIN: 200, BRANCH: 200})),
    "agents:incentive_rules": Url("/agen/insentif/aturan/", get=expect(404, **{ADMIN: 200}),
                                  post=expect(404, **{ADMIN: 302}), changes=(ADMIN,), must_change=True,
                                  data={"valid_from": MONTH, "fee_three": "15000", "fee_two": "10000",
                                        "min_new": "25", "share_1_24_bp": "1500", "share_25_60_bp": "500",
                                        "wadah_bp": "1000", "source": "SK uji"}),
    "agents:incentive_agent": Url("/agen/{agent}/insentif/{month}/", get=expect(404, **{ADMIN: 200, AGENT: 200})),
    "agents:incentive_agent_export": Url("/agen/{agent}/insentif/{month}.xlsx",
                                         get=expect(404, **{ADMIN: 200, AGENT: 200})),
    "agents:incentive_wadah": Url("/agen/wadah/{wadah}/insentif/{month}/",
                                  get=expect(404, **{ADMIN: 200, AGENT: 200})),
    "agents:incentive_wadah_export": Url("/agen/wadah/{wadah}/insentif/{month}.xlsx",
                                         get=expect(404, **{ADMIN: 200})),
    # issue 15 claims (claims.access): desa A's claim (reported, complete) is seen by who sees desa A (404 outside);
    # every reader role has the list, the calculator and the overdue list (each its own rows). Events are reported by
    # operators, agents, branch officers and national admins (a district official: 404); reporting desa A's first
    # participant from outside answers the form again (the NIK is not found there), inside records the death (refused:
    # no paid month). Heirs and documents are gathered by who reports. Preparing, deciding and paying are for branch
    # officers and national admins: for operator A and the agent the button answers with a message on the claim page
    # and nothing changes; on a reported claim the national admin prepares or rejects it, and approving or paying is
    # refused with a message. The printed decision exists once a claim is prepared (404 before).
    "claims:quote": Url(f"/klaim/hitung/?nik={CLAIMANT_NIK}&kind=jkm&on={{today}}", get=expect(200),
                        echoes=(CLAIMANT_NIK,)),
    "claims:list": Url("/klaim/", get=expect(200)),
    "claims:report": Url("/klaim/lapor/", get=expect(200, **{DISTRICT: 404}),
                         post=expect(302, **{BRANCH: 200, OP_B: 200, DISTRICT: 404}), data=REPORT_FORM,
                         changes=INSIDE_CHANGERS, must_change=True, echoes=("3311110505900003",)),
    "claims:claim": Url("/klaim/{claim}/", get=scoped()),
    "claims:heir_new": Url("/klaim/{claim}/ahli-waris/baru/", get=scoped(), post=scoped(302), data=NEW_HEIR,
                           changes=INSIDE_CHANGERS, must_change=True),
    "claims:heir_edit": Url("/klaim/{claim}/ahli-waris/{claim_heir}/", get=scoped(), post=scoped(302),
                            data=HEIR_EDIT, changes=INSIDE_CHANGERS, must_change=True),
    "claims:document_add": Url("/klaim/{claim}/dokumen/", get=expect(405), post=scoped(302),
                               data={"kind": "police_report", "seen": "on"}, changes=INSIDE_CHANGERS,
                               must_change=True),
    # a scan (the KPJ photo operator A uploaded) opens to the claim's processors and its uploader only
    "claims:document_file": Url("/klaim/{claim}/dokumen/{claim_document}/", get=scoped(**{AGENT: 404})),
    "claims:document_withdraw": Url("/klaim/{claim}/dokumen/{claim_document}/tarik/", get=expect(405),
                                    post=scoped(302), data={"note": "salah berkas"}, changes=INSIDE_CHANGERS,
                                    must_change=True),
    "claims:overdue": Url("/klaim/terlambat/", get=expect(200)),
    "claims:dashboard": Url(f"/klaim/dasbor/?wilayah={DESA_A}", get=scoped()),
    "claims:prepare": Url("/klaim/{claim}/siapkan/", get=expect(405), post=scoped(302), changes=(ADMIN,),
                          must_change=True),
    "claims:approve": Url("/klaim/{claim}/setujui/", get=expect(405), post=scoped(302)),
    # a held claim is looked at again by who processes claims; desa A's claim is reported, not held: a message
    "claims:recheck": Url("/klaim/{claim}/periksa-tunggakan/", get=expect(405), post=scoped(302)),
    "claims:reject": Url("/klaim/{claim}/tolak/", get=expect(405), post=scoped(302),
                         data={"code": "other", "note": "uji matriks"}, changes=(ADMIN,), must_change=True),
    "claims:pay": Url("/klaim/{claim}/bayar/{claim_heir}/", get=expect(405), post=scoped(302),
                      data={"paid_on": "{today}", "reference": "TRF-KLAIM-M"}),
    "claims:decision_print": Url("/klaim/{claim}/putusan/", get=expect(404)),
    # scholarships (claims.scholarships): desa A's claim is not yet approved, so a proposal, an approval or a payment
    # is refused with a message on the claim page (302) for the national admin; operator A and the agent are refused
    # (not processors); the world's proposal (by operator A) is rejected by the national admin
    "claims:scholarship_propose": Url("/klaim/{claim}/beasiswa/", get=expect(405), post=scoped(302),
                                      data={"child": "{claim_heir}", "year": "{year}", "level": "smp"}),
    "claims:scholarship_approve": Url("/klaim/{claim}/beasiswa/{scholarship}/setujui/", get=expect(405),
                                      post=scoped(302)),
    "claims:scholarship_reject": Url("/klaim/{claim}/beasiswa/{scholarship}/tolak/", get=expect(405),
                                     post=scoped(302), data={"note": "uji matriks"}, changes=(ADMIN,),
                                     must_change=True),
    "claims:scholarship_pay": Url("/klaim/{claim}/beasiswa/{scholarship}/bayar/", get=expect(405),
                                  post=scoped(302), data={"paid_on": "{today}", "reference": "TRF-BEA-M"}),
}
# The admin site (reference data) is for staff: the national admin. Every admin URL name is covered by this
# one rule; its index and every model's list are asked.
ADMIN_SITE = expect(LOGIN, **{ADMIN: 200})


def route_key(name: str, route: str) -> str:
    return name or "/" + route


def site_urls():
    """(key, route) of every URL pattern: its namespaced name, or '/route' when it has none."""
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or ""
                yield route_key(name, prefix + str(pattern.pattern)), prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


# --- The world: desa A's objects, the demo's roles ----------------------------------------------------------

CSV = (b"nik;nama;tanggal_lahir;jenis_kelamin\n3311110707900001;Budi Santoso;07-07-1990;L\n"
       b"3311113102900001;Salah;31-02-1990;L\n")  # a wrong row, so that the job has its report


def user(username: str, role: str, regions=(), **flags) -> User:
    """A user logged in with force_login: no password to hash (argon2 is slow by design, seven times a test)."""
    made = User.objects.create(username=username, role=role, **flags)
    made.regions.set(regions)
    return made


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    users = {
        ADMIN: user("admin", Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True),  # as the demo's national admin
        BRANCH: user("cabang.klaten", Role.BRANCH_OFFICER, ["33.10"]),  # Klaten: not desa A's Sukoharjo
        DISTRICT: user("pemkab.gianyar", Role.DISTRICT_OFFICIAL, ["51.04"]),
        OP_A: user("operator.krajan", Role.VILLAGE_OPERATOR, [DESA_A]),
        OP_B: user("operator.sanggung", Role.VILLAGE_OPERATOR, [DESA_B]),
        AGENT: user("agen.krajan", Role.PERISAI_AGENT, [DESA_A, DESA_B]),
    }
    op_a = users[OP_A]
    participant = services.participant_register(actor=op_a, data=person(), heirs=[
        {"name": "Sri Wahyuni", "relation": "spouse"}])
    start = clock.this_month()
    scheme = scheme_create(actor=op_a, data=SchemeData(
        name="Perlindungan Ketua RT Krajan", payer_type="apbdes", apbdes_source="add", payer_name="Pemdes Krajan",
        owner_code=DESA_A, legal_basis_number="Perdes Krajan 2/2026", legal_basis_date=start,
        start_month=start, end_month=add_months(start, 11), budget_ceiling=30_000_000, village_roles=("rt_head",)))
    batch = enrolment_batch_run(actor=op_a, scheme=scheme, selection=EnrolmentSelection(
        participants=Participant.objects.filter(pk=participant.pk), description="uji"))
    enrolment = Enrolment.objects.get(batch=batch)
    uploader = Client()
    uploader.force_login(op_a)
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = uploader.post("/impor/", {"file": SimpleUploadedFile("desa.csv", CSV), "desa": DESA_A,
                                             "format": "auto", "all_or_nothing": "0"})
    assert uploaded.status_code == 302
    job = ImportJob.objects.get()
    token, _raw = ApiToken.issue(user=op_a, name="laptop desa")
    objects = {"participant": participant.pk, "nik": participant.nik, "scheme": scheme.pk,
               "enrolment": enrolment.pk, "batch": batch.pk, "job": job.pk, "token": token.pk,
               "month": f"{start:%Y-%m}", "after_scheme": f"{add_months(start, 12):%Y-%m}"}
    objects.update(_billed(users[ADMIN], start))  # H2: this month's run and desa A's scheme's invoice
    objects.update(_statement_and_queue_item(users[ADMIN]))  # H5: a statement import, a queued payment
    objects.update(_bpjs_list(users[ADMIN], participant))  # H8: a compared BPJS list of Sukoharjo
    objects.update(_paid(users[ADMIN], op_a, participant, enrolment, objects))  # H3: payments, a reversed one
    objects.update(_coverage_target(users[ADMIN]))  # H2: desa A's target for this year
    objects.update(_outreach_event(op_a))  # H3: an outreach event in desa A
    objects.update(_coverage_snapshot(users[ADMIN]))  # today's coverage snapshot, written by a finished refresh job
    objects.update(_wadah_and_agent(users[AGENT]))  # issue 14 H-A: the agent of a wadah whose PKS is in force
    objects.update(_incentive_run(objects))  # issue 14 H-C: last month's incentive run, done
    objects.update(_claim(op_a))  # issue 15: a JKM claim of desa A's participant, reported and complete
    return users, objects


def _claim(op_a) -> dict:
    """Issue 15: a second worker of desa A, Parjo Wiyono, whose own package is paid for this month, died today; his
    operator reports it (claims.services.report_claim), adds the widow as heir with her NIK and account, and every
    document of the checklist: seen in the original, and the KPJ uploaded as a photo (so that a stored file can be
    asked for). The file is complete: ready to prepare. (Desa A's first participant has no paid month yet: his claim
    would be recorded as refused.)"""
    from datetime import date

    from jamsosdesa.claims.documents import add_document, checklist
    from jamsosdesa.claims.heirs import HeirRequest, heir_set
    from jamsosdesa.claims.models import ClaimStatus
    from jamsosdesa.claims.services import ReportRequest, report_claim
    from tests.billing.status_fixtures import history

    worker = services.participant_register(actor=op_a, data=person(
        nik=CLAIMANT_NIK, full_name="Parjo Wiyono", birth_date=date(1985, 8, 8), phone="081234500001"), heirs=[])
    history(worker, paid=[clock.this_month()])
    claim = report_claim(op_a, ReportRequest(nik=CLAIMANT_NIK, kind="jkm", event_date=clock.today(),
                                             event_place="Krajan"))
    assert claim.status == ClaimStatus.REPORTED, claim.eligibility
    heir = heir_set(op_a, claim, HeirRequest(name="Sri Wahyuni", relation="spouse", nik=HEIR_NIK, bank_name="BRI",
                                             account_number=HEIR_ACCOUNT))
    photo = SimpleUploadedFile("kpj.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    uploaded = add_document(op_a, claim, "kpj", upload=photo)
    for item in checklist(claim):  # the heir's e-KTP and bank book are the heir's own items
        if item.required and not item.done:
            add_document(op_a, claim, item.kind, seen_in_original=True, heir_id=item.heir.pk if item.heir else None)
    claim.refresh_from_db()
    assert claim.complete_at is not None
    from jamsosdesa.claims.models import ScholarshipGrant

    # a scholarship proposal on it (written as a row: the service proposes only on an approved claim)
    grant = ScholarshipGrant.objects.create(claim=claim, child=heir, year=clock.today().year, level="smp",
                                            amount=2_000_000, proposed_by=op_a)
    return {"claim": claim.number, "claim_heir": heir.pk, "claim_document": uploaded.pk, "scholarship": grant.pk,
            "year": clock.today().year}


def _incentive_run(objects) -> dict:
    """Issue 14 H-C: a finished incentive run of last month (the row written directly; the run has its tests)."""
    from jamsosdesa.agents.models import IncentiveRun

    run = IncentiveRun.objects.create(month=add_months(clock.this_month(), -1), status="done")
    return {"incentive_run": run.pk}


def _wadah_and_agent(agent_user) -> dict:
    """Issue 14 H-A: as in the demo, the agent is the agent of a Sukoharjo wadah whose PKS is in force (a user with
    the agent role and no wadah may not register, start a package or collect). Rows written directly."""
    from tests.agents.wadah.factories import record_agent

    agent = record_agent(agent_user)
    return {"wadah": agent.wadah_id, "agent": agent.pk}


def _billed(admin, month) -> dict:
    from jamsosdesa.billing.models import Invoice
    from jamsosdesa.billing.services.run import billing_run

    run = billing_run(actor=admin, month=month)
    return {"run": run.pk, "invoice": Invoice.objects.get(run=run).pk}


def _statement_and_queue_item(admin):
    """A previewed statement import of the admin's, and a payment queued in desa A's kabupaten (rows written
    directly: their services have their own tests)."""
    from jamsosdesa.billing.models import Payment, ReconciliationItem
    from jamsosdesa.imports.models import StatementImport

    statement = StatementImport.objects.create(created_by=admin, file_name="bank.sta", status="done", dry_run=True,
                                               summary={"counts": {"person": 1}})
    payment = Payment.objects.create(channel="bank", source="mt940", external_reference="ANTRE-1", request_hash="-",
                                     amount=16800, paid_on=clock.today(), target_kind="none", kab_code="33.11")
    item = ReconciliationItem.objects.create(payment=payment, reason="unknown_nik", kab_code="33.11",
                                             raw={"text": "IURAN 3311110101800099"})
    return {"statement": statement.pk, "queue_item": item.pk}


def _bpjs_list(admin, participant) -> dict:
    """H8: a BPJS list naming the participant, and a row that cannot be read (so that the list has its report)."""
    import os
    import tempfile

    from jamsosdesa.imports.bpjs_import import bpjs_compare_now

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(f"NIK;STATUS KEPESERTAAN\n{participant.nik};AKTIF\n123;AKTIF\n")
    try:
        return {"bpjs": bpjs_compare_now(actor=admin, path=f.name, region_code="33.11").pk}
    finally:
        os.unlink(f.name)


def _paid(admin, op_a, participant, enrolment, objects) -> dict:
    """H3: a payment for the participant (all credit: no self-paid dues), a reversed one, and (until the billing
    run gives one) an invoice of the participant's scheme to pay."""
    from jamsosdesa.billing.services.reversals import payment_reverse
    from tests.billing.payment_fixtures import due, invoice, pay

    paid = pay(op_a, nik=participant.nik, amount=16_800, reference="KW-WORLD")
    undone = pay(op_a, nik=participant.nik, amount=8_400, reference="KW-UNDONE")
    reversal = payment_reverse(actor=admin, payment=undone.payment, reason="mistake")
    found = {"payment": paid.payment.pk, "reversal": reversal.pk, "today": clock.today().isoformat()}
    if "invoice" not in objects:
        month = clock.this_month()
        found["invoice"] = invoice(enrolment.scheme, month, [due(participant, month, enrolment=enrolment)]).pk
    return found


def _coverage_target(admin) -> dict:
    """H2: desa A's coverage target for this year, set by the national admin."""
    from jamsosdesa.coverage.targets import TargetRequest, target_set

    target, _changed = target_set(actor=admin, request=TargetRequest(region=DESA_A, year=clock.today().year,
                                                                     count=100))
    return {"target": target.pk}


def _coverage_snapshot(admin) -> dict:
    """Today's coverage snapshot, written through the refresh job by the national admin (the dashboard and the
    public page read it)."""
    from jamsosdesa.coverage.refresh import refresh_run

    return {"refresh": refresh_run(actor=admin).pk}


def _outreach_event(op_a) -> dict:
    """H3: an outreach event held in desa A, recorded by its operator."""
    from jamsosdesa.coverage.event_services import OutreachEventData, outreach_event_create

    event = outreach_event_create(actor=op_a, data=OutreachEventData(
        title="Sosialisasi di Balai Desa Krajan", held_on=clock.today(), region=DESA_A,
        audience=["village_officials"], attendance=20))
    return {"event": event.pk, "event_code": event.code}


def the_world() -> dict:
    """What a request may change: every row of the registry, the schemes, the imports and the audit trail."""
    from jamsosdesa.claims.models import Claim, ClaimDocument, ClaimHeir, ClaimPayment, ScholarshipGrant

    tables = (Participant, Heir, Scheme, Enrolment, EnrolmentBatch, Candidate, ImportJob, AuditEvent, Claim, ClaimHeir,
              ClaimDocument, ClaimPayment, ScholarshipGrant)
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}
    # Reading a statement's printable page is recorded in the trail (who read which statement): not a change.
    state["AuditEvent"] = [e for e in state["AuditEvent"] if e["event_type"] != AuditEventType.STATEMENT_PRINTED]
    state["ApiToken"] = list(ApiToken.objects.order_by("pk").values("pk", "user_id", "revoked_at"))
    return state


def clients(users) -> dict[str, Client]:
    made = {ANON: Client()}
    for role, user in users.items():
        made[role] = Client()
        made[role].force_login(user)
    return made


def answer_of(response, *, admin_site=False):
    if response.status_code == 302:
        login = "/admin/login/" if admin_site else "/masuk/"
        if response["Location"].startswith(login):
            return LOGIN
    return response.status_code


def ask(client, method, path, data=None):
    """One request in a transaction rolled back after it: the answer, and whether it changed the world."""
    with transaction.atomic():
        before = the_world()
        response = getattr(client, method)(path, data or {})
        changed = the_world() != before
        transaction.set_rollback(True)
    return response, changed


# What desa A's objects say of themselves: who is outside desa A's regions never reads any of it.
SECRETS = ("Sugeng Riyadi", "3311110505900003", "Perlindungan Ketua RT Krajan", "Budi Santoso",
           "Parjo Wiyono", CLAIMANT_NIK, HEIR_NIK, HEIR_ACCOUNT)  # issue 15: the claimant, his heir and her account


def assert_tells_nothing_of_desa_a(response, where: str, echoes=()) -> None:
    """`echoes`: what the request itself sent (a typed NIK, repeated on the form or in the message), not told."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    told = [secret for secret in SECRETS if secret in text and secret not in echoes]
    assert told == [], f"{where} shows {told}"


def filled(text, objects):
    return text.format(**objects) if isinstance(text, str) else text


# --- Pages ----------------------------------------------------------------------------------------------------

def test_every_url_of_the_site_is_in_the_matrix():
    """A new page (or API route) without its row in PAGES (or API below) fails here: add it with its answers."""
    operations = {key.split()[1] for key in API}
    keys = set()
    for key, route in site_urls():
        if route.startswith("admin/"):
            continue  # the admin site: one rule (ADMIN_SITE) for all of it
        if "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in operations:  # <claimno:number> is {number}
            continue  # an API operation: its row is in API
        keys.add(key)
    assert sorted(keys - set(PAGES)) == []
    assert sorted(set(PAGES) - keys) == []  # and no row for a URL that is gone


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role_meets_what_the_rules_say_on_each_page(world, name):
    users, objects = world
    url = PAGES[name]
    browser = clients(users)
    path = url.path.format(**objects)
    found, expected = {}, {}
    for role in ROLES:
        response, changed = ask(browser[role], "get", path)
        assert response.status_code < 500, (name, role)
        assert not changed, f"GET {path} as {role} changed data"
        if role in (ANON, *OUTSIDE):
            assert_tells_nothing_of_desa_a(response, f"GET {path} as {role}", echoes=url.echoes)
        found[role], expected[role] = answer_of(response), url.get[role]
    assert found == expected, name
    if url.post is None:
        return
    data = {key: filled(value, objects) for key, value in url.data.items()}
    found, changes = {}, {}
    for role in ROLES:
        response, changed = ask(browser[role], "post", path, data)
        assert response.status_code < 500, (name, role)
        if role in (ANON, *OUTSIDE):
            assert_tells_nothing_of_desa_a(response, f"POST {path} as {role}", echoes=url.echoes)
        found[role] = answer_of(response)
        if changed:
            changes[role] = True
    assert found == url.post, name
    unexpected = sorted(set(changes) - set(url.changes))
    assert unexpected == [], f"POST {path} changed data as {unexpected}"
    # and the change is real for those allowed to make it (so that 'nothing changed' above says something)
    if url.must_change:
        assert changes, f"POST {path} changed nothing for anyone: the matrix's form data is wrong"


def test_the_admin_site_is_for_the_national_admin_only(world):
    users, _objects = world
    browser = clients(users)
    lists = [route for key, route in site_urls() if key.endswith("_changelist")]
    assert len(lists) >= 10
    for route in ["admin/", *lists]:
        found = {role: answer_of(browser[role].get("/" + route), admin_site=True) for role in ROLES}
        assert found == ADMIN_SITE, route


def test_a_page_outside_the_users_area_answers_404_without_naming_the_person(world):
    users, objects = world
    browser = clients(users)
    for role in OUTSIDE:
        for path in ("/peserta/{participant}/", "/peserta/{participant}/ubah/",
                     "/skema/kepesertaan/{enrolment}/akhiri/"):
            response = browser[role].get(path.format(**objects))
            assert response.status_code == 404 and b"Sugeng" not in response.content, (role, path)


# --- The API ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Op:
    path: str
    expected: dict  # role -> status; anonymous is always 401
    body: dict | None = None
    changes: tuple = ()
    echoes: tuple = ()  # as Url.echoes
    multipart: bool = False  # the body is sent as a form (multipart), not JSON


NEW_PERSON = {"nik": "3311110606900001", "full_name": "Joko Susilo", "birth_date": "1990-06-06", "sex": "L",
              "desa": DESA_A, "confirm_warnings": True}
NEW_SCHEME = {"name": "Skema Baru Krajan", "payer_type": "apbdes", "apbdes_source": "add", "owner_code": DESA_A,
              "legal_basis_number": "Perdes 3/2026", "legal_basis_date": "2026-01-01", "start_month": MONTH,
              "end_month": MONTH, "budget_ceiling": 1_000_000}


def api_expect(users, **by_role) -> dict:
    return expect(users, anonymous=401, **by_role)


def api_scoped(inside=200, **by_role) -> dict:
    return api_expect(inside, **dict.fromkeys(OUTSIDE, 404), **by_role)


API = {
    "GET /api/v1/regions": Op("/regions?q=krajan", api_expect(200)),
    "GET /api/v1/regions/{code}": Op(f"/regions/{DESA_A}", api_expect(200)),  # reference data, for everyone
    "GET /api/v1/contributions/quote": Op("/contributions/quote?segment=BPU&income=1000000", api_expect(200)),
    "GET /api/v1/schemes": Op("/schemes", api_expect(200)),
    # a scheme owned by desa A: only who works there creates it (422: the owner region is not theirs)
    "POST /api/v1/schemes": Op("/schemes", api_expect(422, **{ADMIN: 201, OP_A: 201, AGENT: 403}), NEW_SCHEME,
                               changes=(ADMIN, OP_A)),
    "GET /api/v1/schemes/{pk}": Op("/schemes/{scheme}", api_scoped()),
    "GET /api/v1/schemes/{pk}/budget": Op("/schemes/{scheme}/budget", api_scoped()),
    "GET /api/v1/schemes/{pk}/enrolments": Op("/schemes/{scheme}/enrolments", api_scoped()),
    "POST /api/v1/schemes/{pk}/enrolments": Op("/schemes/{scheme}/enrolments", api_scoped(201, **{AGENT: 403}),
                                               {"niks": ["{nik}"]}, changes=(ADMIN, OP_A)),
    "POST /api/v1/enrolments/{pk}/end": Op("/enrolments/{enrolment}/end", api_scoped(**{AGENT: 404}),
                                           {"last_month": MONTH, "reason": "moved"}, changes=(ADMIN, OP_A)),
    "GET /api/v1/nik/check": Op("/nik/check?nik=3311110505900011", api_expect(200)),
    # registering in desa A from outside: refused as an input (the desa is not theirs), nothing written
    "POST /api/v1/participants": Op("/participants", api_expect(201, **dict.fromkeys(OUTSIDE, 422)), NEW_PERSON,
                                    changes=INSIDE_CHANGERS),
    "GET /api/v1/participants": Op("/participants", api_expect(200)),
    "GET /api/v1/participants/{nik}": Op("/participants/{nik}", api_scoped()),
    "PATCH /api/v1/participants/{nik}": Op("/participants/{nik}", api_scoped(), {"phone": "0877000111"},
                                           changes=INSIDE_CHANGERS),
    "POST /api/v1/participants/{nik}/deactivate": Op("/participants/{nik}/deactivate", api_scoped(),
                                                     {"reason": "moved"}, changes=INSIDE_CHANGERS),
    # the worker's own package (H1): none yet to change or end (409 no_package inside, 404 outside)
    "GET /api/v1/participants/{pk}/membership": Op("/participants/{participant}/membership", api_scoped()),
    "POST /api/v1/participants/{pk}/membership": Op(
        "/participants/{participant}/membership", api_scoped(201),
        {"programmes": ["JKK", "JKM"], "income": 1_000_000, "first_month": "{after_scheme}"}, changes=INSIDE_CHANGERS),
    "POST /api/v1/participants/{pk}/membership/change": Op(
        "/participants/{participant}/membership/change", api_scoped(409),
        {"from_month": "{after_scheme}", "income": 1_500_000}),
    "POST /api/v1/participants/{pk}/membership/end": Op(
        "/participants/{participant}/membership/end", api_scoped(409), {"last_month": MONTH, "reason": "stopped"}),
    "POST /api/v1/participants/{pk}/membership/cancel": Op(
        "/participants/{participant}/membership/cancel", api_scoped(409), {"reason": "stopped"}),
    # billing, status (H4)
    "GET /api/v1/participants/{pk}/status": Op("/participants/{participant}/status", api_scoped()),
    # H8: a compared BPJS list of Sukoharjo, the national admin's (see the pages)
    "GET /api/v1/bpjs-lists/{pk}": Op("/bpjs-lists/{bpjs}", api_expect(404, **{ADMIN: 200})),
    # the monthly billing run (H2): only the national admin starts one; runs are read by who reads the runs' pages;
    # an invoice by who sees its scheme
    "POST /api/v1/billing/runs": Op("/billing/runs", api_expect(403, **{ADMIN: 201}), {"month": MONTH}),
    "GET /api/v1/billing/runs/{pk}": Op("/billing/runs/{run}", api_expect(404, **{ADMIN: 200, BRANCH: 200,
                                                                                  DISTRICT: 200})),
    "GET /api/v1/invoices": Op("/invoices", api_expect(200)),
    "GET /api/v1/invoices/{pk}": Op("/invoices/{invoice}", api_scoped()),
    # H3 payments (see the pages above); a reversal is never reversed (409 for who sees it)
    "POST /api/v1/payments": Op("/payments", api_scoped(201, **{AGENT: 403}),  # the agent's cash: its collection
                                {"nik": "{nik}", "amount": 16_800, "paid_on": "{today}", "reference": "KW-API",
                                 "channel": "bank"},
                                changes=(ADMIN, OP_A)),
    "GET /api/v1/payments": Op("/payments", api_expect(200)),
    "GET /api/v1/payments/{pk}": Op("/payments/{payment}", api_scoped()),
    "POST /api/v1/payments/{pk}/reverse": Op("/payments/{payment}/reverse", api_scoped(403, **{ADMIN: 200}),
                                             {"reason": "mistake"}, changes=(ADMIN,)),
    "POST /api/v1/reversals/{pk}/reverse": Op("/reversals/{reversal}/reverse", api_scoped(409), {}),
    # H2 coverage targets (see the pages): the agent sees desa A's target, and may not set it (403)
    "GET /api/v1/coverage/targets": Op("/coverage/targets", api_expect(200)),
    "POST /api/v1/coverage/targets": Op("/coverage/targets", api_scoped(200, **{AGENT: 403}),
                                        {"region": DESA_A, "year": "{today:.4}", "count": 10}, changes=(ADMIN, OP_A)),
    "GET /api/v1/coverage/targets/{pk}/history": Op("/coverage/targets/{target}/history", api_scoped()),
    "GET /api/v1/coverage/denominators": Op("/coverage/denominators", api_expect(200)),
    "POST /api/v1/coverage/denominators": Op("/coverage/denominators", api_scoped(200, **{AGENT: 403}),
                                             {"region": DESA_A, "year": "{today:.4}", "count": 2500,
                                              "source": "village_count"}, changes=(ADMIN, OP_A)),
    "POST /api/v1/coverage/denominators/import": Op("/coverage/denominators/import", api_expect(422)),  # no file
    # H3 outreach events (see the pages): recording one in desa A from outside is refused as an input (422)
    # the counting rule in force is reference data; prospects are a desa's people (404 outside it)
    "GET /api/v1/coverage/counting-rule": Op("/coverage/counting-rule", api_expect(200)),
    "GET /api/v1/coverage/prospects": Op(f"/coverage/prospects?desa={DESA_A}", api_scoped()),
    "GET /api/v1/coverage/outreach-events": Op("/coverage/outreach-events", api_expect(200)),
    "POST /api/v1/coverage/outreach-events": Op(
        "/coverage/outreach-events", api_expect(201, **dict.fromkeys(OUTSIDE, 422)),
        {"title": "Sosialisasi", "held_on": "{today}", "region": DESA_A, "organiser_type": "village",
         "audience": ["dprd"], "attendance": 5},
        changes=(ADMIN, OP_A, AGENT)),
    "GET /api/v1/coverage/outreach-events/{code}": Op("/coverage/outreach-events/{event_code}", api_scoped()),
    "PATCH /api/v1/coverage/outreach-events/{code}": Op("/coverage/outreach-events/{event_code}", api_scoped(),
                                                         {"attendance": 12}, changes=(ADMIN, OP_A, AGENT)),
    # a region's coverage figures (the dashboard's), and the snapshot refresh job (started by the national admin)
    "GET /api/v1/coverage/figures": Op(f"/coverage/figures?region={DESA_A}", api_scoped()),
    # (a refresh rewrites snapshot rows only, none of the registry, money or audit rows the matrix compares)
    "POST /api/v1/coverage/refreshes": Op("/coverage/refreshes", api_expect(403, **{ADMIN: 201}), {}),
    "GET /api/v1/coverage/refreshes/{pk}": Op("/coverage/refreshes/{refresh}", api_expect(200)),
    # issue 14 H-A: wadah and agents (see the pages): 404 for roles without agents' pages and outside the scope; the
    # agent sees its wadah and itself and may change neither (403); the Klaten branch's wadah in Sukoharjo is refused
    # as an input (422); the active agent's reactivation is refused as an input (422)
    "GET /api/v1/agents/wadah": Op("/agents/wadah", api_expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "POST /api/v1/agents/wadah": Op("/agents/wadah", api_expect(404, **{ADMIN: 201, BRANCH: 422, AGENT: 403}),
                                    {**{k: v for k, v in WADAH_FORM.items() if k != "is_active"}, "managers": []},
                                    changes=(ADMIN,)),
    "GET /api/v1/agents/wadah/{pk}": Op("/agents/wadah/{wadah}", api_expect(404, **{ADMIN: 200, AGENT: 200})),
    "PATCH /api/v1/agents/wadah/{pk}": Op("/agents/wadah/{wadah}", api_expect(404, **{ADMIN: 200, AGENT: 403}),
                                          {"acquisition_target": 5}, changes=(ADMIN,)),
    "POST /api/v1/agents/wadah/{pk}/agents": Op(
        "/agents/wadah/{wadah}/agents", api_expect(404, **{ADMIN: 201, AGENT: 403}),
        {**{k: v for k, v in AGENT_FORM.items() if k != "desa"}, "desa": [DESA_A]}, changes=(ADMIN,)),
    "GET /api/v1/agents/agents": Op("/agents/agents", api_expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "GET /api/v1/agents/agents/{pk}": Op("/agents/agents/{agent}", api_expect(404, **{ADMIN: 200, AGENT: 200})),
    "PATCH /api/v1/agents/agents/{pk}": Op("/agents/agents/{agent}", api_expect(404, **{ADMIN: 200, AGENT: 403}),
                                           {"bank_account": "0099"}, changes=(ADMIN,)),
    "POST /api/v1/agents/agents/{pk}/deactivate": Op(
        "/agents/agents/{agent}/deactivate", api_expect(404, **{ADMIN: 200, AGENT: 403}), {"note": "uji"},
        changes=(ADMIN,)),
    "POST /api/v1/agents/agents/{pk}/reactivate": Op(
        "/agents/agents/{agent}/reactivate", api_expect(404, **{ADMIN: 422, AGENT: 403}), {}),
    "GET /api/v1/agents/rules": Op("/agents/rules", api_expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "POST /api/v1/agents/rules": Op("/agents/rules", api_expect(404, **{ADMIN: 201, BRANCH: 403, AGENT: 403}),
                                    {"valid_from": "{today}", "source": "Uji matriks"}, changes=(ADMIN,)),
    # H-E the agents' ranking (see the pages)
    "GET /api/v1/agents/rankings": Op("/agents/rankings?kab=33.11", api_expect(404, **{ADMIN: 200})),
    # issue 14 H-D: the field app's submissions, the agent's own (404 for every other role)
    "POST /api/v1/agents/field/submissions": Op(
        "/agents/field/submissions", api_expect(404, **{AGENT: 201}),
        {"token": "matrix-api-1", "kind": "registration", "data": {"nik": "3311110606900001", "full_name": "Joko"}},
        changes=(AGENT,)),
    "GET /api/v1/agents/field/submissions": Op("/agents/field/submissions", api_expect(404, **{AGENT: 200})),
    # issue 14 H-B (see the pages): only an agent collects (desa A's participant has no package: 409); deposits are
    # recorded by the branch and national admins (the agent has collected nothing: a deposit is too large, 422; the
    # Klaten branch does not see a Sukoharjo agent: 404)
    "POST /api/v1/agent-collections": Op("/agent-collections", api_expect(403, **{AGENT: 409}),
                                         {"nik": "{nik}", "months": 1}),
    "GET /api/v1/agent-collections": Op("/agent-collections", api_expect(404, **{ADMIN: 200, BRANCH: 200,
                                                                                 AGENT: 200})),
    "POST /api/v1/agent-deposits": Op("/agent-deposits", api_expect(403, **{ADMIN: 422, BRANCH: 404}),
                                      {"agent": "agen.krajan", "channel": "bank", "reference": "M-1", "amount": 1000}),
    "GET /api/v1/agent-deposits": Op("/agent-deposits", api_expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    "GET /api/v1/agent-cash": Op("/agent-cash", api_expect(404, **{ADMIN: 200, BRANCH: 200, AGENT: 200})),
    # issue 14 H-C incentives (see the pages): a run of this month is refused as an input (422)
    "POST /api/v1/agents/incentive-runs": Op("/agents/incentive-runs", api_expect(404, **{ADMIN: 422, BRANCH: 422}),
                                             {"month": MONTH}),
    "GET /api/v1/agents/incentive-runs": Op("/agents/incentive-runs", api_expect(404, **{ADMIN: 200, BRANCH: 200})),
    "GET /api/v1/agents/incentive-runs/{pk}": Op("/agents/incentive-runs/{incentive_run}",
                                                 api_expect(404, **{ADMIN: 200, BRANCH: 200})),
    "GET /api/v1/agents/agents/{pk}/incentives/{month}": Op("/agents/agents/{agent}/incentives/{month}",
                                                            api_expect(404, **{ADMIN: 200, AGENT: 200})),
    "GET /api/v1/agents/wadah/{pk}/incentives/{month}": Op("/agents/wadah/{wadah}/incentives/{month}",
                                                           api_expect(404, **{ADMIN: 200, AGENT: 200})),
    # issue 15 claims (see the pages): reporting desa A's first participant from outside is not found (404; the
    # district official reports nothing: 403); preparing, deciding and paying are refused to operator A and the agent
    # (403); on the reported, complete claim the national admin prepares or rejects it, and approving or paying it
    # is refused as an input (422)
    "GET /api/v1/claims/quote": Op(f"/claims/quote?nik={CLAIMANT_NIK}&type=jkm&on={{today}}", api_scoped()),
    "POST /api/v1/claims": Op("/claims", api_expect(201, **{BRANCH: 404, OP_B: 404, DISTRICT: 403}),
                              dict(REPORT_FORM), changes=INSIDE_CHANGERS,
                              echoes=("3311110505900003",)),
    "GET /api/v1/claims": Op("/claims", api_expect(200)),
    "GET /api/v1/claims/{number}": Op("/claims/{claim}", api_scoped()),
    "POST /api/v1/claims/{number}/heirs": Op("/claims/{claim}/heirs", api_scoped(201), NEW_HEIR,
                                             changes=INSIDE_CHANGERS),
    "PUT /api/v1/claims/{number}/heirs/{heir_id}": Op("/claims/{claim}/heirs/{claim_heir}", api_scoped(), HEIR_EDIT,
                                                      changes=INSIDE_CHANGERS),
    "POST /api/v1/claims/{number}/documents": Op("/claims/{claim}/documents", api_scoped(201),
                                                 {"kind": "police_report", "seen": "true"}, changes=INSIDE_CHANGERS,
                                                 multipart=True),
    # the KPJ scan operator A uploaded: its processors and its uploader only, as the page (the agent: 404)
    "GET /api/v1/claims/{number}/documents/{doc_id}/file": Op("/claims/{claim}/documents/{claim_document}/file",
                                                              api_scoped(**{AGENT: 404})),
    "POST /api/v1/claims/{number}/documents/{doc_id}/withdraw": Op(
        "/claims/{claim}/documents/{claim_document}/withdraw", api_scoped(), {"note": "salah berkas"},
        changes=INSIDE_CHANGERS),
    "DELETE /api/v1/claims/{number}/documents/{doc_id}": Op("/claims/{claim}/documents/{claim_document}",
                                                            api_scoped(), changes=INSIDE_CHANGERS),
    "GET /api/v1/claims/{number}/decision": Op("/claims/{claim}/decision", api_scoped()),
    "POST /api/v1/claims/{number}/prepare": Op("/claims/{claim}/prepare", api_scoped(**{OP_A: 403, AGENT: 403}),
                                               changes=(ADMIN,)),
    "POST /api/v1/claims/{number}/approve": Op("/claims/{claim}/approve", api_scoped(422, **{OP_A: 403, AGENT: 403})),
    "POST /api/v1/claims/{number}/recheck": Op("/claims/{claim}/recheck", api_scoped(422, **{OP_A: 403, AGENT: 403})),
    "POST /api/v1/claims/{number}/reject": Op("/claims/{claim}/reject", api_scoped(**{OP_A: 403, AGENT: 403}),
                                              {"code": "other", "note": "uji matriks"}, changes=(ADMIN,)),
    "POST /api/v1/claims/{number}/payments": Op(
        "/claims/{claim}/payments", api_scoped(422, **{OP_A: 403, AGENT: 403}),
        {"heir": "{claim_heir}", "paid_on": "{today}", "reference": "TRF-KLAIM-API"}),
    "GET /api/v1/claims/{number}/scholarships": Op("/claims/{claim}/scholarships", api_scoped()),
    "POST /api/v1/claims/{number}/scholarships": Op(
        "/claims/{claim}/scholarships", api_scoped(422, **{OP_A: 403, AGENT: 403}),
        {"child": "{claim_heir}", "year": "{year}", "level": "smp"}),
    "POST /api/v1/claims/{number}/scholarships/{grant_id}/approve": Op(
        "/claims/{claim}/scholarships/{scholarship}/approve", api_scoped(422, **{OP_A: 403, AGENT: 403}), {}),
    "POST /api/v1/claims/{number}/scholarships/{grant_id}/reject": Op(
        "/claims/{claim}/scholarships/{scholarship}/reject", api_scoped(**{OP_A: 403, AGENT: 403}),
        {"note": "uji matriks"}, changes=(ADMIN,)),
    "POST /api/v1/claims/{number}/scholarships/{grant_id}/payments": Op(
        "/claims/{claim}/scholarships/{scholarship}/payments", api_scoped(422, **{OP_A: 403, AGENT: 403}),
        {"paid_on": "{today}", "reference": "TRF-BEA-API"}),
    "GET /api/v1/claims/overdue": Op("/claims/overdue", api_expect(200)),
    "GET /api/v1/claims/dashboard": Op(f"/claims/dashboard?region={DESA_A}", api_scoped()),
}


def test_every_api_operation_is_in_the_matrix():
    document = Client().get("/api/v1/openapi.json").json()
    operations = {f"{method.upper()} {path}" for path, methods in document["paths"].items() for method in methods}
    assert sorted(operations ^ set(API)) == []


@pytest.mark.parametrize("name", sorted(API))
def test_each_role_meets_what_the_rules_say_in_the_api(world, name):
    users, objects = world
    op = API[name]
    method = name.split()[0].lower()
    callers = {ANON: Client()}
    for role, user in users.items():
        _token, raw = ApiToken.issue(user=user, name="matrix")
        callers[role] = Client(headers={"Authorization": f"Bearer {raw}"})
    path = "/api/v1" + op.path.format(**objects)
    body = None
    if op.body is not None:
        import json

        body = {k: [filled(x, objects) for x in v] if isinstance(v, list) else filled(v, objects)
                for k, v in op.body.items()}
        body = body if op.multipart else json.dumps(body)
    found, changes = {}, set()
    for role in ROLES:
        with transaction.atomic():
            before = the_world()
            kwargs = {"content_type": "application/json"} if body is not None and not op.multipart else {}
            response = getattr(callers[role], method)(path, body, **kwargs) if body is not None else \
                getattr(callers[role], method)(path)
            if the_world() != before:
                changes.add(role)
            transaction.set_rollback(True)
        assert response.status_code < 500, (name, role, response.content[:300])
        if role in (ANON, *OUTSIDE):
            assert_tells_nothing_of_desa_a(response, f"{name} as {role}", echoes=op.echoes)
        if response.status_code >= 400:
            assert response.json()["error"]["code"], (name, role)
        found[role] = response.status_code
    assert found == op.expected, name
    assert sorted(changes - set(op.changes)) == [], f"{name} changed data as {sorted(changes - set(op.changes))}"
    if op.changes:
        assert changes, f"{name} changed nothing for anyone: the matrix's body is wrong"


def test_outside_the_area_an_api_object_answers_404_with_the_api_error(world):
    users, objects = world
    for role in OUTSIDE:
        _token, raw = ApiToken.issue(user=users[role], name="matrix")
        response = Client(headers={"Authorization": f"Bearer {raw}"}).get(f"/api/v1/participants/{objects['nik']}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert b"Sugeng" not in response.content


def test_the_matrix_knows_every_role():
    for table in (PAGES, API):
        for key, entry in table.items():
            answers = entry.get if isinstance(entry, Url) else entry.expected
            assert set(answers) == set(ROLES), key
            if isinstance(entry, Url) and entry.post is not None:
                assert set(entry.post) == set(ROLES), key


def test_the_demo_has_the_roles_the_matrix_asks_as():
    from jamsosdesa.participants.demo import USERS as DEMO_USERS

    assert {role for _name, role, _regions, _text in DEMO_USERS} == set(Role.values)


# --- Issue 15: deciding and paying a claim, per state -----------------------------------------------------------
# The world's claim prepared by a branch officer of Sukoharjo (desa A's kabupaten), then (APPROVED) approved by the
# national admin. Asked also as a branch officer and a district official of Sukoharjo (inside), besides the
# world's roles: who processes claims inside (the national admin, the branch officer) approves a prepared claim and
# pays an approved one; who only reads claims inside (the district official, operator A, the agent) is refused
# (403 in the API; the page answers with a message and nothing changes); a step the state does not allow is refused
# as an input (422) or with a message on the page; outside desa A's regions the claim does not exist (404), and the
# printed decision is read by everyone inside.
BRANCH_IN, DISTRICT_IN = "branch_officer_inside", "district_official_inside"
DECIDING_ROLES = (*ROLES, BRANCH_IN, DISTRICT_IN)
PROCESSORS_IN = (ADMIN, BRANCH_IN)


def deciding(processor, reader, *, anonymous=LOGIN) -> dict:
    """`processor` for who processes claims inside, `reader` for who only reads them inside, 404 outside."""
    return {ANON: anonymous, **dict.fromkeys(PROCESSORS_IN, processor),
            **dict.fromkeys((DISTRICT_IN, OP_A, AGENT), reader), **dict.fromkeys(OUTSIDE, 404)}


PAY_FORM = {"paid_on": "{today}", "reference": "TRF-KLAIM-MATRIKS"}  # the account: the one approved
PAY_BODY = {"heir": "{claim_heir}", "paid_on": "{today}", "reference": "TRF-KLAIM-MATRIKS-API"}
# (state, door) -> (method, path, data, answers, roles whose request changes something)
DECISION_DOORS = {
    ("prepared", "page approve"): ("post", "/klaim/{claim}/setujui/", {}, deciding(302, 302), PROCESSORS_IN),
    ("prepared", "page pay"): ("post", "/klaim/{claim}/bayar/{claim_heir}/", PAY_FORM, deciding(302, 302), ()),
    ("prepared", "page print"): ("get", "/klaim/{claim}/putusan/", None, deciding(200, 200), ()),
    ("prepared", "api approve"): ("post", "/api/v1/claims/{claim}/approve", None, deciding(200, 403, anonymous=401),
                                  PROCESSORS_IN),
    ("prepared", "api pay"): ("post", "/api/v1/claims/{claim}/payments", PAY_BODY, deciding(422, 403, anonymous=401),
                              ()),
    ("prepared", "api decision"): ("get", "/api/v1/claims/{claim}/decision", None, deciding(200, 200, anonymous=401),
                                   ()),
    ("approved", "page approve"): ("post", "/klaim/{claim}/setujui/", {}, deciding(302, 302), ()),
    ("approved", "page pay"): ("post", "/klaim/{claim}/bayar/{claim_heir}/", PAY_FORM, deciding(302, 302),
                               PROCESSORS_IN),
    ("approved", "page print"): ("get", "/klaim/{claim}/putusan/", None, deciding(200, 200), ()),
    ("approved", "api approve"): ("post", "/api/v1/claims/{claim}/approve", None, deciding(422, 403, anonymous=401),
                                  ()),
    ("approved", "api pay"): ("post", "/api/v1/claims/{claim}/payments", PAY_BODY, deciding(201, 403, anonymous=401),
                              PROCESSORS_IN),
    ("approved", "api decision"): ("get", "/api/v1/claims/{claim}/decision", None, deciding(200, 200, anonymous=401),
                                   ()),
}


@pytest.mark.parametrize(("state", "door"), sorted(DECISION_DOORS))
def test_each_role_meets_what_the_rules_say_when_deciding_and_paying_a_claim(world, state, door):
    import json

    from jamsosdesa.claims import decision
    from jamsosdesa.claims.models import Claim, ClaimStatus

    users, objects = world
    users = {**users, BRANCH_IN: user("cabang.sukoharjo", Role.BRANCH_OFFICER, ["33.11"]),
             DISTRICT_IN: user("pemkab.sukoharjo", Role.DISTRICT_OFFICIAL, ["33.11"])}
    claim = Claim.objects.get(number=objects["claim"])
    decision.prepare(user("cabang.penyiap", Role.BRANCH_OFFICER, ["33.11"]), claim)
    if state == "approved":
        decision.approve(users[ADMIN], claim)
    claim.refresh_from_db()
    assert claim.status == (ClaimStatus.APPROVED if state == "approved" else ClaimStatus.PREPARED)

    method, path, data, expected, changers = DECISION_DOORS[(state, door)]
    values = {**objects, "today": clock.today().isoformat()}
    path = path.format(**values)
    data = {key: filled(value, values) for key, value in data.items()} if data is not None else None
    api = path.startswith("/api/")
    callers = {ANON: Client()}
    for role, person_user in users.items():
        if api:
            _token, raw = ApiToken.issue(user=person_user, name="matrix")
            callers[role] = Client(headers={"Authorization": f"Bearer {raw}"})
        else:
            callers[role] = Client()
            callers[role].force_login(person_user)
    found, changes = {}, set()
    for role in DECIDING_ROLES:
        if api:
            with transaction.atomic():
                before = the_world()
                if data is None:
                    response = getattr(callers[role], method)(path)
                else:
                    response = getattr(callers[role], method)(path, json.dumps(data), content_type="application/json")
                changed = the_world() != before
                transaction.set_rollback(True)
        else:
            response, changed = ask(callers[role], method, path, data)
        assert response.status_code < 500, (state, door, role)
        if role in (ANON, *OUTSIDE):
            assert_tells_nothing_of_desa_a(response, f"{door} of a {state} claim as {role}")
        if api and response.status_code >= 400:
            assert response.json()["error"]["code"], (state, door, role)
        found[role] = answer_of(response)
        if changed:
            changes.add(role)
    assert found == expected, (state, door)
    assert changes == set(changers), (state, door, sorted(changes))
