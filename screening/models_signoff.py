"""Evaluations (immutable snapshots of what the engine decided), investigators' signatures of them, and the
subject-number counter of enrolment. Imported by ``screening.models``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import criterion_ids, vocabulary
from screening.model_base import ImmutableModel
from screening.models import Candidate


class Evaluation(ImmutableModel):
    """A snapshot: the exact input, every criterion's verdict, who and when."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("candidate"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"))
    protocol_version = models.CharField(_("protocol version"), max_length=10)
    protocol_sha256 = models.CharField(
        _("protocol SHA-256"), max_length=64, blank=True,
        help_text=_("SHA-256 of the protocol definition file (empty before revision 2)."),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=vocabulary.status_choices("outcome"))
    criteria = models.JSONField(
        _("criteria"), help_text=_("[{id, label, status, detail, notes, label_fact, facts, note_facts}] in protocol order")
    )
    input = models.JSONField(_("input"), help_text=_("The interchange record the evaluation was computed from."))
    input_sha256 = models.CharField(_("input SHA-256"), max_length=64)
    # The ids of failing / missing criteria, encoded by ``screening.criterion_ids`` (",anc,platelets,").
    failing = models.CharField(_("failing"), max_length=400, blank=True, db_index=True)
    missing = models.CharField(_("missing"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self):
        return f"{self.candidate} {self.outcome} @ {self.created_at:%Y-%m-%d %H:%M}"

    def statuses(self):
        return {row["id"]: row["status"] for row in self.criteria}

    @property
    def failing_criteria(self):
        return criterion_ids.decode(self.failing)

    @property
    def missing_criteria(self):
        return criterion_ids.decode(self.missing)


class Signature(ImmutableModel):
    """An investigator's electronic sign-off of one exact evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("evaluation"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    meaning = models.TextField(_("meaning"))
    eligible = models.BooleanField(_("eligible"), help_text=_("True: confirms the candidate meets the criteria."))
    evaluation_sha256 = models.CharField(_("evaluation SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at", "-id"]

    def __str__(self):
        return f"{self.evaluation.candidate} signed by {self.signed_by} @ {self.signed_at:%Y-%m-%d %H:%M}"


class SubjectNumberCounter(models.Model):
    """One row; locked with SELECT ... FOR UPDATE to hand out NLX-001, NLX-002, ... once each."""

    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("subject number counter")
        verbose_name_plural = _("subject number counters")
