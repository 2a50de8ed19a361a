"""Deterministic, realistic participant rows for the demo data set and the benchmarks.

Every NIK validates against its desa's kecamatan; the same seed always gives the same rows.
"""

import random
from collections.abc import Iterator
from datetime import date, timedelta

MALE = ["Budi", "Slamet", "Joko", "Agus", "Sutrisno", "Wahyu", "Bambang", "Eko", "Heru", "Sugeng", "Made",
        "Wayan", "Ketut", "Nyoman", "Putu", "Rizky", "Andi", "Dedi", "Hendra", "Yusuf", "Ahmad", "Muhammad",
        "Sarip", "Tono", "Suparno", "Gede", "Rudi", "Darmaji", "Parlin", "Togar"]
FEMALE = ["Siti", "Sri", "Dewi", "Wulan", "Ratna", "Sumarni", "Tri", "Endang", "Ni Luh", "Ni Made", "Kadek",
          "Komang", "Nur", "Yuli", "Lestari", "Rina", "Fitri", "Aminah", "Suryani", "Tuti", "Dian", "Murni",
          "Purwati", "Rohani", "Sulastri", "Desak", "Intan", "Rosmawati", "Sartika", "Wati"]
FAMILY = ["Santoso", "Wibowo", "Saputra", "Hidayat", "Pratama", "Susanto", "Purnomo", "Setiawan", "Nugroho",
          "Kurniawan", "Suardana", "Artawan", "Wirawan", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak",
          "Rahmawati", "Lestari", "Wulandari", "Handayani", "Maharani", "Astuti", "Sari", "", "", "", "", ""]
PLACES = {"33": ["Sukoharjo", "Klaten", "Surakarta", "Boyolali", "Wonogiri"], "35": ["Gresik", "Surabaya", "Lamongan"],
          "51": ["Gianyar", "Denpasar", "Bangli"], "12": ["Medan", "Deli Serdang", "Binjai"]}
ROLES = (["vulnerable_worker"] * 14 + ["rt_head"] * 3 + ["rw_head", "posyandu_cadre", "pkk_cadre", "linmas",
         "village_official", "bpd", "bumdes_staff", "other"])
OCCUPATIONS = [9, 10, 11, 15, 19, 20, 22, 27, 84, 88, 89, 2, 13, 25, 81]
INCOMES = [1_000_000] * 8 + [1_500_000, 2_000_000, 2_500_000, 3_000_000]


class NikFactory:
    """Unique, valid NIKs: kecamatan digits + DDMMYY (+40 for women) + a serial per prefix."""

    def __init__(self):
        self._serial: dict[str, int] = {}

    def make(self, kec_code: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        prefix = f"{kec_code.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        serial = self._serial.get(prefix, 0) + 1
        self._serial[prefix] = serial
        return f"{prefix}{serial:04d}"


def fake_participants(desa_codes: list[str], per_desa: int | list[int], *, seed: int = 2026,
                      today: date = date(2026, 11, 1), nik_factory: NikFactory | None = None) -> Iterator[dict]:
    rng = random.Random(seed)
    niks = nik_factory or NikFactory()
    counts = per_desa if isinstance(per_desa, list) else [per_desa] * len(desa_codes)
    for desa, count in zip(desa_codes, counts, strict=True):
        for _ in range(count):
            sex = "P" if rng.random() < 0.45 else "L"
            first = rng.choice(FEMALE if sex == "P" else MALE)
            last = rng.choice(FAMILY)
            age_days = rng.randint(18 * 365, 64 * 365)
            birth = today - timedelta(days=age_days)
            role = rng.choice(ROLES)
            yield {
                "nik": niks.make(desa[:8], birth, sex),
                "full_name": f"{first} {last}".strip(),
                "birth_place": rng.choice(PLACES.get(desa[:2], ["-"])),
                "birth_date": birth,
                "sex": sex,
                "desa": desa,
                "address": f"Dusun {rng.choice(['Krajan', 'Ngemplak', 'Kauman', 'Kidul', 'Lor', 'Wetan'])}",
                "rt": f"{rng.randint(1, 12):03d}",
                "rw": f"{rng.randint(1, 6):03d}",
                "phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
                "occupation": rng.choice(OCCUPATIONS),
                "segment": "PU" if role in ("village_official", "village_head") else "BPU",
                "village_role": role,
                "declared_income": rng.choice(INCOMES),
            }
