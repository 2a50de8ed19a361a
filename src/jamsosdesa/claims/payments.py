"""The payment of an approved claim to each heir (issue 15 item 6): date, bank, account and transfer reference.

One payment per heir and purpose (the `claim_payment_once` constraint), for exactly the heir's share: a benefit is
never paid twice, neither by a second form nor by a double submit racing the first (the claim row is locked, and
the constraint answers the race the lock cannot, in words). When every heir with a share is paid, the claim is
PAID and `paid_at` is the day of the last transfer: the service clock runs from `complete_at` to it."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.text import has_bad_chars

from .clock import local_date
from .decision import _check_processor, _locked, _refuse, _status_text
from .models import Claim, ClaimHeir, ClaimPayment, ClaimStatus

BENEFIT = "benefit"


def _already_paid(heir: ClaimHeir, payment: ClaimPayment) -> ServiceError:
    message = _("Bagian %(h)s sudah dibayar pada %(d)s (referensi %(r)s): manfaat tidak dibayar dua kali.") % {
        "h": heir.name, "d": f"{payment.paid_on:%d-%m-%Y}", "r": payment.reference}
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={"heir": [message]})


def _paid_moment(day: date) -> datetime:
    """When a claim paid on `day` was paid: now when that is today, else midday of that day in Jakarta."""
    if day == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def record_payment(user, claim: Claim, heir: ClaimHeir, paid_on: date, bank: str = "", account: str = "",
                   reference: str = "") -> ClaimPayment:
    """Record the transfer of `heir`'s approved share of an approved claim to the account approved with it
    (audited); the claim becomes PAID with its last heir's payment. `bank` and `account`, when given, must be the
    approved ones (a transfer elsewhere is refused naming the field); left empty, they are the approved ones."""
    _check_processor(user, claim)  # who may not pay is told so before anything about what they sent
    bank = " ".join((bank or "").split())
    account = (account or "").strip().replace(" ", "").replace("-", "")
    reference = (reference or "").strip()
    problems = FieldErrors(_("Pembayaran belum dapat dicatat: %(first)s"))
    if account and not (account.isascii() and account.isdigit()):
        problems.add("account", _("Nomor rekening hanya berisi angka."))
    if not reference:
        problems.add("reference", _("Isi referensi transfer."))
    for name, value in (("bank", bank), ("account", account), ("reference", reference)):
        if has_bad_chars(value):
            problems.add(name, _("Berisi karakter yang tidak sah."))
    if not isinstance(paid_on, date):
        problems.add("paid_on", _("Isi tanggal bayar."))
    elif paid_on > clock.today():
        problems.add("paid_on", _("Tanggal bayar %(d)s belum tiba.") % {"d": f"{paid_on:%d-%m-%Y}"})
    problems.raise_if_any()
    try:
        with transaction.atomic():
            return _record(user, claim, heir, paid_on, bank[:60], account[:30], reference[:60])
    except IntegrityError:
        # a double submit that passed the checks beside the first: the constraints refused it
        existing = ClaimPayment.objects.filter(heir_id=heir.pk, purpose=BENEFIT).first()
        if existing is not None:
            raise _already_paid(heir, existing) from None
        message = _("Referensi transfer %(r)s sudah dipakai untuk pembayaran lain.") % {"r": reference}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"reference": [message]}) from None


def _check_approved_account(heir: ClaimHeir, bank: str, account: str) -> None:
    """A transfer goes only to the account approved with the claim: a bank or account typed differently is refused
    naming the field (the heir's account on the claim may have been corrected since; it is not where money goes)."""
    approved = f"{heir.approved_bank_name} {heir.approved_account_number}"
    if account and account != heir.approved_account_number:
        message = _("Nomor rekening %(a)s bukan rekening %(h)s yang disetujui (%(ok)s): bagian ini hanya dibayar ke "
                    "rekening yang disetujui.") % {"a": account, "h": heir.name, "ok": approved}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"account": [message]})
    if bank and bank.casefold() != " ".join(heir.approved_bank_name.split()).casefold():
        message = _("Bank %(b)s bukan bank rekening %(h)s yang disetujui (%(ok)s): bagian ini hanya dibayar ke "
                    "rekening yang disetujui.") % {"b": bank, "h": heir.name, "ok": approved}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"bank": [message]})


def _record(user, claim, heir, paid_on, bank, account, reference) -> ClaimPayment:
    claim = _locked(claim)
    _check_processor(user, claim)
    if claim.status == ClaimStatus.PAID:
        raise _refuse(_("Klaim %(n)s sudah dibayar lunas.") % {"n": claim.number})
    if claim.status != ClaimStatus.APPROVED:
        raise _refuse(_("Klaim %(n)s berstatus %(s)s: hanya klaim yang disetujui yang dibayar.") % {
            "n": claim.number, "s": _status_text(claim)})
    heir = ClaimHeir.objects.filter(pk=heir.pk, claim_id=claim.pk).first()
    if heir is None:
        raise _refuse(_("Ahli waris itu tidak tercatat pada klaim %(n)s.") % {"n": claim.number}, field="heir")
    if heir.approved_share is None or (heir.approved_share > 0 and not heir.approved_account_number):
        raise _refuse(_("Rekening %(h)s tidak tercatat pada persetujuan klaim %(n)s: klaim perlu disetujui lagi "
                        "sebelum dibayar.") % {"h": heir.name, "n": claim.number}, field="account")
    if heir.approved_share <= 0:
        raise _refuse(_("%(h)s tidak menerima bagian dari klaim %(n)s.") % {"h": heir.name, "n": claim.number},
                      field="heir")
    existing = ClaimPayment.objects.filter(heir_id=heir.pk, purpose=BENEFIT).first()
    if existing is not None:
        raise _already_paid(heir, existing)
    _check_approved_account(heir, bank, account)
    bank, account = heir.approved_bank_name, heir.approved_account_number
    if ClaimPayment.objects.filter(reference=reference).exists():
        message = _("Referensi transfer %(r)s sudah dipakai untuk pembayaran lain.") % {"r": reference}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"reference": [message]})
    decided = local_date(claim.decided_at) if claim.decided_at else None
    if decided and paid_on < decided:
        message = _("Tanggal bayar %(d)s sebelum klaim disetujui (%(a)s).") % {
            "d": f"{paid_on:%d-%m-%Y}", "a": f"{decided:%d-%m-%Y}"}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"paid_on": [message]})
    payment = ClaimPayment.objects.create(claim=claim, heir=heir, purpose=BENEFIT, amount=heir.approved_share,
                                          paid_on=paid_on, bank_name=bank, account_number=account,
                                          reference=reference, recorded_by=user)
    new = {"claim": claim.number, "heir": heir.pk, "amount": payment.amount, "paid_on": paid_on, "bank": bank,
           "account": account, "holder": heir.approved_account_holder, "reference": reference}
    unpaid = ClaimHeir.objects.filter(claim_id=claim.pk, approved_share__gt=0).exclude(
        payments__purpose=BENEFIT).exists()
    if not unpaid:
        last = max(ClaimPayment.objects.filter(claim_id=claim.pk, purpose=BENEFIT).values_list("paid_on", flat=True))
        old = {"status": claim.status, "paid_at": None}
        claim.status, claim.paid_at = ClaimStatus.PAID, _paid_moment(last)
        claim.save(update_fields=["status", "paid_at"])
        new["claim_status"] = claim.status
        # the claim's own move to PAID, beside the payment's row (no event type of its own: core's choices)
        audit_record(actor=user, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code,
                     old=old, new={"status": claim.status, "paid_at": claim.paid_at,
                                   "paid": claim.benefit_total}, note=_("dibayar lunas kepada semua ahli waris"))
    audit_record(actor=user, event=AuditEventType.CLAIM_PAYMENT_RECORDED, obj=payment, region_code=claim.desa_code,
                 old=None, new=new)
    return payment
