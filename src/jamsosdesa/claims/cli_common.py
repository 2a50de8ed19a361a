"""What the claim subcommands of every part share: a day option, JSON output, and finding a claim in the user's
scope (one message for a claim outside it and one nobody has)."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from .access import claim_for_user


def day_option(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("%(o)s '%(d)s' tidak dikenal; tulis YYYY-MM-DD.") % {"o": name, "d": text}) from None


def write_json(command, data) -> None:
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def claim_or_error(actor, number: str):
    try:
        return claim_for_user(actor, number)
    except Http404:
        raise CommandError(_("Klaim %(n)s tidak ditemukan (atau di luar wilayah Anda).") % {"n": number}) from None
