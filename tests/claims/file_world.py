"""Shared ground for the claim file's tests (issue 15 part C2): workers of Krajan with paid or unpaid months of their
own package, registered heirs, a lenient arrears policy, and the users who report and process. Months come from the
suite's clock (`month(k)`, `day(k, d)`), never a fixed month."""

from jamsosdesa.billing.models import ArrearsPolicy
from jamsosdesa.claims.services import ReportRequest, report_claim
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Heir
from tests.claims.engine_fixtures import day, fresh_param_cache, worker  # noqa: F401 (re-exported)
from tests.conftest import DESA_A, DESA_B, make_user
from tests.funding.conftest import month

__all__ = ["DESA_A", "DESA_B", "day", "month", "worker", "protected", "lapsed", "in_arrears", "lenient_policy",
           "report", "branch_officer", "district_official", "SPOUSE_NIK", "CHILD_NIK", "PARENT_NIK",
           "fresh_param_cache", "MONTH_DUE"]

SPOUSE_NIK = "3311114506920001"  # Kec. Gatak, born 05-06-1992, female
CHILD_NIK = "3311110101150002"
PARENT_NIK = "3311111212600003"
MONTH_DUE = 16_800  # one month's due of a worker here: BPU JKK 1 % of Rp1,000,000 + JKM Rp6,800
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def protected(*, heirs: bool = True, desa: str = DESA_A):
    """A worker active on every day of the last three months (months -3 to 0 paid), with a spouse and a child as
    registered heirs (valid NIKs) and a parent registered without a NIK."""
    person = worker(paid=[month(n) for n in range(-3, 1)], desa=desa)
    if heirs:
        Heir.objects.create(participant=person, name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK)
        Heir.objects.create(participant=person, name="Bagus", relation="child", nik=CHILD_NIK)
        Heir.objects.create(participant=person, name="Mbok Sarmi", relation="parent", nik="")
    return person


def lapsed():
    """A worker whose last paid month was five months ago: not active last month."""
    return worker(paid=[month(-5)], unpaid=[month(-4), month(-3), month(-2), month(-1)])


def in_arrears():
    """Paid until two months ago, then last month and this month unpaid."""
    return worker(paid=[month(-3), month(-2)], unpaid=[month(-1), month(0)])


def lenient_policy(kab: str = "33.11"):
    return ArrearsPolicy.objects.create(kab_code=kab, valid_from=month(-12), mode="lenient", grace_months=3,
                                        source="Surat Cabang Sukoharjo (uji)")


def report(user, person, kind="jkm", event_date=None, **more):
    return report_claim(user, ReportRequest(nik=person.nik, kind=kind, event_date=event_date or day(-1, 10), **more))


def branch_officer(kab: str = "33.11", name: str = "cabang_skh"):
    """A BPJS branch officer of a kabupaten (Sukoharjo by default)."""
    return make_user(name, Role.BRANCH_OFFICER, [kab])


def district_official(kab: str = "33.11"):
    return make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, [kab])
