"""What every package's management commands share: on whose behalf a command acts."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from .roles import Role


def actor_for(username: str | None):
    """The active user named by `--user`; without one, the first national admin (or superuser), so that a command
    run by the server's administrator acts, and is audited, as a named person."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username} tidak ada atau tidak aktif.")
        return user
    user = (users.filter(role=Role.NATIONAL_ADMIN).order_by("pk").first()
            or users.filter(is_superuser=True).order_by("pk").first())
    if user is None:
        raise CommandError("Belum ada admin nasional: buat dengan `jamsosdesa createsuperuser` atau pakai --user.")
    return user
