"""Pages of the decision, payment and service clock (issue 15 items 6 and 7): the forms of the decision panel on
the claim page (prepare, approve, reject, pay, look again at a claim held for arrears: as the user's rights allow),
the printed decision (A4), the claims past the service standard (/klaim/terlambat/) and the claims' dashboard
(/klaim/dasbor/?wilayah=CODE&bulan=YYYY-MM). Claims through claims.access (404 outside the user's scope); every change
through claims.decision and claims.payments."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock as core_clock
from jamsosdesa.core.charts import Bar, hbars
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.money import rupiah, terbilang
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.presenters import personal_data

from . import dashboard, decision, payments, worklist
from .access import claim_for_user, may_process, sees_claims
from .api_decision import decision_out
from .models import ClaimStatus


def _back(claim):
    return redirect("claims:claim", number=claim.number)


def _done_or_message(request, claim, action, success: str):
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back(claim)


@login_required
@require_POST
def prepare_view(request, number: str):
    claim = claim_for_user(request.user, number)
    return _done_or_message(request, claim, lambda: decision.prepare(request.user, claim),
                            _("Klaim %(n)s disiapkan: menunggu persetujuan petugas lain.") % {"n": claim.number})


@login_required
@require_POST
def approve_view(request, number: str):
    claim = claim_for_user(request.user, number)
    return _done_or_message(request, claim, lambda: decision.approve(request.user, claim),
                            _("Klaim %(n)s disetujui.") % {"n": claim.number})


@login_required
@require_POST
def reject_view(request, number: str):
    claim = claim_for_user(request.user, number)
    code, note = request.POST.get("code", ""), request.POST.get("note", "")
    return _done_or_message(request, claim, lambda: decision.reject(request.user, claim, code, note),
                            _("Klaim %(n)s ditolak.") % {"n": claim.number})


@login_required
@require_POST
def recheck_view(request, number: str):
    """A claim held for arrears looked at again: released when they were paid in time, refused once the day passed."""
    claim = claim_for_user(request.user, number)
    try:
        claim = decision.recheck_held(request.user, claim)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if claim.status == ClaimStatus.REPORTED:
            messages.success(request, _("Tunggakan klaim %(n)s sudah dilunasi tepat waktu: klaim dilanjutkan; "
                                        "lengkapi berkasnya lalu siapkan.") % {"n": claim.number})
        else:
            messages.warning(request, _("Klaim %(n)s ditolak: %(r)s.") % {"n": claim.number,
                                                                          "r": claim.rejection_note})
    return _back(claim)


@login_required
@require_POST
def pay_view(request, number: str, heir_id: str):
    claim = claim_for_user(request.user, number)
    heir = claim.heirs.filter(pk=int(heir_id)).first()
    if heir is None:
        raise Http404
    try:
        paid_on = date.fromisoformat(request.POST.get("paid_on", "").strip())
    except ValueError:
        paid_on = None  # the service says so (after whether this user pays at all)
    return _done_or_message(
        request, claim,
        lambda: payments.record_payment(request.user, claim, heir, paid_on, request.POST.get("bank", ""),
                                        request.POST.get("account", ""), request.POST.get("reference", "")),
        _("Pembayaran kepada %(h)s dicatat.") % {"h": heir.name})


def decision_context(user, claim) -> dict:
    """What the decision panel on the claim page and the printed decision show."""
    out = decision_out(user, claim)
    processing = may_process(user)
    unpaid = [s for s in out["shares"] if s["paid_on"] is None]
    return {
        "d": out, "claim": claim, "words": terbilang(claim.benefit_total),
        "can_prepare": processing and claim.status in (ClaimStatus.REPORTED, ClaimStatus.PREPARED)
        and claim.complete_at is not None,
        "can_decide": processing and claim.status == ClaimStatus.PREPARED and claim.prepared_by_id != user.pk,
        "own_prepared": claim.status == ClaimStatus.PREPARED and claim.prepared_by_id == user.pk,
        "can_reject": processing and claim.status in decision.REJECTABLE and claim.prepared_by_id != user.pk,
        "can_pay": processing and claim.status == ClaimStatus.APPROVED, "unpaid": unpaid,
        "can_recheck": processing and claim.status == ClaimStatus.HELD,
        "reasons": decision.RejectionCode.choices, "today": core_clock.today(),
        "printable": claim.status in (ClaimStatus.PREPARED, ClaimStatus.APPROVED, ClaimStatus.REJECTED,
                                      ClaimStatus.PAID),
    }


@login_required
def decision_print(request, number: str):
    """The printed decision on one A4 page."""
    claim = claim_for_user(request.user, number)
    if claim.status in (ClaimStatus.REPORTED, ClaimStatus.HELD, ClaimStatus.WITHDRAWN):
        raise Http404
    context = decision_context(request.user, claim)
    context.update(participant=claim.participant,
                   participant_nik=personal_data(request.user).nik(claim.participant.nik),
                   eligibility=claim.eligibility, printed_at=core_clock.now(),
                   rejection=decision.rejection_label(claim.rejection_code) if claim.rejection_code else "")
    return render(request, "claims/decision_print.html", context)


@login_required
def overdue_page(request):
    if not sees_claims(request.user):
        raise Http404
    return render(request, "claims/worklist_overdue.html", {"rows": worklist.overdue(request.user)})


@login_required
def dashboard_page(request):
    if not sees_claims(request.user):
        raise Http404
    month_text = (request.GET.get("bulan") or "").strip()
    error, month = "", None
    if month_text:
        try:
            month = parse_month(month_text)
        except ValueError as exc:
            error = str(exc)
    try:
        f = dashboard.figures(request.user, region=request.GET.get("wilayah", ""), month=month)
    except NotFound:
        raise Http404 from None
    bars = [Bar(m["month"], m["paid_amount"], f"{rupiah(m['paid_amount'])} ({m['paid']})") for m in f["months"]]
    chart = hbars(bars, chart_id="chart-paid", title=_("Manfaat klaim dibayar per bulan, %(r)s") % {"r": f["name"]},
                  desc="; ".join(f"{b.label}: {b.text}" for b in bars))
    refusal_bars = [Bar(r["label"], r["count"], str(r["count"])) for r in f["refusals"]]
    refusal_chart = hbars(refusal_bars, chart_id="chart-refusals",
                          title=_("Klaim ditolak per alasan, %(r)s") % {"r": f["name"]},
                          desc="; ".join(f"{b.label}: {b.text}" for b in refusal_bars)) if refusal_bars else ""
    return render(request, "claims/dashboard.html", {"f": f, "chart": chart, "refusal_chart": refusal_chart,
                                                     "error": error, "month_text": month_text},
                  status=422 if error else 200)
