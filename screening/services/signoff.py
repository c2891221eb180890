"""Investigator sign-off, enrolment, closure and re-screening.

Each function is one user action in one transaction: it locks the
candidate row, checks everything again under the lock, and either does the
whole change (plus an ``AuditEvent``) or raises ``Refused`` with a message
for the user and changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening import roles
from screening.eligibility import InvalidRecord
from screening.models import AuditEvent, Candidate, Signature, SubjectNumberCounter
from screening.services.candidates import record_evaluation, sha256_of
from screening.trial_design import TOTAL_SIZE as PLANNED_SUBJECTS
from screening.verdicts import outcome_word

SUBJECT_NUMBER_FORMAT = "NLX-{:03d}"
# What a signature means, stored in the signer's language (they sign the words they read).
MEANINGS = {
    True: gettext_lazy("I confirm this candidate meets the eligibility criteria of protocol %(version)s"),
    False: gettext_lazy("I confirm this candidate does not meet the eligibility criteria of protocol %(version)s"),
}
CLOSING_STATES = (Candidate.State.SCREEN_FAILURE, Candidate.State.DECLINED, Candidate.State.NOT_ENROLLED)
STABLE_FIELDS = (
    "initials", "date_of_birth", "sex",
    "diagnosis_type", "diagnosis_confirmation", "primary_site", "metastatic", "ne_component_percent",
)


class Refused(Exception):
    """The action is not allowed now; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def evaluation_payload(evaluation):
    """Exactly what a signature covers: the evaluation's identity, input, verdicts and time."""
    return {
        "id": evaluation.pk,
        "input": evaluation.input,
        "criteria": evaluation.criteria,
        "outcome": evaluation.outcome,
        "protocol_version": evaluation.protocol_version,
        "created_at": evaluation.created_at.astimezone(datetime.UTC).isoformat(),
    }


def evaluation_sha256(evaluation):
    return sha256_of(evaluation_payload(evaluation))


def meaning_for(evaluation):
    """The signature's meaning for this evaluation, or None when it cannot be signed (incomplete)."""
    if evaluation is None or evaluation.outcome not in ("eligible", "ineligible"):
        return None
    return str(MEANINGS[evaluation.outcome == "eligible"]) % {"version": evaluation.protocol_version}


def printed_name(user):
    """The signer as a signature shows them (21 CFR 11.50): printed name, then the unique user name."""
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


def current_signature(candidate):
    """The latest signature of the candidate's current evaluation, or None (unsigned or superseded)."""
    if candidate.latest_evaluation_id is None:
        return None
    return (
        Signature.objects.select_related("signed_by")
        .filter(evaluation_id=candidate.latest_evaluation_id)
        .first()
    )


def _require_role(user, allowed, refusal):
    if not roles.has_role(user, allowed):
        raise Refused(refusal)


def _locked(candidate):
    """The candidate row, locked for this transaction and read fresh."""
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("latest_evaluation")
        .get(pk=candidate.pk)
    )


def _save_state(candidate, *, user, reason):
    candidate.version += 1
    candidate.updated_at = timezone.now()
    candidate.updated_by = user
    candidate._change_reason = reason
    candidate._history_user = user
    candidate.save()


def _audit(action, *, user, candidate, **details):
    AuditEvent.objects.create(action=action, user=user, candidate=candidate, details=details)


def sign(*, candidate, user, password, evaluation_id):
    """Sign the candidate's current evaluation; returns the ``Signature``."""
    _require_role(user, roles.SIGNERS, _("Your role does not allow you to sign eligibility decisions."))
    if not password or not user.check_password(password):
        raise Refused(_("Password: the password is not correct. Nothing was signed."), field="password")
    with transaction.atomic():
        candidate = _locked(candidate)
        evaluation = candidate.latest_evaluation
        if evaluation is None:
            raise Refused(_("%(number)s has no evaluation to sign.") % {"number": candidate.screening_number})
        if str(evaluation.pk) != str(evaluation_id):
            raise Refused(
                _("The evaluation you were shown has been superseded by a newer one (%(when)s). "
                  "Review the current evaluation and sign that one.")
                % {"when": f"{timezone.localtime(evaluation.created_at):%Y-%m-%d %H:%M:%S}"},
                field="evaluation",
            )
        meaning = meaning_for(evaluation)
        if meaning is None:
            raise Refused(
                _("The evaluation is incomplete (criteria missing: %(criteria)s): complete the data before signing.")
                % {"criteria": ", ".join(evaluation.missing_criteria)}
            )
        if evaluation.signatures.exists():
            raise Refused(_("The current evaluation is already signed."))
        signature = Signature.objects.create(
            evaluation=evaluation,
            signed_by=user,
            meaning=meaning,
            eligible=evaluation.outcome == "eligible",
            evaluation_sha256=evaluation_sha256(evaluation),
        )
        _audit(
            "sign", user=user, candidate=candidate, evaluation=evaluation.pk, signature=signature.pk,
            outcome=evaluation.outcome, meaning=meaning, sha256=signature.evaluation_sha256,
        )
        return signature


def _next_subject_number():
    """Lock the counter row, take the next number; the lock is held until the transaction ends."""
    SubjectNumberCounter.objects.get_or_create(pk=1)
    counter = SubjectNumberCounter.objects.select_for_update().get(pk=1)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def enrol(*, candidate, user, enrolment_date=None, override_reason=""):
    """Enrol a signed eligible candidate: subject number NLX-nnn and enrolment date."""
    _require_role(user, roles.EDITORS, _("Your role does not allow you to enrol candidates."))
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        candidate = _locked(candidate)
        if candidate.state == Candidate.State.ENROLLED:
            raise Refused(_("%(number)s is already enrolled as %(subject)s.")
                          % {"number": candidate.screening_number, "subject": candidate.subject_number})
        if candidate.is_closed:
            raise Refused(_("%(number)s is closed (%(state)s).")
                          % {"number": candidate.screening_number, "state": candidate.get_state_display()})
        evaluation = candidate.latest_evaluation
        if evaluation is None or evaluation.outcome != "eligible":
            outcome = outcome_word(evaluation.outcome if evaluation else None)
            raise Refused(_("Only an eligible candidate can be enrolled; the current evaluation is %(outcome)s.")
                          % {"outcome": outcome})
        if not evaluation.signatures.filter(eligible=True).exists():
            superseded = Signature.objects.filter(evaluation__candidate=candidate).exists()
            raise Refused(
                _("The investigator's signature is superseded by a later change: the current evaluation "
                  "needs a new signature before enrolment.")
                if superseded
                else _("An investigator must sign the eligibility decision before enrolment.")
            )
        enrolment_date = enrolment_date or timezone.localdate()
        if enrolment_date < candidate.screening_date:
            raise Refused(_("Enrolment date: cannot be before the screening date."), field="enrolment_date")
        if enrolment_date > timezone.localdate():
            raise Refused(_("Enrolment date: cannot be in the future."), field="enrolment_date")
        number = _next_subject_number()
        if number > PLANNED_SUBJECTS:
            if not roles.has_role(user, (roles.ADMIN,)):
                raise Refused(
                    _("All %(count)s planned subjects are enrolled: "
                      "enrolling more needs an administrator's override with a reason.") % {"count": PLANNED_SUBJECTS}
                )
            if not override_reason:
                raise Refused(
                    _("Override reason: required to enrol beyond the %(count)s planned subjects.")
                    % {"count": PLANNED_SUBJECTS},
                    field="override_reason",
                )
        candidate.state = Candidate.State.ENROLLED
        candidate.subject_number = SUBJECT_NUMBER_FORMAT.format(number)
        candidate.enrolment_date = enrolment_date
        candidate.state_reason = override_reason
        candidate.closed_at = timezone.now()
        candidate.closed_by = user
        enrolled_as = _("Enrolled as %(subject)s") % {"subject": candidate.subject_number}
        if override_reason:
            enrolled_as = _("%(enrolled_as)s (override: %(reason)s)") % {"enrolled_as": enrolled_as,
                                                                          "reason": override_reason}
        _save_state(candidate, user=user, reason=enrolled_as)
        _audit(
            "enrol", user=user, candidate=candidate, subject_number=candidate.subject_number,
            enrolment_date=enrolment_date.isoformat(), evaluation=evaluation.pk,
            **({"override_reason": override_reason} if override_reason else {}),
        )
        return candidate


def close(*, candidate, user, state, reason=""):
    """Close a candidate in screening: screen failure, declined, or not enrolled for another reason."""
    _require_role(user, roles.EDITORS, _("Your role does not allow you to close candidates."))
    reason = (reason or "").strip()
    if state not in CLOSING_STATES:
        raise Refused(_("Outcome: choose screen failure, declined or not enrolled (other reason)."), field="state")
    with transaction.atomic():
        candidate = _locked(candidate)
        if candidate.is_closed:
            raise Refused(_("%(number)s is already closed (%(state)s).")
                          % {"number": candidate.screening_number, "state": candidate.get_state_display()})
        evaluation = candidate.latest_evaluation
        if state == Candidate.State.SCREEN_FAILURE:
            if evaluation is None or evaluation.outcome != "ineligible":
                outcome = outcome_word(evaluation.outcome if evaluation else None)
                raise Refused(
                    _("Outcome: a screen failure needs failing criteria; the current evaluation is %(outcome)s.")
                    % {"outcome": outcome},
                    field="state",
                )
            reason = _("Failing criteria: %(criteria)s") % {"criteria": ", ".join(evaluation.failing_criteria)}
        elif state == Candidate.State.NOT_ENROLLED and not reason:
            raise Refused(_("Reason: describe why the candidate is not enrolled."), field="reason")
        candidate.state = state
        candidate.state_reason = reason
        candidate.closed_at = timezone.now()
        candidate.closed_by = user
        label = Candidate.State(state).label
        closed_as = _("Closed: %(state)s") % {"state": label}
        if reason:
            closed_as = f"{closed_as} — {reason}"
        _save_state(candidate, user=user, reason=closed_as)
        _audit("close", user=user, candidate=candidate, state=state, reason=reason,
               evaluation=evaluation.pk if evaluation else None)
        return candidate


def attempts_of(candidate):
    """Every screening attempt of the same person, earliest first (walks ``rescreen_of`` both ways)."""
    root = candidate
    while root.rescreen_of_id:
        root = Candidate.objects.get(pk=root.rescreen_of_id)
    chain = [root]
    while True:
        following = Candidate.objects.filter(rescreen_of=chain[-1]).select_related("latest_evaluation").first()
        if following is None:
            return chain
        chain.append(following)


def rescreen(*, candidate, user, screening_date):
    """Re-screen a screen failure as a new attempt ``<original>-R<n>``; returns the new candidate."""
    _require_role(user, roles.EDITORS, _("Your role does not allow you to re-screen candidates."))
    with transaction.atomic():
        candidate = _locked(candidate)
        if candidate.state != Candidate.State.SCREEN_FAILURE:
            raise Refused(
                _("Only a screen failure can be re-screened; %(number)s is %(state)s.")
                % {"number": candidate.screening_number, "state": candidate.get_state_display().lower()}
            )
        if candidate.rescreens.exists():
            newer = candidate.rescreens.first().screening_number
            raise Refused(_("%(number)s was already re-screened as %(newer)s.")
                          % {"number": candidate.screening_number, "newer": newer})
        if screening_date is None:
            raise Refused(_("Screening date: required."), field="screening_date")
        if screening_date <= candidate.screening_date:
            raise Refused(
                _("Screening date: must be after the earlier attempt's (%(date)s).")
                % {"date": f"{candidate.screening_date:%Y-%m-%d}"},
                field="screening_date",
            )
        chain = attempts_of(candidate)
        number = f"{chain[0].screening_number}-R{len(chain)}"
        if Candidate.objects.filter(screening_number=number).exists():
            raise Refused(_("Screening number %(number)s is already in use.") % {"number": number})
        now = timezone.now()
        attempt = Candidate(
            screening_number=number, screening_date=screening_date, rescreen_of=candidate,
            created_at=now, updated_at=now, updated_by=user,
            **{field: getattr(candidate, field) for field in STABLE_FIELDS},
        )
        try:
            attempt.full_clean()
        except ValidationError as error:
            raise Refused("; ".join(error.messages)) from None
        attempt._change_reason = _("Re-screen of %(number)s") % {"number": candidate.screening_number}
        attempt._history_user = user
        attempt.save()
        try:
            record_evaluation(candidate=attempt, user=user)
        except InvalidRecord as error:
            raise Refused(str(error)) from None
        _audit("rescreen", user=user, candidate=candidate, new_attempt=number)
        _audit("rescreen", user=user, candidate=attempt, rescreen_of=candidate.screening_number)
        return attempt
