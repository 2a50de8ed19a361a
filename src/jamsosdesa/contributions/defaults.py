"""The contribution rules shipped with jamsosdesa, loaded into the tables by a data migration.

They summarise the regulations named on each row (see shared DOMAIN.md); a national admin corrects or
extends them in the admin, from the month a change takes effect. Figures marked "belum dikonfirmasi" could not
be checked against the regulation text. A row's `regulation` is the regulation's name only: what the row says
(1% of the income, Rp6.800 a month) is described from its numbers, in the user's language.
"""

from datetime import date

PP44 = "PP 44/2015 jo. PP 82/2019 (JKK, JKM)"
PP46 = "PP 46/2015 jo. PP 60/2015 (JHT)"
PP45 = "PP 45/2015 (JP)"
SINCE = date(2015, 7, 1)

# (segment, programme, share, risk class, percent, flat amount, wage capped, valid from, regulation)
RATES = [
    ("BPU", "JKK", "worker", 0, "1", 0, False, SINCE, PP44),
    ("BPU", "JKM", "worker", 0, "0", 6_800, False, SINCE, PP44),
    ("BPU", "JHT", "worker", 0, "2", 0, False, SINCE, PP46),
    *[("PU", "JKK", "employer", cls, pct, 0, False, SINCE, "PP 44/2015 Lampiran I")
      for cls, pct in ((1, "0.24"), (2, "0.54"), (3, "0.89"), (4, "1.27"), (5, "1.74"))],
    ("PU", "JKM", "employer", 0, "0.30", 0, False, SINCE, "PP 44/2015"),
    ("PU", "JHT", "employer", 0, "3.7", 0, False, SINCE, PP46),
    ("PU", "JHT", "worker", 0, "2", 0, False, SINCE, PP46),
    ("PU", "JP", "employer", 0, "2", 0, True, SINCE, PP45),
    ("PU", "JP", "worker", 0, "1", 0, True, SINCE, PP45),
]

# JP wage ceiling, from March of each year (January and February use the previous March's).
CEILINGS = [
    (date(year, 3, 1), amount, f"PP 45/2015 Pasal 19; pengumuman BPJS Ketenagakerjaan {year}")
    for year, amount in ((2023, 9_559_600), (2024, 10_042_300), (2025, 10_547_400), (2026, 11_086_300))
]

JAKON = "Permenaker 44/2015"
_BANDS = ((0, 100_000_000, "0.21", "0.03"), (100_000_000, 500_000_000, "0.17", "0.02"),
          (500_000_000, 1_000_000_000, "0.13", "0.02"), (1_000_000_000, 5_000_000_000, "0.11", "0.01"),
          (5_000_000_000, None, "0.09", "0.01"))
# (programme, lower, upper, percent, valid from, regulation)
BANDS = [("JKK", lo, hi, jkk, SINCE, JAKON) for lo, hi, jkk, _ in _BANDS] + \
        [("JKM", lo, hi, jkm, SINCE, JAKON) for lo, hi, _, jkm in _BANDS]

PMI = "Permenaker 4/2023"
# (contract months, before departure, during and after work, per extra month, valid from, regulation)
PMI_PACKAGES = [
    (6, 37_500, 108_000, 13_500, date(2023, 3, 1), PMI),
    (12, 37_500, 189_000, 13_500, date(2023, 3, 1), PMI),
    (24, 37_500, 332_500, 13_500, date(2023, 3, 1), PMI),
]

# Allowed BPU income nominals: Rp1,000,000 up in steps of Rp500,000, and the highest about Rp20,700,000.
NOMINALS_REGULATION = "PP 44/2015 Lampiran II (daftar resmi belum ditemukan; belum dikonfirmasi)"
NOMINALS = [*range(1_000_000, 20_000_001, 500_000), 20_700_000]

LABOUR_INTENSIVE = ["makanan_minuman", "tekstil_pakaian", "kulit", "alas_kaki", "mainan", "furnitur"]
# (name, segment, programmes, share, percent off, sectors, excluded payers, from, until, regulation)
DISCOUNTS = [
    ("Diskon 50% JKK industri padat karya", "PU", ["JKK"], "", "50", LABOUR_INTENSIVE, [],
     date(2025, 2, 1), date(2026, 1, 1), "PP 7/2025"),
    ("Diskon 50% JKK dan JKM pekerja transportasi", "BPU", ["JKK", "JKM"], "", "50", ["transportasi"],
     ["apbn", "apbd"], date(2026, 1, 1), date(2027, 3, 1), "PP 50/2025"),
    ("Diskon 50% JKK dan JKM pekerja bukan penerima upah", "BPU", ["JKK", "JKM"], "", "50", [],
     ["apbn", "apbd"], date(2026, 4, 1), date(2026, 12, 1), "PP 50/2025"),
]


def load(apps=None) -> None:
    """Write the defaults into empty tables (the data migration calls this with the historical models)."""
    from decimal import Decimal

    def model(name):
        if apps is not None:
            return apps.get_model("contributions", name)
        from jamsosdesa.contributions import models
        return getattr(models, name)

    Rate, Ceiling, Band = model("Rate"), model("WageCeiling"), model("ContractBand")
    Package, Nominal, Discount = model("PmiPackage"), model("IncomeNominal"), model("Discount")
    Rate.objects.bulk_create(
        Rate(segment=s, programme=p, share=sh, risk_class=rc, percent=Decimal(pct), flat_amount=flat,
             wage_capped=capped, valid_from=since, regulation=reg)
        for s, p, sh, rc, pct, flat, capped, since, reg in RATES)
    Ceiling.objects.bulk_create(Ceiling(programme="JP", amount=amount, valid_from=since, regulation=reg)
                                for since, amount, reg in CEILINGS)
    Band.objects.bulk_create(Band(programme=p, lower=lo, upper=hi, percent=Decimal(pct), valid_from=since,
                                  regulation=reg) for p, lo, hi, pct, since, reg in BANDS)
    Package.objects.bulk_create(
        Package(contract_months=m, before_departure=b, during_and_after=d, extra_month=x, valid_from=since,
                regulation=reg) for m, b, d, x, since, reg in PMI_PACKAGES)
    Nominal.objects.bulk_create(Nominal(amount=a, valid_from=SINCE, regulation=NOMINALS_REGULATION) for a in NOMINALS)
    Discount.objects.bulk_create(
        Discount(name=n, segment=s, programmes=ps, share=sh, percent_off=Decimal(pct), sectors=sec,
                 excluded_payers=ex, valid_from=start, valid_until=end, regulation=reg)
        for n, s, ps, sh, pct, sec, ex, start, end, reg in DISCOUNTS)
