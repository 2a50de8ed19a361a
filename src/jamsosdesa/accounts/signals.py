"""Receivers of the accounts app, connected from AccountsConfig.ready() so they work in every process (a
worker or a test that never loads the URLs included), not only once the views module happens to be imported."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="jamsosdesa.accounts.remember_language")
def remember_language(sender, request, user, **kwargs):
    """The language a user chose follows them into each new session."""
    if request is not None and hasattr(request, "session"):
        request.session["language"] = user.language
