"""What the checklist's print view and its PDF both carry, from one place (issue 13, "one set of
outputs"): the facts about the candidate and its evaluation, and the electronic sign-off as a signature
manifestation (21 CFR 11.50: the signer's printed name, the date and time, the meaning)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from screening.models import Signature
from screening.selectors.signoff import SUPERSEDED, signature_state
from screening.services import signoff


def moment(value):
    """2026-03-02 10:00 (Asia/Shanghai), or "—"."""
    if not value:
        return "—"
    return _("%(moment)s (Asia/Shanghai)") % {"moment": timezone.localtime(value).strftime("%Y-%m-%d %H:%M")}


def latest_signature(candidate):
    """The candidate's latest signature (of any of its evaluations), or None."""
    return (
        Signature.objects.select_related("signed_by", "evaluation")
        .filter(evaluation__candidate=candidate)
        .order_by("-signed_at", "-id")
        .first()
    )


def facts(candidate, evaluation):
    """[(label, value)] in reading order; the subject number once enrolled."""
    evaluator = evaluation.created_by.get_username() if evaluation.created_by else _("batch import")
    rows = [
        (_("Screening no."), candidate.screening_number),
        (_("Initials"), candidate.initials or "—"),
        (_("Screening date"), candidate.screening_date.isoformat()),
        (_("Planned first dose"), moment(candidate.planned_first_dose)),
        (_("Protocol version"), evaluation.protocol_version),
        (_("Evaluated"), _("%(moment)s by %(user)s") % {
            "moment": timezone.localtime(evaluation.created_at).strftime("%Y-%m-%d %H:%M"), "user": evaluator}),
    ]
    if candidate.subject_number:
        rows.insert(1, (_("Subject number"), _("%(subject)s (enrolled %(date)s)") % {
            "subject": candidate.subject_number, "date": candidate.enrolment_date.isoformat()}))
    return rows


def notes(evaluation):
    """The small print under the facts: the evaluation's exact time and id, the protocol file's digest."""
    return [
        _("Evaluation time %(moment)s · evaluation id %(id)s") % {"moment": moment(evaluation.created_at),
                                                                   "id": evaluation.pk},
        _("Protocol %(version)s definition file SHA-256: %(sha256)s") % {
            "version": evaluation.protocol_version,
            "sha256": evaluation.protocol_sha256 or _("not recorded (evaluated before revision 2)")},
    ]


@dataclass(frozen=True)
class SignOff:
    """The electronic sign-off as printed: ``lines`` in order, each (kind, text); kind "strong" for the
    superseded warning, "small" for the digest, "" otherwise."""

    signature: Signature | None
    lines: tuple


def sign_off(candidate, signature):
    if signature is None:
        return SignOff(None, (("", _("No electronic sign-off recorded.")),))
    lines = [
        ("", _("Signed by %(name)s at %(moment)s.") % {
            "name": signoff.printed_name(signature.signed_by), "moment": moment(signature.signed_at)}),
        ("", _("Meaning: %(meaning)s") % {"meaning": signature.meaning}),
        ("small", _("Signed evaluation SHA-256: %(sha256)s") % {"sha256": signature.evaluation_sha256}),
    ]
    if signature_state(current=signature.evaluation_id == candidate.latest_evaluation_id) == SUPERSEDED:
        lines.append(("strong", _(
            "SUPERSEDED: this signature covers the evaluation of %(moment)s; the candidate's data changed "
            "afterwards and the evaluation above is not signed.") % {"moment": moment(signature.evaluation.created_at)}))
    return SignOff(signature, tuple(lines))
