"""The four-eyes decision on a claim (issue 15 item 6; docs/design/claims.md "Decision and payment").

`prepare(user, claim)`: a person who processes claims (a branch officer of the claim's kabupaten, a national admin)
computes the benefit of a complete file through the benefit engine (claims.benefits.compute, from the facts found
on the event date) and splits it among the heirs who receive it -> PREPARED. `approve(user, claim)` or
`reject(user, claim, code, note)` by another such person -> APPROVED or REJECTED. Nobody approves (or rejects) a
claim they prepared. Each step locks the claim row, checks its state there, and writes its audit row (old and new
status) in the same transaction.

The shares (`split_shares`): the benefit goes to the receiving heirs of the first rank present (rank 1: the spouse
and the children), in equal whole-rupiah shares; the rupiah left by the division goes to the first of them (by
rank, then the order they were entered). Heirs of a later rank receive only when no heir of an earlier rank does.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.text import has_bad_chars

from . import access
from .models import Claim, ClaimHeir, ClaimStatus


class RejectionCode(TextChoices):
    NOT_PROTECTED = "not_protected", gettext_lazy("tidak terlindungi pada tanggal kejadian")
    LATE_REPORT = "late_report", gettext_lazy("dilaporkan melewati batas waktu")
    LAPSED = "lapsed", gettext_lazy("kepesertaan terputus: iuran tidak dibayar")
    INCOMPLETE_DOCUMENTS = "incomplete_documents", gettext_lazy("dokumen tidak lengkap")
    NOT_WORK_RELATED = "not_work_related", gettext_lazy("bukan kecelakaan kerja")
    DUPLICATE = "duplicate", gettext_lazy("klaim ganda")
    OTHER = "other", gettext_lazy("alasan lain")


def rejection_label(code: str) -> str:
    try:
        return str(RejectionCode(code).label)
    except ValueError:
        return code


def may_process(user, claim: Claim | None = None) -> bool:
    """Whether `user` processes claims (claims.access) and, given a claim, sees it (claims.access.scope_claims)."""
    if not access.may_process(user):
        return False
    return claim is None or access.scope_claims(user, Claim.objects.filter(pk=claim.pk)).exists()


def _refuse(message: str, *, code=ErrorCode.INVALID, field: str = "status") -> ServiceError:
    return ServiceError(code=code, message=message, fields={field: [message]})


def _check_processor(user, claim: Claim) -> None:
    if not access.scope_claims(user, Claim.objects.filter(pk=claim.pk)).exists():
        raise NotFound()
    if not access.may_process(user):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
            "Hanya petugas kantor cabang atau admin nasional yang memproses klaim %(n)s.") % {"n": claim.number})


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().select_related("participant").get(pk=claim.pk)


def _status_text(claim: Claim) -> str:
    return str(ClaimStatus(claim.status).label)


def split_shares(total: int, heirs: list[ClaimHeir]) -> dict[int, int]:
    """{heir id: share} for the receiving heirs of the first rank present (equal whole rupiah, the remainder to the
    first); every other heir 0."""
    receiving = [h for h in heirs if h.receives]
    shares = {h.pk: 0 for h in heirs}
    if not receiving or total <= 0:
        return shares
    first_rank = min(h.rank for h in receiving)
    group = sorted((h for h in receiving if h.rank == first_rank), key=lambda h: (h.rank, h.pk))
    each, rest = divmod(total, len(group))
    for heir in group:
        shares[heir.pk] = each
    shares[group[0].pk] += rest
    return shares


def claim_facts(claim: Claim):
    """The engine's facts of a claim: the wage found on the event date (kept on the claim when it was reported), the
    refund as the ledger stands now (the person's own payments for months after the event month: what approval
    settles with billing, services.settle_refund) and the days unable to work."""
    from .benefits import Facts
    from .eligibility import refund_after

    found = claim.eligibility or {}
    refund, months = refund_after(claim.participant, claim.event_date)  # the ledger now: what approval settles
    return Facts(wage=int(found.get("wage") or 0), refund=refund, refund_months=months,
                 incapacity_from=claim.incapacity_from, incapacity_to=claim.incapacity_to)


def _benefit(claim: Claim):
    """The benefit of the claim as the engine computes it from the rules in force on the event date."""
    from .benefits import compute

    return compute(claim.kind, claim_facts(claim), claim.event_date)


FIRST_RANK = ("spouse", "child")  # participants.HeirRelation: rank 1, who share the benefit first


def _check_no_first_rank_missing(claim: Claim) -> None:
    """A spouse or child registered with the participant but not on the claim (most often registered without a
    valid NIK: claims.heirs.pending_heirs) would be left out of the shares: refused, naming them."""
    from jamsosdesa.core.presenters import mask_listed

    from .heirs import pending_heirs

    missing = [h for h in pending_heirs(claim) if h.relation in FIRST_RANK]
    if not missing:
        return
    names = ", ".join(_("%(h)s (%(r)s, NIK %(k)s)") % {
        "h": h.name, "r": h.get_relation_display(), "k": mask_listed(h.nik) if h.nik else _("kosong")}
        for h in missing)
    raise _refuse(_("Klaim %(n)s belum dapat disiapkan: ahli waris terdaftar %(list)s belum ada pada klaim. Tambahkan "
                    "dulu dengan NIK-nya yang sah, agar bagiannya ikut dihitung.") % {"n": claim.number, "list": names},
                  field="heirs")


@transaction.atomic
def prepare(user, claim: Claim) -> Claim:
    """Compute the benefit of a complete claim and the heirs' shares: REPORTED -> PREPARED (audited). A PREPARED claim
    may be prepared again (by anyone who processes it; the last preparer is the one who may not approve), e.g. when
    approval found its refund changed since it was prepared."""
    claim = _locked(claim)
    _check_processor(user, claim)
    if claim.status == ClaimStatus.HELD:
        raise _refuse(_("Klaim %(n)s ditahan menunggu pelunasan tunggakan: belum dapat disiapkan.") % {
            "n": claim.number})
    if claim.status not in (ClaimStatus.REPORTED, ClaimStatus.PREPARED):  # prepared again: the facts may have moved
        raise _refuse(_("Klaim %(n)s berstatus %(s)s: hanya klaim yang dilaporkan yang dapat disiapkan.") % {
            "n": claim.number, "s": _status_text(claim)})
    if claim.complete_at is None:
        raise _refuse(_("Berkas klaim %(n)s belum lengkap: lengkapi daftar dokumennya dulu.") % {"n": claim.number},
                      field="documents")
    _check_no_first_rank_missing(claim)
    heirs = list(claim.heirs.order_by("rank", "id"))
    if not any(h.receives for h in heirs):
        raise _refuse(_("Klaim %(n)s belum punya ahli waris penerima manfaat.") % {"n": claim.number},
                      field="heirs")
    benefit = _benefit(claim)
    parts = [{"code": p.code, "name": str(p.name), "amount": int(p.amount), "rule": str(p.rule)}
             for p in benefit.parts]
    total = int(benefit.total)
    shares = split_shares(total, heirs)
    for heir in heirs:
        if heir.share != shares[heir.pk]:
            heir.share = shares[heir.pk]
            heir.save(update_fields=["share"])
    old = {"status": claim.status, "benefit_total": claim.benefit_total}
    claim.benefit_total, claim.benefit_parts = total, parts
    claim.status, claim.prepared_by, claim.prepared_at = ClaimStatus.PREPARED, user, clock.now()
    claim.save(update_fields=["benefit_total", "benefit_parts", "status", "prepared_by", "prepared_at"])
    audit_record(actor=user, event=AuditEventType.CLAIM_PREPARED, obj=claim, region_code=claim.desa_code, old=old,
                 new={"status": claim.status, "benefit_total": total, "parts": parts,
                      "shares": {str(h.pk): shares[h.pk] for h in heirs}})
    return claim


def _check_other_person(user, claim: Claim, doing: str) -> None:
    if claim.prepared_by_id is not None and claim.prepared_by_id == user.pk:
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
            "Anda menyiapkan klaim %(n)s: orang lain yang harus %(d)s (empat mata).") % {"n": claim.number, "d": doing},
            fields={"status": [_("Klaim yang Anda siapkan tidak dapat Anda putuskan sendiri.")]})


def _check_still_as_prepared(claim: Claim, heirs: list[ClaimHeir]) -> None:
    """What is approved is still what was prepared (looked at under the claim's lock): the file complete, and the
    receiving heirs' shares adding up to the benefit to the rupiah (nobody else holding a share)."""
    from .documents import is_complete

    if claim.complete_at is None or not is_complete(claim):
        raise _refuse(_("Berkas klaim %(n)s tidak lengkap lagi: lengkapi daftar dokumennya dulu, lalu setujui.") % {
            "n": claim.number}, field="documents")
    shared = sum(h.share for h in heirs if h.receives)
    stray = [h.name for h in heirs if h.share and not h.receives]
    if shared != claim.benefit_total or stray or not any(h.receives and h.share > 0 for h in heirs):
        raise _refuse(_("Bagian ahli waris penerima klaim %(n)s berjumlah %(s)s, bukan manfaat %(t)s: siapkan "
                        "ulang klaim ini.") % {"n": claim.number, "s": rupiah(shared),
                                               "t": rupiah(claim.benefit_total)}, field="heirs")


APPROVED_FIELDS = ("approved_share", "approved_bank_name", "approved_account_number", "approved_account_holder")


@transaction.atomic
def approve(user, claim: Claim) -> Claim:
    """Approve a prepared claim (a person other than its preparer): PREPARED -> APPROVED (audited). Each heir's
    share and bank account are copied as approved (`approved_*`): claims.payments pays only that account."""
    claim = _locked(claim)
    _check_processor(user, claim)
    if claim.status != ClaimStatus.PREPARED:
        raise _refuse(_("Klaim %(n)s berstatus %(s)s: hanya klaim yang sudah disiapkan yang dapat disetujui.") % {
            "n": claim.number, "s": _status_text(claim)})
    _check_other_person(user, claim, _("menyetujuinya"))
    heirs = list(claim.heirs.order_by("rank", "id"))
    _check_still_as_prepared(claim, heirs)
    paid_to = [h for h in heirs if h.share > 0]
    no_account = [h.name for h in paid_to if not (h.bank_name and h.account_number)]
    if no_account:
        raise _refuse(_("Klaim %(n)s belum dapat disetujui: rekening bank %(h)s belum diisi.") % {
            "n": claim.number, "h": ", ".join(no_account)}, field="heirs")
    for heir in heirs:  # what is approved is what is paid: the share and the account, as they are now
        heir.approved_share = heir.share
        heir.approved_bank_name, heir.approved_account_number = heir.bank_name, heir.account_number
        heir.approved_account_holder = heir.account_holder
        heir.save(update_fields=list(APPROVED_FIELDS))
    old = {"status": claim.status}
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.APPROVED, user, clock.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=user, event=AuditEventType.CLAIM_APPROVED, obj=claim, region_code=claim.desa_code, old=old,
                 new={"status": claim.status, "benefit_total": claim.benefit_total,
                      "accounts": {str(h.pk): {"share": h.share, "bank": h.bank_name, "account": h.account_number,
                                               "holder": h.account_holder} for h in paid_to}})
    from .services import settle_refund  # REFUND_KINDS: billing told, same transaction (refused: nothing changes)

    settle_refund(user, claim)
    return claim


REJECTABLE = (ClaimStatus.REPORTED, ClaimStatus.HELD, ClaimStatus.PREPARED)


@transaction.atomic
def reject(user, claim: Claim, code: str, note: str = "") -> Claim:
    """Refuse a claim with a reason code and a note (a prepared claim by a person other than its preparer):
    REPORTED, HELD or PREPARED -> REJECTED (audited)."""
    _check_processor(user, claim)  # who may not decide is told so before anything about what they sent
    note = (note or "").strip()
    if code not in RejectionCode.values:
        message = _("Pilih alasan penolakan: %(list)s.") % {"list": ", ".join(RejectionCode.values)}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"code": [message]})
    if has_bad_chars(note):
        message = _("Keterangan berisi karakter yang tidak sah.")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"note": [message]})
    if code == RejectionCode.OTHER and not note:
        message = _("Alasan lain: tuliskan keterangannya.")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"note": [message]})
    claim = _locked(claim)
    _check_processor(user, claim)
    if claim.status not in REJECTABLE:
        raise _refuse(_("Klaim %(n)s berstatus %(s)s: tidak dapat ditolak lagi.") % {
            "n": claim.number, "s": _status_text(claim)})
    _check_other_person(user, claim, _("menolaknya"))
    old = {"status": claim.status, "rejection_code": claim.rejection_code, "rejection_note": claim.rejection_note}
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.REJECTED, user, clock.now()
    claim.rejection_code, claim.rejection_note = code, note[:2000]
    claim.save(update_fields=["status", "decided_by", "decided_at", "rejection_code", "rejection_note"])
    audit_record(actor=user, event=AuditEventType.CLAIM_REJECTED, obj=claim, region_code=claim.desa_code, old=old,
                 new={"status": claim.status, "rejection_code": code, "rejection_note": claim.rejection_note})
    return claim


def _eligibility_today(claim: Claim, today):
    """The claim's eligibility on its event day, counting the arrears paid up to today (claims.eligibility's
    `paid_by`: under the lenient policy, payments made before the held claim's pay-by day restore the cover)."""
    import inspect

    from .eligibility import eligibility_on

    if "paid_by" in inspect.signature(eligibility_on).parameters:
        return eligibility_on(claim.participant, claim.event_date, claim.kind, paid_by=today)
    return eligibility_on(claim.participant, claim.event_date, claim.kind)  # every payment counts, whenever made


def held_pay_by(claim: Claim):
    """The day a held claim's arrears must be paid before (kept on the claim when it was reported), or None."""
    from datetime import date

    value = (claim.eligibility or {}).get("pay_by")
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@transaction.atomic
def recheck_held(user, claim: Claim) -> Claim:
    """Look again at a claim HELD for arrears (lenient policy): paid before the pay-by day -> REPORTED with the
    eligibility found now (the facts `prepare` computes the benefit from); the pay-by day passed unpaid -> REJECTED
    `lapsed` with the reason in words; still within it and unpaid -> refused, nothing changes. Audited
    (`claim.updated` or `claim.rejected`, old and new status)."""
    from .services import eligibility_json

    claim = _locked(claim)
    _check_processor(user, claim)
    if claim.status != ClaimStatus.HELD:
        raise _refuse(_("Klaim %(n)s berstatus %(s)s: hanya klaim yang ditahan karena tunggakan yang diperiksa "
                        "ulang.") % {"n": claim.number, "s": _status_text(claim)})
    today = clock.today()
    found = _eligibility_today(claim, today)
    pay_by = held_pay_by(claim) or found.pay_by
    old = {"status": claim.status, "eligibility": claim.eligibility}
    if found.eligible:
        claim.status, claim.eligibility = ClaimStatus.REPORTED, eligibility_json(found)
        fields = ["status", "eligibility"]
        now = clock.now()
        if claim.first_complete_at is not None and claim.first_complete_at < now:
            # the service clock runs from the day the claim could be paid: a file complete while it was held
            # starts its three working days at the release, not overdue at once
            old["first_complete_at"] = claim.first_complete_at.isoformat()
            claim.first_complete_at = now
            fields.append("first_complete_at")
        claim.save(update_fields=fields)
        audit_record(actor=user, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code,
                     old=old, new={"status": claim.status, "eligibility": claim.eligibility,
                                   **({"first_complete_at": now.isoformat()} if "first_complete_at" in fields else {})},
                     note=_("tunggakan dilunasi: klaim dilanjutkan"))
        return claim
    if found.held and (pay_by is None or today < pay_by):
        raise _refuse(_("Klaim %(n)s masih ditahan: tunggakan %(a)s belum lunas; perlu dilunasi sebelum %(d)s.") % {
            "n": claim.number, "a": rupiah(found.arrears), "d": f"{pay_by:%d-%m-%Y}" if pay_by else "-"})
    reason = found.reason
    if found.held:  # (an eligibility without `paid_by` does not know the day has passed: say it here)
        reason = _("tunggakan %(a)s tidak dilunasi sebelum %(d)s (aturan tunggakan longgar): kejadian tidak "
                   "ditanggung") % {"a": rupiah(found.arrears), "d": f"{pay_by:%d-%m-%Y}"}
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.REJECTED, user, clock.now()
    claim.rejection_code, claim.rejection_note = RejectionCode.LAPSED, str(reason)[:2000]
    claim.eligibility = eligibility_json(found)
    claim.save(update_fields=["status", "decided_by", "decided_at", "rejection_code", "rejection_note",
                              "eligibility"])
    audit_record(actor=user, event=AuditEventType.CLAIM_REJECTED, obj=claim, region_code=claim.desa_code, old=old,
                 new={"status": claim.status, "rejection_code": claim.rejection_code,
                      "rejection_note": claim.rejection_note, "eligibility": claim.eligibility})
    return claim
