"""Every number the benefits and the claim procedure use, as effective-dated `BenefitParameter` rows naming their
regulation (issue 15 item 3; docs/design/claims.md).

`CODES` lists the codes with their unit, the value and regulation migration 0002 seeds, and what they mean in
Indonesian. `param(code, on)` is the value of the latest row of the code valid on or before the day `on`. The rows
(a few dozen) are read once and kept for PARAM_CACHE_SECONDS in this process; saving or deleting a row empties the
cache of this process, other processes see the change within that time. `set_parameter` is the audited way for a
national admin to enter a value from a day (the admin site calls it too).
"""

import threading
import time
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.roles import Role

from .models import BenefitParameter

PARAM_CACHE_SECONDS = 60

RUPIAH, TIMES, PERCENT, MONTHS, HOURS, CHILDREN, WORKING_DAYS = (
    "rupiah", "kali upah", "persen", "bulan", "jam", "anak", "hari kerja")

PP_44_2015 = "PP 44/2015"
PP_82_2019 = "PP 44/2015 jo. PP 82/2019"
PP_44_FROM = date(2015, 7, 1)  # PP 44/2015 in force
PP_82_FROM = date(2019, 12, 2)  # PP 82/2019 promulgated (its new amounts apply from then)
SERVICE_PRACTICE = "Standar layanan klaim BPJS Ketenagakerjaan (praktik, dapat diubah)"


@dataclass(frozen=True)
class Code:
    unit: str
    default: int  # the value migration 0002 seeds (never read by the computation: the rows are)
    regulation: str
    valid_from: date
    description: str  # Indonesian, translated where shown


def _c(unit, default, regulation, valid_from, description) -> Code:
    return Code(unit, default, regulation, valid_from, description)


CODES: dict[str, Code] = {
    # JKM: death not from work
    "jkm_lump_sum": _c(RUPIAH, 20_000_000, PP_82_2019, PP_82_FROM, gettext_lazy("JKM: santunan sekaligus")),
    "jkm_periodic": _c(RUPIAH, 12_000_000, PP_82_2019, PP_82_FROM,
                       gettext_lazy("JKM: santunan berkala (dibayar sekaligus)")),
    "jkm_funeral": _c(RUPIAH, 10_000_000, PP_82_2019, PP_82_FROM, gettext_lazy("JKM: biaya pemakaman")),
    # JKK: death from a work accident
    "jkk_death_multiplier": _c(TIMES, 48, PP_44_2015, PP_44_FROM,
                               gettext_lazy("JKK meninggal: santunan kematian, kali upah")),
    "jkk_death_minimum": _c(RUPIAH, 20_000_000, PP_82_2019, PP_82_FROM,
                            gettext_lazy("JKK meninggal: santunan kematian paling sedikit")),
    "jkk_funeral": _c(RUPIAH, 10_000_000, PP_82_2019, PP_82_FROM, gettext_lazy("JKK meninggal: biaya pemakaman")),
    "jkk_periodic": _c(RUPIAH, 12_000_000, PP_82_2019, PP_82_FROM,
                       gettext_lazy("JKK meninggal: santunan berkala (dibayar sekaligus)")),
    # JKK: permanent total disability
    "jkk_disability_multiplier": _c(TIMES, 56, PP_44_2015, PP_44_FROM,
                                    gettext_lazy("JKK cacat total tetap: santunan, kali upah")),
    "jkk_disability_periodic": _c(RUPIAH, 12_000_000, PP_82_2019, PP_82_FROM,
                                  gettext_lazy("JKK cacat total tetap: santunan berkala (dibayar sekaligus)")),
    # JKK: temporary incapacity (STMB) and occupational disease
    "jkk_temporary_full_percent": _c(PERCENT, 100, PP_82_2019, PP_82_FROM,
                                     gettext_lazy("JKK tidak mampu bekerja: persen upah pada bulan-bulan pertama")),
    "jkk_temporary_full_months": _c(MONTHS, 12, PP_82_2019, PP_82_FROM,
                                    gettext_lazy("JKK tidak mampu bekerja: lama bulan-bulan pertama")),
    "jkk_temporary_after_percent": _c(PERCENT, 50, PP_82_2019, PP_82_FROM,
                                      gettext_lazy("JKK tidak mampu bekerja: persen upah sesudahnya sampai sembuh")),
    # scholarships (JKM after 36 contribution months; JKK death with no minimum)
    "scholarship_tk_sd": _c(RUPIAH, 1_500_000, PP_82_2019, PP_82_FROM,
                            gettext_lazy("Beasiswa per anak per tahun: TK/SD")),
    "scholarship_smp": _c(RUPIAH, 2_000_000, PP_82_2019, PP_82_FROM,
                          gettext_lazy("Beasiswa per anak per tahun: SMP")),
    "scholarship_sma": _c(RUPIAH, 3_000_000, PP_82_2019, PP_82_FROM,
                          gettext_lazy("Beasiswa per anak per tahun: SMA/SMK")),
    "scholarship_higher": _c(RUPIAH, 12_000_000, PP_82_2019, PP_82_FROM,
                             gettext_lazy("Beasiswa per anak per tahun: perguruan tinggi")),
    "scholarship_cap_per_child": _c(RUPIAH, 87_000_000, PP_82_2019, PP_82_FROM,
                                    gettext_lazy("Beasiswa: paling banyak per anak")),
    "scholarship_cap_two_children": _c(RUPIAH, 174_000_000, PP_82_2019, PP_82_FROM,
                                       gettext_lazy("Beasiswa: paling banyak untuk dua anak")),
    "scholarship_max_children": _c(CHILDREN, 2, PP_82_2019, PP_82_FROM,
                                   gettext_lazy("Beasiswa: paling banyak anak per peserta")),
    "jkm_scholarship_min_months": _c(MONTHS, 36, PP_82_2019, PP_82_FROM,
                                     gettext_lazy("Beasiswa JKM: masa iuran paling sedikit")),
    # the claim procedure
    "jkk_report_limit_hours": _c(HOURS, 48, PP_44_2015, PP_44_FROM,
                                 gettext_lazy("JKK: batas waktu laporan kecelakaan kerja sesudah kejadian")),
    "jkk_claim_lapse_months": _c(MONTHS, 24, PP_44_2015, PP_44_FROM,
                                 gettext_lazy("JKK: hak atas manfaat gugur sesudah kejadian")),
    "service_standard_working_days": _c(WORKING_DAYS, 3, SERVICE_PRACTICE, PP_44_FROM,
                                        gettext_lazy("Standar layanan: dibayar sejak berkas lengkap")),
}


@dataclass(frozen=True)
class Value:
    """A parameter's value in force on a day, with where it comes from."""

    code: str
    value: int
    valid_from: date
    regulation: str


_lock = threading.Lock()
_cache: list = []  # [(loaded_at, {code: [Value, ...] newest first})]


def param_cache_clear(**_ignored) -> None:
    """Forget the rows read (called when a row is saved or deleted; tests call it too)."""
    with _lock:
        _cache.clear()


def _rows() -> dict[str, list[Value]]:
    now = time.monotonic()
    with _lock:
        if _cache and now - _cache[0][0] < PARAM_CACHE_SECONDS:
            return _cache[0][1]
    rows: dict[str, list[Value]] = {}
    for r in BenefitParameter.objects.order_by("code", "-valid_from").values_list(
            "code", "value", "valid_from", "regulation"):
        rows.setdefault(r[0], []).append(Value(*r))
    with _lock:
        _cache[:] = [(now, rows)]
    return rows


def value_on(code: str, on: date) -> Value:
    """The row of `code` in force on `on` (the latest valid on or before it). A ServiceError, in words, when the code
    is unknown or no row is in force that day (an event before the rules were entered: an admin enters them)."""
    if code not in CODES:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Parameter manfaat '%(c)s' tidak dikenal.") % {"c": code})
    for row in _rows().get(code, []):
        if row.valid_from <= on:
            return row
    message = _("Belum ada nilai parameter %(c)s (%(d)s) yang berlaku pada %(on)s: admin nasional perlu "
                "mengisinya.") % {"c": code, "d": CODES[code].description, "on": f"{on:%d-%m-%Y}"}
    raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"on": [message]})


def param(code: str, on: date) -> int:
    """The value of `code` in force on the day `on` (rupiah, a multiplier, percent, months... as CODES says)."""
    return value_on(code, on).value


def regulation(code: str, on: date) -> str:
    return value_on(code, on).regulation


def parameters_on(on: date) -> list[dict]:
    """Every code with the value in force on the day (None when none is), for the CLI and the page."""
    result = []
    for code, spec in CODES.items():
        rows = [r for r in _rows().get(code, []) if r.valid_from <= on]
        row = rows[0] if rows else None
        result.append({"code": code, "unit": spec.unit, "description": str(spec.description),
                       "value": row.value if row else None,
                       "valid_from": row.valid_from.isoformat() if row else None,
                       "regulation": row.regulation if row else None})
    return result


def set_parameter(user, code: str, value: int, valid_from: date, regulation: str, note: str = "") -> BenefitParameter:
    """A national admin enters `code` = `value` from the day `valid_from` under `regulation` (a row of that code
    and day is replaced), audited in the same transaction. Days before `valid_from` keep their values."""
    if not (user and user.is_authenticated and (user.role == Role.NATIONAL_ADMIN or user.is_superuser)):
        raise ServiceError(code=ErrorCode.FORBIDDEN,
                           message=_("Hanya admin nasional yang boleh mengubah parameter manfaat klaim."))
    problems = {}
    if code not in CODES:
        problems["code"] = [_("Parameter manfaat '%(c)s' tidak dikenal.") % {"c": code}]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems["value"] = [_("Nilai harus bilangan bulat 0 atau lebih.")]
    regulation = (regulation or "").strip()
    if not regulation:
        problems["regulation"] = [_("Sebutkan dasar hukumnya (mis. PP 82/2019).")]
    if problems:
        first = next(iter(problems.values()))[0]
        raise ServiceError(code=ErrorCode.INVALID, message=first, fields=problems)
    with transaction.atomic():
        row = BenefitParameter.objects.select_for_update().filter(code=code, valid_from=valid_from).first()
        old = {"value": row.value, "regulation": row.regulation} if row else None
        if row is None:
            row = BenefitParameter(code=code, valid_from=valid_from)
        row.value, row.regulation, row.note, row.changed_by = value, regulation[:200], note[:200], user
        row.changed_at = timezone.now()
        row.save()
        audit_record(actor=user, event=AuditEventType.BENEFIT_PARAMETER_CHANGED, obj=row, old=old,
                     new={"code": code, "value": value, "valid_from": valid_from, "regulation": row.regulation})
    param_cache_clear()
    return row


post_save.connect(param_cache_clear, sender=BenefitParameter, dispatch_uid="claims.param_cache_clear.save")
post_delete.connect(param_cache_clear, sender=BenefitParameter, dispatch_uid="claims.param_cache_clear.delete")
