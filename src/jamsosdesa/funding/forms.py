from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jamsosdesa.contributions.models import PayerType, Programme
from jamsosdesa.core.months import validate_month
from jamsosdesa.participants.models import VillageRole

from .lists import parse_quotas
from .models import ApbdesSource, EndReason
from .services import CHANGEABLE, SCHEME_SEGMENTS, SchemeData

MONTH = {"input_formats": ["%Y-%m", "%m/%Y"], "widget": forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
         "validators": [validate_month]}
SCHEME_PAYERS = [(v, label) for v, label in PayerType.choices if v != PayerType.EMPLOYER]


class SchemeForm(forms.Form):
    """Create a scheme, or (with `scheme`) change what may change once people are enrolled: the payer, owner
    and package are then shown but fixed. The service checks the rules; this form only reads the fields."""

    name = forms.CharField(label=_("Nama skema"), max_length=150,
                           widget=forms.TextInput(attrs={"placeholder": _("mis. Desa Peduli Pekerja Rentan")}))
    payer_type = forms.ChoiceField(label=_("Pembayar"), choices=SCHEME_PAYERS, initial=PayerType.APBDES)
    apbdes_source = forms.ChoiceField(label=_("Sumber APBDes"), required=False,
                                      choices=[("", _("— bukan APBDes —")), *ApbdesSource.choices])
    payer_name = forms.CharField(label=_("Nama pembayar (instansi, perusahaan, donatur)"), max_length=150,
                                 required=False)
    owner_code = forms.CharField(label=_("Kode wilayah pemilik skema (desa, kecamatan atau kabupaten)"),
                                 max_length=13, required=False)
    legal_basis_number = forms.CharField(label=_("Nomor dasar hukum (Perbup, Perdes, PKS)"), max_length=150)
    legal_basis_date = forms.DateField(label=_("Tanggal dasar hukum"),
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    segment = forms.ChoiceField(label=_("Segmen peserta"), choices=[(s, s) for s in SCHEME_SEGMENTS])
    programmes = forms.MultipleChoiceField(label=_("Program"), choices=Programme.choices, initial=["JKK", "JKM"],
                                           widget=forms.CheckboxSelectMultiple)
    income_nominal = forms.IntegerField(label=_("Nominal penghasilan, Rp"), min_value=1, max_value=10**12,
                                        initial=1_000_000)
    start_month = forms.DateField(label=_("Bulan pertama"), **MONTH)
    end_month = forms.DateField(label=_("Bulan terakhir"), **MONTH)
    budget_ceiling = forms.IntegerField(label=_("Pagu anggaran, Rp"), min_value=1, max_value=10**15)
    quota_per_desa = forms.IntegerField(label=_("Kuota per desa (kosong: tanpa batas)"), min_value=1,
                                        max_value=10**7, required=False)
    includes_kelurahan = forms.BooleanField(label=_("Kuota per desa juga untuk kelurahan (bila tidak: hanya desa dan "
                                                    "desa adat)"), required=False)
    quotas = forms.CharField(label=_("Kuota desa tertentu, satu per baris: KODE_DESA=JUMLAH (0 menutup desa)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 3,
                                                                          "placeholder": "33.11.11.2004=50"}))
    max_age = forms.IntegerField(label=_("Usia maksimal saat didaftarkan"), min_value=1, max_value=120, initial=65)
    village_roles = forms.MultipleChoiceField(label=_("Hanya peran di desa ini (kosong: semua)"), required=False,
                                              choices=VillageRole.choices, widget=forms.CheckboxSelectMultiple)
    requires_welfare_list = forms.BooleanField(label=_("Wajib terdaftar di DTKS/DTSEN"), required=False)
    welfare_file = forms.FileField(label=_("Daftar NIK DTKS/DTSEN (.xlsx, .xls, .csv dengan kolom NIK)"),
                                   required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scheme=None, **kwargs):
        self.scheme = scheme
        if scheme is not None:
            kwargs.setdefault("initial", {}).update({
                name: getattr(scheme, name) for name in (
                    "name", "payer_type", "apbdes_source", "payer_name", "owner_code", "legal_basis_number",
                    "legal_basis_date", "segment", "programmes", "income_nominal", "start_month", "end_month",
                    "budget_ceiling", "quota_per_desa", "includes_kelurahan", "max_age", "village_roles",
                    "requires_welfare_list", "note")})
            kwargs["initial"]["quotas"] = "\n".join(f"{q.desa_id}={q.quota}"
                                                   for q in scheme.quotas.order_by("desa_id"))
        super().__init__(*args, **kwargs)
        if scheme is not None:
            for name, field in self.fields.items():
                if name not in (*CHANGEABLE, "quotas", "welfare_file"):
                    field.disabled = True
                    field.required = False

    def clean_welfare_file(self):
        upload = self.cleaned_data.get("welfare_file")
        if upload and upload.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar; batas unggah %(n)d MB.")
                                        % {"n": settings.IMPORT_MAX_UPLOAD_MB})
        return upload

    def clean_quotas(self) -> dict[str, int]:
        try:
            return parse_quotas(self.cleaned_data["quotas"].splitlines())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def scheme_data(self, welfare_niks: list[str]) -> SchemeData:
        d = self.cleaned_data
        return SchemeData(
            name=d["name"], payer_type=d["payer_type"], apbdes_source=d["apbdes_source"], payer_name=d["payer_name"],
            owner_code=d["owner_code"].strip(), legal_basis_number=d["legal_basis_number"],
            legal_basis_date=d["legal_basis_date"], segment=d["segment"], programmes=tuple(d["programmes"]),
            income_nominal=d["income_nominal"], start_month=d["start_month"].replace(day=1),
            end_month=d["end_month"].replace(day=1), budget_ceiling=d["budget_ceiling"],
            quota_per_desa=d["quota_per_desa"], includes_kelurahan=d["includes_kelurahan"], quotas=d["quotas"],
            max_age=d["max_age"],
            village_roles=tuple(d["village_roles"]), requires_welfare_list=d["requires_welfare_list"],
            welfare_niks=tuple(welfare_niks), note=d["note"])

    def changes(self) -> dict:
        """The changeable fields whose value differs from the scheme's."""
        d = self.cleaned_data
        values = {name: d[name] for name in CHANGEABLE}
        values["end_month"] = values["end_month"].replace(day=1) if values["end_month"] else None
        values["village_roles"] = sorted(values["village_roles"])
        return {k: v for k, v in values.items() if v != getattr(self.scheme, k)}


class EnrolForm(forms.Form):
    """Enrol by one NIK, by a NIK list file, or by region and village role (one of the three)."""

    nik = forms.CharField(label=_("NIK satu peserta"), required=False, max_length=24)
    file = forms.FileField(required=False, label=_(
        "atau berkas daftar NIK (.xlsx, .xls, .csv; berkas impor atau ekspor OpenSID juga bisa)"))
    region = forms.CharField(label=_("atau semua peserta di wilayah (kode kecamatan/desa)"), required=False,
                             max_length=13)
    village_role = forms.ChoiceField(label=_("dengan peran di desa"), required=False,
                                     choices=[("", _("semua peran")), *VillageRole.choices])
    start_month = forms.DateField(label=_("Bulan pertama"), required=False, **MONTH)
    all_or_nothing = forms.BooleanField(label=_("Semua atau tidak sama sekali"), required=False)

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("nik", "file", "region") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Isi salah satu: NIK, berkas, atau wilayah."))
        return data


class EndForm(forms.Form):
    """End an enrolment: the scheme pays up to and including `last_month`."""

    last_month = forms.DateField(label=_("Bulan terakhir yang dibiayai"), **MONTH)
    reason = forms.ChoiceField(label=_("Alasan"), choices=[("", "—"), *EndReason.choices])
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
