"""Pages for payments (H3): the "Catat pembayaran" panel on the participant page and its form, a payment's page
with its allocations and the reverse button (branch officers), and paying a collective invoice."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.participants.nik import is_nik_shaped

from .access import (
    can_pay_invoice,
    can_reconcile,
    can_record_payment,
    collection_door,
    collection_door_message,
    collects_cash,
    scope_dues,
    scope_invoices,
    scope_payments,
)
from .live import live, reversed_only
from .models import Allocation, Credit, Invoice, Payment, PaymentChannel, PaymentSource, Reversal, ReversalReason
from .services.allocation import credit_balance, unpaid_dues
from .services.payments import PaymentRequest, payment_get, payment_record
from .services.reversals import payment_reverse

PAGE_SIZE = 50


class PaymentForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Jumlah (Rp)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    paid_on = forms.DateField(label=gettext_lazy("Tanggal bayar"), input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(label=gettext_lazy("Referensi (nomor kuitansi / transfer)"), max_length=64)
    # not `agent`: an agent's cash is recorded by the agent as its collection (agents' page), never here
    channel = forms.ChoiceField(label=gettext_lazy("Saluran"), choices=[
        (value, label) for value, label in PaymentChannel.choices if value != PaymentChannel.AGENT])
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=200, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_amount(self):
        return self.cleaned_data["amount"].strip().replace(".", "")  # '33.600' as people write it; the service checks


# Reasons billing's own code gives a voided due (a scheme's or a package's end), never a person's choice.
BILLING_ONLY_REASONS = (ReversalReason.ENROLMENT_ENDED, ReversalReason.MEMBERSHIP_ENDED)


class ReverseForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=[
        (value, label) for value, label in ReversalReason.choices if value not in BILLING_ONLY_REASONS])
    note = forms.CharField(label=gettext_lazy("Keterangan"), max_length=200, required=False)


def _new_form(**initial) -> PaymentForm:
    return PaymentForm(initial={"paid_on": clock.today(), "channel": PaymentChannel.BANK,
                                "token": secrets.token_hex(16), **initial})


def participant_payments_panel(*, user, participant) -> dict:
    """The participant page's payment panel: what is owed, the credit, the latest payments, and the form."""
    payments = list(scope_payments(user).filter(participant_id=participant.pk).order_by("-paid_on", "-id")[:10])
    gone = set(reversed_only(scope_payments(user).filter(pk__in=[p.pk for p in payments]), "payment")
               .values_list("pk", flat=True))
    unpaid = [d for d in unpaid_dues("P", participant.pk) if scope_dues(user).filter(pk=d.pk).exists()]
    allowed = can_record_payment(user, participant)
    return {"participant": participant, "payments": [(p, p.pk in gone) for p in payments],
            "unpaid": unpaid, "owed": sum(d.amount for d in unpaid), "credit": credit_balance("P", participant.pk),
            "form": _new_form() if allowed else None,
            # an agent records the cash it takes on its collection page: the panel points there
            "collect_url": collection_door() if collects_cash(user) else ""}


def _record(request, form: PaymentForm, **target):
    d = form.cleaned_data
    outcome = payment_record(actor=request.user, request=PaymentRequest(
        amount=d["amount"], paid_on=d["paid_on"], reference=d["reference"], channel=d["channel"],
        note=d["note"], source=PaymentSource.ENTRY, idempotency_key=d["token"] or None, **target))
    if outcome.duplicate:
        messages.info(request, _("Pembayaran ini sudah tercatat sebelumnya; tidak dicatat dua kali."))
    else:
        months = ", ".join(f"{m:%m/%Y}" for m in outcome.months) or _("belum ada bulan")
        messages.success(request, _("Pembayaran %(a)s dicatat: %(m)s. Saldo titipan %(c)s.") % {
            "a": rupiah(outcome.payment.amount), "m": months, "c": rupiah(outcome.credit)})
    return redirect("billing:payment_detail", pk=outcome.payment.pk)


@login_required
def payment_new(request, participant: int):
    from jamsosdesa.participants.selectors import participant_get

    person = participant_get(user=request.user, pk=participant)
    if person is not None and collects_cash(request.user):
        # a role without this right answers 404 here, as everywhere; the agent is told where its cash is recorded
        return render(request, "billing/payment_agent_door.html", {
            "message": collection_door_message(), "collect_url": collection_door()}, status=404)
    if person is None or not can_record_payment(request.user, person):
        raise Http404
    form = PaymentForm(request.POST) if request.method == "POST" else _new_form()
    if request.method == "POST" and form.is_valid():
        try:
            return _record(request, form, participant_id=person.pk)
        except ServiceError as exc:
            put_on_form(form, exc.fields, aliases={"Idempotency-Key": "reference", "nik": "amount"},
                        otherwise=exc.message)
    return render(request, "billing/payment_form.html", {
        "form": form, "person": person, "nik": personal_data(request.user, one_person=True).nik(person.nik),
        "panel": participant_payments_panel(user=request.user, participant=person)})


@login_required
def invoice_pay(request, pk: int):
    invoice = scope_invoices(request.user).filter(pk=pk).first()
    if invoice is None or not can_pay_invoice(request.user, invoice):
        raise Http404
    form = PaymentForm(request.POST) if request.method == "POST" else _new_form(channel=PaymentChannel.BANK)
    if request.method == "POST" and form.is_valid():
        try:
            return _record(request, form, invoice=invoice.number)
        except ServiceError as exc:
            put_on_form(form, exc.fields, aliases={"Idempotency-Key": "reference", "invoice": "amount"},
                        otherwise=exc.message)
    unpaid = unpaid_dues("S", invoice.scheme_id)
    return render(request, "billing/invoice_pay.html", {
        "form": form, "invoice": invoice, "owed": sum(d.amount for d in unpaid), "lines_unpaid": len(unpaid),
        "credit": credit_balance("S", invoice.scheme_id)})


class PaymentFilter(forms.Form):
    """The payment list's filters; the search takes a reference (its beginning) or a whole NIK."""

    q = forms.CharField(label=gettext_lazy("Referensi atau NIK"), max_length=64, required=False)
    start = forms.DateField(label=gettext_lazy("Dibayar dari"), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=gettext_lazy("sampai"), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ChoiceField(label=gettext_lazy("Saluran"), required=False,
                                choices=[("", gettext_lazy("semua saluran")), *PaymentChannel.choices])
    region = forms.CharField(label=gettext_lazy("Kode desa / wilayah"), max_length=13, required=False)

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if code and level_of_code(code) is None:
            raise forms.ValidationError(_("Kode wilayah tidak dikenal, mis. 33.11.01.2001."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _in_region(code: str) -> Q:
    """Payments of a desa, or of every desa of a wider region (a payment keeps its person's desa and kabupaten)."""
    level = level_of_code(code)
    if level == Level.DESA:
        return Q(desa_code=code)
    if level == Level.KABUPATEN:
        return Q(kab_code=code)
    return Q(desa_code__startswith=code + ".") if level == Level.KECAMATAN else Q(kab_code__startswith=code + ".")


def payments_filtered(user, data: dict):
    """The payments the user may see (`access.scope_payments`), newest first, narrowed by the filter's values."""
    qs = scope_payments(user).select_related("participant").order_by("-paid_on", "-id")
    q = " ".join((data.get("q") or "").split())
    if q:
        digits = q.replace(" ", "").replace(".", "")
        by_reference = Q(external_reference__istartswith=q)
        qs = qs.filter(by_reference | Q(participant__nik=digits) if is_nik_shaped(digits) else by_reference)
    if data.get("start"):
        qs = qs.filter(paid_on__gte=data["start"])
    if data.get("end"):
        qs = qs.filter(paid_on__lte=data["end"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("region"):
        qs = qs.filter(_in_region(data["region"]))
    return qs


@login_required
def payment_list(request):
    """Every payment the user may see, newest first, with filters; each row leads to the payment's page."""
    form = PaymentFilter(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(payments_filtered(request.user, data), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    gone = set(reversed_only(Payment.objects.filter(pk__in=[p.pk for p in rows]), "payment")
               .values_list("pk", flat=True))
    numbers = dict(Invoice.objects.filter(pk__in={p.invoice_id for p in rows if p.invoice_id})
                   .values_list("pk", "number"))
    shown = personal_data(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "billing/payments.html", {
        "form": form, "page": page, "query": f"{query.urlencode()}&" if query else "",
        "rows": [(p, shown.nik(p.participant.nik) if p.participant_id else "", numbers.get(p.invoice_id, ""),
                  p.pk in gone) for p in rows]})


@login_required
def payment_detail(request, pk: int):
    payment = payment_get(user=request.user, pk=pk)
    if payment is None:
        raise Http404
    allocations = list(Allocation.objects.filter(payment_id=payment.pk).select_related("due").order_by("id"))
    gone = set(reversed_only(Allocation.objects.filter(payment_id=payment.pk), "allocation")
               .values_list("pk", flat=True))
    reversal = Reversal.objects.filter(target_type="payment", target_id=payment.pk).select_related("created_by").first()
    shown = personal_data(request.user)
    invoice = Invoice.objects.filter(pk=payment.invoice_id).first() if payment.invoice_id else None
    return render(request, "billing/payment_detail.html", {
        "payment": payment, "reversal": reversal, "invoice": invoice,
        "nik": shown.nik(payment.participant.nik) if payment.participant_id else "",
        "allocations": [(a, a.pk in gone) for a in allocations],
        "credits": list(Credit.objects.filter(payment_id=payment.pk).order_by("id")),
        "can_reverse": reversal is None and can_reconcile(request.user, payment.kab_code),
        "reverse_form": ReverseForm(),
        "live_total": sum(a.amount for a in live(Allocation.objects.filter(payment_id=payment.pk), "allocation")),
    })


@login_required
@require_POST
def payment_reverse_view(request, pk: int):
    payment = payment_get(user=request.user, pk=pk)
    if payment is None or not can_reconcile(request.user, payment.kab_code):
        raise Http404
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih alasan pembatalan."))
        return redirect("billing:payment_detail", pk=payment.pk)
    try:
        payment_reverse(actor=request.user, payment=payment, reason=form.cleaned_data["reason"],
                        note=form.cleaned_data["note"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pembayaran %(a)s dibatalkan; bulan yang dibayarnya kembali terutang.") % {
            "a": rupiah(payment.amount)})
    return redirect("billing:payment_detail", pk=payment.pk)
