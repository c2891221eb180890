"""Hints on the candidate form built from the protocol version's parameters.

No hint restates a threshold: each is built from the version the candidate is
evaluated under, so an amendment changes the hints with the rules. A
criterion the version leaves out gives no hint.
"""

from decimal import Decimal

from screening.models import plain_decimal

ECOG_SCALE = "0–5"  # the scale itself, fixed (spec section 3), not a threshold


def protocol_hints(protocol):
    """{form field name or "section:<id>": hint text} for ``protocol``."""

    def param(criterion_id, name):
        try:
            value = protocol.criterion(criterion_id).params[name]
        except KeyError:
            return None
        return plain_decimal(value) if isinstance(value, Decimal) else value

    def label(criterion_id):
        try:
            return f"Protocol {protocol.version}: {protocol.criterion(criterion_id).label}."
        except KeyError:
            return None

    hints = {
        "ecog": f"{ECOG_SCALE}. {label('ecog') or ''}".strip(),
        "life_expectancy_months": label("life_expectancy"),
        "prior_systemic_lines": label("prior_therapy"),
        "date_of_birth": label("age"),
        "consent_signed_on": label("consent"),
        "section:labs": f"The most recent result collected on or within {protocol.lab_window_days} days before "
                        "the screening date counts.",
    }
    above = param("diagnosis", "minen_ne_component_above_percent")
    if above is not None:
        hints["ne_component_percent"] = f"MiNEN only: must be above {above} %."
    windows = []
    if (hours := param("pregnancy_test", "window_hours")) is not None:
        windows.append(f"the {hours} h pregnancy-test window")
    if (days := param("supportive_care_washout", "days")) is not None:
        windows.append(f"the {days}-day washout")
    if (days := param("measurable_disease", "imaging_window_days")) is not None:
        windows.append(f"the {days}-day baseline imaging window")
        hints["section:disease"] = f"A lesion counts when imaged within {days} days before the first dose."
    if windows:
        hints["planned_first_dose"] = "Ends " + ", ".join(windows) + "."
    return {name: hint for name, hint in hints.items() if hint}
