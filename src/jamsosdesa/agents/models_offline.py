"""The field app's submissions (design §5): every registration or collection an agent's phone sends carries a
client token made on the phone; the first answer to a token is kept here, so a resend gets that answer again and
never makes a second participant or payment."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmissionKind(models.TextChoices):
    REGISTRATION = "registration", _("pendaftaran")
    COLLECTION = "collection", _("penagihan")


class SubmissionOutcome(models.TextChoices):
    DONE = "done", _("berhasil")
    CONFLICT = "conflict", _("bentrok")
    REFUSED = "refused", _("ditolak")


class ClientSubmission(models.Model):
    """One token of one user: what was asked (kind, a hash of the body), what came of it (outcome, the error code,
    the message with what to do, the object made) and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("token kiriman"), max_length=64)
    kind = models.CharField(_("jenis"), max_length=12, choices=SubmissionKind.choices)
    request_hash = models.CharField(max_length=64)
    outcome = models.CharField(_("hasil"), max_length=8, choices=SubmissionOutcome.choices)
    code = models.CharField(_("kode"), max_length=40, blank=True)  # the service's error code (core.errors)
    message = models.TextField(_("pesan"), blank=True)
    object_id = models.BigIntegerField(_("objek"), null=True, blank=True)  # the participant or the collection
    label = models.CharField(_("keterangan"), max_length=200, blank=True)  # name and masked NIK, for the list
    entered_at = models.DateTimeField(_("dicatat di HP"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kiriman aplikasi lapangan")
        verbose_name_plural = _("kiriman aplikasi lapangan")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="client_submission_token_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="client_submission_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.token} ({self.outcome})"
