"""Pages of the worker's own package (iuran mandiri): its panel on the participant page, and the start, change
and end forms (each also a page of its own, shown again with the service's messages when it refuses)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import add_months, validate_month
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.labels import sector_text
from jamsosdesa.participants.selectors import participant_get

from .access import can_manage_package
from .models import MembershipChannel, MembershipEndReason
from .packages import membership_history, package_price
from .services.membership import (
    membership_cancel,
    membership_change,
    membership_end,
    membership_start,
    open_membership,
)

MONTH = {"input_formats": ["%Y-%m", "%m/%Y"], "widget": forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
         "validators": [validate_month]}
PROGRAMMES = [("JKK", gettext_lazy("JKK (kecelakaan kerja)")), ("JKM", gettext_lazy("JKM (kematian)")),
              ("JHT", gettext_lazy("JHT (hari tua)"))]


def _income_choices() -> list[tuple[int, str]]:
    """The BPU income nominals in force this month, as a list to pick from (a typed amount is easy to get wrong)."""
    return [(amount, rupiah(amount)) for amount in sorted(rate_book().allowed_nominals(clock.this_month()))]


class StartForm(forms.Form):
    programmes = forms.MultipleChoiceField(label=gettext_lazy("Program"), choices=PROGRAMMES, required=False,
                                           initial=["JKK", "JKM"], widget=forms.CheckboxSelectMultiple)
    income = forms.TypedChoiceField(label=gettext_lazy("Nominal penghasilan per bulan"), coerce=int)
    first_month = forms.DateField(label=gettext_lazy("Bulan pertama"), **MONTH)
    agent = forms.ChoiceField(label=gettext_lazy("Agen PERISAI penagih (boleh kosong)"), required=False)

    def __init__(self, *args, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["income"].choices = _income_choices()
        self.fields["income"].initial = 1_000_000
        self.fields["first_month"].initial = clock.this_month()
        agents = get_user_model().objects.filter(role=Role.PERISAI_AGENT, is_active=True).order_by("username")
        self.fields["agent"].choices = [("", "—")] + [
            (a.username, a.get_full_name() or a.username) for a in agents[:500]
            if participant is not None and code_in_scope(a, participant.desa_id)]


class ChangeForm(forms.Form):
    from_month = forms.DateField(label=gettext_lazy("Berlaku mulai bulan"), **MONTH)
    programmes = forms.MultipleChoiceField(label=gettext_lazy("Program"), choices=PROGRAMMES, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    income = forms.TypedChoiceField(label=gettext_lazy("Nominal penghasilan per bulan"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["income"].choices = _income_choices()


class EndForm(forms.Form):
    last_month = forms.DateField(label=gettext_lazy("Bulan terakhir yang dibayar sendiri"), **MONTH)
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=[
        (v, label) for v, label in MembershipEndReason.choices if v != MembershipEndReason.CHANGED])


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=[
        (v, label) for v, label in MembershipEndReason.choices if v != MembershipEndReason.CHANGED])


def _change_initial(current) -> dict:
    """A change takes effect at the earliest the month after the package started, and not in the past."""
    return {"programmes": current.programmes, "income": current.income,
            "from_month": max(add_months(current.first_month, 1), clock.this_month())}


def _month(value):
    return value.replace(day=1) if value else value


def participant_package_panel(*, user, participant) -> dict:
    """The panel's data: the open package with this month's amount for this person, the history, and the forms
    for whoever may manage the package."""
    current = open_membership(participant)
    this_month = clock.this_month()
    priced = package_price(current, this_month) if current else None
    may = can_manage_package(user, participant)
    data = {"participant": participant, "current": current, "priced": priced, "this_month": this_month,
            "history": [m for m in membership_history(participant) if m != current],
            "sector": sector_text(participant.sector, participant.sector_source), "may": may}
    if may and current is None and participant.is_active and participant.segment == "BPU":
        data["start_form"] = StartForm(participant=participant)
    elif may and current is None:  # why there is no form (the service would refuse the same way)
        data["why_not"] = (_("Peserta nonaktif: iuran mandiri tidak dapat dimulai.") if not participant.is_active
                           else _("Iuran mandiri saat ini hanya untuk peserta BPU (bukan penerima upah)."))
    if may and current is not None:
        data["change_form"] = ChangeForm(initial=_change_initial(current))
        data["end_form"] = EndForm(initial={"last_month": max(this_month, current.first_month)})
        if current.first_month > this_month:  # not started yet: it can be cancelled (membership_cancel)
            data["cancel_form"] = CancelForm()
    return data


def _person(request, pk: int):
    """The participant, if the user may manage its package; 404 otherwise (as for one that does not exist)."""
    person = participant_get(user=request.user, pk=pk)
    if person is None or not can_manage_package(request.user, person):
        raise Http404
    return person


def _page(request, person, form, *, title: str, what: str):
    return render(request, "billing/package_form.html", {
        "person": person, "nik": personal_data(request.user, one_person=True).nik(person.nik), "form": form,
        "title": title, "what": what, "current": open_membership(person),
        "sector": sector_text(person.sector, person.sector_source)})


def _refused(form, exc: ServiceError) -> None:
    """The service's messages on the fields they name (above the form for the others)."""
    put_on_form(form, exc.fields, otherwise=exc.message)


@login_required
def package_start(request, participant: int):
    person = _person(request, participant)
    form = StartForm(request.POST or None, participant=person)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            membership_start(actor=request.user, participant=person, programmes=d["programmes"], income=d["income"],
                             first_month=_month(d["first_month"]), agent=d["agent"] or None,
                             channel=MembershipChannel.AGENT if request.user.role == Role.PERISAI_AGENT
                             else MembershipChannel.WEB)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Iuran mandiri %(name)s dimulai.") % {"name": person.full_name})
            return redirect("participants:detail", pk=person.pk)
    return _page(request, person, form, title=_("Mulai iuran mandiri"), what="start")


@login_required
def package_change(request, participant: int):
    person = _person(request, participant)
    current = open_membership(person)
    form = ChangeForm(request.POST or None, initial=_change_initial(current) if current else {})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            membership_change(actor=request.user, membership=current, from_month=_month(d["from_month"]),
                              programmes=d["programmes"] or None, income=d["income"])
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Iuran mandiri %(name)s diubah.") % {"name": person.full_name})
            return redirect("participants:detail", pk=person.pk)
    return _page(request, person, form, title=_("Ubah iuran mandiri"), what="change")


@login_required
def package_end(request, participant: int):
    person = _person(request, participant)
    current = open_membership(person)
    form = EndForm(request.POST or None, initial={"last_month": clock.this_month()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            membership_end(actor=request.user, membership=current, last_month=_month(d["last_month"]),
                           reason=d["reason"])
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Iuran mandiri %(name)s diakhiri.") % {"name": person.full_name})
            return redirect("participants:detail", pk=person.pk)
    return _page(request, person, form, title=_("Akhiri iuran mandiri"), what="end")


@login_required
def package_cancel(request, participant: int):
    """Cancel a package that has not started yet (billing.services.membership.membership_cancel)."""
    person = _person(request, participant)
    current = open_membership(person)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_cancel(actor=request.user, membership=current, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Iuran mandiri %(name)s dibatalkan sebelum mulai.") % {
                "name": person.full_name})
            return redirect("participants:detail", pk=person.pk)
    return _page(request, person, form, title=_("Batalkan iuran mandiri"), what="cancel")
