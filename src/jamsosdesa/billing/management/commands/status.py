"""`jamsosdesa status NIK [--on YYYY-MM-DD] [--as USER] [--json]`: a participant's protection status on a day."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.billing.access import billing_participant
from jamsosdesa.billing.status import status_of
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.presenters import nik_for


class Command(BaseCommand):
    help = gettext_noop("Status perlindungan peserta pada suatu tanggal: aktif, menunggak, tidak aktif, belum mulai, "
                        "berakhir.")

    def add_arguments(self, parser):
        parser.add_argument("nik", help=gettext_lazy("NIK peserta (16 angka)"))
        parser.add_argument("--on", default="", help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
        parser.add_argument("--as", "--user", dest="user",
                            help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        from jamsosdesa.billing.api_status import parse_day

        actor = actor_for(o["user"])
        try:
            day = parse_day(o["on"], "--on")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        nik = "".join((o["nik"] or "").split())
        participant = billing_participant(actor, nik=nik)
        if participant is None:
            raise CommandError(_("Peserta dengan NIK %(n)s tidak ditemukan (atau di luar wilayah Anda).")
                               % {"n": nik[:24]})
        status = status_of(participant, day)
        if o["json"]:
            self.stdout.write(json.dumps({"nik": nik_for(actor, participant.nik), **status.as_dict()},
                                         ensure_ascii=False, indent=2))
            return
        policy = status.policy
        lines = [
            f"{nik_for(actor, participant.nik)}  {participant.full_name}",
            _("Status per %(d)s: %(s)s") % {"d": f"{day:%d-%m-%Y}", "s": status.words},
            _("Iuran lunas sampai: %(m)s") % {"m": f"{status.paid_through:%m/%Y}" if status.paid_through else "-"},
            _("Tunggakan: %(a)s (sendiri %(s)s, skema %(k)s)") % {
                "a": rupiah(status.owed), "s": rupiah(status.owed_self), "k": rupiah(status.owed_scheme)},
            _("Kejadian pada tanggal itu dijamin: %(c)s") % {"c": _("ya") if status.covered else _("tidak")},
        ]
        if status.covered_if_paid_by:
            lines.append(_("  bila tunggakan dilunasi sebelum %(d)s") % {"d": f"{status.covered_if_paid_by:%d-%m-%Y}"})
        lines.append(_("Aturan tunggakan: %(m)s, tenggang %(g)s bulan (dasar: %(s)s)") % {
            "m": policy.mode_text(), "g": policy.grace_months, "s": policy.source_text()})
        self.stdout.write("\n".join(lines))
