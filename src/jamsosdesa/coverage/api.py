"""The coverage API: one router that the project's API mounts; each part of coverage adds its own router here."""

from ninja import Router

router = Router()
