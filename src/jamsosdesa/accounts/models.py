import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.roles import Role


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.VILLAGE_OPERATOR)
    # The regions a user works in: kabupaten list (branch officer), one kabupaten (district
    # official), one desa (village operator), assigned desa (PERISAI agent). Empty for admins.
    regions = models.ManyToManyField("regions.Region", blank=True, related_name="+", verbose_name=_("wilayah kerja"))
    language = models.CharField(_("bahasa"), max_length=5, choices=[("id", "Bahasa Indonesia"), ("en", "English")],
                                default="id")
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-user API token; only its hash is stored, the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama token"), max_length=60)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("daftar token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def audit_values(self) -> dict:
        """Which token, for the audit trail: its name, its owner and the prefix its owner sees (never the secret)."""
        return {"name": self.name, "owner": self.user.username, "prefix": self.prefix}

    @classmethod
    @transaction.atomic
    def issue(cls, *, user: User, name: str, actor=None) -> tuple["ApiToken", str]:
        """A new token for `user` (issued by `actor`, the user by default): the token and its secret, which is
        shown once and stored only as its hash."""
        raw = "jd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], key_hash=_hash_token(raw))
        audit_record(actor=actor or user, event=AuditEventType.API_TOKEN_ISSUED, obj=token, new=token.audit_values())
        return token, raw

    @transaction.atomic
    def revoke(self, *, actor) -> bool:
        """Revoke the token from now on (`actor`: its owner, or an admin); False when it was already revoked."""
        revoked_at = clock.now()
        if not ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=revoked_at):
            return False
        self.revoked_at = revoked_at
        audit_record(actor=actor, event=AuditEventType.API_TOKEN_REVOKED, obj=self,
                     old={"revoked_at": None}, new=self.audit_values() | {"revoked_at": revoked_at})
        return True

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = cls.objects.active().select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=clock.now())
        return token.user
