"""The candidate ⇄ interchange record map (spec section 4), declared once: ``CANDIDATE`` and ``ROWS``.

Everything else derives from the declaration: ``Candidate.to_record()`` (the record an evaluation is computed
from and keeps), the record → model conversion of ``save_candidate``, the record ``save_candidate`` takes back
(``save_record``), the candidate form's field paths and row fields, the formsets' related names, the source
items, the evaluation history and the tests' form helpers.

A field has one of three scopes:

* ``RECORD``: in the interchange record (and so in every evaluation's input);
* ``CHECKED``: sent to the engine with the typed entry, which checks it, but not part of the evaluated record
  (a lesion's site, free text);
* ``APPLICATION``: kept by the application only, never sent to the engine (the initials, where a lab's ULN came
  from); a record without it leaves what is on file. A row's ``id`` (which row an entry updates) is one too.
"""

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from screening.eligibility import InvalidRecord
from screening.model_base import iso_datetime, plain_decimal

RECORD, CHECKED, APPLICATION = "record", "checked", "application"


@dataclass(frozen=True)
class Field:
    name: str  # the model field, and the form field of the same name
    path: str = ""  # its place in the record ("diagnosis.type"); its name when not given
    scope: str = RECORD

    def __post_init__(self):
        object.__setattr__(self, "path", self.path or self.name)


@dataclass(frozen=True)
class Rows:
    """A list of the record and the candidate's rows it is stored in, in entry order."""

    key: str  # the record's list ("labs")
    related_name: str  # the candidate's rows ("lab_results")
    fields: tuple
    assessed: str = ""  # the candidate's flag: with no rows the list is null (not assessed yet) unless it is set

    @property
    def names(self):
        return tuple(field.name for field in self.fields)

    @property
    def entered(self):
        """The fields a row form's entry carries as typed (application fields are the form's own business)."""
        return tuple(field.name for field in self.fields if field.scope != APPLICATION)

    @property
    def model(self):
        return apps.get_model("screening", "Candidate")._meta.get_field(self.related_name).related_model


SCREENING_NUMBER = "screening_number"  # names the record; fixed once the candidate exists
CANDIDATE = (
    Field(SCREENING_NUMBER),
    Field("initials", scope=APPLICATION),
    Field("screening_date"),
    Field("planned_first_dose"),
    Field("date_of_birth"),
    Field("sex"),
    Field("weight_kg"),
    Field("consent_signed_on"),
    Field("diagnosis_type", "diagnosis.type"),
    Field("diagnosis_confirmation", "diagnosis.confirmation"),
    Field("primary_site", "diagnosis.primary_site"),
    Field("metastatic", "diagnosis.metastatic"),
    Field("ne_component_percent", "diagnosis.ne_component_percent"),
    Field("prior_systemic_lines"),
    Field("prior_line_failed"),
    Field("ecog"),
    Field("life_expectancy_months"),
    Field("liver_metastases"),
    Field("washout_any", "transfusion_or_growth_factor.any"),
    Field("washout_last_date", "transfusion_or_growth_factor.last_date"),
    Field("childbearing_potential"),
    Field("partner_childbearing_potential"),
    Field("contraception_agreed"),
)
# An object of the record given only when this key of it is set, and then with only the keys that have a value.
GIVEN_WHEN = {"transfusion_or_growth_factor": "any"}

LESIONS = Rows("lesions", "lesions", (
    Field("site", scope=CHECKED), Field("kind"), Field("method"), Field("size_mm"), Field("slice_thickness_mm"),
    Field("imaged_on"), Field("locally_treated"), Field("progressed_after_local_treatment"),
), assessed="lesions_assessed")
LABS = Rows("labs", "lab_results", (
    Field("test"), Field("value"), Field("unit"), Field("uln"), Field("uln_source", scope=APPLICATION),
    Field("collected"),
))
PREGNANCY_TESTS = Rows("pregnancy_tests", "pregnancy_tests", (Field("specimen"), Field("result"), Field("collected")))
ROWS = (LESIONS, LABS, PREGNANCY_TESTS)

# --- derived ------------------------------------------------------------------------------------------------

DATA = tuple(field for field in CANDIDATE if field.name != SCREENING_NUMBER)  # what is entered about the candidate
RECORDED = tuple(field for field in DATA if field.scope == RECORD)  # of it, what the evaluated record holds
PATHS = {field.name: field.path for field in CANDIDATE}  # field -> path
# path -> field, and the field an error about a whole object or list lands on ("diagnosis": its type).
FIELD_OF_PATH = (
    {field.path.partition(".")[0]: field.name for field in reversed(CANDIDATE) if "." in field.path}
    | {rows.key: rows.assessed for rows in ROWS if rows.assessed}
    | {path: name for name, path in PATHS.items()}
)
ROWS_BY_RELATED_NAME = {rows.related_name: rows for rows in ROWS}
ROWS_KEYS = {rows.key for rows in ROWS}
ROW_PATH = re.compile(rf"({'|'.join(rows.key for rows in ROWS)})\[(\d+)\](?:\.(\w+))?")  # "labs[2].unit"
APPLICATION_KEYS = {field.path for field in CANDIDATE if field.scope == APPLICATION}
ROW_APPLICATION_KEYS = {"id"} | {field.name for rows in ROWS for field in rows.fields if field.scope == APPLICATION}


def value_at(record, path):
    """The value at "diagnosis.type"-style ``path``; None when it or its parent object is absent."""
    for key in path.split("."):
        record = record.get(key) if isinstance(record, dict) else None
    return record


def put(record, path, value):
    """Set the value at ``path``, making its parent object when there is none."""
    head, _, key = path.rpartition(".")
    if head:
        record[head] = record.get(head) or {}
        record = record[head]
    record[key] = value


def listed(entries, assessed=True):
    """A record's list: its entries, or null when there are none and the rows were not assessed."""
    return entries if entries or assessed else None


# --- model -> record ----------------------------------------------------------------------------------------

def _iso_date(value):
    return None if value is None else value.isoformat()


def _null_if_empty(value):
    return None if value == "" else value


def _as_is(value):
    return value


def stored_value(field):
    """How a model field's value is written in the record: ISO dates, datetimes in the site's time zone, decimals
    without the column's trailing zeros, null for an empty optional text (a function of the value)."""
    if isinstance(field, models.DateTimeField):
        return iso_datetime
    if isinstance(field, models.DateField):
        return _iso_date
    if isinstance(field, models.DecimalField):
        return plain_decimal
    return _null_if_empty if field.blank and field.empty_strings_allowed else _as_is


@functools.cache
def _writers(model, fields):
    """(attribute, parent object or "", key, conversion) of each recorded field of ``model``, worked out once."""
    return tuple((field.name, *field.path.rpartition(".")[::2], stored_value(model._meta.get_field(field.name)))
                 for field in fields if field.scope == RECORD)


def _values(instance, fields):
    record = {}
    for name, head, key, convert in _writers(type(instance), fields):
        (record.setdefault(head, {}) if head else record)[key] = convert(getattr(instance, name))
    return record


def to_record(candidate):
    """The engine's interchange record of ``candidate`` (its rows prefetched or read here), rows in entry order."""
    record = _values(candidate, CANDIDATE)
    for head, key in GIVEN_WHEN.items():
        given = record[head]
        record[head] = {name: value for name, value in given.items() if value is not None} \
            if given[key] is not None else None
    for rows in ROWS:
        entries = [_values(row, rows.fields) for row in getattr(candidate, rows.related_name).all()]
        record[rows.key] = listed(entries, getattr(candidate, rows.assessed) if rows.assessed else True)
    return record


def json_values(value):
    """Decimals as text, the way the record is stored and read back."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def save_record(candidate):
    """The record ``save_candidate`` takes back for ``candidate`` unchanged (JSON values): its interchange record
    with what only the application keeps (initials, row ids, lesion sites, ULN sources)."""
    record = json_values(to_record(candidate))
    for field in CANDIDATE:
        if field.scope != RECORD:
            put(record, field.path, getattr(candidate, field.name))
    for rows in ROWS:
        for entry, row in zip(record[rows.key] or (), getattr(candidate, rows.related_name).all()):
            entry["id"] = row.pk
            entry.update({field.name: getattr(row, field.name) for field in rows.fields if field.scope != RECORD})
    return record


def engine_record(record):
    """``record`` without what only the application keeps (``initials``, row ``id``s and ``uln_source``s): the
    interchange record the engine validates (it refuses unknown keys)."""
    return {
        key: ([{k: v for k, v in entry.items() if k not in ROW_APPLICATION_KEYS} if isinstance(entry, dict)
               else entry for entry in value]
              if key in ROWS_KEYS and isinstance(value, list) else value)
        for key, value in record.items()
        if key not in APPLICATION_KEYS
    }


def typed_value(value):
    """A cleaned form value as the interchange record writes it (text for numbers, ISO for dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()  # a datetime is aware, in the site's timezone: keeps the +08:00 offset
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- record -> model ----------------------------------------------------------------------------------------

def _exact_number(field, value):
    """A number the engine accepted (``1.50``, ``"1.0"``, ``1e2``) as the model field keeps it, unchanged in value.

    Trailing zeros are dropped first (the engine counts decimal places without them), and a whole-number
    field takes ``1.0`` as ``1``, like the engine.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return value
    try:
        number = Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    if isinstance(field, models.IntegerField):
        return int(number) if number == number.to_integral_value() else value
    return plain_decimal(number)


def model_value(model, name, value, path):
    """Convert a record value with the model field's own parser; errors name the path."""
    field = model._meta.get_field(name)
    if value is None:
        return None if field.null else ("" if field.empty_strings_allowed else None)
    if isinstance(field, (models.DecimalField, models.IntegerField)):
        value = _exact_number(field, value)
    try:
        return field.to_python(value)
    except ValidationError as error:
        raise InvalidRecord(path, "; ".join(error.messages)) from None


def apply(candidate, record):
    """Set the candidate's recorded fields (and whether its lesions were assessed) from an accepted ``record``."""
    for field in RECORDED:
        setattr(candidate, field.name, model_value(type(candidate), field.name, value_at(record, field.path),
                                                   field.path))
    for rows in ROWS:
        if rows.assessed:
            setattr(candidate, rows.assessed, record.get(rows.key) is not None)


def row_values(rows, entry, path):
    """(field, model value) of a record's row entry; an application field it does not carry is left out."""
    return [(field.name, model_value(rows.model, field.name, entry.get(field.name), f"{path}.{field.name}"))
            for field in rows.fields if field.name in entry or field.scope != APPLICATION]
