"""Monitoring records: data queries with their immutable threads, and source-data verification marks.

Imported by ``screening.models`` so Django sees them as models of the app.
Writes go through ``screening.services.queries`` and ``screening.services.sdv``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import roles, vocabulary
from screening.models import Candidate, Evaluation, ImmutableModel


class Query(models.Model):
    """A question on one item (``screening.source_items``) of a candidate; its thread is ``messages``."""

    class State(models.TextChoices):
        OPEN = "open", vocabulary.STATUSES["query"]["open"].choice_label
        ANSWERED = "answered", vocabulary.STATUSES["query"]["answered"].choice_label
        CLOSED = "closed", vocabulary.STATUSES["query"]["closed"].choice_label

    ASSIGNABLE = (roles.COORDINATOR, roles.INVESTIGATOR)

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="queries",
                                  verbose_name=_("candidate"))
    item = models.CharField(_("item"), max_length=60, help_text=_("Source item key: a field name or '<rows>:<id>'."))
    item_label = models.CharField(_("item label"), max_length=200,
                                  help_text=_("The item's label when the query was raised."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    assigned_role = models.CharField(_("assigned to"), max_length=20,
                                     choices=[(role, vocabulary.ROLE[role]) for role in ASSIGNABLE],
                                     default=roles.COORDINATOR)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")
        indexes = [models.Index(fields=["state", "candidate"], name="query_state_candidate")]

    def __str__(self):
        return f"Query #{self.pk} on {self.candidate} {self.item_label} ({self.state})"

    @property
    def label(self):
        """The item's label: a candidate field's in the reader's language, a row's as it read when raised."""
        from screening.source_items import FIELDS, field_label

        return field_label(self.item) if self.item in FIELDS else self.item_label

    @property
    def is_unresolved(self):
        return self.state != self.State.CLOSED


class QueryMessage(ImmutableModel):
    """One step of a query's thread: who, when, what was said; an answer may link the correction it made."""

    class Kind(models.TextChoices):
        RAISE = "raise", _("Raised")
        ANSWER = "answer", _("Answered")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Re-opened")

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages", verbose_name=_("data query"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("evaluation"), help_text=_("The evaluation made by the correction saved with this answer."),
    )
    value_before = models.TextField(_("value before"), blank=True)
    value_after = models.TextField(_("value after"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("query message")
        verbose_name_plural = _("query messages")

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author} @ {self.at:%Y-%m-%d %H:%M}"


class Verification(ImmutableModel):
    """A monitor's mark: this item's value, as fingerprinted, was verified against the source."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="verifications",
                                  verbose_name=_("candidate"))
    item = models.CharField(_("item"), max_length=60)
    item_label = models.CharField(_("item label"), max_length=200)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)

    class Meta:
        ordering = ["verified_at", "id"]
        verbose_name = _("source-data verification")
        verbose_name_plural = _("source-data verifications")
        indexes = [models.Index(fields=["candidate", "item"], name="verification_candidate_item")]

    def __str__(self):
        return f"{self.candidate} {self.item_label} verified by {self.verified_by} @ {self.verified_at:%Y-%m-%d %H:%M}"
