"""A claim's documents (issue 15 item 5): the checklist per kind, adding a document (an upload, a photo from a
phone is fine, or marked as seen in the original by a named person), withdrawing one, and the file's completeness.

- Checklist (DOMAIN.md "Benefits and claims"; PP 44/2015): a death (JKM, JKK death) needs the KPJ, the e-KTP of
  the participant, the death certificate, the KK, the heir statement, the e-KTP and the bank book of EACH receiving
  heir (a document with heir = that heir; the page, the API and the CLI refuse one without its heir), and the
  marriage book when a spouse receives; a work accident (every JKK kind) adds the accident reports stage I
  and II and the doctor's certificate; a living worker's JKK claim (temporary incapacity, total disability,
  occupational disease) needs the KPJ, the participant's e-KTP, the reports, the doctor's certificate and the
  worker's bank account. A police report may be added to any claim; it is never required.
- Uploads: JPEG, PNG, WebP, HEIC/HEIF (phone cameras) or PDF, told by the file's first bytes (its content), never by
  its name; at most settings.CLAIM_DOCUMENT_MAX_BYTES (JAMSOSDESA_CLAIM_DOCUMENT_MAX_BYTES, 5 MB by default),
  counted while it is written. Files are kept under settings.VAR_DIR/claims/ (outside the web root) and served only
  by the scoped view (claims.views_file.document_file) and its API twin, and only to those `may_open` lets (scans
  of identity, family, bank and health papers: the processors of the claim and the uploader).
- A document of a kind (and heir) that is added again replaces the earlier one, which is withdrawn (kept, never
  deleted); both steps are audited. `complete_at` is set when every required item has a live document and cleared
  when one is withdrawn or a new requirement appears (a spouse who now receives); `first_complete_at` keeps the first
  time it was set and is never cleared: the service clock (claims.worklist, claims.dashboard) runs from it, so
  replacing or withdrawing and adding a document again does not restart the clock.
- A document added or withdrawn on a prepared claim sends it back to REPORTED, its benefit split cleared
  (claims.reopen; the returned document's `notice` says so); on a closed claim it is refused."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock as core_clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.participants.models import HeirRelation

from .access import may_edit_file
from .models import DEATH_KINDS, JKK_KINDS, Claim, ClaimDocument, ClaimHeir, ClaimKind, DocumentKind
from .reopen import back_to_reported
from .services import refuse_closed

K = DocumentKind
DEATH_DOCUMENTS = (K.KPJ, K.KTP_PARTICIPANT, K.KTP_HEIR, K.DEATH_CERTIFICATE, K.KK, K.HEIR_STATEMENT,
                   K.BANK_ACCOUNT)
ACCIDENT_DOCUMENTS = (K.ACCIDENT_REPORT_1, K.ACCIDENT_REPORT_2, K.MEDICAL_CERTIFICATE)
LIVING_JKK_DOCUMENTS = (K.KPJ, K.KTP_PARTICIPANT, *ACCIDENT_DOCUMENTS, K.BANK_ACCOUNT)
CHUNK = 64 * 1024

# (content type, file extension) by the first bytes of the file
FORMATS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic",
           "application/pdf": "pdf"}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif")


def max_bytes() -> int:
    return int(getattr(settings, "CLAIM_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes (at least 12), or None when it is none of FORMATS."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


# A death claim needs these once per receiving heir (each heir's e-KTP and the page of the bank book their share is
# paid to), satisfied by a document with heir = that heir; a living worker's JKK claim needs its bank book once (the
# worker's own account).
PER_HEIR_KINDS = (K.KTP_HEIR, K.BANK_ACCOUNT)


@dataclass
class ChecklistItem:
    kind: str
    label: str
    required: bool
    document: ClaimDocument | None  # the live document of this kind and heir (the latest), None when missing
    heir: ClaimHeir | None = None  # the heir this item is for (PER_HEIR_KINDS on a death claim)

    @property
    def done(self) -> bool:
        return self.document is not None


def required_kinds(claim: Claim) -> list[str]:
    """The kinds of document this claim needs (see the module); per heir: required_items."""
    if claim.kind in DEATH_KINDS:
        kinds = list(DEATH_DOCUMENTS)
        if claim.kind == ClaimKind.JKK_DEATH:
            kinds[-1:-1] = ACCIDENT_DOCUMENTS
        if claim.heirs.filter(relation=HeirRelation.SPOUSE, receives=True).exists():
            kinds.append(K.MARRIAGE_BOOK)
        return [str(k) for k in kinds]
    if claim.kind in JKK_KINDS:
        return [str(k) for k in LIVING_JKK_DOCUMENTS]
    return []


def per_heir(claim: Claim, kind: str) -> bool:
    """Whether documents of `kind` on this claim belong to one heir each."""
    return claim.kind in DEATH_KINDS and kind in PER_HEIR_KINDS


def required_items(claim: Claim) -> list[tuple[str, ClaimHeir | None]]:
    """(kind, heir) for every document the claim needs: the per-heir kinds once for each receiving heir (once, with
    no heir, while no heir receives: the claim cannot be prepared then anyway)."""
    receiving = list(claim.heirs.filter(receives=True).order_by("rank", "id"))
    items: list[tuple[str, ClaimHeir | None]] = []
    for kind in required_kinds(claim):
        if per_heir(claim, kind) and receiving:
            items += [(kind, heir) for heir in receiving]
        else:
            items.append((kind, None))
    return items


def live_documents(claim: Claim):
    return claim.documents.filter(withdrawn_at=None).select_related("added_by", "heir").order_by("kind", "-id")


def _label(kind: str, heir: ClaimHeir | None) -> str:
    label = str(K(kind).label)
    return f"{label}: {heir.name}" if heir is not None else label


def checklist(claim: Claim) -> list[ChecklistItem]:
    """Every required item (per heir where it is) with its live document, then any other live document (a police
    report, an heir's e-KTP who does not receive...)."""
    live: dict[tuple[str, int | None], ClaimDocument] = {}
    for doc in live_documents(claim):
        live.setdefault((doc.kind, doc.heir_id), doc)
    items, required = [], set()
    for kind, heir in required_items(claim):
        key = (kind, heir.pk if heir is not None else None)
        required.add(key)
        items.append(ChecklistItem(kind, _label(kind, heir), True, live.get(key), heir))
    items += [ChecklistItem(kind, _label(kind, doc.heir), False, doc, doc.heir)
              for (kind, heir_id), doc in live.items() if (kind, heir_id) not in required]
    return items


def is_complete(claim: Claim) -> bool:
    return all(item.done for item in checklist(claim) if item.required)


def refresh_complete(user, claim: Claim) -> None:
    """Set `complete_at` when the checklist is complete, clear it when it no longer is (audited as claim.updated).
    Call inside the transaction of the change."""
    complete = is_complete(claim)
    old = claim.complete_at
    first = claim.first_complete_at
    if complete and old is None:
        claim.complete_at = core_clock.now()
        claim.first_complete_at = first or claim.complete_at
    elif not complete and old is not None:
        claim.complete_at = None
    else:
        return
    Claim.objects.filter(pk=claim.pk).update(complete_at=claim.complete_at, first_complete_at=claim.first_complete_at)
    changed_first = {"first_complete_at": claim.first_complete_at} if first != claim.first_complete_at else {}
    audit_record(actor=user, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code,
                 old={"complete_at": old, **({"first_complete_at": first} if changed_first else {})},
                 new={"complete_at": claim.complete_at, **changed_first},
                 note=_("berkas lengkap") if complete else _("berkas belum lengkap lagi"))


def document_folder() -> Path:
    return Path(settings.VAR_DIR) / "claims"


def document_path(doc: ClaimDocument) -> Path:
    return document_folder() / doc.file_path


def _too_large(limit: int) -> ServiceError:
    message = _("Berkas lebih besar dari %(m)s MB: kecilkan foto atau pindai dengan resolusi lebih rendah.") % {
        "m": f"{limit / 1024 / 1024:g}"}
    return ServiceError(code=ErrorCode.FILE_TOO_LARGE, message=message, fields={"file": [message]})


def _store(claim: Claim, upload) -> dict:
    """Write the upload under the claim's folder, checking its format and size; the file's facts."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    first = b""
    chunks = iter(chunks)
    for chunk in chunks:
        first += chunk
        if len(first) >= 12:
            break
    if not first:
        message = _("Berkas kosong.")
        raise ServiceError(code=ErrorCode.FILE_EMPTY, message=message, fields={"file": [message]})
    content_type = sniff(first[:16])
    if content_type is None:
        message = _("Format berkas tidak dapat dibaca: kirim foto JPEG, PNG, WebP atau HEIC, atau PDF (isi berkas "
                    "yang diperiksa, bukan namanya).")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"file": [message]})
    relative = f"{claim.pk}/{uuid.uuid4().hex}.{FORMATS[content_type]}"
    target = document_folder() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, written = hashlib.sha256(), 0
    try:
        with open(target, "xb") as out:
            for chunk in [first, *chunks]:
                written += len(chunk)
                if written > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    name = Path(str(getattr(upload, "name", "") or "")).name[:200]
    return {"file_path": relative, "file_name": name, "content_type": content_type, "size": written,
            "sha256": digest.hexdigest()}


def _doc_values(doc: ClaimDocument) -> dict:
    return {"kind": doc.kind, "heir": doc.heir_id, "file_name": doc.file_name, "content_type": doc.content_type,
            "size": doc.size, "sha256": doc.sha256, "seen_in_original": doc.seen_in_original}


def add_document(user, claim: Claim, kind: str, *, upload=None, seen_in_original: bool = False,
                 heir_id: int | None = None) -> ClaimDocument:
    """Add a document of `kind` to the claim: `upload` (a file object with chunks() or read()) or
    `seen_in_original` (the user saw the original). An earlier live document of the same kind and heir is
    withdrawn."""
    if not may_edit_file(user):
        raise PermissionDenied(_("Peran Anda tidak menambah dokumen klaim."))
    fields: dict[str, list[str]] = {}
    if kind not in K.values:
        fields["kind"] = [_("Jenis dokumen '%(k)s' tidak dikenal: pilih salah satu dari %(v)s.")
                          % {"k": str(kind or "")[:30], "v": ", ".join(K.values)}]
    if (upload is None) == (not seen_in_original):
        fields["file"] = [_("Unggah berkasnya atau tandai 'dilihat aslinya' (salah satu).")]
    heir = None
    if heir_id is not None:
        heir = claim.heirs.filter(pk=heir_id).first()
        if heir is None:
            fields["heir"] = [_("Ahli waris %(h)s tidak ada pada klaim ini.") % {"h": heir_id}]
    elif kind in K.values and per_heir(claim, kind) and claim.heirs.filter(receives=True).exists():
        fields["heir"] = [_("%(k)s dilampirkan untuk tiap ahli waris penerima: pilih ahli warisnya.")
                          % {"k": K(kind).label}]
    if fields:
        first = next(iter(fields.values()))[0]
        raise ServiceError(code=ErrorCode.INVALID, message=first, fields=fields)
    refuse_closed(claim, _("dokumennya"))
    stored = _store(claim, upload) if upload is not None else {}
    try:
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=claim.pk)
            refuse_closed(claim, _("dokumennya"))
            now = core_clock.now()
            for earlier in claim.documents.select_for_update().filter(kind=kind, heir=heir, withdrawn_at=None):
                earlier.withdrawn_at = now
                earlier.save(update_fields=["withdrawn_at"])
                audit_record(actor=user, event=AuditEventType.CLAIM_DOCUMENT_WITHDRAWN, obj=earlier,
                             region_code=claim.desa_code, old={"withdrawn_at": None}, new={"withdrawn_at": now},
                             note=_("diganti dokumen baru (%(n)s)") % {"n": claim.number})
            doc = ClaimDocument.objects.create(claim=claim, kind=kind, heir=heir, seen_in_original=seen_in_original,
                                               added_by=user, added_at=now, **stored)
            audit_record(actor=user, event=AuditEventType.CLAIM_DOCUMENT_ADDED, obj=doc, region_code=claim.desa_code,
                         new=_doc_values(doc), note=claim.number)
            refresh_complete(user, claim)
            doc.notice = back_to_reported(user, claim, _("dokumen %(k)s ditambahkan") % {"k": doc.get_kind_display()})
    except BaseException:
        if stored:
            (document_folder() / stored["file_path"]).unlink(missing_ok=True)
        raise
    return doc


def withdraw_document(user, claim: Claim, doc_id: int, *, note: str = "") -> ClaimDocument:
    """Withdraw a live document (wrong file, wrong person): kept with its file, no longer on the checklist."""
    if not may_edit_file(user):
        raise PermissionDenied(_("Peran Anda tidak menarik dokumen klaim."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        refuse_closed(claim, _("dokumennya"))
        doc = claim.documents.select_for_update().filter(pk=doc_id, withdrawn_at=None).first()
        if doc is None:
            raise NotFound(_("Dokumen %(d)s tidak ada (atau sudah ditarik) pada klaim %(n)s.")
                           % {"d": doc_id, "n": claim.number})
        doc.withdrawn_at = core_clock.now()
        doc.save(update_fields=["withdrawn_at"])
        audit_record(actor=user, event=AuditEventType.CLAIM_DOCUMENT_WITHDRAWN, obj=doc, region_code=claim.desa_code,
                     old={"withdrawn_at": None}, new={"withdrawn_at": doc.withdrawn_at}, note=note[:200])
        refresh_complete(user, claim)
        doc.notice = back_to_reported(user, claim, _("dokumen %(k)s ditarik") % {"k": doc.get_kind_display()})
    return doc


# Who opens a stored file: the scans of an e-KTP, a KK, a KPJ, a bank book, an heir statement, a marriage book, a
# doctor's certificate or an accident report carry personal data (NIKs, family, accounts, health), so they open
# only to those who process the claim (claims.decision.may_process) and to whoever uploaded them. The documents of
# the event itself (the death certificate, the police report) open to everyone who sees the claim.
OPEN_KINDS = (K.DEATH_CERTIFICATE, K.POLICE_REPORT)


def may_open(user, claim: Claim, doc: ClaimDocument) -> bool:
    """Whether `user`, who sees `claim`, may open the stored file of `doc` (see OPEN_KINDS)."""
    from .decision import may_process

    if doc.kind in OPEN_KINDS or (doc.added_by_id is not None and doc.added_by_id == getattr(user, "pk", None)):
        return True
    return may_process(user, claim)


def document_for_user(user, claim: Claim, doc_id) -> ClaimDocument:
    """A document of this (already scoped) claim whose file `user` may open; NotFound otherwise (as everything out
    of the user's reach)."""
    doc = document_for(claim, doc_id)
    if not may_open(user, claim, doc):
        raise NotFound()
    return doc


def document_for(claim: Claim, doc_id) -> ClaimDocument:
    """A document of this (already scoped) claim with a stored file; NotFound otherwise."""
    try:
        doc = claim.documents.get(pk=int(doc_id))
    except (ClaimDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not doc.file_path or not document_path(doc).is_file():
        raise NotFound()
    return doc
