"""A participant's sector from their occupation, where the occupation says so (PP 50/2025 discounts by sector).

Every path that writes a participant (form, API, import, bulk load) goes through `Participant.fill_derived`,
which applies this unless a person chose the sector by hand (`sector_source = 'manual'`)."""

GENERAL = "umum"

# Dukcapil occupation codes that name a sector outright; every other occupation stays 'umum' until someone
# chooses a sector by hand.
OCCUPATION_SECTORS: dict[int, str] = {
    14: "transportasi",  # TRANSPORTASI
    81: "transportasi",  # SOPIR
}


def sector_for_occupation(occupation_id: int | None) -> str:
    return OCCUPATION_SECTORS.get(occupation_id or 0, GENERAL)
