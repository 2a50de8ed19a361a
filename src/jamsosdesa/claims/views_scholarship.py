"""The scholarship section of the claim page (issue 15: children's scholarships year by year up to the caps): the
tracking per child, and the buttons as the user's rights allow: propose a school year, approve (with the account it
is paid to) or reject another person's proposal, record the payment of an approved grant. Claims through
claims.access (404 outside the user's scope); every change through claims.scholarships, answered on the claim page
with a message."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock as core_clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.participants.models import HeirRelation

from . import scholarships
from .access import claim_for_user, may_process
from .api_scholarship import grant_of, scholarships_out
from .models import ClaimStatus, ScholarshipStatus, SchoolLevel


def _back(claim):
    return redirect(reverse("claims:claim", kwargs={"number": claim.number}) + "#scholarships")


def _done_or_message(request, claim, action, success):
    try:
        result = action()
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms
                                                         if m != exc.message]]))
    else:
        messages.success(request, success(result))
    return _back(claim)


def _int(text) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


@login_required
@require_POST
def propose_view(request, number: str):
    claim = claim_for_user(request.user, number)
    child = claim.heirs.filter(pk=_int(request.POST.get("child")) or 0).first()
    if child is None:
        messages.error(request, scholarships.child_missing_message(claim))
        return _back(claim)
    year = _int(request.POST.get("year"))
    return _done_or_message(
        request, claim, lambda: scholarships.propose(request.user, claim, child, year if year is not None else -1,
                                                     request.POST.get("level", "")),
        lambda row: _("Beasiswa %(y)s/%(y1)s untuk %(name)s (%(a)s) diusulkan: menunggu persetujuan petugas "
                      "lain.") % {"y": row.year, "y1": row.year + 1, "name": child.name, "a": rupiah(row.amount)})


@login_required
@require_POST
def approve_view(request, number: str, grant_id: str):
    claim = claim_for_user(request.user, number)
    row = grant_of(claim, int(grant_id))
    guardian = claim.heirs.filter(pk=_int(request.POST.get("guardian")) or 0).first() if request.POST.get(
        "guardian") else None
    return _done_or_message(
        request, claim, lambda: scholarships.approve(request.user, row, guardian=guardian,
                                                     bank=request.POST.get("bank", ""),
                                                     account=request.POST.get("account", "")),
        lambda done: _("Beasiswa %(y)s/%(y1)s untuk %(name)s disetujui: dibayar ke %(b)s %(a)s.") % {
            "y": done.year, "y1": done.year + 1, "name": done.child.name, "b": done.bank_name,
            "a": done.account_number})


@login_required
@require_POST
def reject_view(request, number: str, grant_id: str):
    claim = claim_for_user(request.user, number)
    row = grant_of(claim, int(grant_id))
    return _done_or_message(
        request, claim, lambda: scholarships.reject(request.user, row, request.POST.get("note", "")),
        lambda done: _("Usulan beasiswa %(y)s/%(y1)s untuk %(name)s ditolak.") % {
            "y": done.year, "y1": done.year + 1, "name": done.child.name})


@login_required
@require_POST
def pay_view(request, number: str, grant_id: str):
    claim = claim_for_user(request.user, number)
    row = grant_of(claim, int(grant_id))
    try:
        paid_on = date.fromisoformat(request.POST.get("paid_on", "").strip())
    except ValueError:
        messages.error(request, _("Tanggal bayar beasiswa %(name)s: tulis tanggal yang sah.") % {
            "name": row.child.name})
        return _back(claim)
    return _done_or_message(
        request, claim, lambda: scholarships.pay(request.user, row, paid_on, request.POST.get("bank", ""),
                                                 request.POST.get("account", ""), request.POST.get("reference", "")),
        lambda payment: _("Pembayaran beasiswa %(y)s/%(y1)s untuk %(name)s dicatat (%(a)s).") % {
            "y": row.year, "y1": row.year + 1, "name": row.child.name, "a": rupiah(payment.amount)})


def scholarship_context(user, claim) -> dict:
    """What the scholarship section of the claim page shows (nothing for a claim of a kind without scholarships)."""
    if claim.kind not in scholarships.SCHOLARSHIP_KINDS:
        return {"shown": False}
    try:
        out = scholarships_out(user, claim)
    except ServiceError as exc:  # no scholarship rule in force on the event day: say so, the rest of the page stands
        return {"shown": True, "problem": exc.message, "s": {}}
    processing = may_process(user)
    decided = claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID)
    for row in out["grants"]:
        row["status_label"] = ScholarshipStatus(row["status"]).label
        row["can_decide"] = processing and decided and row["status"] == ScholarshipStatus.PROPOSED and (
            row["proposed_by"] != user.username)
        row["own"] = row["status"] == ScholarshipStatus.PROPOSED and row["proposed_by"] == user.username
        row["can_pay"] = processing and decided and row["status"] == ScholarshipStatus.APPROVED and not row["paid_on"]
    heirs = list(claim.heirs.order_by("rank", "id"))
    return {"shown": True, "s": out, "claim": claim, "can_propose": processing and decided, "heirs": heirs,
            "children": [h for h in heirs if h.relation == HeirRelation.CHILD], "levels": SchoolLevel.choices,
            "year": core_clock.today().year, "today": core_clock.today(), "decided": decided}
