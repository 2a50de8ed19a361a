"""Demo schemes from the field: Kab. Gianyar pays 100 vulnerable workers per village for six months, Desa
Krajan pays its RT/RW heads from ADD for a year."""

from datetime import date

from django.db import transaction

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.models import Participant

from .models import Scheme
from .services import EnrolmentSelection, SchemeData, enrolment_batch_run, scheme_create

GIANYAR = "Satu Desa 100 Pekerja Rentan Gianyar"
KRAJAN = "Perlindungan Ketua RT/RW Desa Krajan"


@transaction.atomic
def demo_schemes() -> int:
    """Create the demo schemes and enrol their people; running it again adds nothing."""
    if Scheme.objects.filter(name__in=[GIANYAR, KRAJAN]).exists():
        return 0
    start = clock.this_month()
    gianyar = User.objects.get(username="pemkab.gianyar")
    operator = User.objects.get(username="operator.krajan")
    district = scheme_create(actor=gianyar, data=SchemeData(
        name=GIANYAR, payer_type="apbd", payer_name="Pemerintah Kabupaten Gianyar", owner_code="51.04",
        legal_basis_number="Perbup Gianyar No. 18 Tahun 2026 (contoh)", legal_basis_date=date(start.year, 1, 15),
        start_month=start, end_month=add_months(start, 5), budget_ceiling=12_800 * 16_800 * 6, quota_per_desa=100,
        village_roles=("vulnerable_worker",)))
    enrolment_batch_run(actor=gianyar, scheme=district, selection=EnrolmentSelection(
        participants=Participant.objects.filter(kab_code="51.04", village_role="vulnerable_worker"),
        description="data demo"))
    village = scheme_create(actor=operator, data=SchemeData(
        name=KRAJAN, payer_type="apbdes", apbdes_source="add", payer_name="Pemerintah Desa Krajan",
        owner_code="33.11.11.2004", legal_basis_number="Perdes Krajan No. 2 Tahun 2026 (contoh)",
        legal_basis_date=date(start.year, 1, 10), start_month=start, end_month=add_months(start, 11),
        budget_ceiling=30_000_000, village_roles=("rt_head", "rw_head")))
    enrolment_batch_run(actor=operator, scheme=village, selection=EnrolmentSelection(
        participants=Participant.objects.filter(desa_id="33.11.11.2004", village_role__in=["rt_head", "rw_head"]),
        description="data demo"))
    return 2
