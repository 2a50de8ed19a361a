"""Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE): the production settings with a fixed
secret key, so a fresh clone runs `make test` without a key of its own."""

import os

os.environ.setdefault("JAMSOSDESA_SECRET_KEY", "test-suite-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")

from jamsosdesa.settings import *  # noqa: E402,F403
