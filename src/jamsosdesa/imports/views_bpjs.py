"""Uploading a BPJS list to compare (H8, issue 12 item 7): the form (file, region, the list's date, a saved column
mapping) and, for a file whose columns were not known, saving a `bpjs_list` column mapping and comparing again.
The result pages are billing's (billing.views_bpjs): they read only the comparison's rows. Branch officers (their
kabupaten) and national admins; everyone else 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsosdesa.billing.access import can_crosscheck, scope_bpjs_lists
from jamsosdesa.billing.crosscheck import bpjs_list_get
from jamsosdesa.core import clock
from jamsosdesa.core.access import user_region_codes
from jamsosdesa.core.errors import ServiceError, put_on_form

from .bpjs import BPJS_FIELD_LABELS, BPJS_FIELDS
from .bpjs_import import bpjs_list_again, bpjs_list_create
from .models import ColumnMapping, MappingKind
from .selectors import mappings_visible


class BpjsUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas daftar BPJS (.csv, .xlsx, .xls)"))
    region = forms.CharField(label=gettext_lazy("Kode kabupaten atau desa yang dicakup daftar"), max_length=13,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "33.11"}))
    as_of = forms.DateField(label=gettext_lazy("Tanggal daftar"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=gettext_lazy("Status dibandingkan pada tanggal ini (bawaan: hari ini)."))
    mapping = forms.ModelChoiceField(label=gettext_lazy("Pemetaan kolom (bila judul kolomnya lain)"),
                                     queryset=ColumnMapping.objects.none(), required=False,
                                     empty_label=gettext_lazy("kenali judul kolom BPJS otomatis"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings_visible(user, MappingKind.BPJS_LIST)
        kabs = sorted({code[:5] for code in user_region_codes(user) if len(code) >= 5})
        if len(kabs) == 1:
            self.fields["region"].initial = kabs[0]


class BpjsMappingForm(forms.Form):
    mapping_name = forms.CharField(label=gettext_lazy("Nama pemetaan"), max_length=80)
    shared = forms.BooleanField(label=gettext_lazy("Bagikan ke pengguna lain di wilayah saya"), required=False)

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in header if str(h).strip()]
        for fld in BPJS_FIELDS:
            self.fields[fld] = forms.ChoiceField(label=BPJS_FIELD_LABELS[fld], choices=choices,
                                                 required=fld in ("nik", "status"))

    def columns(self) -> dict[str, str]:
        return {fld: self.cleaned_data[fld] for fld in BPJS_FIELDS if self.cleaned_data.get(fld)}


def _comparer(request) -> None:
    if not can_crosscheck(request.user):
        raise Http404


@login_required
def bpjs_start(request):
    _comparer(request)
    form = BpjsUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = bpjs_list_create(actor=request.user, upload=data["file"], region_code=data["region"],
                                   as_of=data["as_of"], mapping=data["mapping"])
        except ServiceError as exc:
            put_on_form(form, exc.fields, aliases={"as_of": "as_of", "region": "region"}, otherwise=exc.message)
        else:
            return redirect("billing:bpjs_list", pk=job.pk)
    return render(request, "imports/bpjs_start.html", {
        "form": form, "lists": scope_bpjs_lists(request.user)[:10], "today": clock.today()})


@login_required
@require_POST
def bpjs_mapping(request, pk: int):
    """Save a `bpjs_list` column mapping for a file whose columns were not known, then compare it again."""
    job = bpjs_list_get(request.user, pk)
    if job is None or not (job.created_by_id == request.user.pk or can_crosscheck(request.user, job.region_code)):
        raise Http404
    form = BpjsMappingForm(request.POST, header=(job.summary or {}).get("header", []))
    if not (job.summary or {}).get("column_problem"):
        messages.error(request, _("Kolom daftar ini sudah dikenali; tidak perlu pemetaan."))
    elif form.is_valid():
        try:
            mapping, _created = ColumnMapping.objects.update_or_create(
                owner=request.user, kind=MappingKind.BPJS_LIST,
                name=" ".join(form.cleaned_data["mapping_name"].split()),
                defaults={"columns": form.columns(), "shared": form.cleaned_data["shared"]})
            bpjs_list_again(job=job, mapping=mapping)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pemetaan '%(n)s' disimpan dan dipakai.") % {"n": mapping.name})
    else:
        problems = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                             for f, e in form.errors.items())
        messages.error(request, _("Pemetaan belum lengkap: %(p)s") % {"p": problems})
    return redirect("billing:bpjs_list", pk=pk)

