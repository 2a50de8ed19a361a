"""The roles a user can have. Every package's permission rules speak of these, so they live on the ground floor
(accounts stores a user's role with these choices)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    BRANCH_OFFICER = "branch_officer", _("Petugas kantor cabang BPJS")
    DISTRICT_OFFICIAL = "district_official", _("Pejabat kabupaten/kota")
    VILLAGE_OPERATOR = "village_operator", _("Operator desa")
    PERISAI_AGENT = "perisai_agent", _("Agen PERISAI")
    WADAH_MANAGER = "wadah_manager", _("Pengelola wadah PERISAI")
