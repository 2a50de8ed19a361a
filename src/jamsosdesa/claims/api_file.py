"""The claim file API (/api/v1/claims...): report an event, list and read claims, add or correct an heir, add a
document (multipart), withdraw one, download its file (as the page: claims.documents.may_open). A thin door onto
claims.services, claims.heirs and claims.documents; claims through claims.access (404 outside the user's scope).
Heirs' NIKs and accounts are masked except for the roles that process claims; the participant's NIK is masked in
the list and whole on one claim (core.presenters)."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.urls import register_converter
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.participants.models import HeirRelation

from .access import claim_for_user, heir_data
from .documents import add_document, checklist, document_for_user, withdraw_document
from .heirs import HeirRequest, heir_set
from .models import ClaimKind, ClaimStatus, DocumentKind
from .services import ReportRequest, claim_list, report_claim, report_message

router = Router()


class ClaimNumberConverter:
    """A claim number in a path (KLM-3311-2026-00001), so the other parts' routes under /claims/ keep their words."""

    regex = "KLM-[0-9A-Za-z-]{1,26}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ClaimNumberConverter, "claimno")


class ClaimReportIn(Schema):
    nik: str = Field(..., description="NIK peserta (di wilayah Anda)")
    kind: Literal[tuple(ClaimKind.values)]  # type: ignore[valid-type]
    event_date: date
    event_place: str = Field("", max_length=200)
    description: str = Field("", max_length=2000)
    incapacity_from: date | None = Field(None, description="JKK tidak mampu bekerja sementara: sejak")
    incapacity_to: date | None = None


class ClaimParticipantOut(Schema):
    nik: str = Field(..., description="Disamarkan dalam daftar bagi peran selain admin nasional/petugas cabang")
    name: str
    desa: str


class ClaimHeirOut(Schema):
    id: int
    name: str
    relation: str
    nik: str = Field(..., description="Disamarkan kecuali bagi peran yang memproses klaim")
    birth_date: date | None
    rank: int = Field(..., description="1 suami/istri dan anak, 2 orang tua, 3 saudara kandung, 4 lainnya")
    receives: bool
    share: int
    bank_name: str
    account_number: str = Field(..., description="Disamarkan kecuali bagi peran yang memproses klaim")
    account_holder: str
    message: str = Field("", description="Klaim yang sudah disiapkan kembali ke tahap dilaporkan: siapkan ulang")


class ClaimDocumentOut(Schema):
    id: int
    kind: str
    heir: int | None = Field(None, description="Ahli waris pemilik dokumen (e-KTP dan buku tabungan tiap penerima)")
    file_name: str
    content_type: str
    size: int
    seen_in_original: bool
    added_by: str
    added_at: datetime
    message: str = Field("", description="Klaim yang sudah disiapkan kembali ke tahap dilaporkan: siapkan ulang")


class ClaimChecklistItemOut(Schema):
    kind: str
    heir: int | None = Field(None, description="Untuk ahli waris ini (e-KTP dan buku tabungan tiap penerima)")
    label: str
    required: bool
    done: bool
    document: ClaimDocumentOut | None


class ClaimBrief(Schema):
    number: str
    status: str
    kind: str
    participant: ClaimParticipantOut
    event_date: date
    reported_at: datetime
    report_late: bool
    rejection_code: str
    complete_at: datetime | None


class ClaimOut(ClaimBrief):
    event_place: str
    description: str
    reported_by: str
    incapacity_from: date | None
    incapacity_to: date | None
    eligibility: dict = Field(..., description="eligible, held, reason, arrears, pay_by, contribution_months, wage")
    rejection_note: str
    benefit_total: int
    heirs: list[ClaimHeirOut]
    checklist: list[ClaimChecklistItemOut]
    complete: bool
    message: str = Field("", description="Yang disampaikan kepada pelapor (alasan penolakan, tunggakan, terlambat)")


class ClaimPageOut(Schema):
    items: list[ClaimBrief]
    total: int
    next_offset: int | None


class ClaimHeirIn(Schema):
    name: str = Field(..., max_length=120)
    relation: Literal[tuple(HeirRelation.values)]  # type: ignore[valid-type]
    nik: str = Field(..., max_length=25)
    birth_date: date | None = None
    bank_name: str = Field("", max_length=60)
    account_number: str = Field("", max_length=40)
    account_holder: str = Field("", max_length=120)
    phone: str = Field("", max_length=25)


def _brief(claim, shown) -> dict:
    p = claim.participant
    return {"number": claim.number, "status": claim.status, "kind": claim.kind,
            "participant": {"nik": shown.nik(p.nik), "name": p.full_name, "desa": p.desa_id},
            "event_date": claim.event_date, "reported_at": claim.reported_at, "report_late": claim.report_late,
            "rejection_code": claim.rejection_code, "complete_at": claim.complete_at}


def _document(doc) -> dict:
    return {"id": doc.pk, "kind": doc.kind, "heir": doc.heir_id, "file_name": doc.file_name,
            "content_type": doc.content_type, "size": doc.size, "seen_in_original": doc.seen_in_original,
            "added_by": doc.added_by.username, "added_at": doc.added_at, "message": getattr(doc, "notice", "")}


def _heir(h, shown) -> dict:
    return {"id": h.pk, "name": h.name, "relation": h.relation, "nik": shown.nik(h.nik), "birth_date": h.birth_date,
            "rank": h.rank, "receives": h.receives, "share": h.share, "bank_name": h.bank_name,
            "account_number": shown.account(h.account_number), "account_holder": h.account_holder,
            "message": getattr(h, "notice", "")}


def claim_out(user, claim, *, message: str = "") -> dict:
    shown = heir_data(user)
    items = checklist(claim)
    return {**_brief(claim, personal_data(user, one_person=True)), "event_place": claim.event_place,
            "description": claim.description, "reported_by": claim.reported_by.username,
            "incapacity_from": claim.incapacity_from, "incapacity_to": claim.incapacity_to,
            "eligibility": claim.eligibility, "rejection_note": claim.rejection_note,
            "benefit_total": claim.benefit_total, "heirs": [_heir(h, shown) for h in claim.heirs.all()],
            "checklist": [{"kind": i.kind, "heir": i.heir.pk if i.heir is not None else None, "label": i.label,
                           "required": i.required, "done": i.done,
                           "document": _document(i.document) if i.document else None} for i in items],
            "complete": all(i.done for i in items if i.required), "message": message}


@router.post("/claims", **answers({201: ClaimOut}, E.INVALID, E.FORBIDDEN, E.ACTOR_REFUSED, E.NOT_FOUND),
             summary="Laporkan kejadian klaim (JKM/JKK); yang tidak terlindungi dicatat ditolak dengan alasannya")
def claim_report(request, payload: ClaimReportIn):
    claim = report_claim(request.user, ReportRequest(**payload.dict()))
    claim = claim_for_user(request.user, claim.number)
    return Status(201, claim_out(request.user, claim, message=report_message(claim)))


@router.get("/claims", **answers({200: ClaimPageOut}), summary="Klaim yang boleh dilihat, terbaru dahulu")
def claim_index(request, status: Literal[tuple(["", *ClaimStatus.values])] = "",  # type: ignore[valid-type]
                kind: Literal[tuple(["", *ClaimKind.values])] = "",  # type: ignore[valid-type]
                q: str = Query("", max_length=60),
                limit: Annotated[int, Field(ge=1, le=200)] = 50,
                offset: Annotated[int, Field(ge=0, le=10**9)] = 0):
    rows = claim_list(request.user, status=status, kind=kind, q=q)
    total = rows.count()
    shown = personal_data(request.user)
    items = [_brief(c, shown) for c in rows[offset:offset + limit]]
    return {"items": items, "total": total, "next_offset": offset + limit if offset + limit < total else None}


@router.get("/claims/{claimno:number}", **answers({200: ClaimOut}, E.NOT_FOUND), summary="Satu klaim")
def claim_get(request, number: str):
    return claim_out(request.user, claim_for_user(request.user, number))


@router.post("/claims/{claimno:number}/heirs", **answers({201: ClaimHeirOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tambah ahli waris pada klaim (NIK diperiksa)")
def heir_add(request, number: str, payload: ClaimHeirIn):
    claim = claim_for_user(request.user, number)
    heir = heir_set(request.user, claim, HeirRequest(**payload.dict()))
    return Status(201, _heir(heir, heir_data(request.user)))


@router.put("/claims/{claimno:number}/heirs/{heir_id}", **answers({200: ClaimHeirOut}, E.INVALID, E.FORBIDDEN,
                                                                    E.NOT_FOUND),
            summary="Perbaiki ahli waris pada klaim (semua isian dikirim lagi)")
def heir_put(request, number: str, heir_id: Annotated[int, Field(ge=1, le=2**62)], payload: ClaimHeirIn):
    claim = claim_for_user(request.user, number)
    heir = heir_set(request.user, claim, HeirRequest(**payload.dict()), heir_id=heir_id)
    return _heir(heir, heir_data(request.user))


@router.post("/claims/{claimno:number}/documents",
             **answers({201: ClaimDocumentOut}, E.INVALID, E.FILE_TOO_LARGE, E.FILE_EMPTY, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tambah dokumen klaim: berkas (JPEG, PNG, WebP, HEIC, PDF) atau 'dilihat aslinya'")
def document_post(request, number: str,
                  kind: Literal[tuple(DocumentKind.values)] = Form(...),  # type: ignore[valid-type]  # noqa: B008
                  seen: bool = Form(False),  # noqa: B008
                  heir: Annotated[int, Field(ge=1, le=2**62)] | None = Form(None),  # noqa: B008
                  file: UploadedFile | None = File(None)):  # noqa: B008
    claim = claim_for_user(request.user, number)
    doc = add_document(request.user, claim, kind, upload=file, seen_in_original=seen, heir_id=heir)
    return Status(201, _document(doc))


FILE_ANSWERS = answers({200: None}, E.NOT_FOUND)
FILE_ANSWERS["openapi_extra"]["responses"][200] = {
    "description": "Berkasnya (inline untuk foto dan PDF, lampiran untuk HEIC); Content-Security-Policy: sandbox",
    "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf")}}


@router.get("/claims/{claimno:number}/documents/{doc_id}/file", **FILE_ANSWERS,
            summary="Berkas dokumen klaim (pindaian data pribadi: hanya petugas pemroses dan pengunggahnya)",
            description="Akta kematian dan laporan polisi terbuka bagi yang melihat klaim; e-KTP, KK, KPJ, buku "
                        "tabungan, surat ahli waris, buku nikah, surat dokter dan laporan kecelakaan hanya bagi "
                        "petugas yang memproses klaim dan pengunggahnya; selain itu 404.")
def document_file(request, number: str, doc_id: Annotated[int, Field(ge=1, le=2**62)]):
    from .views_file import file_response

    claim = claim_for_user(request.user, number)
    return file_response(claim, document_for_user(request.user, claim, doc_id))


class DocumentWithdrawIn(Schema):
    note: str = Field("", max_length=200, description="Mengapa ditarik (salah berkas, salah orang...)")


@router.post("/claims/{claimno:number}/documents/{doc_id}/withdraw",
             **answers({200: ClaimDocumentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tarik dokumen klaim (tetap tersimpan di riwayat; klaim yang sudah disiapkan kembali ke tahap "
                     "dilaporkan)")
def document_withdraw_post(request, number: str, doc_id: Annotated[int, Field(ge=1, le=2**62)],
                           payload: DocumentWithdrawIn):
    claim = claim_for_user(request.user, number)
    return _document(withdraw_document(request.user, claim, doc_id, note=payload.note))


@router.delete("/claims/{claimno:number}/documents/{doc_id}",
               **answers({200: ClaimDocumentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
               summary="Tarik dokumen klaim (sama dengan POST .../withdraw; tidak pernah dihapus)")
def document_withdraw_delete(request, number: str, doc_id: Annotated[int, Field(ge=1, le=2**62)],
                             note: str = Query("", max_length=200)):
    claim = claim_for_user(request.user, number)
    return _document(withdraw_document(request.user, claim, doc_id, note=note))
