"""Scholarships for a deceased (or totally disabled) worker's children, granted school year by school year up to
the caps (issue 15 item 3; DOMAIN.md; PP 44/2015 as amended by PP 82/2019):

- at most `scholarship_max_children` children per participant, each a child heir of the claim;
- per child and school year the amount of the level (`scholarship_tk_sd`, `_smp`, `_sma`, `_higher`) in force on
  1 July of the year (the school year starts in July);
- up to `scholarship_cap_per_child` per child and `scholarship_cap_two_children` per participant: a year that would
  pass a cap is granted what is left of it (the last year of a long schooling), and refused once nothing is left;
- the caps, the number of children and the one grant per child and year belong to the participant (the deceased or
  disabled worker), not to one claim: a worker's total-disability claim and later death claim share them, and a
  child is the same child on both by NIK (docs/design/claims.md "Scholarships"). A child of two deceased
  participants receives under each participant's caps;
- the JKM route needs `jkm_scholarship_min_months` contribution months (as found on the event day:
  `claim.eligibility["contribution_months"]`); the JKK route (death, total permanent disability) has no minimum;
- one grant per child and year (also a constraint of the table, per claim); only for a claim approved or paid.

Four eyes: `propose` records a grant PROPOSED (by a person who processes claims: claims.access.may_process, the
claim in their scope); `approve` (optionally fixing the account it is paid to, or the guardian heir whose account it
is) or `reject` by another such person makes it APPROVED or REJECTED; the proposer is refused (403). Only approved
grants are granted (and paid: `pay`); a proposal holds its amount against the caps until it is decided, and a
rejected grant frees its amount, its place and its school year.

Every refusal is a ServiceError with a `ScholarshipRefusal` code (HTTP 422) and a message saying which rule. Each step
locks the participant's claims and the grant and writes its audit row in the same transaction: `scholarship.granted`
with the old and new status (proposed, approved, rejected: the note says which; core has no finer event type for
scholarships yet). `summary(claim)` is the tracking: per child what was granted so far (by year), what is proposed
and what is left."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.participants.models import HeirRelation

from .models import (
    Claim,
    ClaimHeir,
    ClaimKind,
    ClaimPayment,
    ClaimStatus,
    ScholarshipGrant,
    ScholarshipStatus,
    SchoolLevel,
)
from .parameters import param

SCHOLARSHIP_KINDS = (ClaimKind.JKM, ClaimKind.JKK_DEATH, ClaimKind.JKK_DISABILITY_TOTAL)
GRANTABLE_STATUSES = (ClaimStatus.APPROVED, ClaimStatus.PAID)
FIRST_YEAR, LAST_YEAR = 2000, 2199
LEVEL_CODES = {SchoolLevel.TK_SD: "scholarship_tk_sd", SchoolLevel.SMP: "scholarship_smp",
               SchoolLevel.SMA: "scholarship_sma", SchoolLevel.HIGHER: "scholarship_higher"}


class ScholarshipRefusal(StrEnum):
    NOT_SCHOLARSHIP_CLAIM = "scholarship_not_for_kind"
    CLAIM_NOT_DECIDED = "scholarship_claim_not_approved"
    NOT_A_CHILD = "scholarship_not_a_child"
    TOO_FEW_MONTHS = "scholarship_too_few_months"
    TOO_MANY_CHILDREN = "scholarship_too_many_children"
    CAP_REACHED = "scholarship_cap_reached"
    ALREADY_GRANTED = "scholarship_already_granted"
    BAD_YEAR = "scholarship_bad_year"
    BAD_LEVEL = "scholarship_bad_level"
    NOT_PROPOSED = "scholarship_not_proposed"
    NOT_APPROVED = "scholarship_not_approved"
    ALREADY_PAID = "scholarship_already_paid"
    BAD_ACCOUNT = "scholarship_bad_account"


def _refuse(code: ScholarshipRefusal, message: str, field: str = "child") -> ServiceError:
    return ServiceError(code=code, message=message, fields={field: [message]})


def school_year_start(year: int) -> date:
    """The day the school year `year`/`year + 1` starts: the day whose parameters give its amount."""
    return date(year, 7, 1)


def _may_grant(user) -> bool:
    from .access import may_process

    return may_process(user)


def propose(user, claim: Claim, child_heir: ClaimHeir, year: int, level: str) -> ScholarshipGrant:
    """Propose for the child `child_heir` of `claim` the scholarship of school year `year` (its starting year) at
    `level` (a SchoolLevel value): PROPOSED, granted once another person approves it. Refusals say which rule; see
    the module."""
    _check_processor(user, claim)
    if level not in SchoolLevel.values:
        raise _refuse(ScholarshipRefusal.BAD_LEVEL, _("Jenjang '%(l)s' tidak dikenal: pilih %(c)s.") % {
            "l": str(level)[:20], "c": ", ".join(SchoolLevel.values)}, "level")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise _refuse(ScholarshipRefusal.BAD_YEAR, _("Tahun ajaran '%(y)s' tidak dikenal: tulis tahun mulainya, "
                                                     "mis. 2027 untuk 2027/2028.") % {"y": str(year)[:10]}, "year")
    with transaction.atomic():
        claim = _lock_participant_claims(claim)
        if claim.kind not in SCHOLARSHIP_KINDS:
            raise _refuse(ScholarshipRefusal.NOT_SCHOLARSHIP_CLAIM, _(
                "Beasiswa hanya untuk klaim kematian (JKM, JKK) atau cacat total tetap, bukan %(k)s.") % {
                "k": claim.get_kind_display()}, "claim")
        if claim.status not in GRANTABLE_STATUSES:
            raise _refuse(ScholarshipRefusal.CLAIM_NOT_DECIDED, _(
                "Klaim %(n)s belum disetujui (status: %(s)s): beasiswa diberikan sesudah klaim disetujui.") % {
                "n": claim.number, "s": claim.get_status_display()}, "claim")
        if child_heir.claim_id != claim.pk or child_heir.relation != HeirRelation.CHILD:
            raise _refuse(ScholarshipRefusal.NOT_A_CHILD, _(
                "%(name)s bukan anak peserta pada klaim %(n)s: beasiswa hanya untuk anak.") % {
                "name": child_heir.name, "n": claim.number})
        on = claim.event_date
        if claim.kind == ClaimKind.JKM:
            needed = param("jkm_scholarship_min_months", on)
            months = int((claim.eligibility or {}).get("contribution_months") or 0)
            if months < needed:
                raise _refuse(ScholarshipRefusal.TOO_FEW_MONTHS, _(
                    "Beasiswa JKM perlu masa iuran paling sedikit %(need)s bulan; peserta baru %(have)s bulan pada "
                    "tanggal kejadian.") % {"need": needed, "have": months}, "claim")
        grants = participant_grants(claim)
        own = grants.filter(child__nik=child_heir.nik)
        if own.filter(year=year).exists():
            raise _refuse(ScholarshipRefusal.ALREADY_GRANTED, _(
                "%(name)s sudah menerima beasiswa tahun ajaran %(y)s/%(y1)s.") % {
                "name": child_heir.name, "y": year, "y1": year + 1}, "year")
        children = set(grants.values_list("child__nik", flat=True))
        most = param("scholarship_max_children", on)
        if child_heir.nik not in children and len(children) >= most:
            raise _refuse(ScholarshipRefusal.TOO_MANY_CHILDREN, _(
                "Beasiswa paling banyak untuk %(m)s anak per peserta; %(p)s sudah memberikannya kepada %(c)s "
                "anak.") % {"m": most, "p": claim.participant.full_name, "c": len(children)})
        amount = param(LEVEL_CODES[SchoolLevel(level)], school_year_start(year))
        child_left = param("scholarship_cap_per_child", on) - _sum(own)
        claim_left = param("scholarship_cap_two_children", on) - _sum(grants)
        left = min(child_left, claim_left)
        if left <= 0:
            raise _refuse(ScholarshipRefusal.CAP_REACHED, _(
                "Batas beasiswa sudah tercapai: %(name)s sudah menerima %(g)s dari paling banyak %(cap)s per anak "
                "(%(two)s untuk dua anak).") % {
                "name": child_heir.name, "g": rupiah(_sum(own)),
                "cap": rupiah(param("scholarship_cap_per_child", on)),
                "two": rupiah(param("scholarship_cap_two_children", on))}, "year")
        amount = min(amount, left)
        try:
            with transaction.atomic():
                row = ScholarshipGrant.objects.create(claim=claim, child=child_heir, year=year, level=level,
                                                      amount=amount, proposed_by=user)
        except IntegrityError:
            raise _refuse(ScholarshipRefusal.ALREADY_GRANTED, _(
                "%(name)s sudah menerima beasiswa tahun ajaran %(y)s/%(y1)s.") % {
                "name": child_heir.name, "y": year, "y1": year + 1}, "year") from None
        audit_record(actor=user, event=AuditEventType.SCHOLARSHIP_GRANTED, obj=row, region_code=claim.desa_code,
                     new={"claim": claim.number, "child": child_heir.pk, "year": year, "level": level,
                          "amount": amount, "status": row.status}, note=PROPOSED_NOTE)
    return row


PROPOSED_NOTE, APPROVED_NOTE, REJECTED_NOTE = "proposed", "approved", "rejected"


def _check_processor(user, claim: Claim) -> None:
    """404 for a claim the user does not see; 403 for one they see but whose scholarships they may not process
    (claims.access: branch officers and national admins process claims)."""
    from .access import scope_claims

    if not scope_claims(user).filter(pk=claim.pk).exists():
        raise NotFound(_("Klaim tidak ditemukan di wilayah Anda."))
    if not _may_grant(user):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
            "Hanya petugas kantor cabang atau admin nasional yang memproses beasiswa klaim %(n)s.") % {
            "n": claim.number})


def _locked_grant(user, row: ScholarshipGrant) -> ScholarshipGrant:
    """The grant, locked with its participant's claims, if the user processes claims and sees its claim (404 or 403
    otherwise)."""
    _check_processor(user, row.claim)
    _lock_participant_claims(row.claim)
    return ScholarshipGrant.objects.select_for_update(of=("self",)).select_related("claim", "child").get(pk=row.pk)


def _status_text(row: ScholarshipGrant) -> str:
    return str(ScholarshipStatus(row.status).label)


def _check_claim_decided(claim: Claim) -> None:
    if claim.status not in GRANTABLE_STATUSES:
        raise _refuse(ScholarshipRefusal.CLAIM_NOT_DECIDED, _(
            "Klaim %(n)s belum disetujui (status: %(s)s): beasiswa diberikan sesudah klaim disetujui.") % {
            "n": claim.number, "s": claim.get_status_display()}, "claim")


def _check_proposed(user, row: ScholarshipGrant, doing: str) -> None:
    if row.status != ScholarshipStatus.PROPOSED:
        raise _refuse(ScholarshipRefusal.NOT_PROPOSED, _(
            "Beasiswa %(name)s tahun ajaran %(y)s/%(y1)s berstatus %(s)s: hanya usulan yang dapat diputuskan.") % {
            "name": row.child.name, "y": row.year, "y1": row.year + 1, "s": _status_text(row)}, "status")
    if row.proposed_by_id == user.pk:
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
            "Anda mengusulkan beasiswa %(name)s tahun ajaran %(y)s/%(y1)s: orang lain yang harus %(d)s (empat "
            "mata).") % {"name": row.child.name, "y": row.year, "y1": row.year + 1, "d": doing},
            fields={"status": [_("Usulan Anda sendiri tidak dapat Anda putuskan.")]})


def _normal_account(bank: str, account: str) -> tuple[str, str]:
    """(bank, account) as typed, spaces folded (and dashes dropped from the number), checked."""
    bank, account = " ".join((bank or "").split()), (account or "").strip().replace(" ", "").replace("-", "")
    if has_bad_chars(bank) or has_bad_chars(account):
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _("Berisi karakter yang tidak sah."), "account")
    if account and not (account.isdigit() and account.isascii()):
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _("Nomor rekening hanya berisi angka."), "account")
    return bank[:60], account[:30]


def _clean_account(bank: str, account: str) -> tuple[str, str]:
    bank, account = _normal_account(bank, account)
    if bool(bank) != bool(account):
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
            "Isi bank dan nomor rekening bersama, atau kosongkan keduanya (dibayar ke rekening wali)."), "account")
    return bank[:60], account[:30]


def heir_account(heir: ClaimHeir) -> tuple[str, str]:
    """(bank, account) of an heir: the one approved with the claim when there is one, else the one on the claim."""
    if heir.approved_account_number:
        return heir.approved_bank_name, heir.approved_account_number
    return heir.bank_name, heir.account_number.replace(" ", "").replace("-", "")


def default_guardian(row: ScholarshipGrant) -> ClaimHeir | None:
    """Whose account a grant is paid to when the approver names neither an account nor a guardian: the child's own
    account, else the spouse heir's on the claim (the surviving parent; the first by rank), else nobody."""
    if heir_account(row.child)[1]:
        return row.child
    for heir in ClaimHeir.objects.filter(claim_id=row.claim_id, relation=HeirRelation.SPOUSE).order_by("rank", "id"):
        if heir_account(heir)[1]:
            return heir
    return None


def approve(user, row: ScholarshipGrant, *, guardian: ClaimHeir | None = None, bank: str = "",
            account: str = "") -> ScholarshipGrant:
    """Approve a proposed grant (a person other than its proposer): PROPOSED -> APPROVED (audited), fixing the
    account it is paid to: `bank` and `account` when given, else the guardian heir's account (`guardian`, an heir of
    the claim; with none named, `default_guardian`). With no account to pay to, the approval is refused."""
    bank, account = _clean_account(bank, account)
    with transaction.atomic():
        row = _locked_grant(user, row)
        _check_proposed(user, row, _("menyetujuinya"))
        _check_claim_decided(row.claim)
        if guardian is not None and guardian.claim_id != row.claim_id:
            raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
                "%(name)s bukan ahli waris pada klaim %(n)s: pilih wali dari ahli waris klaim ini.") % {
                "name": guardian.name, "n": row.claim.number}, "guardian")
        if not account:
            guardian = guardian or default_guardian(row)
            bank, account = heir_account(guardian) if guardian is not None else ("", "")
            if not account:
                raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
                    "Belum ada rekening tujuan beasiswa %(name)s: isi bank dan nomor rekening, atau pilih wali yang "
                    "rekeningnya tercatat pada klaim.") % {"name": row.child.name}, "account")
        old = {"status": row.status}
        row.status, row.decided_by, row.decided_at = ScholarshipStatus.APPROVED, user, clock.now()
        row.guardian, row.bank_name, row.account_number = guardian, bank, account
        row.save(update_fields=["status", "decided_by", "decided_at", "guardian", "bank_name", "account_number"])
        audit_record(actor=user, event=AuditEventType.SCHOLARSHIP_GRANTED, obj=row, region_code=row.claim.desa_code,
                     old=old, new={"status": row.status, "claim": row.claim.number, "child": row.child_id,
                                   "year": row.year, "amount": row.amount,
                                   "guardian": guardian.pk if guardian else None, "bank": bank, "account": account},
                     note=APPROVED_NOTE)
    return row


def reject(user, row: ScholarshipGrant, note: str = "") -> ScholarshipGrant:
    """Reject a proposed grant (a person other than its proposer): PROPOSED -> REJECTED (audited); its amount, place
    and school year are free again."""
    note = (note or "").strip()
    if has_bad_chars(note):
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _("Keterangan berisi karakter yang tidak sah."), "note")
    with transaction.atomic():
        row = _locked_grant(user, row)
        _check_proposed(user, row, _("menolaknya"))
        old = {"status": row.status}
        row.status, row.decided_by, row.decided_at = ScholarshipStatus.REJECTED, user, clock.now()
        row.decision_note = note[:500]
        row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(actor=user, event=AuditEventType.SCHOLARSHIP_GRANTED, obj=row, region_code=row.claim.desa_code,
                     old=old, new={"status": row.status, "claim": row.claim.number, "child": row.child_id,
                                   "year": row.year, "note": row.decision_note}, note=REJECTED_NOTE)
    return row


def _lock_participant_claims(claim: Claim) -> Claim:
    """Lock every claim of the claim's participant (in id order), so that two grants on a worker's two claims
    (total disability, then death) are counted one after the other against the same caps; the claim itself."""
    ids = list(Claim.objects.select_for_update().filter(participant_id=claim.participant_id).order_by("pk")
               .values_list("pk", flat=True))
    if claim.pk not in ids:
        raise NotFound(_("Klaim tidak ditemukan di wilayah Anda."))
    return Claim.objects.select_related("participant").get(pk=claim.pk)


def participant_grants(claim: Claim):
    """The grants counted against the caps of the claim's participant: on any of the participant's claims, proposed
    or approved (a proposal holds its amount until it is decided; a rejected grant counts for nothing)."""
    return ScholarshipGrant.objects.filter(claim__participant_id=claim.participant_id).exclude(
        status=ScholarshipStatus.REJECTED)


def child_missing_message(claim: Claim) -> str:
    """A door's answer to an heir id that is not on the claim."""
    return _("Ahli waris itu tidak tercatat pada klaim %(n)s.") % {"n": claim.number}


def grant_for(claim: Claim, child_id: int, year: int) -> ScholarshipGrant | None:
    """The live (not rejected) grant of this claim for the child heir `child_id` and school year `year`."""
    return (ScholarshipGrant.objects.select_related("child", "claim")
            .filter(claim=claim, child_id=child_id, year=year).exclude(status=ScholarshipStatus.REJECTED).first())


def _sum(qs) -> int:
    return int(qs.aggregate(total=Sum("amount"))["total"] or 0)


@dataclass(frozen=True)
class ChildSummary:
    heir_id: int
    name: str
    granted: int  # approved
    proposed: int  # waiting for a decision (held against the caps)
    remaining: int
    years: tuple[dict, ...]

    def as_dict(self) -> dict:
        return {"heir_id": self.heir_id, "name": self.name, "granted": self.granted, "proposed": self.proposed,
                "remaining": self.remaining, "years": list(self.years)}


def summary(claim: Claim) -> list[ChildSummary]:
    """Per child with a grant (then the claim's other child heirs, while places are left): granted so far, by year,
    and what is left under the per-child cap and the participant's cap. Grants on the participant's other claims
    count (a child is the same child by NIK); `years` lists every grant of the child, `claim` naming the claim."""
    if claim.kind not in SCHOLARSHIP_KINDS:
        return []
    on = claim.event_date
    cap_child, cap_claim = param("scholarship_cap_per_child", on), param("scholarship_cap_two_children", on)
    most = param("scholarship_max_children", on)
    grants = list(participant_grants(claim).select_related("child", "claim", "payment").order_by("year", "id"))
    claim_left = cap_claim - sum(g.amount for g in grants)
    granted_niks = list(dict.fromkeys(g.child.nik for g in grants))
    heirs = {h.nik: h for h in ClaimHeir.objects.filter(claim=claim, relation=HeirRelation.CHILD).order_by("id")}
    order = granted_niks + ([nik for nik in heirs if nik not in granted_niks] if len(granted_niks) < most else [])
    result = []
    for nik in order[:max(most, len(granted_niks))]:
        own = [g for g in grants if g.child.nik == nik]
        held = sum(g.amount for g in own)
        granted = sum(g.amount for g in own if g.status == ScholarshipStatus.APPROVED)
        heir = heirs.get(nik)
        result.append(ChildSummary(
            heir_id=heir.pk if heir else own[0].child_id, name=heir.name if heir else own[0].child.name,
            granted=granted, proposed=held - granted, remaining=max(min(cap_child - held, claim_left), 0),
            years=tuple({"id": g.pk, "year": g.year, "level": g.level, "amount": g.amount, "status": g.status,
                         "claim": g.claim.number, "paid_on": g.payment.paid_on.isoformat() if g.payment_id else None}
                        for g in own)))
    return result


SCHOLARSHIP_PURPOSE = "scholarship:%s"


def _payment_refusal(message: str, field: str) -> ServiceError:
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})


def _already_paid(row: ScholarshipGrant, payment: ClaimPayment) -> ServiceError:
    return _refuse(ScholarshipRefusal.ALREADY_PAID, _(
        "Beasiswa %(name)s tahun ajaran %(y)s/%(y1)s sudah dibayar pada %(d)s (referensi %(r)s): beasiswa tidak "
        "dibayar dua kali.") % {"name": row.child.name, "y": row.year, "y1": row.year + 1,
                                 "d": f"{payment.paid_on:%d-%m-%Y}", "r": payment.reference}, "status")


def pay(user, row: ScholarshipGrant, paid_on: date, bank: str = "", account: str = "",
        reference: str = "") -> ClaimPayment:
    """Record the transfer of an approved grant (audited `claim_payment.recorded`): a ClaimPayment of the child heir
    with purpose "scholarship:<year>" for the grant's amount, to the account fixed at approval (`bank`/`account`,
    when given, must be that one), once per grant (the `claim_payment_once` constraint and the grant's one-to-one
    `payment`), a transfer reference used once, not a day in the future nor before the approval."""
    bank, account = _normal_account(bank, account)
    reference = (reference or "").strip()
    if not reference:
        raise _payment_refusal(_("Isi referensi transfer."), "reference")
    if has_bad_chars(reference):
        raise _payment_refusal(_("Berisi karakter yang tidak sah."), "reference")
    if not isinstance(paid_on, date):
        raise _payment_refusal(_("Isi tanggal bayar."), "paid_on")
    if paid_on > clock.today():
        raise _payment_refusal(_("Tanggal bayar %(d)s belum tiba.") % {"d": f"{paid_on:%d-%m-%Y}"}, "paid_on")
    try:
        with transaction.atomic():
            return _pay(user, row, paid_on, bank, account, reference[:60])
    except IntegrityError:
        # a double submit that passed the checks beside the first: the constraints refused it
        row = ScholarshipGrant.objects.select_related("child").get(pk=row.pk)
        existing = ClaimPayment.objects.filter(heir_id=row.child_id, purpose=SCHOLARSHIP_PURPOSE % row.year).first()
        if existing is not None:
            raise _already_paid(row, existing) from None
        raise _payment_refusal(_("Referensi transfer %(r)s sudah dipakai untuk pembayaran lain.") % {
            "r": reference}, "reference") from None


def _pay(user, row, paid_on, bank, account, reference) -> ClaimPayment:
    from .clock import local_date

    row = _locked_grant(user, row)
    if row.payment_id:
        raise _already_paid(row, row.payment)
    _check_claim_decided(row.claim)
    if row.status != ScholarshipStatus.APPROVED:
        raise _refuse(ScholarshipRefusal.NOT_APPROVED, _(
            "Beasiswa %(name)s tahun ajaran %(y)s/%(y1)s berstatus %(s)s: hanya beasiswa yang disetujui yang "
            "dibayar.") % {"name": row.child.name, "y": row.year, "y1": row.year + 1, "s": _status_text(row)},
            "status")
    where = f"{row.bank_name} {row.account_number}"
    if not row.account_number:
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
            "Rekening tujuan beasiswa %(name)s tidak tercatat pada persetujuannya.") % {"name": row.child.name},
            "account")
    if account and account != row.account_number:
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
            "Nomor rekening %(a)s bukan rekening yang disetujui untuk beasiswa ini (%(ok)s).") % {
            "a": account, "ok": where}, "account")
    if bank and bank.casefold() != " ".join(row.bank_name.split()).casefold():
        raise _refuse(ScholarshipRefusal.BAD_ACCOUNT, _(
            "Bank %(b)s bukan bank rekening yang disetujui untuk beasiswa ini (%(ok)s).") % {"b": bank, "ok": where},
            "bank")
    if ClaimPayment.objects.filter(reference=reference).exists():
        raise _payment_refusal(_("Referensi transfer %(r)s sudah dipakai untuk pembayaran lain.") % {
            "r": reference}, "reference")
    approved_on = local_date(row.decided_at)
    if paid_on < approved_on:
        raise _payment_refusal(_("Tanggal bayar %(d)s sebelum beasiswa disetujui (%(a)s).") % {
            "d": f"{paid_on:%d-%m-%Y}", "a": f"{approved_on:%d-%m-%Y}"}, "paid_on")
    payment = ClaimPayment.objects.create(claim=row.claim, heir=row.child, purpose=SCHOLARSHIP_PURPOSE % row.year,
                                          amount=row.amount, paid_on=paid_on, bank_name=row.bank_name,
                                          account_number=row.account_number, reference=reference, recorded_by=user)
    row.payment = payment
    row.save(update_fields=["payment"])
    audit_record(actor=user, event=AuditEventType.CLAIM_PAYMENT_RECORDED, obj=payment,
                 region_code=row.claim.desa_code, old=None,
                 new={"claim": row.claim.number, "heir": row.child_id, "scholarship": row.pk,
                      "purpose": payment.purpose, "amount": payment.amount, "paid_on": paid_on,
                      "bank": payment.bank_name, "account": payment.account_number,
                      "guardian": row.guardian_id, "reference": reference}, note="scholarship")
    return payment
