"""Re-evaluating the candidates still in screening under a protocol amendment, in one admin action."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from screening import permissions, protocols
from screening.eligibility import InvalidRecord
from screening.models import AuditEvent, Candidate
from screening.selectors.history import describe, diff_evaluations
from screening.selectors.protocols import last_evaluated_under_another_version
from screening.services.candidates import record_evaluation
from screening.services.refusals import Refused

ACTION = "amendment_reevaluation"


@dataclass
class Reevaluation:
    protocol: object
    evaluated: list = field(default_factory=list)  # [Evaluation]
    refused: list = field(default_factory=list)  # [(Candidate, InvalidRecord)]: stored data the new version refuses


def reevaluate_for_amendment(*, user, reason, protocol=None):
    """Give every candidate in screening last evaluated under another version a new evaluation under
    ``protocol`` (default: the version in force today), with an audit event naming the amendment.

    Admins only; a reason is required. Any signature of the earlier evaluation is superseded, as by any
    change. A candidate whose stored data the new version refuses keeps its evaluation and is reported.
    """
    if not permissions.may_reevaluate(user):
        raise Refused(_("Only an administrator can re-evaluate candidates under a protocol amendment."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Give the reason for the re-evaluation (e.g. the amendment's approval)."), field="reason")
    protocol = protocol or protocols.in_force()
    result = Reevaluation(protocol)
    with transaction.atomic():
        candidates = (Candidate.objects.select_for_update().select_related("latest_evaluation")
                      .filter(state=Candidate.State.SCREENING, latest_evaluation__isnull=False)
                      .order_by("screening_number"))
        for candidate in candidates:
            before = candidate.latest_evaluation
            if not last_evaluated_under_another_version(before, protocol):
                continue
            try:
                with transaction.atomic():
                    after = record_evaluation(candidate=candidate, user=user, protocol=protocol)
            except InvalidRecord as error:
                result.refused.append((candidate, error))
                continue
            AuditEvent.objects.create(user=user, action=ACTION, candidate=candidate, details={
                "amendment": f"protocol {before.protocol_version} → {protocol.version}",
                "from_version": before.protocol_version,
                "to_version": protocol.version,
                "protocol_sha256": protocol.sha256,
                "reason": reason,
                "evaluation": after.pk,
                "changes": describe(diff_evaluations(before, after)),
            })
            result.evaluated.append(after)
    return result
