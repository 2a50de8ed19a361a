"""/api/v1/coverage/prospects: the prospects' API door onto coverage.prospects (the page and the CLI share it)."""

from datetime import date

from ninja import Field, Router, Schema

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from . import prospects as service

router = Router()


class AgeOut(Schema):
    min_years: int
    max_years: int
    source: str = Field(..., description="Where the working-age bounds come from")


class ProspectOut(Schema):
    participant_id: int
    name: str
    nik: str = Field(..., description="Masked (3311••••••••0001) unless the role sees whole NIKs in lists")
    sex: str
    age: int
    dusun: str = Field(..., description="The dusun the address names ('' when none)")
    rw: str
    rt: str
    occupation: str
    status: str = Field(..., description="not_started | arrears | non_active")
    phone: str
    reminder: str = Field(..., description="The message the worker receives, in Indonesian")
    whatsapp: str = Field(..., description="A wa.me link with the message ('' without a valid mobile number)")


class ProspectsOut(Schema):
    desa: str
    on: date
    working_age: int = Field(..., description="Residents of working age in the registry (not ended)")
    protected: int = Field(..., description="Of them, status active on the day")
    prospects: int = Field(..., description="Of them, not protected: the rows")
    age: AgeOut
    rows: list[ProspectOut]


@router.get("/coverage/prospects", **answers({200: ProspectsOut}, E.INVALID, E.NOT_FOUND),
            summary="Prospek: warga usia kerja di registri desa yang belum terlindungi")
def prospects(request, desa: str, on: str = ""):
    """A desa's working-age residents in the registry who are not protected on `on` (YYYY-MM-DD; default today),
    ordered by dusun, RW, RT and name. 404 for a desa outside your area."""
    day = parse_day(on)
    return service.prospect_list(user=request.user, request=service.ProspectRequest(desa=desa, on=day)).as_dict()
