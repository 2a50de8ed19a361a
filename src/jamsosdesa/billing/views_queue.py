"""Pages of the reconciliation queue (H5): a branch officer's list of queued payments (filtered by reason and
status), an item's page with the line as it was read, its candidates (only those the officer may see are named)
and the three decisions. Everything is reached through `access.scope_queue`: outside it, 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.roles import Role

from .access import scope_invoices, scope_queue
from .models import Invoice, QueueReason, QueueStatus
from .services.queue import queue_decide, queue_item_get

PAGE_SIZE = 50


class QueueFilter(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), required=False,
                               choices=[("", gettext_lazy("semua alasan")), *QueueReason.choices])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("semua status")), *QueueStatus.choices])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("assign", gettext_lazy("Berikan")), ("refund", gettext_lazy("Kembalikan")),
                                          ("reject", gettext_lazy("Tolak"))])
    nik = forms.CharField(label=gettext_lazy("NIK peserta"), max_length=16, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    invoice = forms.CharField(label=gettext_lazy("atau nomor tagihan kolektif"), max_length=40, required=False)
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=200, required=False)


def _queue_user(request) -> None:
    """The queue is the branch office's (and national admins'): for anyone else there is no such page."""
    user = request.user
    if not (sees_everything(user) or user.role == Role.BRANCH_OFFICER):
        raise Http404


@login_required
def queue_list(request):
    _queue_user(request)
    form = QueueFilter(request.GET or None)
    reason = status = ""
    if form.is_valid():
        reason, status = form.cleaned_data["reason"], form.cleaned_data["status"]
    elif not request.GET:
        status = QueueStatus.OPEN
        form = QueueFilter(initial={"status": QueueStatus.OPEN})
    items = scope_queue(request.user).select_related("payment").order_by("-id")
    if reason:
        items = items.filter(reason=reason)
    if status:
        items = items.filter(status=status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "billing/queue_list.html", {"form": form, "page": page, "items": page.object_list,
                                                      "query": f"{query.urlencode()}&" if query else ""})


def _candidates(user, item) -> dict:
    """The item's candidates as this user may see them: people and invoices in scope by name, the rest counted."""
    from jamsosdesa.participants.access import scope_participants
    from jamsosdesa.participants.models import Participant

    ids = [int(c) for c in item.candidates or []]
    raw = item.raw or {}
    people = list(Participant.objects.filter(pk__in=ids, nik__in=raw.get("niks") or []).values_list("pk", flat=True))
    invoices = list(Invoice.objects.filter(pk__in=ids, number__in=raw.get("invoices") or [])
                    .values_list("pk", flat=True))
    shown = personal_data(user)
    seen_people = [(p, shown.nik(p.nik)) for p in scope_participants(user).filter(pk__in=people).order_by("pk")]
    seen_invoices = list(scope_invoices(user).filter(pk__in=invoices).order_by("pk"))
    return {"people": seen_people, "invoices": seen_invoices,
            "hidden": len(people) + len(invoices) - len(seen_people) - len(seen_invoices)}


@login_required
def queue_item(request, pk: int):
    _queue_user(request)
    item = queue_item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    raw = item.raw or {}
    line = raw.get("line") if isinstance(raw.get("line"), dict) else {}
    assigned = None
    if item.assigned_holder_type == "P":
        from jamsosdesa.participants.access import scope_participants

        assigned = scope_participants(request.user).filter(pk=item.assigned_holder_id).first()
    try:  # the payment's own page (H3's), when this build has it
        payment_url = reverse("billing:payment_detail", args=[item.payment_id])
    except NoReverseMatch:
        payment_url = ""
    return render(request, "billing/queue_item.html", {"payment_url": payment_url,
        "item": item, "payment": item.payment, "raw": raw, "line": sorted(line.items()), "assigned": assigned,
        "candidates": _candidates(request.user, item), "form": DecisionForm(), "open": item.status == QueueStatus.OPEN})


@login_required
@require_POST
def queue_decide_view(request, pk: int):
    from jamsosdesa.participants.selectors import participant_get

    _queue_user(request)
    item = queue_item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan: berikan, kembalikan, atau tolak."))
        return redirect("billing:queue_item", pk=pk)
    data = form.cleaned_data
    holder = None
    if data["decision"] == "assign":
        nik, number = data["nik"].strip(), data["invoice"].strip().upper()
        if nik and number:
            messages.error(request, _("Isi NIK atau nomor tagihan, bukan keduanya."))
            return redirect("billing:queue_item", pk=pk)
        if nik:
            holder = participant_get(user=request.user, nik=nik)
            if holder is None:
                messages.error(request, _("Peserta dengan NIK %(v)s tidak ada (atau di luar wilayah Anda).") % {
                    "v": nik})
                return redirect("billing:queue_item", pk=pk)
        elif number:
            holder = scope_invoices(request.user).filter(number=number).first()
            if holder is None:
                messages.error(request, _("Tagihan %(v)s tidak ada (atau di luar wilayah Anda).") % {"v": number})
                return redirect("billing:queue_item", pk=pk)
    try:
        decided = queue_decide(actor=request.user, item=item, decision=data["decision"], holder=holder,
                               note=data["note"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Diputuskan: %(s)s.") % {"s": decided.get_status_display()})
    return redirect("billing:queue_item", pk=pk)
