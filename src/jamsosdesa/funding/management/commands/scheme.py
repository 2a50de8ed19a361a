import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.funding import selectors, services
from jamsosdesa.funding.lists import parse_quotas, read_niks
from jamsosdesa.funding.models import ENROLMENT_STEPS, ApbdesSource, EndReason
from jamsosdesa.regions.selectors import region_names


def _month(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_month(text)
    except (ValueError, IndexError):
        raise CommandError(_("Bulan '%(m)s' tidak dikenal; tulis YYYY-MM, mis. 2026-11.") % {"m": text}) from None



class Command(BaseCommand):
    help = gettext_noop("Skema pembiayaan: daftar, buat, anggaran, daftarkan peserta, akhiri kepesertaan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("list", help=gettext_lazy("Skema yang boleh dilihat pengguna."))
        p.add_argument("--user")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("create", help=gettext_lazy("Buat skema pembiayaan."))
        p.add_argument("--user")
        p.add_argument("--name", required=True)
        p.add_argument("--payer", required=True, choices=PayerType.values)
        p.add_argument("--apbdes-source", default="", choices=["", *ApbdesSource.values])
        p.add_argument("--payer-name", default="")
        p.add_argument("--owner", default="", help=gettext_lazy("Kode wilayah pemilik, mis. 33.11 atau 33.11.11.2004"))
        p.add_argument("--legal-number", required=True, help=gettext_lazy("Nomor Perbup/PKS/Perdes"))
        p.add_argument("--legal-date", required=True, help=gettext_lazy("Tanggal dasar hukum YYYY-MM-DD"))
        p.add_argument("--segment", default="BPU", choices=["BPU", "PU"])
        p.add_argument("--programs", default="jkk,jkm")
        p.add_argument("--income", type=int, default=1_000_000, help=gettext_lazy("Nominal penghasilan paket (Rp)"))
        p.add_argument("--start", required=True, help=gettext_lazy("Bulan pertama YYYY-MM"))
        p.add_argument("--end", required=True, help=gettext_lazy("Bulan terakhir YYYY-MM"))
        p.add_argument("--budget", type=int, required=True, help=gettext_lazy("Pagu anggaran (Rp)"))
        p.add_argument("--quota-per-desa", type=int)
        p.add_argument("--include-kelurahan", action="store_true",
                       help=gettext_lazy("Kuota per desa juga untuk kelurahan (bawaan: hanya desa dan desa adat)"))
        p.add_argument("--quota", action="append", default=[], metavar="DESA=N",
                       help=gettext_lazy("Kuota satu desa (berulang)"))
        p.add_argument("--max-age", type=int, default=65)
        p.add_argument("--roles", default="", help=gettext_lazy("Peran di desa yang dibiayai, dipisah koma"))
        p.add_argument("--welfare-file", help=gettext_lazy("Berkas daftar NIK DTKS/DTSEN (skema mewajibkannya)"))
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("budget", help=gettext_lazy("Anggaran skema: terpakai, sisa pagu, kuota per desa."))
        p.add_argument("scheme", type=int)
        p.add_argument("--user")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("enrol", help=
            gettext_lazy("Daftarkan peserta ke skema: satu NIK, berkas daftar NIK, atau filter."))
        p.add_argument("scheme", type=int)
        p.add_argument("--user")
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--nik")
        who.add_argument("--file", help=gettext_lazy("Berkas .xlsx/.xls/.csv dengan kolom NIK"))
        who.add_argument("--region", help=gettext_lazy("Semua peserta di wilayah ini (kode kecamatan/desa)"))
        p.add_argument("--role", default="", help=gettext_lazy("Dengan filter: hanya peran ini, mis. rt_head"))
        p.add_argument("--start", help=gettext_lazy("Bulan pertama YYYY-MM (bawaan: bulan ini atau awal skema)"))
        p.add_argument("--end", help=gettext_lazy("Bulan terakhir YYYY-MM (bawaan: akhir skema)"))
        p.add_argument("--all-or-nothing", action="store_true",
                       help=gettext_lazy("Tidak ada yang didaftarkan bila ada yang ditolak"))
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("end", help=gettext_lazy("Akhiri kepesertaan skema (tidak dihapus)."))
        p.add_argument("enrolment", type=int)
        p.add_argument("--user")
        p.add_argument("--last-month", required=True, help=gettext_lazy("Bulan terakhir dibiayai YYYY-MM"))
        p.add_argument("--reason", required=True, choices=EndReason.values)
        p.add_argument("--note", default="")

    def handle(self, *args, **o):
        actor = actor_for(o["user"])
        try:
            getattr(self, "_" + o["what"])(actor, o)
        except ServiceError as exc:
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items() if v)
            raise CommandError(exc.message + (f" ({detail})" if detail and detail not in exc.message else "")) from None
        except FileProblem as exc:
            raise CommandError(str(exc)) from None

    def _scheme(self, actor, pk: int):
        scheme = selectors.scheme_get(user=actor, pk=pk)
        if scheme is None:
            raise CommandError(_("Skema %(n)s tidak ditemukan.") % {"n": pk})
        return scheme

    def _list(self, actor, o):
        rows = list(selectors.scheme_list(user=actor))
        if o["json"]:
            self.stdout.write(json.dumps([selectors.scheme_as_json(s) for s in rows], ensure_ascii=False, indent=2))
            return
        names = region_names(s.owner_code for s in rows)  # the owner by name too: a code alone tells little
        for s in rows:
            owner = " ".join(part for part in (s.owner_code, names.get(s.owner_code, "")) if part) or "-"
            self.stdout.write(f"{s.pk:>5}  {s.name}  [{s.get_payer_type_display()}, {owner}]  "
                              f"{s.start_month:%m/%Y}–{s.end_month:%m/%Y}  {rupiah(s.budget_ceiling)}")

    def _create(self, actor, o):
        try:
            quotas = parse_quotas(o["quota"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            legal_date = date.fromisoformat(o["legal_date"])
        except ValueError:
            raise CommandError(_("Tanggal dasar hukum ditulis YYYY-MM-DD.")) from None
        data = services.SchemeData(
            name=o["name"], payer_type=o["payer"], apbdes_source=o["apbdes_source"], payer_name=o["payer_name"],
            owner_code=o["owner"], legal_basis_number=o["legal_number"], legal_basis_date=legal_date,
            segment=o["segment"], programmes=tuple(p.strip().upper() for p in o["programs"].split(",") if p.strip()),
            income_nominal=o["income"], start_month=_month(o["start"]), end_month=_month(o["end"]),
            budget_ceiling=o["budget"], quota_per_desa=o["quota_per_desa"],
            includes_kelurahan=o["include_kelurahan"], quotas=quotas, max_age=o["max_age"],
            village_roles=tuple(r.strip() for r in o["roles"].split(",") if r.strip()),
            requires_welfare_list=bool(o["welfare_file"]),
            welfare_niks=tuple(read_niks(o["welfare_file"])) if o["welfare_file"] else ())
        scheme = services.scheme_create(actor=actor, data=data)
        if o["json"]:
            self.stdout.write(json.dumps({"id": scheme.pk, "name": scheme.name}, ensure_ascii=False))
        else:
            self.stdout.write(_("Skema %(n)s dibuat (nomor %(id)s).") % {"n": scheme.name, "id": scheme.pk})

    def _budget(self, actor, o):
        view = selectors.scheme_budget(user=actor, scheme=self._scheme(actor, o["scheme"]))
        s = view.scheme
        if o["json"]:
            self.stdout.write(json.dumps(view.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{s.name} — {s.legal_basis_number} ({s.legal_basis_date:%d/%m/%Y})")
        self.stdout.write(_("  Paket: %(seg)s %(p)s, nominal %(n)s; %(m)s bulan (%(a)s–%(b)s); per orang %(c)s") % {
            "seg": s.segment, "p": "+".join(s.programmes), "n": rupiah(s.income_nominal), "m": s.months,
            "a": f"{s.start_month:%m/%Y}", "b": f"{s.end_month:%m/%Y}", "c": rupiah(view.per_person)})
        self.stdout.write(_("  Pagu %(b)s, terpakai %(c)s, sisa %(r)s; peserta aktif %(n)s, berakhir %(e)s") % {
            "b": rupiah(s.budget_ceiling), "c": rupiah(view.committed), "r": rupiah(view.remaining),
            "n": thousands(view.enrolled), "e": thousands(view.ended)})
        for d in view.desa:
            if d.enrolled or d.committed or d.quota:
                quota = "-" if d.quota is None else thousands(d.quota)
                room = "-" if d.room is None else thousands(d.room)
                self.stdout.write(f"  {d.code}  {d.name:<24} {_('kuota')} {quota:>6}  {_('terdaftar')} "
                                  f"{thousands(d.enrolled):>6}  {_('sisa')} {room:>6}  {rupiah(d.committed):>16}")

    def _enrol(self, actor, o):
        scheme = self._scheme(actor, o["scheme"])
        enrolment = services.EnrolmentRequest(
            nik=o["nik"], file=o["file"], region=o["region"] or "",
            village_role=o["role"] if o["region"] is not None else "",  # the role goes with the region
            start_month=_month(o["start"]), end_month=_month(o["end"]), all_or_nothing=o["all_or_nothing"])
        steps = len(ENROLMENT_STEPS)
        with progress_bar(_("Pendaftaran"), steps, enabled=not (o["json"] or o["nik"])) as bar:
            batch = services.enrolment_submit(actor=actor, scheme=scheme, request=enrolment, progress=bar.to)
            bar.to(steps, stage="")
        refusals = list(selectors.enrolment_batch_refusals(batch, user=actor))
        shown = personal_data(actor)
        if o["json"]:
            self.stdout.write(json.dumps(selectors.enrolment_batch_as_json(batch, user=actor, limit=None),
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Didaftarkan %(n)s orang, %(a)s–%(b)s, %(c)s per orang; ditolak %(r)s.") % {
            "n": thousands(batch.enrolled), "a": f"{batch.start_month:%m/%Y}", "b": f"{batch.end_month:%m/%Y}",
            "c": rupiah(batch.cost_per_person), "r": thousands(batch.refused)})
        for c in refusals[:50]:
            self.stdout.write(f"  {shown.nik(c.nik)}  {c.desa_code}  {selectors.refusal_message(c.reason)}")
        if len(refusals) > 50:
            self.stdout.write(_("  … dan %(n)s lainnya (pakai --json untuk semuanya)") % {"n": len(refusals) - 50})
        left_out = selectors.enrolment_batch_refusals_left_out(batch, user=actor, shown=len(refusals))
        if left_out:
            self.stdout.write(_("  %(n)s yang ditolak tinggal di luar wilayah Anda dan tidak ditampilkan.") % {
                "n": thousands(left_out)})

    def _end(self, actor, o):
        enrolment = selectors.enrolment_get(user=actor, pk=o["enrolment"])
        if enrolment is None:
            raise CommandError(_("Kepesertaan %(n)s tidak ditemukan.") % {"n": o["enrolment"]})
        ended = services.enrolment_end(actor=actor, enrolment=enrolment, last_month=_month(o["last_month"]),
                                       reason=o["reason"], note=o["note"])
        self.stdout.write(_("Kepesertaan diakhiri; dibiayai sampai %(m)s, biaya %(c)s.") % {
            "m": f"{ended.end_month:%m/%Y}", "c": rupiah(ended.cost)})
