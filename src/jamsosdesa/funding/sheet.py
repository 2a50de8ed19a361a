"""The printable budget sheet a village attaches to its APBDes: the package, the months, the totals and, for one
desa, who the scheme pays for (by name by address).

The people on it are shown as the user may see them (`core.presenters`: masked NIKs unless the role needs whole
ones), and a sheet that lists people is recorded in the audit trail as an export of personal data."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from jamsosdesa.core.access import code_in_scope, sees_everything
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.presenters import personal_data

from . import selectors
from .models import Scheme

MAX_LISTED = 5000


@dataclass(frozen=True)
class SheetPerson:
    name: str
    nik: str
    address: str
    rt: str
    rw: str
    start_month: date
    end_month: date


@dataclass
class BudgetSheet:
    scheme: Scheme
    view: selectors.SchemeBudget
    desa_line: selectors.DesaLine | None  # the desa's line of the budget view, when the sheet is for one desa
    people: int
    planned: int | None
    listed: list[SheetPerson]
    nik_masked: bool

    @property
    def people_total(self) -> int:
        return self.people * self.view.per_person

    @property
    def planned_total(self) -> int | None:
        return None if self.planned is None else self.planned * self.view.per_person


@transaction.atomic
def budget_sheet_export(*, actor, scheme: Scheme, desa: str = "") -> BudgetSheet:
    """The sheet of the whole scheme as the user sees it, or (`desa`) of one desa with its people; NotFound for a
    desa the user may not see or the scheme does not cover."""
    view = selectors.scheme_budget(user=actor, scheme=scheme)
    if desa and not (sees_everything(actor) or view.whole_scheme or code_in_scope(actor, desa)):
        raise NotFound()
    lines = [d for d in view.desa if d.code == desa] if desa else view.desa
    if desa and not lines:
        raise NotFound()
    shown = personal_data(actor)
    listed = []
    if desa:
        enrolments = selectors.scheme_enrolments(user=actor, scheme=scheme, desa=desa, include_ended=False)
        listed = [SheetPerson(name=e.participant.full_name, nik=shown.nik(e.participant.nik),
                              address=shown.address(e.participant.address), rt=e.participant.rt,
                              rw=e.participant.rw, start_month=e.start_month, end_month=e.end_month)
                  for e in enrolments[:MAX_LISTED]]
    if listed:
        audit_record(actor=actor, event=AuditEventType.SCHEME_BUDGET_SHEET_EXPORTED, obj=scheme, region_code=desa,
                     new={"desa": desa, "format": "print", "rows": len(listed), "nik_masked": shown.nik_masked})
    return BudgetSheet(scheme=scheme, view=view, desa_line=lines[0] if desa else None,
                       people=sum(d.enrolled for d in lines), planned=selectors.planned_people(lines), listed=listed,
                       nik_masked=shown.nik_masked)
