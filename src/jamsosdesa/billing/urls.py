from django.urls import path  # noqa: F401

app_name = "billing"
# One block per part of billing (packages, runs and invoices, payments and the queue, status, worklists,
# statements), each with its own views module.
urlpatterns = [
]

# --- H6: worklists (lapse forecast, arrears) and statements ---------------------------------------------------
from . import views_statements, views_worklists  # noqa: E402

urlpatterns += [
    path("daftar-kerja/", views_worklists.worklist, name="worklist"),
    path("daftar-kerja.xlsx", views_worklists.worklist_export, name="worklist_export"),
    path("daftar-kerja/mulai/<int:enrolment>/", views_worklists.worklist_start, name="worklist_start"),
    path("peserta/<int:pk>/rekening/", views_statements.participant_statement_page, name="statement_participant"),
    path("peserta/<int:pk>/rekening.xlsx", views_statements.participant_statement_export,
         name="statement_participant_export"),
    path("skema/<int:pk>/rekening/", views_statements.scheme_statement_page, name="statement_scheme"),
    path("skema/<int:pk>/rekening.xlsx", views_statements.scheme_statement_export, name="statement_scheme_export"),
]
# --- end H6 ----------------------------------------------------------------------------------------------------

# --- H1: the worker's own package (iuran mandiri) ------------------------------------------------------------------
from . import views_packages  # noqa: E402

urlpatterns += [
    path("peserta/<int:participant>/mandiri/mulai/", views_packages.package_start, name="package_start"),
    path("peserta/<int:participant>/mandiri/ubah/", views_packages.package_change, name="package_change"),
    path("peserta/<int:participant>/mandiri/akhiri/", views_packages.package_end, name="package_end"),
    path("peserta/<int:participant>/mandiri/batalkan/", views_packages.package_cancel, name="package_cancel"),
]
# --- end H1 --------------------------------------------------------------------------------------------------------

# --- H2: the monthly billing run and the schemes' collective invoices ------------------------------------------
from . import views_runs  # noqa: E402

urlpatterns += [
    path("penagihan/", views_runs.run_list, name="runs"),
    path("penagihan/jalankan/", views_runs.run_start, name="run_start"),
    path("penagihan/<int:pk>/", views_runs.run_detail, name="run"),
    path("kolektif/", views_runs.invoice_list, name="invoices"),
    path("kolektif/<int:pk>/", views_runs.invoice_detail, name="invoice"),
    path("kolektif/<int:pk>/cetak/", views_runs.invoice_print, name="invoice_print"),
]
# --- end H2 ----------------------------------------------------------------------------------------------------

# --- H5: the reconciliation queue --------------------------------------------------------------------------------
from . import views_queue  # noqa: E402

urlpatterns += [
    path("antrean/", views_queue.queue_list, name="queue"),
    path("antrean/<int:pk>/", views_queue.queue_item, name="queue_item"),
    path("antrean/<int:pk>/putuskan/", views_queue.queue_decide_view, name="queue_decide"),
]
# --- end H5 ----------------------------------------------------------------------------------------------------

# --- H8: cross-check with BPJS's own list (the upload form is imports:bpjs_start) -------------------------------
from . import views_bpjs  # noqa: E402

urlpatterns += [
    path("bpjs/<int:pk>/", views_bpjs.bpjs_list, name="bpjs_list"),
    path("bpjs/<int:pk>/baris/", views_bpjs.bpjs_rows, name="bpjs_rows"),
    path("bpjs/<int:pk>/perbedaan.xlsx", views_bpjs.bpjs_export, name="bpjs_export"),
    path("bpjs/<int:pk>/laporan.xlsx", views_bpjs.bpjs_report, name="bpjs_report"),
]
# --- end H8 ----------------------------------------------------------------------------------------------------

# --- H3: payments (record for a person or an invoice, a payment's page, reversal) ------------------------------
from . import views_payments  # noqa: E402

urlpatterns += [
    path("peserta/<int:participant>/bayar/", views_payments.payment_new, name="payment_new"),
    path("pembayaran/", views_payments.payment_list, name="payments"),
    path("pembayaran/<int:pk>/", views_payments.payment_detail, name="payment_detail"),
    path("pembayaran/<int:pk>/batalkan/", views_payments.payment_reverse_view, name="payment_reverse"),
    path("kolektif/<int:pk>/bayar/", views_payments.invoice_pay, name="invoice_pay"),
]
# --- end H3 ----------------------------------------------------------------------------------------------------
