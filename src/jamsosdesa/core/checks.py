"""`jamsosdesa check --deploy`: what a production server should not run with."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from . import dbroles


@register(Tags.security, deploy=True)
def audit_trail_role(app_configs=None, **kwargs):
    """On PostgreSQL: the role the server connects as must not be able to get past the audit trail's triggers
    (core.dbroles). Nothing is said when the database cannot be reached or is not migrated yet."""
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            powers = dbroles.erasing_powers(cursor)
            cursor.execute("SELECT current_user")
            role = cursor.fetchone()[0]
    except DatabaseError:
        return []
    if not powers:
        return []
    return [Warning(
        _("Peran basis data %(role)s dapat menghapus jejak audit (%(powers)s).") % {
            "role": role, "powers": ", ".join(powers)},
        hint=_("Jalankan web dan pekerja sebagai peran yang tidak memiliki tabel (`jamsosdesa db_roles "
               "--app-role NAMA --apply`, dijalankan pemilik), dan migrate sebagai pemilik: lihat deploy/README.md."),
        id="jamsosdesa.W001")]
