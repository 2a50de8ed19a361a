"""The claim file's pages under /klaim/: the list (scoped, filtered, NIKs masked), the report form, a claim (event,
eligibility with its reason, heirs masked as claims.access says, the checklist with uploads from a phone camera, the
decision partial of claims.views_decision), adding or correcting an heir, adding or withdrawing a document, and a
document's file (served only here, to whoever sees the claim). Forms only parse; the services decide; claims come
through claims.access (404 outside the user's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core.errors import NotFound, ServiceError, put_on_form
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.participants.models import HeirRelation

from .access import claim_for_user, heir_data, may_edit_file, may_process, may_report, sees_claims
from .documents import (
    add_document,
    checklist,
    document_for_user,
    document_path,
    may_open,
    withdraw_document,
)
from .forms import ClaimFilterForm, DocumentForm, HeirForm, ReportForm
from .heirs import heir_set, pending_heirs
from .models import ClaimStatus
from .services import _day_text, claim_is_closed, claim_list, late_message, report_claim, report_message

PAGE_SIZE = 50


def _pages_for(request) -> None:
    if not sees_claims(request.user):
        raise Http404


def _errors_text(exc: ServiceError) -> str:
    return " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms if m != exc.message]])


def _notice(request, changed) -> None:
    """A prepared claim sent back to be prepared again by this change (claims.reopen): say so."""
    if getattr(changed, "notice", ""):
        messages.warning(request, changed.notice)


@login_required
def claim_index(request):
    _pages_for(request)
    form = ClaimFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = claim_list(request.user, status=chosen.get("status") or "", kind=chosen.get("kind") or "",
                      q=chosen.get("q") or "")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = personal_data(request.user)
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(request, "claims/claim_list.html", {
        "form": form, "page": page, "rows": [(c, shown.nik(c.participant.nik)) for c in page.object_list],
        "query": query + "&" if query else "", "can_report": may_report(request.user)})


LOOKUP_ROWS = 10


def _lookup(user, text: str) -> list:
    """The name (or NIK) lookup of the report form: the participants' own search (participants.selectors, scoped
    to the user), each with the NIK as the presenter shows it to this user in a list (masked but for a few roles)."""
    from jamsosdesa.participants.selectors import ParticipantFilter, participant_page

    text = " ".join((text or "").split())[:60]
    if len(text) < 3:
        return []
    shown = personal_data(user)
    page = participant_page(user=user, filters=ParticipantFilter(q=text, status="active"), limit=LOOKUP_ROWS)
    return [(p, shown.nik(p.nik)) for p in page.items]


def _chosen(user, pk) -> object | None:
    from jamsosdesa.participants.selectors import participant_get

    return participant_get(user=user, pk=int(pk)) if pk else None


@login_required
def claim_report(request):
    _pages_for(request)
    if not may_report(request.user):
        raise Http404
    chosen = None
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            chosen = _chosen(request.user, form.cleaned_data.get("participant"))
            data = form.service_data()
            if form.cleaned_data.get("participant") and chosen is None:
                form.add_error(None, _("Peserta yang dipilih tidak ditemukan di wilayah Anda; cari lagi."))
            else:
                if chosen is not None and not data.nik:
                    data.nik = chosen.nik  # chosen by name: the NIK never went through the page
                try:
                    claim = report_claim(request.user, data)
                except NotFound as exc:
                    form.add_error("nik", exc.message)
                except ServiceError as exc:
                    put_on_form(form, exc.fields, otherwise=exc.message)
                else:
                    level = messages.success if claim.status == ClaimStatus.REPORTED and not claim.report_late else (
                        messages.warning)
                    level(request, report_message(claim))
                    return redirect("claims:claim", number=claim.number)
        elif str(form.data.get("participant", "")).isdigit() and len(form.data["participant"]) < 19:
            chosen = _chosen(request.user, form.data["participant"])  # still shown while the form is corrected
    else:
        picked = request.GET.get("peserta", "")
        chosen = _chosen(request.user, picked) if picked.isascii() and picked.isdigit() and len(picked) < 19 else None
        form = ReportForm(initial={"nik": request.GET.get("nik", "")[:25],
                                   "participant": chosen.pk if chosen else None})
    search = (request.GET.get("cari") or "")[:60]
    shown = personal_data(request.user)
    return render(request, "claims/report.html", {
        "form": form, "search": search, "found": _lookup(request.user, search) if search else [],
        "chosen": chosen, "chosen_nik": shown.nik(chosen.nik) if chosen else ""})


def _detail_context(request, claim, *, heir_form=None, document_form=None, editing=None) -> dict:
    shown = heir_data(request.user)
    relations = dict(HeirRelation.choices)
    heirs = [{"heir": h, "nik": shown.nik(h.nik), "account": shown.account(h.account_number),
              "relation": relations.get(h.relation, h.relation)} for h in claim.heirs.all()]
    items = checklist(claim)
    openable = {i.document.pk for i in items if i.document and i.document.file_path
                and may_open(request.user, claim, i.document)}
    open_file = not claim_is_closed(claim) and may_edit_file(request.user)
    return {
        "claim": claim, "participant": claim.participant,
        "participant_nik": personal_data(request.user, one_person=True).nik(claim.participant.nik),
        "eligibility": claim.eligibility, "heirs": heirs, "pending_heirs": pending_heirs(claim) if open_file else [],
        "heirs_masked": shown.nik_masked, "checklist": items, "openable": openable,
        "complete": all(i.done for i in items if i.required),
        "documents_withdrawn": claim.documents.exclude(withdrawn_at=None).order_by("-withdrawn_at"),
        "can_edit": open_file, "can_process": may_process(request.user),
        "heir_form": heir_form or HeirForm(), "document_form": document_form or DocumentForm(claim=claim),
        "editing": editing, "late_message": late_message(claim) if claim.report_late else "",
        "arrears_text": rupiah(int(claim.eligibility.get("arrears") or 0)),
        "pay_by_text": _day_text(claim.eligibility.get("pay_by") or ""),
    }


@login_required
def claim_detail(request, number: str):
    _pages_for(request)
    claim = claim_for_user(request.user, number)
    # a missing item's "unggah" link chooses its kind and heir on the upload form
    chosen = {"kind": request.GET.get("jenis", "")[:30], "heir": request.GET.get("ahli_waris", "")[:19]}
    form = DocumentForm(claim=claim, initial={k: v for k, v in chosen.items() if v})
    return render(request, "claims/claim.html", _detail_context(request, claim, document_form=form))


@login_required
def heir_edit(request, number: str, heir_id: int | None = None):
    """Add an heir (heir_id None) or correct one; the form shows on the claim page."""
    _pages_for(request)
    heir_id = int(heir_id) if heir_id is not None else None
    claim = claim_for_user(request.user, number)
    if not may_edit_file(request.user):
        raise Http404
    heir = claim.heirs.filter(pk=heir_id).first() if heir_id is not None else None
    if heir_id is not None and heir is None:
        raise Http404
    if request.method == "POST":
        form = HeirForm(request.POST)
        if form.is_valid():
            data = form.service_data()
            if heir is not None and not may_process(request.user) and not data.account_number:
                # the account was not shown to this role: left empty, it stays as it was (not wiped)
                data.bank_name, data.account_number = data.bank_name or heir.bank_name, heir.account_number
                data.account_holder = data.account_holder or heir.account_holder
            try:
                saved = heir_set(request.user, claim, data, heir_id=heir_id)
            except ServiceError as exc:
                put_on_form(form, exc.fields, otherwise=exc.message)
            else:
                messages.success(request, _("Ahli waris %(h)s tersimpan.") % {"h": saved.name})
                _notice(request, saved)
                return redirect("claims:claim", number=claim.number)
    elif heir is not None:
        # Only the roles that see heirs' data whole get it back in the form; the others type the NIK and the
        # account again (a masked value cannot be sent back).
        shown = ("nik", "account_number") if may_process(request.user) else ()
        form = HeirForm(initial={k: getattr(heir, k) for k in ("name", "relation", "birth_date", "bank_name",
                                                               "account_holder", "phone", *shown)})
    else:
        source = claim.participant.heirs.filter(pk=request.GET.get("from") or 0).first() if (
            request.GET.get("from", "").isdigit()) else None
        form = HeirForm(initial=source.as_dict() if source else None)
    return render(request, "claims/heir_form.html", {"claim": claim, "form": form, "heir": heir,
                                                     "retype": heir is not None and not may_process(request.user)})


@login_required
@require_POST
def document_add(request, number: str):
    _pages_for(request)
    claim = claim_for_user(request.user, number)
    if not may_edit_file(request.user):
        raise Http404
    form = DocumentForm(request.POST, request.FILES, claim=claim)
    if form.is_valid():
        try:
            doc = add_document(request.user, claim, form.cleaned_data["kind"], upload=form.cleaned_data.get("file"),
                               seen_in_original=bool(form.cleaned_data.get("seen")),
                               heir_id=form.cleaned_data.get("heir"))
        except ServiceError as exc:
            put_on_form(form, exc.fields, otherwise=exc.message)
        else:
            messages.success(request, _("Dokumen %(k)s ditambahkan.") % {"k": doc.get_kind_display()})
            _notice(request, doc)
            return redirect("claims:claim", number=claim.number)
    claim.refresh_from_db()
    return render(request, "claims/claim.html", _detail_context(request, claim, document_form=form), status=422)


@login_required
@require_POST
def document_withdraw(request, number: str, doc_id: int):
    _pages_for(request)
    claim = claim_for_user(request.user, number)
    if not may_edit_file(request.user):
        raise Http404
    try:
        doc = withdraw_document(request.user, claim, int(doc_id), note=(request.POST.get("note") or "")[:200])
        messages.success(request, _("Dokumen ditarik; tetap tersimpan di riwayat klaim."))
        _notice(request, doc)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, _errors_text(exc))
    return redirect("claims:claim", number=claim.number)


@login_required
def document_file(request, number: str, doc_id: int):
    """A document's stored file, only to a user who sees the claim and may open it (claims.documents.may_open),
    never from the web root."""
    _pages_for(request)
    claim = claim_for_user(request.user, number)
    try:
        doc = document_for_user(request.user, claim, doc_id)
    except NotFound:
        raise Http404 from None
    return file_response(claim, doc)


INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")


def file_response(claim, doc) -> FileResponse:
    """The stored file of `doc` (the page and the API): images and PDFs inline, anything else as an attachment;
    never sniffed as another type, and sandboxed (a PDF's scripts and forms do not run with the site's rights)."""
    path = document_path(doc)
    response = FileResponse(open(path, "rb"), content_type=doc.content_type,
                            as_attachment=doc.content_type not in INLINE_TYPES,
                            filename=f"{claim.number}-{doc.kind}-{doc.pk}.{path.suffix.lstrip('.')}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def participant_panel(*, user, participant) -> dict:
    """The claims panel on the participant page (participants.panels): the person's claims the user sees, and the
    way to report one."""
    if not sees_claims(user):
        return {"shown": False}
    from .access import scope_claims
    from .models import Claim

    claims = list(scope_claims(user, Claim.objects.filter(participant=participant)).order_by("-reported_at")[:20])
    # the report link carries the NIK only as the presenter shows it to this user on this person's page: a role
    # that sees it masked types it (a NIK in a link is a NIK on the page)
    shown = personal_data(user, one_person=True).nik(participant.nik)
    return {"shown": True, "claims": claims, "can_report": may_report(user),
            "nik": participant.nik if shown == participant.nik else ""}
