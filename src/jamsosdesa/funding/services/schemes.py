"""Create and change funding schemes, and replace a scheme's welfare (DTKS/DTSEN) list. Each service checks,
writes and audits in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import QuoteError, RateBook
from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, sees_everything
from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, FieldErrors, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import add_years, months_between
from jamsosdesa.core.regioncodes import Level, code_within
from jamsosdesa.participants.fields import nik_list
from jamsosdesa.participants.models import Segment, VillageRole
from jamsosdesa.participants.nik import is_nik_shaped
from jamsosdesa.regions.models import Region

from ..access import can_create_scheme, can_manage_scheme, owns_scheme_region
from ..models import PROGRAMME_BITS, ApbdesSource, Enrolment, Scheme, SchemeQuota, WelfareEntry
from ..selectors import scheme_committed, scheme_cost_per_person, scheme_planned_quota

SCHEME_SEGMENTS = (Segment.BPU, Segment.PU)  # a scheme pays a monthly package; Jakon and PMI are per contract
MAX_MONTHS = 60
MAX_BUDGET = 10**15
MAX_QUOTA = 10**7
MAX_YEARS_AHEAD = 5


def _errors() -> FieldErrors:
    return FieldErrors(_("Data skema belum benar: %(first)s"))


@dataclass
class SchemeData:
    name: str
    payer_type: str
    legal_basis_number: str
    legal_basis_date: date
    start_month: date
    end_month: date
    budget_ceiling: int
    owner_code: str = ""
    apbdes_source: str = ""
    payer_name: str = ""
    segment: str = Segment.BPU
    programmes: tuple[str, ...] = ("JKK", "JKM")
    income_nominal: int = 1_000_000
    quota_per_desa: int | None = None
    includes_kelurahan: bool = False  # the per-desa quota applies to kelurahan too
    quotas: dict[str, int] = field(default_factory=dict)  # desa code -> quota
    max_age: int = 65
    village_roles: tuple[str, ...] = ()
    requires_welfare_list: bool = False
    welfare_niks: tuple[str, ...] = ()
    note: str = ""


def _clean_scheme(actor, data: SchemeData, errors: FieldErrors) -> Region | None:
    if not data.name.strip():
        errors.add("name", _("Nama skema wajib diisi."))
    if data.payer_type not in PayerType.values:
        errors.add("payer_type", _("Pembayar '%(p)s' tidak dikenal.") % {"p": data.payer_type})
    if data.payer_type == PayerType.APBDES and data.apbdes_source not in ApbdesSource.values:
        errors.add("apbdes_source", _("Untuk APBDes pilih sumbernya: Dana Desa, ADD atau pendapatan asli desa."))
    if data.payer_type != PayerType.APBDES and data.apbdes_source:
        errors.add("apbdes_source", _("Sumber APBDes hanya untuk pembayar APBDes."))
    if not data.legal_basis_number.strip():
        errors.add("legal_basis_number", _("Nomor Perbup/PKS/Perdes wajib diisi."))
    today = clock.today()
    if not date(1945, 8, 17) <= data.legal_basis_date <= add_years(today, 1):
        errors.add("legal_basis_date", _("Tanggal dasar hukum tidak masuk akal: %(d)s.")
                   % {"d": data.legal_basis_date.strftime("%d/%m/%Y")})
    if data.start_month.year > today.year + MAX_YEARS_AHEAD:
        errors.add("start_month", _("Bulan pertama paling jauh %(n)d tahun ke depan.") % {"n": MAX_YEARS_AHEAD})
    if data.segment not in SCHEME_SEGMENTS:
        errors.add("segment", _("Skema membiayai peserta BPU atau PU."))
    unknown = [p for p in data.programmes if p not in PROGRAMME_BITS]
    if unknown:
        errors.add("programmes", _("Program tidak dikenal: %(p)s.") % {"p": ", ".join(unknown)})
    if data.start_month.day != 1 or data.end_month.day != 1:
        errors.add("start_month", _("Periode ditulis per bulan (tanggal 1)."))
    months = months_between(data.start_month, data.end_month)
    if months < 1:
        errors.add("end_month", _("Bulan terakhir tidak boleh sebelum bulan pertama."))
    elif months > MAX_MONTHS:
        errors.add("end_month", _("Periode skema paling lama %(n)d bulan.") % {"n": MAX_MONTHS})
    if not 0 < data.budget_ceiling <= MAX_BUDGET:
        errors.add("budget_ceiling", _("Pagu anggaran harus lebih dari nol."))
    if data.quota_per_desa is not None and not 1 <= data.quota_per_desa <= MAX_QUOTA:
        errors.add("quota_per_desa", _("Kuota per desa paling sedikit 1 (kosongkan bila tanpa batas)."))
    if not 0 < data.max_age <= 120:
        errors.add("max_age", _("Usia maksimal harus 1 sampai 120 tahun."))
    bad_roles = [r for r in data.village_roles if r not in VillageRole.values]
    if bad_roles:
        errors.add("village_roles", _("Peran di desa tidak dikenal: %(r)s.") % {"r": ", ".join(bad_roles)})
    owner = None
    if data.owner_code:
        owner = Region.objects.filter(code=data.owner_code, is_historical=False).first()
        if owner is None:
            errors.add("owner_code", _("Wilayah %(c)s tidak dikenal.") % {"c": data.owner_code})
        elif not sees_everything(actor) and not code_in_scope(actor, owner.code):
            errors.add("owner_code", _("Wilayah %(c)s di luar wilayah kerja Anda.") % {"c": owner.code})
    elif not sees_everything(actor):
        errors.add("owner_code", _("Pilih wilayah pemilik skema."))
    if owner is not None and data.payer_type == PayerType.APBDES and owner.level != Level.DESA:
        errors.add("owner_code", _("Skema APBDes dimiliki satu desa."))
    elif (owner is not None and data.payer_type == PayerType.APBDES and not sees_everything(actor)
          and code_in_scope(actor, owner.code) and not owns_scheme_region(actor, data.payer_type, owner.code)):
        errors.add("owner_code", _("Skema APBDes dibuat oleh desa %(c)s sendiri.") % {"c": owner.code})
    for code, quota in data.quotas.items():
        if not 0 <= quota <= MAX_QUOTA:
            errors.add("quotas", _("Kuota desa %(c)s harus 0 sampai %(m)s.") % {"c": code, "m": thousands(MAX_QUOTA)})
        elif owner is not None and not code_within(code, owner.code):
            errors.add("quotas", _("Desa %(c)s di luar wilayah skema.") % {"c": code})
    known = set(Region.objects.filter(code__in=list(data.quotas), level=Level.DESA).values_list("code", flat=True))
    missing = sorted(set(data.quotas) - known)
    if missing:
        errors.add("quotas", _("Kode desa tidak dikenal: %(c)s.") % {"c": ", ".join(missing[:5])})
    bad_niks = [n for n in nik_list(data.welfare_niks) if not is_nik_shaped(n)]
    if bad_niks:
        errors.add("welfare_niks", _("NIK di daftar DTKS tidak 16 digit: %(n)s.") % {"n": ", ".join(bad_niks[:5])})
    return owner


def _check_package(scheme: Scheme, errors: FieldErrors, book: RateBook) -> int:
    """Quote the whole period once: an income off the list or a month without rates is named here."""
    try:
        return scheme_cost_per_person(scheme, scheme.start_month, scheme.end_month, book)
    except QuoteError as exc:
        for name, messages in exc.fields.items():
            for message in messages:
                errors.add({"income": "income_nominal", "month": "start_month"}.get(name, name), message)
        return 0


def _check_quotas_fit_budget(scheme: Scheme, per_person: int, errors: FieldErrors) -> None:
    planned = scheme_planned_quota(scheme)
    if planned is None or per_person == 0:
        return
    needed = planned * per_person
    if needed > scheme.budget_ceiling:
        errors.add("budget_ceiling", _(
            "Kuota semua desa (%(n)s orang × %(c)s selama periode = %(t)s) melebihi pagu anggaran %(b)s. "
            "Kurangi kuota atau naikkan pagu.") % {
            "n": thousands(planned), "c": rupiah(per_person), "t": rupiah(needed),
            "b": rupiah(scheme.budget_ceiling)})


def _scheme_snapshot(scheme: Scheme) -> dict:
    return {"name": scheme.name, "payer_type": scheme.payer_type, "apbdes_source": scheme.apbdes_source,
            "payer_name": scheme.payer_name, "owner": scheme.owner_code,
            "legal_basis": f"{scheme.legal_basis_number} ({scheme.legal_basis_date.isoformat()})",
            "segment": scheme.segment, "programmes": list(scheme.programmes), "income_nominal": scheme.income_nominal,
            "start_month": scheme.start_month.isoformat(), "end_month": scheme.end_month.isoformat(),
            "budget_ceiling": scheme.budget_ceiling, "quota_per_desa": scheme.quota_per_desa,
            "includes_kelurahan": scheme.includes_kelurahan, "max_age": scheme.max_age,
            "village_roles": list(scheme.village_roles),
            "requires_welfare_list": scheme.requires_welfare_list}


@transaction.atomic
def scheme_create(*, actor, data: SchemeData) -> Scheme:
    if not can_create_scheme(actor):
        raise PermissionDenied(_("Peran Anda tidak membuat skema pembiayaan."))
    errors = _errors()
    owner = _clean_scheme(actor, data, errors)
    errors.raise_if_any()
    programmes = sorted(dict.fromkeys(p.upper() for p in data.programmes), key=list(PROGRAMME_BITS).index)
    scheme = Scheme(name=data.name.strip(), payer_type=data.payer_type, apbdes_source=data.apbdes_source,
                    payer_name=data.payer_name.strip(), owner_region=owner,
                    legal_basis_number=data.legal_basis_number.strip(), legal_basis_date=data.legal_basis_date,
                    segment=data.segment, programmes=programmes, income_nominal=data.income_nominal,
                    start_month=data.start_month, end_month=data.end_month, budget_ceiling=data.budget_ceiling,
                    quota_per_desa=data.quota_per_desa, includes_kelurahan=data.includes_kelurahan,
                    max_age=data.max_age,
                    village_roles=sorted(set(data.village_roles)), requires_welfare_list=data.requires_welfare_list,
                    note=data.note.strip(), created_by=actor)
    welfare = nik_list(data.welfare_niks)
    if data.requires_welfare_list and not welfare:
        errors.add("welfare_niks", _("Skema ini mensyaratkan DTKS/DTSEN: unggah daftar NIK-nya."))
    per_person = _check_package(scheme, errors, rate_book())
    errors.raise_if_any()
    scheme.save()
    SchemeQuota.objects.bulk_create(SchemeQuota(scheme=scheme, desa_id=c, quota=q) for c, q in data.quotas.items())
    WelfareEntry.objects.bulk_create((WelfareEntry(scheme=scheme, nik=n) for n in welfare), batch_size=5000)
    _check_quotas_fit_budget(scheme, per_person, errors)
    errors.raise_if_any()  # rolls the scheme back with everything else
    audit_record(actor=actor, event=AuditEventType.SCHEME_CREATED, obj=scheme, region_code=scheme.owner_code,
                 new=_scheme_snapshot(scheme) | {"quotas": data.quotas, "welfare_niks": len(welfare)})
    return scheme


CHANGEABLE = ("name", "payer_name", "legal_basis_number", "legal_basis_date", "budget_ceiling", "quota_per_desa",
              "includes_kelurahan", "max_age", "village_roles", "requires_welfare_list", "note", "end_month")


@transaction.atomic
def scheme_update(*, actor, scheme: Scheme, changes: dict, quotas: dict[str, int] | None = None,
                  replace_quotas: bool = False) -> Scheme:
    """Change what can change once people are enrolled (not the payer or the package). Quotas given here
    replace the desa's quotas named (0 closes a desa); with `replace_quotas` the desa not named go back to
    the default quota."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not can_manage_scheme(actor, scheme):
        raise PermissionDenied(_("Skema ini dikelola wilayah lain."))
    errors = _errors()
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        errors.add(unknown[0], _("Tidak bisa diubah setelah skema dibuat: %(f)s.") % {"f": ", ".join(unknown)})
    errors.raise_if_any()
    old = _scheme_snapshot(scheme)
    old_quotas = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    for name, value in changes.items():
        setattr(scheme, name, value)
    data = SchemeData(**{k: getattr(scheme, k) for k in (
        "name", "payer_type", "legal_basis_number", "legal_basis_date", "start_month", "end_month", "budget_ceiling",
        "apbdes_source", "payer_name", "segment", "income_nominal", "quota_per_desa", "includes_kelurahan",
        "max_age", "note", "requires_welfare_list")}, owner_code=scheme.owner_code, programmes=tuple(scheme.programmes),
        quotas=quotas or {}, village_roles=tuple(scheme.village_roles))
    _clean_scheme(actor, data, errors)
    committed = scheme_committed(scheme)
    if scheme.budget_ceiling < committed:
        errors.add("budget_ceiling", _("Pagu %(b)s lebih kecil dari biaya peserta yang sudah terdaftar (%(c)s).")
                   % {"b": rupiah(scheme.budget_ceiling), "c": rupiah(committed)})
    if scheme.requires_welfare_list and not WelfareEntry.objects.filter(scheme=scheme).exists():
        errors.add("welfare_niks", _("Skema ini mensyaratkan DTKS/DTSEN: unggah daftar NIK-nya."))
    last = Enrolment.objects.filter(scheme=scheme).order_by("-end_month").values_list("end_month", flat=True).first()
    if last and scheme.end_month < last:
        errors.add("end_month", _("Ada peserta yang dibiayai sampai %(m)s: akhiri kepesertaannya dulu.")
                   % {"m": last.strftime("%m/%Y")})
    errors.raise_if_any()
    scheme.save()
    if replace_quotas:
        SchemeQuota.objects.filter(scheme=scheme).exclude(desa_id__in=list(quotas or {})).delete()
    for code, quota in (quotas or {}).items():
        SchemeQuota.objects.update_or_create(scheme=scheme, desa_id=code, defaults={"quota": quota})
    per_person = _check_package(scheme, errors, rate_book())
    _check_quotas_fit_budget(scheme, per_person, errors)
    errors.raise_if_any()
    new_quotas = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    before, after = diff(old | {"quotas": old_quotas}, _scheme_snapshot(scheme) | {"quotas": new_quotas})
    if after:
        audit_record(actor=actor, event=AuditEventType.SCHEME_UPDATED, obj=scheme, region_code=scheme.owner_code,
                     old=before, new=after)
    return scheme


@transaction.atomic
def welfare_list_replace(*, actor, scheme: Scheme, niks: list[str]) -> int:
    """The scheme's DTKS/DTSEN list becomes `niks` (people already enrolled stay enrolled)."""
    if not can_manage_scheme(actor, scheme):
        raise PermissionDenied(_("Skema ini dikelola wilayah lain."))
    clean = nik_list(niks)
    bad = [n for n in clean if not is_nik_shaped(n)]
    if bad:
        raise ServiceError(code=ErrorCode.INVALID,
                           message=_("NIK tidak 16 digit: %(n)s.") % {"n": ", ".join(bad[:5])},
                           fields={"welfare_niks": [", ".join(bad[:20])]})
    before = WelfareEntry.objects.filter(scheme=scheme).count()
    WelfareEntry.objects.filter(scheme=scheme).delete()
    WelfareEntry.objects.bulk_create((WelfareEntry(scheme=scheme, nik=n) for n in clean), batch_size=5000)
    audit_record(actor=actor, event=AuditEventType.SCHEME_WELFARE_LIST_REPLACED, obj=scheme,
                 region_code=scheme.owner_code, old={"welfare_niks": before}, new={"welfare_niks": len(clean)},
                 note=_("daftar DTKS diganti"))
    return len(clean)
