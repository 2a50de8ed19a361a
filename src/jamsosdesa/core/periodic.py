"""Work done every few minutes by `jamsosdesa serve` (its supervisor wakes for the job clean-up anyway): packages
above core register an entry from their `AppConfig.ready()`, e.g. billing queues the month's billing run on the
first day it finds the month unbilled. Without `serve`, each package offers a command for cron instead."""

import logging
from collections.abc import Callable

from .registry import Registry

logger = logging.getLogger(__name__)

periodic_tasks: Registry[Callable[[], object]] = Registry("periodic work of serve")


def run_periodic() -> None:
    """Run every registered entry once; one that fails is logged and the others still run."""
    for task in periodic_tasks:
        try:
            task()
        except Exception:  # noqa: BLE001 - a busy or unmigrated database: the next round tries again
            logger.exception("periodic task %r failed", task)
