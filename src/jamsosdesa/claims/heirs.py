"""Heirs on a claim (issue 15 item 4): add one or correct one, with the NIK checked by the registry's validator
(participants.nik.check_nik: a missing or impossible NIK is refused, naming the field), audited (`claim_heir.set`,
old and new values) in the same transaction. Not once the claim is approved, rejected, paid or withdrawn.

The order (`rank`) follows the relation (claims.services.HEIR_RANK: spouse and children first); the heirs of the
first rank present receive. A spouse who receives brings the marriage book onto the checklist, so the file's
completeness is looked at again after every change (claims.documents.refresh_complete). A prepared claim whose
heirs change goes back to REPORTED, its benefit split cleared (claims.reopen): the returned heir's `notice` says so."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.participants.models import HeirRelation
from jamsosdesa.participants.nik import check_nik, normalize_number

from .access import may_edit_file, may_process
from .models import Claim, ClaimHeir, ClaimStatus
from .reopen import back_to_reported
from .services import heir_rank, refresh_receives, refuse_closed

FIELDS = ("name", "relation", "nik", "birth_date", "bank_name", "account_number", "account_holder", "phone")


@dataclass
class HeirRequest:
    name: str = ""
    relation: str = ""
    nik: str = ""
    birth_date: date | None = None
    bank_name: str = ""
    account_number: str = ""
    account_holder: str = ""
    phone: str = ""


def _values(heir: ClaimHeir) -> dict:
    return {k: getattr(heir, k) for k in FIELDS} | {"rank": heir.rank, "receives": heir.receives}


def _clean(req: HeirRequest) -> dict:
    fields: dict[str, list[str]] = {}
    name = " ".join((req.name or "").split())
    if not name:
        fields["name"] = [_("Nama ahli waris wajib diisi.")]
    elif len(name) > 120:
        fields["name"] = [_("Nama ahli waris paling banyak 120 karakter.")]
    if req.relation not in HeirRelation.values:
        fields["relation"] = [_("Hubungan '%(r)s' tidak dikenal: pilih salah satu dari %(v)s.")
                              % {"r": str(req.relation or "")[:20], "v": ", ".join(HeirRelation.values)}]
    result = check_nik(req.nik, birth_date=req.birth_date, field_name="nik")
    for issue in result.errors:
        fields.setdefault("nik", []).append(_("NIK ahli waris: %(m)s") % {"m": issue.message})
    account = normalize_number(req.account_number)
    if account and (not account.isascii() or not account.isdigit() or len(account) > 30):
        fields["account_number"] = [_("Nomor rekening hanya angka, paling banyak 30 digit.")]
    bank, holder = (req.bank_name or "").strip(), " ".join((req.account_holder or "").split())
    if account and not bank:
        fields["bank_name"] = [_("Sebutkan bank rekening ini.")]
    if len(bank) > 60:
        fields["bank_name"] = [_("Nama bank paling banyak 60 karakter.")]
    if len(holder) > 120:
        fields["account_holder"] = [_("Nama pemilik rekening paling banyak 120 karakter.")]
    phone = normalize_number(req.phone)
    if phone and (not phone.isascii() or not phone.lstrip("+").isdigit() or len(phone) > 20):
        fields["phone"] = [_("Nomor HP hanya angka, paling banyak 20 digit.")]
    if fields:
        first = next(iter(fields.values()))[0]
        raise ServiceError(code=ErrorCode.INVALID, message=first, fields=fields)
    return {"name": name, "relation": req.relation, "nik": result.nik, "birth_date": req.birth_date or
            result.birth_date, "bank_name": bank, "account_number": account, "account_holder": holder or
            (name if account else ""), "phone": phone}


def heir_set(user, claim: Claim, req: HeirRequest, *, heir_id: int | None = None) -> ClaimHeir:
    """Add an heir to `claim` (heir_id None) or correct heir `heir_id` of it. The claim comes through
    claims.access (in the user's scope)."""
    if not may_edit_file(user):
        raise PermissionDenied(_("Peran Anda tidak mengubah ahli waris klaim."))
    values = _clean(req)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        refuse_closed(claim, _("ahli warisnya"))
        if claim.status == ClaimStatus.PREPARED and not may_process(user):
            # the shares and accounts the approver is shown are the preparer's: only those who process claims change
            # them now (a benefit must not be redirected between preparation and approval)
            raise PermissionDenied(_("Klaim %(n)s sudah disiapkan: ahli waris dan rekeningnya hanya diubah oleh "
                                     "petugas yang memproses klaim.") % {"n": claim.number})
        heir = None
        if heir_id is not None:
            heir = claim.heirs.filter(pk=heir_id).first()
            if heir is None:
                raise NotFound(_("Ahli waris %(h)s tidak ada pada klaim %(n)s.") % {"h": heir_id, "n": claim.number})
            if not may_process(user) and not values["account_number"]:
                # this role was shown the account masked: left empty, it stays as recorded (every door alike)
                values["bank_name"] = values["bank_name"] or heir.bank_name
                values["account_number"] = heir.account_number
                values["account_holder"] = values["account_holder"] or heir.account_holder
        other = claim.heirs.filter(nik=values["nik"]).exclude(pk=getattr(heir, "pk", None)).first()
        if other is not None:
            message = _("NIK %(k)s sudah tercatat sebagai ahli waris %(h)s pada klaim ini.") % {
                "k": values["nik"], "h": other.name}
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"nik": [message]})
        old = _values(heir) if heir else {}
        if heir is None:
            # receives nothing until refresh_receives says so (which audits the change of who receives)
            heir = ClaimHeir(claim=claim, source_heir=_registered_match(claim, values), receives=False)
        for key, value in values.items():
            setattr(heir, key, value)
        heir.rank = heir_rank(heir.relation)
        try:
            with transaction.atomic():
                heir.save()
        except IntegrityError:  # the same NIK added at the same moment
            message = _("NIK %(k)s sudah tercatat sebagai ahli waris pada klaim ini.") % {"k": values["nik"]}
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"nik": [message]}) from None
        refresh_receives(claim, user)
        heir.refresh_from_db()
        before, after = diff(old, _values(heir)) if old else ({}, _values(heir))
        audit_record(actor=user, event=AuditEventType.CLAIM_HEIR_SET, obj=heir, region_code=claim.desa_code,
                     old=before or None, new=after, note=claim.number)
        from .documents import refresh_complete

        refresh_complete(user, claim)
        notice = back_to_reported(user, claim, _("ahli waris %(h)s ditambah atau diubah") % {"h": heir.name})
        if notice:
            heir.refresh_from_db()  # its share is cleared
        heir.notice = notice
    return heir


def _registered_match(claim: Claim, values: dict):
    """The participant's registered heir this new one completes (same name and relation, not yet on the claim)."""
    copied = set(claim.heirs.exclude(source_heir=None).values_list("source_heir_id", flat=True))
    for registered in claim.participant.heirs.filter(relation=values["relation"]):
        if registered.pk not in copied and " ".join(registered.name.split()).upper() == values["name"].upper():
            return registered
    return None


def pending_heirs(claim: Claim) -> list:
    """The participant's registered heirs not on the claim (most often: registered without a valid NIK), for the
    page to offer adding them with their NIK."""
    copied = set(claim.heirs.exclude(source_heir=None).values_list("source_heir_id", flat=True))
    niks = set(claim.heirs.values_list("nik", flat=True))
    return [h for h in claim.participant.heirs.all() if h.pk not in copied and normalize_number(h.nik) not in niks]
