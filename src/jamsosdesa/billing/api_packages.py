"""Billing's API: packages."""

from ninja import Router

router = Router()
