"""What packages above funding do when an enrolment changes (they register from their `AppConfig.ready()`)."""

from collections.abc import Callable

from jamsosdesa.core.registry import Registry

# Called inside the transaction that ended an enrolment, as hook(actor=..., enrolment=...), after its end month
# moved back: billing voids the dues it billed for months after the new end.
enrolment_ended_hooks: Registry[Callable[..., None]] = Registry("what to do when an enrolment ends")
