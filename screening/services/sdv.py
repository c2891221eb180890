"""Source-data verification: a monitor marks items verified against the source documents.

A mark stores the fingerprint of the value the monitor was shown; it counts
only while the item's current value has the same fingerprint, so any change
to the value resets it (``screening.selectors.sdv``). Verifying locks the
candidate row, the same lock a save takes: a value changed by a coordinator
after the monitor loaded the page is refused, never marked.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from screening import roles
from screening.models import AuditEvent, Candidate, Verification
from screening.services.queries import current_items
from screening.services.refusals import Refused

VERIFIERS = (roles.MONITOR, roles.ADMIN)


def verify(*, candidate, user, shown):
    """Mark the items ``shown`` ({key: fingerprint as displayed}) verified; returns the new ``Verification`` rows.

    All or nothing: an unknown item, or one whose value changed since it was shown, refuses the whole action.
    Items already verified at their current value are left as they are.
    """
    if not roles.has_role(user, VERIFIERS):
        raise Refused(_("Your role does not allow source-data verification."))
    if not shown:
        raise Refused(_("Nothing to verify: choose at least one item."))
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        items = current_items(candidate)
        changed = [key for key, seen in shown.items() if key not in items or items[key].fingerprint != seen]
        if changed:
            labels = pgettext("list separator", ", ").join(items[key].label if key in items else key for key in changed)
            raise Refused(
                _("Changed since you loaded the page: %(items)s. Nothing was marked; "
                  "check the current values against the source and verify again.") % {"items": labels}
            )
        done = set(
            Verification.objects.filter(candidate=candidate, item__in=list(shown))
            .filter(fingerprint__in=[items[key].fingerprint for key in shown])
            .values_list("item", "fingerprint")
        )
        marks = Verification.objects.bulk_create([
            Verification(candidate=candidate, item=key, item_label=items[key].label,
                         fingerprint=items[key].fingerprint, verified_by=user)
            for key in shown if (key, items[key].fingerprint) not in done
        ])
        if marks:
            AuditEvent.objects.create(
                action="sdv_verify", user=user, candidate=candidate,
                details={"items": [mark.item_label for mark in marks], "count": len(marks)},
            )
        return marks
