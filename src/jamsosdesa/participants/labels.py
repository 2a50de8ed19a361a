"""How a participant's stored values read for a person: pages, printouts and reports never show a stored code
(`rt_head`, `P`, a field name such as `village_role`) but its label, in the reader's language. One place, so the
detail page, its change history, the lists, the scheme pages and the import page say the same words.

Files meant to be imported again (the participant export, the import template) keep the codes: the import reads
them, and the template's Kode sheet explains them.
"""

import re
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core.money import rupiah

from .models import DeactivationReason, Participant, Sector, SectorSource, Sex, VillageRole

# Words of the civil-registry occupation names that stay in capitals (institutions and ranks spoken as
# acronyms); every other word is written with a capital first letter ("PEGAWAI NEGERI SIPIL (PNS)" ->
# "Pegawai Negeri Sipil (PNS)", "ANGGOTA DPR-RI" -> "Anggota DPR-RI").
ACRONYMS = frozenset({"PNS", "TNI", "POLRI", "RI", "DPR", "DPD", "DPRD", "BPK", "BUMN", "BUMD", "BUMDES", "ASN",
                      "PPPK", "TKI", "PMI", "KPU", "DKI"})
_WORD = re.compile(r"[A-Za-z]+")

CHOICES = {"sex": Sex, "village_role": VillageRole, "deactivation_reason": DeactivationReason, "sector": Sector,
           "sector_source": SectorSource}
EXTRA_FIELDS = {"heirs": "ahli waris", "deactivated_at": "dinonaktifkan pada",
                "sector_source": gettext_noop("sumber sektor")}


def occupation_name(name: str | None) -> str:
    """An occupation as people write it: capitalised words, acronyms (PNS, TNI, BUMN, DPR-RI) kept."""
    if not name:
        return ""

    def word(match: re.Match) -> str:
        text = match.group(0)
        return text.upper() if text.upper() in ACRONYMS else text.capitalize()

    return _WORD.sub(word, name)


def income_text(amount: int | None) -> str:
    """A declared income: Rp1.000.000; none declared (blank, stored as 0) is '—', not Rp0."""
    return rupiah(amount) if amount else "—"


def sector_text(sector: str, source: str = SectorSource.OCCUPATION) -> str:
    """A participant's sector in words, saying where it comes from: 'transportasi (ojek, sopir, kurir) · dari
    pekerjaan'."""
    return f"{value_text('sector', sector)} · {value_text('sector_source', source)}"


def role_label(code: str) -> str:
    """A village role code as its label (an unknown code, from older data, as it is)."""
    try:
        return str(VillageRole(code).label)
    except ValueError:
        return code


def roles_text(codes) -> str:
    return ", ".join(role_label(code) for code in codes)


def age(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def field_label(name: str) -> str:
    """The name a person reads for a participant field (the model's verbose name)."""
    if name in EXTRA_FIELDS:
        return _(EXTRA_FIELDS[name])
    try:
        return str(Participant._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def value_text(name: str, value, *, occupations: dict[int, str] | None = None) -> str:
    """A stored value of a participant field as a person reads it ('' for nothing)."""
    if value is None or value == "" or value == []:
        return ""
    if name in CHOICES:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if name == "segment":
        return str(value)  # PU, BPU, JAKON, PMI: the words people use
    if name == "occupation":
        found = (occupations or {}).get(value)
        return occupation_name(found) if found else str(value)
    if name == "declared_income":
        return income_text(value)
    if name == "is_active":
        return _("aktif") if value else _("nonaktif")
    if name == "birth_date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"
    if name == "heirs" and isinstance(value, list):
        return ", ".join(str(h.get("name", "")) for h in value if isinstance(h, dict))
    if name == "confirmed_warnings" and isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def changes_text(old: dict | None, new: dict | None, *, occupations: dict[int, str] | None = None
                 ) -> list[tuple[str, str, str]]:
    """(field label, old text, new text) for each value an audit event recorded."""
    old, new = old or {}, new or {}
    return [(field_label(key), value_text(key, old.get(key), occupations=occupations),
             value_text(key, value, occupations=occupations)) for key, value in new.items()
            if key not in ("confirmed_warnings", "deactivated_at")]
