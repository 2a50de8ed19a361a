"""Billing's API: status."""

from ninja import Router

router = Router()
