"""Nightly notifications: plan deduplicated, confirmed alerts (``notify.alerts``) and deliver them (``notify.send``)."""

from notify.alerts import (
    Alert,
    Observation,
    delivered,
    new_state,
    pending,
    plan,
    queue,
)
from notify.send import (
    DeliveryError,
    SmtpConfig,
    build_payload,
    send_email,
    send_webhook,
)

__all__ = [
    "Alert",
    "DeliveryError",
    "Observation",
    "SmtpConfig",
    "build_payload",
    "delivered",
    "new_state",
    "pending",
    "plan",
    "queue",
    "send_email",
    "send_webhook",
]
