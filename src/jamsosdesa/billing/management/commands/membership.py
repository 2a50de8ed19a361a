import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.billing.access import can_manage_package, scope_memberships
from jamsosdesa.billing.models import MembershipChannel, MembershipEndReason
from jamsosdesa.billing.packages import membership_as_json, membership_history
from jamsosdesa.billing.services.membership import (
    membership_cancel,
    membership_change,
    membership_end,
    membership_start,
    open_membership,
)
from jamsosdesa.core import clock
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import parse_month
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.fields import normalize_nik
from jamsosdesa.participants.models import Participant

END_REASONS = [v for v in MembershipEndReason.values if v != MembershipEndReason.CHANGED]


def _month(text: str | None):
    if not text:
        return None
    try:
        return parse_month(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _income(text: str | None) -> int | None:
    if text is None:
        return None
    clean = text.strip().replace(".", "").replace(",", "")
    if not (clean.isascii() and clean.isdigit()):
        raise CommandError(_("Nominal penghasilan '%(v)s' harus bilangan bulat rupiah, mis. 1000000.") % {"v": text})
    return int(clean)


class Command(BaseCommand):
    help = gettext_noop("Iuran mandiri (paket pekerja sendiri): mulai, ubah, akhiri, batalkan, lihat.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))

        def common(p):
            p.add_argument("nik", help=gettext_lazy("NIK peserta (16 digit)"))
            p.add_argument("--as", "--user", dest="user", metavar="USERNAME",
                           help=gettext_lazy("Bertindak sebagai pengguna ini (bawaan: admin nasional pertama)"))
            p.add_argument("--json", action="store_true", help=gettext_lazy("Keluaran JSON"))

        p = sub.add_parser("start", help=gettext_lazy("Mulai iuran mandiri seorang peserta."))
        common(p)
        p.add_argument("--programs", default="jkk,jkm", help=gettext_lazy("Program dipisah koma, mis. jkk,jkm,jht"))
        p.add_argument("--income", required=True, help=gettext_lazy("Nominal penghasilan BPU (Rp), mis. 1000000"))
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan pertama YYYY-MM"))
        p.add_argument("--agent", help=gettext_lazy("Username agen PERISAI yang menagih"))

        p = sub.add_parser("change", help=gettext_lazy("Ubah program atau nominal mulai suatu bulan."))
        common(p)
        p.add_argument("--from", dest="from_month", required=True, help=gettext_lazy("Berlaku mulai bulan YYYY-MM"))
        p.add_argument("--programs", help=gettext_lazy("Program baru dipisah koma (bawaan: tetap)"))
        p.add_argument("--income", help=gettext_lazy("Nominal penghasilan baru (Rp) (bawaan: tetap)"))

        p = sub.add_parser("end", help=gettext_lazy("Akhiri iuran mandiri (paket tidak dihapus)."))
        common(p)
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan terakhir yang dibayar sendiri YYYY-MM"))
        p.add_argument("--reason", required=True, choices=END_REASONS)

        p = sub.add_parser("cancel", help=gettext_lazy("Batalkan iuran mandiri yang belum mulai (tidak menanggung "
                                                        "satu bulan pun)."))
        common(p)
        p.add_argument("--reason", required=True, choices=END_REASONS)

        p = sub.add_parser("show", help=gettext_lazy("Paket berjalan dan riwayatnya."))
        common(p)

    def handle(self, *args, **o):
        actor = actor_for(o["user"])
        person = self._person(actor, o["nik"])
        try:
            getattr(self, "_" + o["what"])(actor, person, o)
        except ServiceError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise CommandError(self._not_found(o["nik"])) from None
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items() if v)
            raise CommandError(exc.message + (f" ({detail})" if detail and detail not in exc.message else "")) from None

    @staticmethod
    def _not_found(nik: str) -> str:
        return _("NIK %(n)s tidak ada di registri (atau di luar wilayah Anda).") % {"n": nik}

    def _person(self, actor, nik: str) -> Participant:
        """The participant if the user sees it (or collects its package); the same message for an unknown NIK and
        one outside the user's area."""
        person = Participant.objects.filter(nik=normalize_nik(nik)).first()
        if person is None or not (scope_participants(actor).filter(pk=person.pk).exists()
                                  or scope_memberships(actor).filter(participant_id=person.pk).exists()):
            raise CommandError(self._not_found(nik))
        return person

    def _open(self, actor, person, o):
        """The running package to change or end; a user who may not manage it hears the not-found message (as for
        anything outside its area), not whether the person has a package."""
        current = open_membership(person)
        if current is None and not can_manage_package(actor, person):
            raise CommandError(self._not_found(o["nik"]))
        return current

    def _say(self, o, membership, text: str) -> None:
        if o["json"]:
            self.stdout.write(json.dumps(membership_as_json(membership, month=membership.first_month
                                                            if o["what"] in ("start", "change")
                                                            else clock.this_month()),
                                         ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    @staticmethod
    def _line(m) -> str:
        last = f"{m.last_month:%m/%Y}" if m.last_month else "…"
        agent = f" · {_('agen')} {m.agent.username}" if m.agent_id else ""
        return f"{'+'.join(m.programmes)} · {rupiah(m.income)} · {m.first_month:%m/%Y}–{last}{agent}"

    def _start(self, actor, person, o):
        m = membership_start(actor=actor, participant=person, programmes=o["programs"], income=_income(o["income"]),
                             first_month=_month(o["month"]), agent=o["agent"], channel=MembershipChannel.CLI)
        self._say(o, m, _("Iuran mandiri %(name)s dimulai: %(line)s.") % {"name": person.full_name,
                                                                           "line": self._line(m)})

    def _change(self, actor, person, o):
        m = membership_change(actor=actor, membership=self._open(actor, person, o), from_month=_month(o["from_month"]),
                              programmes=o["programs"], income=_income(o["income"]))
        self._say(o, m, _("Iuran mandiri %(name)s diubah: %(line)s.") % {"name": person.full_name,
                                                                          "line": self._line(m)})

    def _end(self, actor, person, o):
        m = membership_end(actor=actor, membership=self._open(actor, person, o), last_month=_month(o["month"]),
                           reason=o["reason"])
        self._say(o, m, _("Iuran mandiri %(name)s diakhiri: %(line)s.") % {"name": person.full_name,
                                                                            "line": self._line(m)})

    def _cancel(self, actor, person, o):
        m = membership_cancel(actor=actor, membership=self._open(actor, person, o), reason=o["reason"])
        self._say(o, m, _("Iuran mandiri %(name)s dibatalkan sebelum mulai.") % {"name": person.full_name})

    def _show(self, actor, person, o):
        current = open_membership(person)
        history = membership_history(person)
        month = clock.this_month()
        if o["json"]:
            self.stdout.write(json.dumps({
                "nik": person.nik, "sector": person.sector,
                "current": membership_as_json(current, month=month) if current else None,
                "history": [membership_as_json(m) for m in history]}, ensure_ascii=False, indent=2))
            return
        if current is None:
            self.stdout.write(_("%(name)s belum punya iuran mandiri yang berjalan.") % {"name": person.full_name})
        else:
            priced = membership_as_json(current, month=month)
            amount = rupiah(priced["monthly_amount"]) if priced["monthly_amount"] is not None else "—"
            self.stdout.write(_("Berjalan: %(line)s; iuran %(m)s: %(a)s.") % {
                "line": self._line(current), "m": f"{month:%m/%Y}", "a": amount})
        for m in history:
            if m != current:
                self.stdout.write(f"  {self._line(m)}" + (f" ({m.get_end_reason_display()})" if m.end_reason else ""))
