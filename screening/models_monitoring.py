"""Monitoring records: data queries with their immutable threads, and source-data verification marks.

Imported by ``screening.models`` so Django sees them as models of the app.
Writes go through ``screening.services.queries`` and ``screening.services.sdv``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from screening import roles
from screening.models import Candidate, Evaluation, ImmutableModel


class Query(models.Model):
    """A question on one item (``screening.source_items``) of a candidate; its thread is ``messages``."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    ASSIGNABLE = (roles.COORDINATOR, roles.INVESTIGATOR)

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="queries")
    item = models.CharField(max_length=60, help_text="Source item key: a field name or '<rows>:<id>'.")
    item_label = models.CharField(max_length=200, help_text="The item's label when the query was raised.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    assigned_role = models.CharField(max_length=20, choices=[(role, role) for role in ASSIGNABLE],
                                     default=roles.COORDINATOR)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["state", "candidate"], name="query_state_candidate")]

    def __str__(self):
        return f"Query #{self.pk} on {self.candidate} {self.item_label} ({self.state})"

    @property
    def is_unresolved(self):
        return self.state != self.State.CLOSED


class QueryMessage(ImmutableModel):
    """One step of a query's thread: who, when, what was said; an answer may link the correction it made."""

    class Kind(models.TextChoices):
        RAISE = "raise", "Raised"
        ANSWER = "answer", "Answered"
        CLOSE = "close", "Closed"
        REOPEN = "reopen", "Re-opened"

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The evaluation made by the correction saved with this answer.",
    )
    value_before = models.TextField(blank=True)
    value_after = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author} @ {self.at:%Y-%m-%d %H:%M}"


class Verification(ImmutableModel):
    """A monitor's mark: this item's value, as fingerprinted, was verified against the source."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="verifications")
    item = models.CharField(max_length=60)
    item_label = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["verified_at", "id"]
        indexes = [models.Index(fields=["candidate", "item"], name="verification_candidate_item")]

    def __str__(self):
        return f"{self.candidate} {self.item_label} verified by {self.verified_by} @ {self.verified_at:%Y-%m-%d %H:%M}"
