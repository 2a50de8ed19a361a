"""The demo's coverage targets and denominators (H-public): this year's target and working population for the
nation, the demo's provinces, kabupaten/kota and desa, set by the demo's national admin through coverage's own
services (audited like any other), so the dashboard and the public page show coverage and progress on the
quick-start demo. The figures are examples sized to the demo, not official ones, and say so in their notes.

Running it again changes nothing: a region and year that already has a target (or a denominator) keeps it, even
one a user has changed since."""

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.participants.demo import KRAJAN, OTHER_GATAK_DESA, demo_desa

from .denominators import DenominatorRequest, denominator_set
from .models import NATION, Denominator, DenominatorSource, Target
from .targets import TargetRequest, target_set

DEMO_NOTE = "angka contoh demo, bukan angka resmi"
# region: (target, working population, its source). Sized to the demo's few thousand people (a real kabupaten's
# working population is hundreds of thousands, which would show every coverage as 0.0 %), so the pages show
# coverage and progress; Krajan's target is the issue's own "at least 1,000 protected".
FIGURES = {
    NATION: (2_000, 12_000, DenominatorSource.BPS_SAKERNAS),
    "12": (400, 2_500, DenominatorSource.BPS_SAKERNAS),  # Sumatera Utara
    "33": (600, 4_000, DenominatorSource.BPS_SAKERNAS),  # Jawa Tengah
    "35": (400, 3_000, DenominatorSource.BPS_SAKERNAS),  # Jawa Timur
    "51": (500, 3_000, DenominatorSource.BPS_SAKERNAS),  # Bali
    "12.71": (400, 2_500, DenominatorSource.BPS_SAKERNAS),  # Kota Medan
    "33.10": (300, 2_500, DenominatorSource.BPS_SAKERNAS),  # Klaten
    "33.11": (300, 1_500, DenominatorSource.BPS_SAKERNAS),  # Sukoharjo
    "35.25": (400, 3_000, DenominatorSource.BPS_SAKERNAS),  # Gresik
    "51.04": (500, 3_000, DenominatorSource.BPS_SAKERNAS),  # Gianyar
    KRAJAN: (1_000, 1_400, DenominatorSource.VILLAGE_COUNT),
    OTHER_GATAK_DESA: (300, 900, DenominatorSource.VILLAGE_COUNT),
}


def _figures() -> dict:
    """Every demo region's figures: the table above, and for the districts' other demo desa a target of twice
    and a village count of three times their demo people."""
    figures = dict(FIGURES)
    for code, people in demo_desa():
        figures.setdefault(code, (2 * people, 3 * people, DenominatorSource.VILLAGE_COUNT))
    return figures


def demo_figures() -> int:
    """Set what is missing; the number of targets and denominators written (0 on a second run)."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    year = clock.today().year
    written = 0
    for code, (target, working, source) in _figures().items():
        if not Target.objects.filter(region_code=code, year=year, segment="", village_role="").exists():
            target_set(actor=admin, request=TargetRequest(region=code, year=year, count=target, note=DEMO_NOTE))
            written += 1
        if not Denominator.objects.filter(region_code=code, year=year).exists():
            denominator_set(actor=admin, request=DenominatorRequest(region=code, year=year, count=working,
                                                                    source=source, source_note=DEMO_NOTE))
            written += 1
    return written
