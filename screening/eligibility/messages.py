"""English text of every fact (``Fact.code``) and of the vocabulary words
that appear as values; ``render`` formats one fact in a language.

Templates are wrapped in ``gettext_noop`` (a local no-op, no Django) so
that Django's ``makemessages`` extracts them; the Django layer calls
``render(fact, translate=gettext)``. Codes are stable: a stored
evaluation's facts are rendered again from them, so a code is never
reused for another meaning (add a new one instead).

Values are formatted by type: Decimal exactly as written (no exponent),
dates ISO, datetimes ``2026-03-10 09:00 +08:00``, int as is, except that
an int whose name ends in ``_days`` reads "1 day" / "3 days"; text whose
name is in ``VOCABULARY`` goes through ``TERMS`` (and ``translate``);
tuples are joined with ", " (the words themselves: ``terms``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from string import Formatter

from .display import moment
from .terms import TERMS, VOCABULARY, _, gettext_noop  # noqa: F401  (gettext_noop: imported from here)

MESSAGES: dict[str, str] = {
    # labels (built from the protocol's parameters)
    "label.consent": _("Informed consent signed on or before screening"),
    "label.age": _("Age {min_years}–{max_years} years"),
    "label.diagnosis": _(
        "Metastatic extrapulmonary high-grade NEN: {types} (MINEN NE > {minen_ne_component_above_percent}%); "
        "{confirmations}"
    ),
    "label.prior_therapy": _("Exactly {lines} prior line(s) of systemic therapy, failed"),
    "label.ecog": _("ECOG performance status 0–{max}"),
    "label.life_expectancy": _("Life expectancy ≥ {min_months} months"),
    "label.measurable_disease": _(
        "RECIST 1.1 measurable lesion ≥ {non_nodal_min_mm} mm (X-ray ≥ {chest_xray_min_mm}, node ≥ "
        "{nodal_short_axis_min_mm}), imaged ≤ {imaging_window_days} before dose"
    ),
    "label.supportive_care_washout": _("No blood components or growth factors within {days} days before first dose"),
    "label.anc": _("Absolute neutrophil count ≥ {min} {unit}"),
    "label.platelets": _("Platelet count ≥ {min} {unit}"),
    "label.haemoglobin": _("Haemoglobin ≥ {min} {unit}"),
    "label.bilirubin": _("Total bilirubin ≤ {max_uln} × ULN"),
    "label.transaminase": _("{test} ≤ {max_uln} × ULN (≤ {max_uln_liver_metastases} × ULN with liver metastases)"),
    "label.renal_function": _("Creatinine ≤ {creatinine_max_uln} × ULN or clearance > {clearance_above} mL/min"),
    "label.pregnancy_test": _("Negative serum pregnancy test ≤ {window_hours} h before first dose"),
    "label.contraception": _("Agreement to use contraception"),
    # consent, age
    "consent.missing": _("Date of signed informed consent not recorded"),
    "consent.pass": _("Consent signed {signed}, on or before screening {screened}"),
    "consent.fail": _("Consent signed {signed}, after screening {screened}: screening before consent"),
    "age.missing": _("Date of birth not recorded"),
    "age.result": _("Age {years} on {screened} (born {born}); {min}–{max} required"),
    # diagnosis, prior therapy
    "diagnosis.missing": _("Diagnosis not recorded"),
    "diagnosis.type_fail": _("type {type} is not one of {types}"),
    "diagnosis.confirmation_fail": _("{confirmation} confirmation; {confirmations} required"),
    "diagnosis.not_metastatic": _("not metastatic"),
    "diagnosis.pulmonary": _("primary site “{site}” names a pulmonary primary ({match}): the trial is extrapulmonary"),
    "diagnosis.minen_fail": _("MINEN NE component {percent}% ≤ {above}%"),
    "diagnosis.minen_pass": _("NE component {percent}% > {above}%"),
    "diagnosis.not_recorded": _("Not recorded: {fields}"),
    "diagnosis.pass": _("{type}, {confirmation} confirmation, primary site “{site}”, metastatic"),
    "prior_therapy.lines_missing": _("Number of prior systemic lines not recorded"),
    "prior_therapy.failed_missing": _("Whether the prior line failed not recorded"),
    "prior_therapy.lines_fail": _("{lines} prior systemic lines; exactly {required} required"),
    "prior_therapy.not_failed": _("the prior line did not fail"),
    "prior_therapy.pass": _("{lines} prior systemic line(s), failed"),
    # ecog, life expectancy
    "ecog.missing": _("ECOG performance status not recorded"),
    "ecog.pass": _("ECOG {score} ≤ {max}"),
    "ecog.fail": _("ECOG {score} > {max}"),
    "life_expectancy.missing": _("Life expectancy not recorded"),
    "life_expectancy.pass": _("Life expectancy {months} months ≥ {min}"),
    "life_expectancy.fail": _("Life expectancy {months} months < {min}"),
    # measurable disease
    "measurable.missing": _("Lesions not recorded"),
    "measurable.empty": _("No lesions recorded (empty list)"),
    "measurable.qualifies": _("Lesion {index} qualifies"),
    "measurable.undecided": _("No lesion qualifies yet, some undecided"),
    "measurable.none": _("No lesion qualifies"),
    "lesion.not_measurable": _("lesion {index}: {kind} by {method} does not count (measurement by imaging required)"),
    "lesion.too_small": _("lesion {index}: {kind} by {method} {size} mm < {minimum} mm"),
    "lesion.too_small_slice": _(
        "lesion {index}: {kind} by {method} {size} mm < {minimum} mm (2 × slice thickness {slice} mm)"
    ),
    "lesion.imaged_after": _("lesion {index}: {kind} by {method} imaged {imaged_on}, {gap_days} after the first dose"),
    "lesion.imaged_too_early": _(
        "lesion {index}: {kind} by {method} imaged {imaged_on}, {gap_days} before the first dose; "
        "at most {window_days} allowed"
    ),
    "lesion.treated": _("lesion {index}: {kind} by {method} locally treated without progression"),
    "lesion.undecided": _("lesion {index}: {kind} by {method} (≥ {minimum} mm needed): not recorded: {fields}"),
    "lesion.qualifies": _(
        "lesion {index}: {kind} by {method} {size} mm ≥ {minimum} mm, imaged {imaged_on} ({gap_days} before), {history}"
    ),
    # supportive care washout
    "washout.missing": _("Blood components / growth factors before first dose not recorded"),
    "washout.none_given": _("No blood components or growth factors given"),
    "washout.any_missing": _("Whether blood components or growth factors were given is not recorded"),
    "washout.last_date_missing": _("Date of the last blood component or growth factor not recorded"),
    "washout.first_dose_missing": _("Last given {last}; planned first dose not set (must be on or after {earliest})"),
    "washout.before": _("Last given {last}, {gap_days} before first dose {first_dose}; at least {required_days} required"),
    "washout.same_day": _("Last given {last}, the day of the first dose {first_dose}"),
    "washout.after": _("Last given {last}, {gap_days} after the first dose {first_dose}"),
    "washout.earliest": _("first dose must be on or after {earliest}"),
    # laboratory
    "lab.none": _("No {test} result collected in the {window_days} up to screening ({screened})"),
    "lab.too_old": _("{test} of {collected} ignored: {age_days} before screening, window is {window_days}"),
    "lab.same_day": _("{test} {value} {unit} of {collected} not used: a later entry of the same date decides"),
    "lab.superseded": _("{test} {value} {unit} of {collected} not used: the result of {chosen} is more recent"),
    "lab.min_pass": _("{test} {value} {unit} ≥ {min} {min_unit} (collected {collected})"),
    "lab.min_fail": _("{test} {value} {unit} < {min} {min_unit} (collected {collected})"),
    "lab.min_pass_converted": _(
        "{test} {value} {unit} = {converted} {canonical_unit} ≥ {min} {min_unit} (collected {collected})"
    ),
    "lab.min_fail_converted": _(
        "{test} {value} {unit} = {converted} {canonical_unit} < {min} {min_unit} (collected {collected})"
    ),
    "lab.uln_pass": _("{test} {value} {unit} = {ratio} × ULN {uln}; ≤ {multiple} × ULN ({limit}) (collected {collected})"),
    "lab.uln_fail": _("{test} {value} {unit} = {ratio} × ULN {uln}; > {multiple} × ULN ({limit}) (collected {collected})"),
    "transaminase.pass": _(
        "{test} {value} {unit} = {ratio} × ULN {uln}; ≤ {max_uln} × ULN ({low_limit}) (collected {collected})"
    ),
    "transaminase.fail": _(
        "{test} {value} {unit} = {ratio} × ULN {uln}; > {max_uln_liver_metastases} × ULN ({high_limit}) "
        "(collected {collected})"
    ),
    "transaminase.liver": _(
        "{test} {value} {unit} = {ratio} × ULN {uln}; above {max_uln} × ULN ({low_limit}), "
        "≤ {max_uln_liver_metastases} × ULN ({high_limit}) allowed with liver metastases (collected {collected})"
    ),
    "transaminase.no_liver": _(
        "{test} {value} {unit} = {ratio} × ULN {uln}; above {max_uln} × ULN ({low_limit}), "
        "≤ {max_uln_liver_metastases} × ULN ({high_limit}) allowed only with liver metastases, none present "
        "(collected {collected})"
    ),
    "transaminase.liver_unknown": _(
        "{test} {value} {unit} = {ratio} × ULN {uln}; above {max_uln} × ULN ({low_limit}), "
        "≤ {max_uln_liver_metastases} × ULN ({high_limit}) allowed with liver metastases, which are not recorded "
        "(collected {collected})"
    ),
    "renal.needs": _(
        "{test} {value} {unit} = {ratio} × ULN {uln} > {multiple} × ULN ({limit}); Cockcroft–Gault clearance "
        "needs {fields} (collected {collected})"
    ),
    "renal.above": _("{test} {value} {unit} = {ratio} × ULN {uln} > {multiple} × ULN ({limit}) (collected {collected})"),
    "renal.clearance_umol": _(
        "CrCl {clearance} mL/min = (140 − {age}) × {weight} kg / (72 × {value} {unit} ÷ 88.4){female} "
        "{sign} {clearance_above}"
    ),
    "renal.clearance_mg": _(
        "CrCl {clearance} mL/min = (140 − {age}) × {weight} kg / (72 × {value} {unit}){female} {sign} {clearance_above}"
    ),
    # pregnancy test
    "pregnancy.male": _("Male candidate"),
    "pregnancy.no_potential": _("No childbearing potential"),
    "pregnancy.sex_missing": _("Sex not recorded"),
    "pregnancy.potential_missing": _("Childbearing potential not recorded"),
    "pregnancy.first_dose_missing": _("Planned first dose not set: a test counts only within {hours} h before it"),
    "pregnancy.positive": _(
        "{specimen} pregnancy test POSITIVE, collected {collected}, {hours} h {minutes} min before first dose "
        "{first_dose}"
    ),
    "pregnancy.negative": _("Serum pregnancy test negative, collected {collected}, {hours} h {minutes} min before first dose"),
    "pregnancy.no_serum": _("No serum pregnancy test within the {hours} h before first dose ({opens} to {first_dose})"),
    "pregnancy.valid_until": _("serum test valid until {until}"),
    "pregnancy.counts_until": _("serum test of {collected} ({result}) counts for a first dose up to {until}"),
    "pregnancy.urine_negative": _("negative urine test of {collected} does not count: serum required"),
    "pregnancy.positive_before_window": _(
        "for the investigator: POSITIVE {specimen} test of {collected}, before the window"
    ),
    "pregnancy.positive_after_window": _(
        "for the investigator: POSITIVE {specimen} test of {collected}, after the planned first dose"
    ),
    "pregnancy.negative_before_window": _("{specimen} test of {collected} is before the window and does not count"),
    "pregnancy.negative_after_window": _("{specimen} test of {collected} is after the planned first dose"),
    # contraception
    "contraception.sex_missing": _("Sex not recorded"),
    "contraception.potential_missing": _("{whose}: childbearing potential not recorded"),
    "contraception.not_applicable": _("{whose}: no childbearing potential"),
    "contraception.agreement_missing": _("{whose} of childbearing potential; agreement to contraception not recorded"),
    "contraception.agreed": _("{whose} of childbearing potential; contraception agreed"),
    "contraception.not_agreed": _("{whose} of childbearing potential; contraception not agreed"),
}

# What a note (a fact beside a verdict) is about, for the reader: a note whose code is not listed
# here is a caution for the investigator.
EXPIRY, CAUTION = "expiry", "caution"
NOTE_KINDS: dict[str, str] = {"pregnancy.valid_until": EXPIRY}


def note_kind(code: str) -> str:
    """``expiry`` (how long a value stays valid) or ``caution``."""
    return NOTE_KINDS.get(code, CAUTION)


# Tuples with these names read "a or b" ("a, b" otherwise).
ALTERNATIVES = frozenset({"fitting_units"})


def _format(name: str, value, translate) -> str:
    kind = type(value)
    if kind is str:
        if name in VOCABULARY:
            term = TERMS.get(value)
            return value if term is None else translate(term)
        return value
    if kind is Decimal:
        return format(value, "f")
    if kind is date:
        return value.isoformat()
    if kind is int:
        if name.endswith("_days"):
            return translate(TERMS["day" if abs(value) == 1 else "days"]).format(count=value)
        return str(value)
    if value is None:
        return "—"
    if kind is bool:
        return translate("yes") if value else translate("no")
    if kind is datetime:
        return moment(value)
    if kind is tuple:
        separator = f" {translate(TERMS['or'])} " if name in ALTERNATIVES else ", "
        return separator.join(_format(name, item, translate) for item in value)
    return str(value)


def _same(text: str) -> str:
    return text


def render_text(template: str, values: dict, translate=_same) -> str:
    """A message template with named values (an ``InvalidRecord``'s parts): ``translate`` is applied to
    the template and to vocabulary values, values are formatted as a fact's are; a template without
    values is returned (translated) as it is."""
    if not values:
        return translate(template)
    return translate(template).format_map({name: _format(name, value, translate) for name, value in values.items()})


def render(fact, translate=_same) -> str:
    """One fact as text; ``translate`` (e.g. Django's ``gettext``) is
    applied to the template and to vocabulary values."""
    if translate is _same:
        return english(fact)
    return _render(fact, translate)


def _render(fact, translate) -> str:
    if not fact.values:
        return translate(MESSAGES[fact.code])
    values = {name: _format(name, value, translate) for name, value in fact.values}
    return translate(MESSAGES[fact.code]).format_map(values)


# English, the engine's own ``detail``, is rendered for every row of every
# evaluation, so it takes a faster path with the same result as ``_render``:
# each template is compiled once into a positional one plus the names of its
# fields, and only those values are formatted (dispatch on the value's type).
_COMPILED: dict[str, tuple[str, tuple[str, ...]]] = {}


def _compile(code: str) -> tuple[str, tuple[str, ...]]:
    literal_parts, names = [], []
    for literal, name, _spec, _conversion in Formatter().parse(MESSAGES[code]):
        literal_parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            literal_parts.append(f"{{{len(names)}}}")
            names.append(name)
    compiled = _COMPILED[code] = ("".join(literal_parts), tuple(names))
    return compiled


def _english_text(name: str, value) -> str:
    return TERMS.get(value, value) if name in VOCABULARY else value


def _english_int(name: str, value) -> str:
    if name.endswith("_days"):
        return TERMS["day" if abs(value) == 1 else "days"].format(count=value)
    return str(value)


def _english_tuple(name: str, value) -> str:
    return ", ".join([_english_value(name, item) for item in value])


_ENGLISH = {
    str: _english_text,
    Decimal: lambda name, value: format(value, "f"),
    date: lambda name, value: value.isoformat(),
    int: _english_int,
    type(None): lambda name, value: "—",
    bool: lambda name, value: "yes" if value else "no",
    datetime: lambda name, value: moment(value),
    tuple: _english_tuple,
}


def _english_value(name: str, value) -> str:
    formatter = _ENGLISH.get(type(value))
    return str(value) if formatter is None else formatter(name, value)


def english(fact) -> str:
    """``render(fact)``: the fact in English."""
    code, values = fact
    if not values:
        return MESSAGES[code]
    template, names = _COMPILED.get(code) or _compile(code)
    by_name = dict(values)
    texts = []
    for name in names:  # the common types inline: this runs for every value of every row
        value = by_name[name]
        kind = type(value)
        if kind is Decimal:
            texts.append(format(value, "f"))
        elif kind is str:
            texts.append(TERMS.get(value, value) if name in VOCABULARY else value)
        elif kind is date:
            texts.append(value.isoformat())
        elif kind is int and not name.endswith("_days"):
            texts.append(str(value))
        else:
            texts.append(_english_value(name, value))
    return template.format(*texts)

