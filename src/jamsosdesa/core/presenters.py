"""What a user may see of a person's identifiers: one decision for pages, the API, exports, printouts and the
command line (UU 27/2022: personal data shown only as far as the role needs it).

- A NIK or KK in a list, an export, a printout or a report of many people is masked (`3311••••••••0001`: the
  region and the serial stay, the birth date goes) unless the user's role needs whole numbers: the roles in
  `settings.NIK_UNMASKED_LIST_ROLES` (national admins and branch officers by default; `sees_full_nik`).
- One person's own record (the participant page, the participant API) shows the whole NIK to anyone who may
  see that person: they reached it by the NIK or from a list of their own area.
- An address is shown to every role that may see the person (village, district and branch staff visit the
  people they cover; the budget sheet is "by name by address"). A role that should not see addresses would be
  decided in `PersonalData.address`.

Build a `PersonalData` once per page, response, export or printout (`personal_data(user)`) and pass every
identifier through it.
"""

from dataclasses import dataclass

from django.conf import settings

MASK = "•"


def mask_nik(nik: str) -> str:
    """3311••••••••0001: region and serial visible, birth date hidden (any other length: all hidden)."""
    if len(nik) != 16:
        return MASK * len(nik)
    return nik[:4] + MASK * 8 + nik[12:]


def mask_listed(value: str) -> str:
    """A NIK as a list or a file gave it: masked like any NIK; a value of another length (a typo) keeps only its
    first and last four characters, so the operator can find the row without the page showing a near-whole
    NIK; a value shorter than eight characters is not a NIK and stays as it is."""
    if len(value) == 16:
        return mask_nik(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:] if len(value) >= 8 else value


@dataclass(frozen=True)
class PersonalData:
    """How one user sees personal identifiers in one output."""

    full_nik: bool

    @property
    def nik_masked(self) -> bool:
        return not self.full_nik

    def nik(self, value: str | None) -> str:
        """A NIK, KK or a NIK as a list gave it; '' stays ''."""
        if not value:
            return ""
        return value if self.full_nik else mask_listed(value)

    kk = nik

    def address(self, address: str) -> str:
        return address


def sees_full_nik(user) -> bool:
    """Whether this user sees whole NIKs in lists, exports and printouts."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in settings.NIK_UNMASKED_LIST_ROLES))


def personal_data(user, *, one_person: bool = False) -> PersonalData:
    """The presenter for an output of many people, or (`one_person`) for one person's own record."""
    return PersonalData(full_nik=one_person or sees_full_nik(user))


def nik_for(user, nik: str) -> str:
    """One NIK as this user sees it in a list (for many, build `personal_data(user)` once)."""
    return personal_data(user).nik(nik)
