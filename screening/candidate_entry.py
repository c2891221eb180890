"""The candidate page's whole entry (``views.candidates``): the candidate form and its row formsets, the
interchange record they make, its evaluation for display, and every problem to show beside its field.
"""

import json
from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import eligibility, interchange, protocols, verdicts, vocabulary
from screening.eligibility import LAB_TESTS, LAB_UNITS, ULN_REQUIRED
from screening.form_hints import protocol_hints
from screening.forms import NEW_CANDIDATE, ROW_FORMSETS, SECTIONS, CandidateForm, initial_value
from screening.interchange import FIELD_OF_PATH, PATHS, ROW_PATH, engine_record
from screening.models import ULN_FROM_REPORT, ULN_SITE_DEFAULT
from screening.record_check import record_errors
from screening.selectors.candidates import site_uln, uln_notes


def existing_rows(candidate, related_name, form_class):
    if candidate is None:
        return []
    fields = [name for name in form_class.base_fields if name != "id"]
    return [{"id": row.pk, **{name: initial_value(getattr(row, name)) for name in fields}}
            for row in getattr(candidate, related_name).all()]


def panel_date(lab_rows):
    """The blood-draw date of stored results (the most frequent one); their rows then show no date of their own."""
    dates = Counter(row["collected"] for row in lab_rows)
    if not dates:
        return None
    drawn = dates.most_common(1)[0][0]
    for row in lab_rows:
        if row["collected"] == drawn:
            row["collected"] = None
    return drawn


def template_rows(key, rows, ulns, units, sex):
    """Blank rows offered for typing: every protocol lab test not yet present, in the site's reporting unit
    with the site's ULN for the candidate's sex shown (only for tests compared with a ULN); one lesion and one
    pregnancy test when none."""
    if key == "labs":
        present = {row["test"] for row in rows}
        template = []
        for test in LAB_TESTS:
            if test not in present:
                uln = site_uln(ulns, test, units[test], sex) if test in ULN_REQUIRED else None
                template.append({"test": test, "unit": units[test], "uln": uln,
                                 "uln_source": ULN_SITE_DEFAULT if uln is not None else ""})
        return template
    if key in ("lesions", "pregnancy_tests") and not rows:
        return [{}]  # one blank row (the pregnancy test's is in sight once childbearing potential is Yes)
    return []


class CandidateEntry:
    """The candidate form and its three row formsets, validated and converted as one.

    ``record()`` builds the interchange record (plus ``initials``, row ``id``s
    and lesion ``site``s) and remembers which form made each list entry, so an
    engine error such as ``labs[2].unit`` lands on the right row even when
    deleted or untouched rows were skipped.
    """

    def __init__(self, data=None, *, candidate=None, ulns=None, units=None, protocol=None, preview=False):
        self.candidate = candidate
        self.protocol = protocol or (protocols.for_candidate(candidate) if candidate else protocols.in_force())
        self.hints = protocol_hints(self.protocol)
        self.ulns = ulns or {}
        self.units = {test: LAB_UNITS[test][0] for test in LAB_TESTS} | (units or {})
        self.is_bound = data is not None
        initial = None
        rows = {key: existing_rows(candidate, related_name, formset_class.form)
                for key, (formset_class, related_name) in ROW_FORMSETS.items()}
        if candidate is not None:
            initial = {name: initial_value(getattr(candidate, name)) for name in CandidateForm.base_fields
                       if hasattr(candidate, name)} | {"version": candidate.version,
                                                       "labs_drawn_on": panel_date(rows["labs"])}
        self.form = CandidateForm(data, initial=initial, editing=candidate is not None, preview=preview,
                                  hints=self.hints)
        self.formsets = {}
        sex = candidate.sex if candidate is not None else None
        for key, (formset_class, _related_name) in ROW_FORMSETS.items():
            self.formsets[key] = formset_class(
                data, prefix=key, initial=rows[key] + template_rows(key, rows[key], self.ulns, self.units, sex),
                existing=len(rows[key])
            )
        self.rows = {}  # interchange key -> the form behind each list entry

    @property
    def lab_units_json(self):
        return json.dumps(LAB_UNITS)

    @property
    def reporting_units_json(self):
        return json.dumps(self.units)

    @property
    def reference_ulns_json(self):
        """The site default ULN per sex ("" when not recorded), test and unit, as the page fills them in."""
        return json.dumps({
            sex: {test: {unit: str(uln) for unit in LAB_UNITS[test]
                         if (uln := site_uln(self.ulns, test, unit, sex)) is not None}
                  for test in sorted(ULN_REQUIRED)}
            for sex in ("", *eligibility.SEXES)
        })

    @property
    def lab_settings_open(self):
        """True when the panel's units, ULNs and dates are shown open: a result has a date of its own, or one of
        them has an error to fix."""
        return any(form["collected"].value() or any(form.errors.get(name) for name in ("unit", "uln", "collected"))
                   for form in self.lab_panel()[0])

    def lab_panel(self):
        """The lab formset's forms in the report's order: one row per protocol test (the first of that test),
        then any further rows (a second result of a test, rows added by hand)."""
        forms_ = [form for form in self.formsets["labs"].forms]
        panel, rest = {}, []
        for form in forms_:
            test = form["test"].value()
            if test in LAB_TESTS and test not in panel:
                panel[test] = form
            else:
                rest.append(form)
        return [panel[test] for test in LAB_TESTS if test in panel], rest

    def is_valid(self):
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    @property
    def screening_number(self):
        if self.candidate is not None:
            return self.candidate.screening_number
        return self.form.cleaned_data.get("screening_number") or NEW_CANDIDATE

    @property
    def reason(self):
        return self.form.cleaned_data.get("reason") or ""

    @property
    def expected_version(self):
        """The version the user loaded; 0 for a new candidate (someone creating the same number meanwhile)."""
        return self.form.cleaned_data.get("version") if self.candidate is not None else 0

    def record(self):
        """The interchange record of a valid entry (call ``is_valid()`` first)."""
        data = self.form.cleaned_data
        record = {}
        for name, path in PATHS.items():
            interchange.put(record, path, interchange.typed_value(data.get(name)))
        record["screening_number"] = self.screening_number
        for key, formset in self.formsets.items():
            self.rows[key] = formset.counted_forms()
            record[key] = [form.entry() for form in self.rows[key]]
        drawn_on = interchange.typed_value(data.get("labs_drawn_on"))
        for lab, form in zip(record["labs"], self.rows["labs"]):
            if lab["collected"] is None:
                lab["collected"] = drawn_on  # the panel's blood-draw date, shown on the form
            lab["uln_source"] = self.uln_source(lab, form, sex=data.get("sex"), confirmed=data.get("ulns_confirmed"))
        for rows in interchange.ROWS:
            if rows.assessed:  # no lesion and imaging not reviewed yet: missing, not "no lesion"
                record[rows.key] = interchange.listed(record[rows.key], data.get(rows.assessed))
        return record

    def uln_source(self, lab, form, *, sex, confirmed):
        """Where the row's ULN came from: the report (typed, changed, or confirmed), or the site default shown.

        A ULN is never filled in here: a blank one stays blank and the engine says it is required.
        """
        if lab["uln"] is None:
            return ""
        if confirmed or lab["uln_source"] == ULN_FROM_REPORT:
            return ULN_FROM_REPORT
        uln = Decimal(lab["uln"])
        if form.initial.get("id") and form.initial.get("uln") == uln and form.initial.get("unit") == lab["unit"]:
            return form.initial.get("uln_source") or ""  # unchanged on file: keeps what was recorded
        default = site_uln(self.ulns, lab["test"], lab["unit"], sex)
        return ULN_SITE_DEFAULT if default is not None and default == uln else ULN_FROM_REPORT

    def evaluate(self):
        """The engine's verdict on the entry as typed (nothing saved), or None when it has errors.

        Every error is found at once: the fields the form could read make up the record, and the engine's
        error for each wrong field lands beside it (one per field, the form's own first).
        """
        valid = self.is_valid()
        self.typed = self.record()
        record = engine_record(self.typed)
        errors = record_errors(record, site_timezone=self.protocol.site_timezone)
        for error in errors:
            self.add_record_error(error, unless_flagged=True)
        if not valid or errors:
            return None
        return eligibility.evaluate(eligibility.parse_candidate(record, site_timezone=self.protocol.site_timezone),
                                    self.protocol)

    def uln_notes(self):
        """Where each ULN the checklist compares with came from: the entry as typed, else the rows on file."""
        if getattr(self, "typed", None) is not None:
            labs = self.typed["labs"]
        else:
            labs = self.candidate.lab_results.all() if self.candidate is not None else ()
        return uln_notes(labs, self.protocol)

    def add_record_error(self, error, *, unless_flagged=False):
        """Attach an ``InvalidRecord`` (``labs[2].unit``, ``diagnosis.type``, ``weight_kg``) to its field;
        ``unless_flagged``: not when the form already has an error there (its own reading of the same input)."""
        match = ROW_PATH.fullmatch(error.field)
        if match and int(match[2]) < len(self.rows.get(match[1], ())):
            form = self.rows[match[1]][int(match[2])]
            name = match[3] if match[3] in form.fields else None
            if name == "collected" and not form["collected"].data:
                form, name = self.form, "labs_drawn_on"  # the row's date is the panel's
            if not (unless_flagged and form.errors.get(name or "__all__")):
                message = verdicts.invalid(error)
                form.add_error(name, message if name else f"{match[3] or gettext('row')}: {message}")
            return
        name = FIELD_OF_PATH.get(error.field, error.field)
        if name in self.form.fields and not self.form.fields[name].disabled:
            if not (unless_flagged and self.form.errors.get(name)):
                self.form.add_error(name, verdicts.invalid(error))
        else:
            self.form.add_error(None, verdicts.invalid_record(error))

    def add_error(self, message, field=None):
        if field:
            self.form.fields[field].required = True
        self.form.add_error(field, message)

    def sections(self):
        for section_id, heading, names, key in SECTIONS:
            fields = [self.form[name] for name in names if name in self.form.fields]
            yield {"id": section_id, "heading": heading, "fields": fields, "formset": self.formsets.get(key),
                   "hint": self.hints.get(f"section:{section_id}")}

    def problems(self):
        """Every error as (where, message, input id), in page order, for the summary and the preview."""
        found = []
        for error in self.form.non_field_errors():
            found.append((gettext("Candidate"), error, ""))
        for name, errors in self.form.errors.items():
            if name != "__all__":
                field = self.form[name]
                found.extend((field.label, error, field.id_for_label) for error in errors)
        for formset in self.formsets.values():
            found.extend((formset.title, error, "") for error in formset.non_form_errors())
            number = 0
            for form in formset.forms:
                if form.is_bound and form["DELETE"].data:
                    continue
                number += 1
                for name, errors in form.errors.items():
                    where = f"{formset.row_name} {number}"  # "Lesion 2", "实验室检查结果 2"
                    if formset.prefix == "labs" and form["test"].value() in vocabulary.LAB_TEST:
                        where = str(vocabulary.LAB_TEST[form["test"].value()])
                    target = form[name] if name in form.fields else None
                    if target is not None:
                        where += f" · {target.label}"
                    found.extend((where, error, target.id_for_label if target else "") for error in errors)
        return found
