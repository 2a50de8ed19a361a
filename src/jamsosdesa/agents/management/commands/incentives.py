"""`jamsosdesa incentives run|statement|wadah`: the PERISAI incentive run of a month (a job with a progress bar) and
the agent's and the wadah's statements."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.agents.access import get_agent_for_user, get_wadah_for_user, scope_agents
from jamsosdesa.agents.incentive_statements import agent_statement, wadah_statement
from jamsosdesa.agents.incentives import incentive_run_month, run_as_json
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Insentif agen PERISAI: perhitungan bulanan dan laporan per agen dan per wadah.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("run", help=gettext_lazy("Hitung insentif satu bulan yang sudah berakhir (sekali lagi: "
                                                    "baris bulan itu diganti, angkanya sama)."))
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan yang dihitung, YYYY-MM"))
        p.add_argument("--as", "--user", dest="user", help=gettext_lazy("Yang menjalankan (bawaan: admin pertama)"))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Ringkasan dalam JSON"))
        p = sub.add_parser("statement", help=gettext_lazy("Laporan insentif seorang agen untuk satu bulan."))
        p.add_argument("--agent", required=True, help=gettext_lazy("Nama pengguna agen"))
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan, YYYY-MM"))
        p.add_argument("--as", "--user", dest="user", help=gettext_lazy("Yang membaca (bawaan: admin pertama)"))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Dalam JSON"))
        p = sub.add_parser("wadah", help=gettext_lazy("Laporan insentif sebuah wadah untuk satu bulan."))
        p.add_argument("--wadah", required=True, help=gettext_lazy("Nomor (id) wadah"))
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan, YYYY-MM"))
        p.add_argument("--as", "--user", dest="user", help=gettext_lazy("Yang membaca (bawaan: admin pertama)"))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Dalam JSON"))

    def handle(self, *args, **o):
        try:
            month = parse_month(o["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            getattr(self, "_" + o["what"])(o, month)
        except ServiceError as exc:
            raise CommandError(exc.message) from None

    def _run(self, o, month):
        actor = actor_for(o["user"])
        with progress_bar(_("Insentif %(m)s") % {"m": f"{month:%m/%Y}"}, None,
                          enabled=not o["json"] and self.stdout.isatty()) as bar:
            run = incentive_run_month(actor=actor, month=month, progress=bar.to)
        if o["json"]:
            self.stdout.write(json.dumps(run_as_json(run), ensure_ascii=False, indent=2))
        if run.status != JobStatus.DONE:
            raise CommandError(run.message or _("Perhitungan insentif tidak selesai."))
        if not o["json"]:
            self.stdout.write(_("Insentif bulan %(m)s: %(n)s baris, %(a)s agen, agen %(ta)s, wadah %(tw)s.") % {
                "m": f"{month:%m/%Y}", "n": thousands(run.lines), "a": thousands(run.agents),
                "ta": rupiah(run.total_agents), "tw": rupiah(run.total_wadah)})

    def _statement(self, o, month):
        actor = actor_for(o["user"])
        found = scope_agents(actor).filter(user__username=o["agent"]).values_list("pk", flat=True).first()
        if found is None:
            raise CommandError(_("Agen %(u)s tidak ada (atau di luar wilayah Anda).") % {"u": o["agent"]})
        statement = agent_statement(get_agent_for_user(actor, found), month)
        if o["json"]:
            self.stdout.write(json.dumps(statement.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Insentif %(agent)s, bulan %(m)s") % {"agent": statement.agent, "m": f"{month:%m/%Y}"})
        for line in statement.lines:
            when = f"{line.contribution_month:%m/%Y}" if line.contribution_month else ""
            self.stdout.write(f"  {line.rule:<36} {line.nik:<16} {when:>7} {line.month_index or '':>3} "
                              f"{rupiah(line.base):>14} {line.rate_text:>5} {rupiah(line.amount):>12}")
        self.stdout.write(_("Jumlah: %(t)s") % {"t": rupiah(statement.total)})

    def _wadah(self, o, month):
        actor = actor_for(o["user"])
        try:
            wadah = get_wadah_for_user(actor, o["wadah"])
        except Http404:
            raise CommandError(_("Wadah %(w)s tidak ada (atau di luar wilayah Anda).") % {"w": o["wadah"]}) from None
        statement = wadah_statement(wadah, month)
        if o["json"]:
            self.stdout.write(json.dumps(statement.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Insentif wadah %(w)s, bulan %(m)s") % {"w": wadah.name, "m": f"{month:%m/%Y}"})
        for agent, n, amount in statement.agents:
            self.stdout.write(f"  {agent.user.username:<30} {thousands(n):>8} {rupiah(amount):>14}")
        self.stdout.write(_("Jumlah agen: %(a)s; tambahan wadah: %(w)s") % {
            "a": rupiah(statement.agents_total), "w": rupiah(statement.wadah_amount)})
