"""Investigator sign-off, enrolment, closure and re-screening.

Each function is one user action in one transaction: it locks the
candidate row, checks everything again under the lock, and either does the
whole change (plus an ``AuditEvent``) or raises ``Refused`` with a message
for the user and changes nothing.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import permissions, verdicts, vocabulary
from screening.eligibility import InvalidRecord
from screening.free_text import REASON_MAX_LENGTH
from screening.models import Candidate, Signature, SubjectNumberCounter, mark_change
from screening.selectors.signoff import attempts_of, meaning_for, standing, unresolved_queries
from screening.services import reauth
from screening.services.audit import record_event as _audit
from screening.services.refusals import Refused
from screening.services.candidates import record_evaluation, sha256_of
from screening.trial_design import TOTAL_SIZE as PLANNED_SUBJECTS

SUBJECT_NUMBER_FORMAT = "NLX-{:03d}"
CLOSING_STATES = (Candidate.State.SCREEN_FAILURE, Candidate.State.DECLINED, Candidate.State.NOT_ENROLLED)
STABLE_FIELDS = (
    "initials", "date_of_birth", "sex",
    "diagnosis_type", "diagnosis_confirmation", "primary_site", "metastatic", "ne_component_percent",
)


def evaluation_payload(evaluation):
    """Exactly what a signature covers: the evaluation's identity, input, verdicts and time."""
    payload = {
        "id": evaluation.pk,
        "input": evaluation.input,
        "criteria": evaluation.criteria,
        "outcome": evaluation.outcome,
        "protocol_version": evaluation.protocol_version,
        "created_at": evaluation.created_at.astimezone(datetime.UTC).isoformat(),
    }
    if evaluation.protocol_sha256:  # absent from evaluations stored before revision 2: their hashes stay valid
        payload["protocol_sha256"] = evaluation.protocol_sha256
    return payload


def evaluation_sha256(evaluation):
    return sha256_of(evaluation_payload(evaluation))


def printed_name(user):
    """The signer as a signature shows them (21 CFR 11.50): printed name, then the unique user name."""
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


def _require_role(user, action):
    refusal = permissions.role_refusal(user, action)
    if refusal:
        raise Refused(refusal)


def _require_standing(candidate, action):
    """The permission predicate on the locked candidate (``screening.permissions``)."""
    refusal = permissions.state_refusal(action, standing(candidate))
    if refusal:
        raise Refused(refusal)


def _reason(text, *, field):
    text = (text or "").strip()
    if len(text) > REASON_MAX_LENGTH:
        raise Refused(_("Reason: at most %(limit)d characters (got %(length)d).")
                      % {"limit": REASON_MAX_LENGTH, "length": len(text)}, field=field)
    return text


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
    mark_change(candidate, reason=reason, user=user)
    candidate.save()


def sign(*, candidate, user, password, evaluation_id, request=None):
    """Sign the candidate's current evaluation; returns the ``Signature``.

    The password re-entry is throttled with the logins (``reauth``; raises ``reauth.LockedOut``).
    """
    _require_role(user, "sign")
    if not reauth.confirm_password(request=request, user=user, password=password, purpose="sign",
                                   candidate=candidate):
        raise Refused(_("Password: the password is not correct. Nothing was signed."), field="password")
    with transaction.atomic():
        candidate = _locked(candidate)
        evaluation = candidate.latest_evaluation
        if evaluation is not None and str(evaluation.pk) != str(evaluation_id):
            raise Refused(
                _("The evaluation you were shown has been superseded by a newer one (%(moment)s). "
                  "Review the current evaluation and sign that one.")
                % {"moment": f"{timezone.localtime(evaluation.created_at):%Y-%m-%d %H:%M:%S}"},
                field="evaluation",
            )
        _require_standing(candidate, "sign")
        meaning = meaning_for(evaluation)
        if settings.SIGNER_MUST_NOT_BE_EVALUATOR and evaluation.created_by_id == user.pk:
            raise Refused(
                _("You saved the data of this evaluation: another investigator must sign it "
                  "(the person who enters the data does not confirm it).")
            )
        unresolved = unresolved_queries(candidate)
        if unresolved:
            listed = "; ".join(f"#{query.pk} {query.label} ({vocabulary.term('query', query.state).word})"
                               for query in unresolved)
            raise Refused(_("Queries on this candidate are not closed: %(queries)s. They must be answered and "
                            "closed before signing.") % {"queries": listed})
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
    _require_role(user, "enrol")
    override_reason = _reason(override_reason, field="override_reason")
    administrator = permissions.may_override(user)
    if override_reason and not administrator:
        raise Refused(
            _("Override reason: enrolling beyond the %(count)s planned subjects is an administrator's "
              "override; your role cannot give one.") % {"count": PLANNED_SUBJECTS}, field="override_reason",
        )
    with transaction.atomic():
        candidate = _locked(candidate)
        _require_standing(candidate, "enrol")
        evaluation = candidate.latest_evaluation
        enrolment_date = enrolment_date or timezone.localdate()
        if enrolment_date < candidate.screening_date:
            raise Refused(_("Enrolment date: cannot be before the screening date."), field="enrolment_date")
        if enrolment_date > timezone.localdate():
            raise Refused(_("Enrolment date: cannot be in the future."), field="enrolment_date")
        number = _next_subject_number()
        if number <= PLANNED_SUBJECTS and override_reason:
            raise Refused(
                _("Override reason: no override is needed within the %(count)s planned subjects; "
                  "leave it empty.") % {"count": PLANNED_SUBJECTS}, field="override_reason",
            )
        if number > PLANNED_SUBJECTS:
            if not administrator:
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
    _require_role(user, "close")
    reason = _reason(reason, field="reason")
    if state not in CLOSING_STATES:
        raise Refused(_("Outcome: choose screen failure, declined or not enrolled (other reason)."), field="state")
    with transaction.atomic():
        candidate = _locked(candidate)
        _require_standing(candidate, "close")
        evaluation = candidate.latest_evaluation
        if state == Candidate.State.SCREEN_FAILURE:
            if evaluation is None or evaluation.outcome != "ineligible":
                outcome = verdicts.outcome_word(evaluation.outcome if evaluation else None)
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
        _save_state(candidate, user=user, reason=f"{closed_as} — {reason}" if reason else closed_as)
        _audit("close", user=user, candidate=candidate, state=state, reason=reason,
               evaluation=evaluation.pk if evaluation else None)
        return candidate


def rescreen(*, candidate, user, screening_date):
    """Re-screen a screen failure as a new attempt ``<original>-R<n>``; returns the new candidate."""
    _require_role(user, "rescreen")
    with transaction.atomic():
        candidate = _locked(candidate)
        _require_standing(candidate, "rescreen")
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
        mark_change(attempt, reason=_("Re-screen of %(number)s") % {"number": candidate.screening_number}, user=user)
        attempt.save()
        try:
            record_evaluation(candidate=attempt, user=user)
        except InvalidRecord as error:
            raise Refused(verdicts.invalid_record(error)) from None
        _audit("rescreen", user=user, candidate=candidate, new_attempt=number)
        _audit("rescreen", user=user, candidate=attempt, rescreen_of=candidate.screening_number)
        return attempt
