"""`jamsosdesa payment record|reverse`: record a payment for a person or a collective invoice, or reverse one."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.billing.models import PaymentChannel, PaymentSource, ReversalReason
from jamsosdesa.billing.services.payments import PaymentRequest, cli_key, payment_get, payment_record
from jamsosdesa.billing.services.reversals import payment_reverse, reversal_reverse
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah


class Command(BaseCommand):
    help = gettext_noop("Pembayaran iuran: catat (untuk peserta atau tagihan kolektif) atau batalkan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("record", help=gettext_lazy("Catat satu pembayaran: bulan tertua dibayar lebih dulu, "
                                                       "sisanya saldo titipan."))
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("--nik", help=gettext_lazy("NIK peserta (16 angka)"))
        target.add_argument("--invoice", help=gettext_lazy("Nomor tagihan kolektif, mis. INV/2026-12/S17-1"))
        p.add_argument("--amount", required=True, help=gettext_lazy("Jumlah dalam rupiah, bilangan bulat"))
        p.add_argument("--date", required=True, help=gettext_lazy("Tanggal bayar YYYY-MM-DD"))
        p.add_argument("--reference", required=True, help=gettext_lazy("Referensi (nomor kuitansi/transfer)"))
        # `agent` is refused: an agent's cash is its collection (`jamsosdesa agents collect`), never a payment here
        p.add_argument("--channel", default=PaymentChannel.BANK, choices=PaymentChannel.values)
        p.add_argument("--note", default="")
        p.add_argument("--as", "--user", dest="user",
                       help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("reverse", help=gettext_lazy("Batalkan pembayaran (tidak dihapus: ditulis pembalikan)."))
        p.add_argument("id", type=int)
        p.add_argument("--reason", required=True, choices=[r for r in ReversalReason.values
                                                            if r != ReversalReason.ENROLMENT_ENDED])
        p.add_argument("--note", default="")
        p.add_argument("--reversal", action="store_true",
                       help=gettext_lazy("ID adalah nomor pembalikan, bukan pembayaran (selalu ditolak)"))
        p.add_argument("--as", "--user", dest="user",
                       help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
        p.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        actor = actor_for(o["user"])
        try:
            getattr(self, "_" + o["what"])(actor, o)
        except ServiceError as exc:
            if o.get("json"):
                self.stdout.write(json.dumps({"error": exc.as_dict()}, ensure_ascii=False))
            extra = {k: [m for m in v if m not in exc.message] for k, v in exc.fields.items()}
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in extra.items() if v)
            raise CommandError(exc.message + (f" ({detail})" if detail else "")) from None

    def _record(self, actor, o):
        try:
            paid_on = date.fromisoformat(o["date"].strip())
        except ValueError:
            raise CommandError(_("--date: tulis tanggal bayar YYYY-MM-DD, mis. 2026-10-03.")) from None
        reference = o["reference"].strip()
        request = PaymentRequest(amount=o["amount"].strip(), paid_on=paid_on, reference=reference,
                                 channel=o["channel"], nik=(o["nik"] or "").strip(),
                                 invoice=(o["invoice"] or "").strip(),
                                 source=PaymentSource.CLI, idempotency_key=cli_key(o["channel"], reference),
                                 note=o["note"])
        outcome = payment_record(actor=actor, request=request)
        if o["json"]:
            self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False))
            return
        if outcome.duplicate:
            self.stdout.write(_("Sudah tercatat sebagai pembayaran %(id)s; tidak dicatat dua kali.")
                              % {"id": outcome.payment.pk})
            return
        months = ", ".join(f"{m:%m/%Y}" for m in outcome.months) or "-"
        self.stdout.write(_("Pembayaran %(id)s dicatat: %(a)s. Bulan dibayar: %(m)s. Saldo titipan: %(c)s.") % {
            "id": outcome.payment.pk, "a": rupiah(outcome.payment.amount), "m": months, "c": rupiah(outcome.credit)})

    def _reverse(self, actor, o):
        if o["reversal"]:
            reversal_reverse(actor=actor, reversal_id=o["id"])
        payment = payment_get(user=actor, pk=o["id"])
        if payment is None:
            raise CommandError(_("Pembayaran %(n)s tidak ada (atau di luar wilayah Anda).") % {"n": o["id"]})
        root = payment_reverse(actor=actor, payment=payment, reason=o["reason"], note=o["note"])
        if o["json"]:
            self.stdout.write(json.dumps({"payment": payment.pk, "reversal": root.pk}, ensure_ascii=False))
        else:
            self.stdout.write(_("Pembayaran %(id)s dibatalkan (pembalikan %(r)s).") % {"id": payment.pk, "r": root.pk})
