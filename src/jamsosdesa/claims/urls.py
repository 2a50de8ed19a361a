from django.urls import path  # noqa: F401

app_name = "claims"
# One block per part of issue 15 (benefit engine, claim file, decision and payment), each with its own views module.
urlpatterns = [
]

# --- C1 benefit engine
from . import views_quote  # noqa: E402

urlpatterns += [path("hitung/", views_quote.quote_page, name="quote")]
# --- end C1
# --- C2 claim file
from django.urls import re_path  # noqa: E402

from . import views_file  # noqa: E402

NUMBER = r"(?P<number>KLM-[0-9A-Za-z-]{1,26})"  # a claim number: the other parts' pages keep their own words
urlpatterns += [
    path("", views_file.claim_index, name="list"),
    path("lapor/", views_file.claim_report, name="report"),
    re_path(rf"^{NUMBER}/$", views_file.claim_detail, name="claim"),
    re_path(rf"^{NUMBER}/ahli-waris/baru/$", views_file.heir_edit, name="heir_new"),
    re_path(rf"^{NUMBER}/ahli-waris/(?P<heir_id>[0-9]{{1,18}})/$", views_file.heir_edit, name="heir_edit"),
    re_path(rf"^{NUMBER}/dokumen/$", views_file.document_add, name="document_add"),
    re_path(rf"^{NUMBER}/dokumen/(?P<doc_id>[0-9]{{1,18}})/$", views_file.document_file, name="document_file"),
    re_path(rf"^{NUMBER}/dokumen/(?P<doc_id>[0-9]{{1,18}})/tarik/$", views_file.document_withdraw,
            name="document_withdraw"),
]
# --- end C2
# --- C3 decision, payment and clock
from . import views_decision  # noqa: E402

urlpatterns += [
    path("terlambat/", views_decision.overdue_page, name="overdue"),
    path("dasbor/", views_decision.dashboard_page, name="dashboard"),
    re_path(rf"^{NUMBER}/siapkan/$", views_decision.prepare_view, name="prepare"),
    re_path(rf"^{NUMBER}/setujui/$", views_decision.approve_view, name="approve"),
    re_path(rf"^{NUMBER}/tolak/$", views_decision.reject_view, name="reject"),
    re_path(rf"^{NUMBER}/periksa-tunggakan/$", views_decision.recheck_view, name="recheck"),
    re_path(rf"^{NUMBER}/bayar/(?P<heir_id>[0-9]{{1,18}})/$", views_decision.pay_view, name="pay"),
    re_path(rf"^{NUMBER}/putusan/$", views_decision.decision_print, name="decision_print"),
]
# --- end C3
# --- scholarships (proposal, four-eyes decision, payment)
from . import views_scholarship  # noqa: E402

GRANT = r"(?P<grant_id>[0-9]{1,18})"
urlpatterns += [
    re_path(rf"^{NUMBER}/beasiswa/$", views_scholarship.propose_view, name="scholarship_propose"),
    re_path(rf"^{NUMBER}/beasiswa/{GRANT}/setujui/$", views_scholarship.approve_view, name="scholarship_approve"),
    re_path(rf"^{NUMBER}/beasiswa/{GRANT}/tolak/$", views_scholarship.reject_view, name="scholarship_reject"),
    re_path(rf"^{NUMBER}/beasiswa/{GRANT}/bayar/$", views_scholarship.pay_view, name="scholarship_pay"),
]
# --- end scholarships
