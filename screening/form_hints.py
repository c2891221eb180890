"""Hints on the candidate form built from the protocol version's parameters.

No hint restates a threshold: each is built from the version the candidate is
evaluated under, so an amendment changes the hints with the rules. A
criterion the version leaves out gives no hint.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from screening import verdicts
from screening.models import plain_decimal

ECOG_SCALE = "0–5"  # the scale itself, fixed (spec section 3), not a threshold


def protocol_hints(protocol):
    """{form field name or "section:<id>": hint text} for ``protocol``, in the active language."""

    def param(criterion_id, name):
        try:
            value = protocol.criterion(criterion_id).params[name]
        except KeyError:
            return None
        return plain_decimal(value) if isinstance(value, Decimal) else value

    def label(criterion_id):
        try:
            criterion = protocol.criterion(criterion_id)
        except KeyError:
            return None
        return _("Protocol %(version)s: %(label)s.") % {"version": protocol.version, "label": verdicts.label(criterion)}

    hints = {
        "ecog": f"{ECOG_SCALE}. {label('ecog') or ''}".strip(),
        "life_expectancy_months": label("life_expectancy"),
        "prior_systemic_lines": label("prior_therapy"),
        "date_of_birth": label("age"),
        "consent_signed_on": label("consent"),
        "section:labs": _("The most recent result collected on or within %(days)s days before the screening date "
                          "counts.") % {"days": protocol.lab_window_days},
    }
    above = param("diagnosis", "minen_ne_component_above_percent")
    if above is not None:
        hints["ne_component_percent"] = _("MiNEN only: must be above %(percent)s %%.") % {"percent": above}
    windows = []
    if (hours := param("pregnancy_test", "window_hours")) is not None:
        windows.append(_("the %(hours)s h pregnancy-test window") % {"hours": hours})
    if (days := param("supportive_care_washout", "days")) is not None:
        windows.append(_("the %(days)s-day washout") % {"days": days})
    if (days := param("measurable_disease", "imaging_window_days")) is not None:
        windows.append(_("the %(days)s-day baseline imaging window") % {"days": days})
        hints["section:disease"] = _("A lesion counts when imaged within %(days)s days before the first dose.") % {
            "days": days}
    if windows:
        hints["planned_first_dose"] = _("Ends %(windows)s.") % {
            "windows": pgettext("list separator", ", ").join(windows)}
    return {name: hint for name, hint in hints.items() if hint}
