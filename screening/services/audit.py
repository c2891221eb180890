"""The audit trail's events that are not data edits (sign-off, enrolment, closure, downloads of the trail)."""

from screening.models import AuditEvent


def record_event(action, *, user, candidate=None, **details):
    """One ``AuditEvent``: who (``user``), what (``action`` and ``details``), on which candidate, now."""
    return AuditEvent.objects.create(action=action, user=user, candidate=candidate, details=details)
