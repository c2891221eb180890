"""The rules of a candidate's screening number and initials, as model-field validators: the candidate form,
the admin, ``full_clean`` and ``save_candidate`` all run these two (one definition, one message each)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from screening import eligibility

INITIALS = re.compile(r"[A-Za-z]{1,5}")  # fullmatch: "$" would let a trailing newline through
# A screening number becomes part of URLs (/candidates/<number>/): the engine's letters, digits, "-", "_", ".",
# and not the name of a page.
RESERVED_SCREENING_NUMBERS = {"new", "preview"}


def validate_screening_number(value):
    """Refuse a screening number that cannot be stored and shown at its own URL."""
    if not isinstance(value, str) or eligibility.check_screening_number(value) \
            or value.lower() in RESERVED_SCREENING_NUMBERS:
        raise ValidationError(_("%(number)s: use letters, digits, “-”, “_” or “.” (e.g. NLX-S-013)"),
                              code="invalid", params={"number": repr(value)})


def validate_initials(value):
    """Refuse initials that are not 1 to 5 letters (a name, digits)."""
    if not isinstance(value, str) or not INITIALS.fullmatch(value):
        raise ValidationError(_("initials are 1 to 5 letters (no names, no digits)"), code="invalid")
