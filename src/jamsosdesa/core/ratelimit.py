"""Counting requests in fixed windows through Django's cache (shared by the processes when the cache is Redis or
the file cache): `over_limit("status:addr", address, limit=20)` counts one request and says whether the key has
gone past `limit` in the current window. Keys are hashed with the secret key, so a NIK used as a key never reaches
the cache (or Redis) in clear."""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

HOUR = 3600


def _key(scope: str, value: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}|{value}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(time.time()) // window}"


def over_limit(scope: str, value: str, *, limit: int, window: int = HOUR) -> bool:
    """Count one request for `value` and answer True when it is beyond `limit` in this window."""
    key = _key(scope, value, window)
    if cache.add(key, 1, timeout=window + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 60)
            count = 1
    return count > max(limit, 0)
