"""Wadah (the organisation an agent belongs to, with its PKS with a BPJS branch), agents, and the programme's
effective-dated numbers (minimum agents per wadah, idle months before deactivation, the wait before reactivation,
the longest PKS, the days before undeposited cash is flagged)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgentRules(models.Model):
    """The PERISAI programme's numbers from a day on, with the rule they come from. The row in force on a day is the
    latest `valid_from` on or before it (`agents.rules.rules_on`)."""

    valid_from = models.DateField(_("berlaku mulai"), unique=True)
    min_active_agents = models.PositiveSmallIntegerField(_("agen aktif paling sedikit per wadah"), default=5)
    idle_months = models.PositiveSmallIntegerField(_("bulan tanpa transaksi sebelum dinonaktifkan"), default=3)
    reactivate_after_months = models.PositiveSmallIntegerField(_("bulan sebelum boleh diaktifkan kembali"),
                                                               default=6)
    pks_max_months = models.PositiveSmallIntegerField(_("masa PKS paling lama (bulan)"), default=12)
    deposit_due_days = models.PositiveSmallIntegerField(_("hari sebelum uang belum disetor ditandai"), default=2)
    source = models.CharField(_("dasar"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aturan agen PERISAI")
        verbose_name_plural = _("aturan agen PERISAI")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y} ({self.source[:40]})"


class WadahKind(models.TextChoices):
    KOPERASI = "koperasi", _("koperasi")
    BUMDES = "bumdes", _("BUMDes")
    YAYASAN = "yayasan", _("yayasan")
    OTHER = "other", _("lainnya")


class Wadah(models.Model):
    """An organisation of agents with its agreement (PKS) with the BPJS branch of its kabupaten: number, date,
    period (at most the rules' `pks_max_months`) and acquisition target. Past `pks_end` no one registers through
    it. Its managers (users with the wadah-manager role) see and manage its agents."""

    name = models.CharField(_("nama wadah"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=WadahKind.choices)
    legal_status = models.CharField(_("status badan hukum"), max_length=200,
                                    help_text=_("Misalnya nomor SK Kemenkumham atau Perdes pendirian BUMDes."))
    kab_code = models.CharField(_("kabupaten/kota kantor cabang"), max_length=5)
    desa_code = models.CharField(_("desa kedudukan"), max_length=13, blank=True)
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_holder = models.CharField(_("nama pemilik rekening"), max_length=120, blank=True)
    pks_number = models.CharField(_("nomor PKS"), max_length=100)
    pks_date = models.DateField(_("tanggal PKS"))
    pks_start = models.DateField(_("PKS berlaku mulai"))
    pks_end = models.DateField(_("PKS berlaku sampai"))
    acquisition_target = models.PositiveIntegerField(_("target akuisisi peserta"), default=0)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_wadah",
                                      verbose_name=_("pengelola"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wadah PERISAI")
        verbose_name_plural = _("wadah PERISAI")
        ordering = ["kab_code", "name"]
        constraints = [models.CheckConstraint(condition=Q(pks_end__gte=models.F("pks_start")),
                                              name="wadah_pks_period_order"),
                       models.UniqueConstraint(fields=["kab_code", "pks_number"], name="wadah_pks_number_unique")]
        indexes = [models.Index(fields=["kab_code", "name"], name="wadah_kab_idx")]

    def __str__(self) -> str:
        return self.name


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("aktif")
    INACTIVE = "inactive", _("nonaktif")


class DeactivationReason(models.TextChoices):
    IDLE = "idle", _("tidak ada transaksi")
    MANUAL = "manual", _("dinonaktifkan pengelola")
    LEFT = "left", _("berhenti menjadi agen")


class Agent(models.Model):
    """A PERISAI agent: a login (role perisai_agent; its assigned desa are the user's regions), the wadah it works
    for, and the registered BPU participant the agent is. Deactivated automatically after the rules' idle months
    without a transaction; the wadah reactivates it once the rules' wait has passed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="perisai_agent")
    wadah = models.ForeignKey(Wadah, on_delete=models.PROTECT, related_name="agents", verbose_name=_("wadah"))
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("agen sebagai peserta BPU"))
    kab_code = models.CharField(max_length=5)  # the wadah's: a branch sees the agents of its kabupaten
    bank_name = models.CharField(_("bank"), max_length=60)
    bank_account = models.CharField(_("nomor rekening"), max_length=30)
    bank_holder = models.CharField(_("nama pemilik rekening"), max_length=120)
    training_certificate = models.CharField(_("nomor sertifikat pelatihan"), max_length=100)
    training_date = models.DateField(_("tanggal pelatihan"), null=True, blank=True)
    assignment_letter = models.CharField(_("nomor surat tugas"), max_length=100)
    assignment_date = models.DateField(_("tanggal surat tugas"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=AgentStatus.choices, default=AgentStatus.ACTIVE)
    active_since = models.DateField(_("aktif sejak"))
    deactivated_on = models.DateField(_("dinonaktifkan pada"), null=True, blank=True)
    deactivation_reason = models.CharField(_("alasan nonaktif"), max_length=8, choices=DeactivationReason.choices,
                                           blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agen PERISAI")
        verbose_name_plural = _("agen PERISAI")
        ordering = ["wadah", "user__username"]
        constraints = [models.UniqueConstraint(fields=["participant"], name="agent_participant_unique")]
        indexes = [models.Index(fields=["kab_code", "status"], name="agent_kab_status_idx"),
                   models.Index(fields=["wadah", "status"], name="agent_wadah_status_idx")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username
