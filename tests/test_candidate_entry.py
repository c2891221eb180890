"""Issue 13, data entry: numbers and dates read strictly, every error at once, plausibility limits as field
errors, the checklist's "Not evaluated" state, site-default ULNs by sex with their provenance."""

import html
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from screening import entry_fields
from screening.eligibility import LAB_UNITS, ULN_REQUIRED
from screening.eligibility.units import PLAUSIBLE_ULNS, PLAUSIBLE_VALUES, WEIGHT_KG, range_in_unit
from screening.models import Candidate, LabResult, ReferenceRange
from tests.conftest import eligible_record, with_lab
from tests.test_forms import NEW, form_data, rendered_form_data

PREVIEW = "/candidates/new/preview/"
SMALLEST = Decimal("0.000001")  # the engine's finest decimal place


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


@pytest.fixture
def site_ranges(db):
    for test, unit, sex, uln in [("bilirubin", "umol/L", "", "21"), ("alt", "U/L", "", "40"), ("ast", "U/L", "", "40"),
                                 ("creatinine", "umol/L", "female", "84"), ("creatinine", "umol/L", "male", "104")]:
        ReferenceRange.objects.create(test=test, unit=unit, sex=sex, uln=uln)


def problems(response):
    return {input_id: message for _, message, input_id in response.context["problems"]}


def lab_index(record, test):
    return next(index for index, lab in enumerate(record["labs"]) if lab["test"] == test)


# --- strict reading of numbers and dates -----------------------------------------------

@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("text, expected", [
    ("11.2", Decimal("11.2")), ("  58.5 ", Decimal("58.5")), ("0", Decimal(0)), ("11.20", Decimal("11.20")),
    ("-3", Decimal(-3)),  # read, so that the engine refuses it in its own words
])
def test_number_field_reads_digits_and_one_decimal_point(text, expected):
    value = entry_fields.NumberField().clean(text)
    assert value == expected and str(value) == str(expected)  # 11.20 keeps its trailing zero


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("text, says", [
    ("11,2", "use a decimal point, e.g. 11.2"), ("1O5", "is not a number"), ("1e2", "is not a number"),
    (".5", "is not a number"), ("5.", "is not a number"), ("1.2.3", "is not a number"), ("1 05", "is not a number"),
    ("１０５", "half-width digits"), ("11，2", "half-width digits"), ("−3", "is not a number"), ("NaN", "is not a number"),
])
def test_number_field_refuses_what_it_would_have_to_guess(text, says):
    with pytest.raises(Exception) as error:
        entry_fields.NumberField().clean(text)
    assert says in " ".join(error.value.messages) and text in " ".join(error.value.messages)


@pytest.mark.requirement("URS-CAND-012")
# 2026/03/02 and 2026年3月2日 are read too (issue 14, year first: never ambiguous): tests/i18n/test_formats.py
@pytest.mark.parametrize("text", ["2026-03", "2026-3-2", "02/03/2026", "2026-02-30", "2026/02/30",
                                  "2026032", "202603021", "202613 01", "20261301", "20260230", "00000101", "260302",
                                  "2026-0302", "202603-02", "20260302T0900"])
def test_date_field_takes_only_a_complete_iso_date(text):
    with pytest.raises(ValidationError) as error:
        entry_fields.DateField().clean(text)
    assert text in " ".join(error.value.messages)


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("text", ["20260302", " 20260302 ", "2026-03-02"])
def test_date_field_reads_iso_basic_and_extended_format(text):
    assert entry_fields.DateField().clean(text) == date(2026, 3, 2)


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("text", ["2026-03-10 09:00", "2026-03-10T09:00", "20260310T0900", "20260310 0900"])
def test_datetime_field_reads_iso_basic_and_extended_format(text):
    assert entry_fields.DateTimeField().clean(text).isoformat() == "2026-03-10T09:00:00+08:00"


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("text", ["2026-03-10T0900", "20260310T09:00", "20260310T090", "20260310 09", "202603100900",
                                  "20260310T2400", "20260310 0960", "20260230 0900", "2026031 0900", "20260310  0900",
                                  "20260310t0900"])
def test_datetime_field_refuses_mixed_partial_and_impossible_shapes(text):
    with pytest.raises(ValidationError) as error:
        entry_fields.DateTimeField().clean(text)
    assert text.strip() in " ".join(error.value.messages)


@pytest.mark.requirement("URS-CAND-012")
def test_basic_format_dates_are_saved_as_typed_and_shown_in_the_extended_form(coordinator):
    data = form_data(eligible_record())
    data["screening_date"], data["planned_first_dose"] = "20260302", "20260310 0900"
    response = coordinator.post(NEW, data)
    assert response.status_code == 302, problems(response)
    candidate = Candidate.objects.get()
    assert candidate.screening_date == date(2026, 3, 2)
    assert candidate.planned_first_dose.isoformat() == "2026-03-10T01:00:00+00:00"  # 09:00 in Asia/Shanghai
    page = coordinator.get(f"/candidates/{candidate.screening_number}/edit/").content.decode()
    assert 'value="2026-03-02"' in page and 'value="2026-03-10 09:00"' in page


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("typed", ["2026032", "202613 01", "20260230"])
def test_a_wrong_basic_format_date_is_an_error_naming_the_field_and_stays_as_typed(coordinator, typed):
    data = form_data(eligible_record())
    data["screening_date"] = typed
    response = coordinator.post(NEW, data)
    assert typed in problems(response)["id_screening_date"]
    assert f'value="{typed}"' in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-012")
def test_date_and_time_fields_read_one_typed_field():
    assert str(entry_fields.DateField().clean("2026-03-02")) == "2026-03-02"
    moment = entry_fields.DateTimeField().clean("2026-03-10 09:00")
    assert moment.isoformat() == "2026-03-10T09:00:00+08:00"
    assert entry_fields.DateTimeField().clean("2026-03-10T09:00") == moment
    with pytest.raises(Exception):
        entry_fields.DateTimeField().clean("2026-03-10 9")


@pytest.mark.requirement("URS-CAND-012")
def test_numbers_and_dates_are_text_inputs_without_browser_validation(coordinator):
    page = coordinator.get(NEW).content.decode()
    assert 'type="number"' not in page and 'type="date"' not in page and 'type="datetime-local"' not in page
    assert 'name="weight_kg" inputmode="decimal"' in page and 'name="ecog" inputmode="numeric"' in page
    form = page.split('id="candidate-form"')[1].split("</form>")[0]
    assert "novalidate" in page and not re.search(r"<(input|select|textarea)[^>]* (required|min|max|pattern)[ =>]", form)


@pytest.mark.requirement("URS-CAND-012")
def test_a_decimal_comma_is_an_error_never_a_changed_value(coordinator):
    record = eligible_record()
    data = form_data(record)
    index = lab_index(record, "haemoglobin")
    data[f"labs-{index}-value"] = "11,2"
    response = coordinator.post(NEW, data)
    assert "use a decimal point, e.g. 11.2" in problems(response)[f"id_labs-{index}-value"]
    assert not Candidate.objects.exists() and not LabResult.objects.exists()


# --- every error at once ---------------------------------------------------------------------

@pytest.mark.requirement("URS-CAND-013")
def test_every_error_is_shown_at_once_beside_its_field_with_a_linked_summary(coordinator):
    record = with_lab(eligible_record(), "creatinine", uln=None)
    record["weight_kg"] = "6.5"
    data = form_data(record)
    haemoglobin = lab_index(record, "haemoglobin")
    data.update({"ecog": "1.5", f"labs-{haemoglobin}-value": "11,2", "date_of_birth": "1961-05"})
    response = coordinator.post(NEW, data)
    found = problems(response)
    creatinine = lab_index(record, "creatinine")
    assert set(found) == {"id_weight_kg", "id_ecog", f"id_labs-{haemoglobin}-value", "id_date_of_birth",
                          f"id_labs-{creatinine}-uln"}
    assert "outside the plausible range" in found["id_weight_kg"] and "whole number" in found["id_ecog"]
    page = response.content.decode()
    summary = page.split('class="alert alert-danger error-summary"')[1].split("</div>")[0]
    for input_id in found:
        assert f'href="#{input_id}"' in summary
        assert f'id="{input_id}"' in page
    assert "please correct 5 entries" in summary
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-013", "URS-CAND-008")
@pytest.mark.parametrize("field, text, input_id", [
    ("weight_kg", "-3", "id_weight_kg"), ("ecog", "1.5", "id_ecog"), ("screening_date", "2026-03", "id_screening_date"),
    ("consent_signed_on", "2026-0", "id_consent_signed_on"),
])
def test_input_that_cannot_be_evaluated_turns_the_preview_to_not_evaluated(coordinator, field, text, input_id):
    data = form_data(eligible_record())
    assert 'data-outcome="eligible"' in coordinator.post(PREVIEW, data).content.decode()
    data[field] = text
    page = coordinator.post(PREVIEW, data).content.decode()
    assert 'data-outcome="not_evaluated"' in page and 'data-outcome="eligible"' not in page
    assert f'href="#{input_id}"' in page
    assert "Fix:" in page and 'id="live-verdict"' in page and 'hx-swap-oob="true"' in page


@pytest.mark.requirement("URS-CAND-013")
def test_banner_states_the_number_behind_the_first_failing_criterion(coordinator):
    record = with_lab(eligible_record(), "platelets", value="95")
    page = coordinator.post(PREVIEW, form_data(record)).content.decode()
    first = page.split('class="outcome-banner-first"')[1].split("</p>")[0]
    assert 'data-first-criterion="platelets"' in first and "Platelets 95 ×10⁹/L &lt; 100 ×10⁹/L" in first


# --- plausibility limits (revision 2) as field errors, every boundary ------------------------

def boundary_cases(table, *, uln):
    for test, units in table.items():
        for unit in units:
            low, high = range_in_unit(test, unit, uln=uln)
            # range_in_unit is exact except for haemoglobin in mmol/L, rounded inward to 2 places (units.py)
            step = Decimal("0.01") if (test, unit) == ("haemoglobin", "mmol/L") else SMALLEST
            yield test, unit, low, True
            yield test, unit, high, True
            yield test, unit, high + step, False
            if low - step >= 0:
                yield test, unit, low - step, False


def lab_post(test, unit, *, value=None, uln=None):
    record = eligible_record()
    index = lab_index(record, test)
    changes = {"unit": unit}
    if value is not None:
        changes["value"] = f"{value:f}"
    if test in ULN_REQUIRED:
        changes["uln"] = f"{uln if uln is not None else range_in_unit(test, unit, uln=True)[0]:f}"
        if value is None:
            changes["value"] = changes["uln"]
    with_lab(record, test, **changes)
    return form_data(record), index


BOUNDARIES = [("value", *case) for case in boundary_cases(PLAUSIBLE_VALUES, uln=False)] + [
    ("uln", *case) for case in boundary_cases(PLAUSIBLE_ULNS, uln=True)]


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("field, test, unit, number, plausible", BOUNDARIES)
def test_every_plausibility_boundary_is_a_field_error(coordinator, field, test, unit, number, plausible):
    """Revision 2's limits of a result and of its ULN, inclusive, each shown beside the field."""
    data, index = lab_post(test, unit, **{field: number})
    found = problems(coordinator.post(PREVIEW, data))
    if plausible:
        assert f"id_labs-{index}-{field}" not in found
    else:
        assert "outside the plausible" in found[f"id_labs-{index}-{field}"]


@pytest.mark.requirement("URS-CAND-012")
@pytest.mark.parametrize("weight, plausible", [(WEIGHT_KG.low, True), (WEIGHT_KG.high, True),
                                               (WEIGHT_KG.low - SMALLEST, False), (WEIGHT_KG.high + SMALLEST, False)])
def test_weight_plausibility_boundaries_are_field_errors(coordinator, weight, plausible):
    data = form_data(eligible_record())
    data["weight_kg"] = f"{weight:f}"
    found = problems(coordinator.post(PREVIEW, data))
    assert ("id_weight_kg" in found) is not plausible


def test_the_boundary_cases_cover_every_unit():
    covered = {(test, unit) for test, unit, _, _ in boundary_cases(PLAUSIBLE_VALUES, uln=False)}
    assert covered == {(test, unit) for test, units in LAB_UNITS.items() for unit in units}


# --- no hidden defaults: ULN by sex, marked, with its provenance --------------------------------

@pytest.mark.requirement("URS-CAND-009")
def test_female_creatinine_uln_is_prefilled_visibly_from_the_female_range(coordinator, make_candidate, site_ranges):
    female = make_candidate(**with_lab(eligible_record(), "creatinine", uln="84"))
    edit = rendered_form_data(coordinator.get(f"/candidates/{female.screening_number}/edit/"))
    creatinine = next(name[:-5] for name, value in edit.items() if name.endswith("-test") and value == "creatinine")
    assert edit[f"{creatinine}-uln"] == "84"
    page = coordinator.get(NEW).content.decode()
    ulns = json.loads(html.unescape(re.search(r'data-reference-ulns="([^"]*)"', page)[1]))
    assert ulns["female"]["creatinine"] == {"umol/L": "84"} and ulns["male"]["creatinine"] == {"umol/L": "104"}
    assert ulns[""]["creatinine"] == {} and ulns[""]["bilirubin"] == {"umol/L": "21"}  # sex not recorded: no default
    assert 'data-uln-badge' in page and "site default" in page


@pytest.mark.requirement("URS-CAND-009")
def test_uln_provenance_is_stored_and_shown(coordinator, client_for, site_ranges):
    record = with_lab(eligible_record(), "creatinine", uln="84")  # the female site default
    assert record["sex"] == "female"
    data = form_data(record)
    assert coordinator.post(NEW, data).status_code == 302
    creatinine = LabResult.objects.get(test="creatinine")
    assert creatinine.uln == 84 and creatinine.uln_source == "site_default"
    assert LabResult.objects.get(test="alt").uln_source == "site_default"  # 40, as the site's range shows it
    assert LabResult.objects.get(test="anc").uln_source == ""  # no ULN: nothing to attribute
    page = coordinator.get(f"/candidates/{record['screening_number']}/").content.decode()
    assert "ULN 84 µmol/L · site default" in page

    edit = rendered_form_data(coordinator.get(f"/candidates/{record['screening_number']}/edit/"))
    edit["ulns_confirmed"] = "on"
    assert coordinator.post(f"/candidates/{record['screening_number']}/edit/", edit).status_code == 302
    creatinine.refresh_from_db()
    assert creatinine.uln_source == "report"
    audit = client_for("investigator").get(f"/candidates/{record['screening_number']}/audit/").content.decode()
    assert "ULN source" in audit


@pytest.mark.requirement("URS-CAND-009")
def test_a_typed_uln_is_the_reports(coordinator, site_ranges):
    record = with_lab(eligible_record(), "creatinine", uln="90")
    assert coordinator.post(NEW, form_data(record)).status_code == 302
    assert LabResult.objects.get(test="creatinine").uln_source == "report"


@pytest.mark.requirement("URS-CAND-009", "URS-CAND-003")
def test_a_site_default_the_page_filled_in_is_not_a_result_but_a_typed_uln_alone_is_kept(coordinator, site_ranges):
    data = rendered_form_data(coordinator.get(NEW))
    data.update(screening_number="NLX-S-050", screening_date="2026-03-02", sex="female")
    data.update({"labs-6-uln": "84", "labs-6-uln_source": "site_default"})  # what the page does on choosing female
    assert coordinator.post(NEW, data).status_code == 302
    assert not LabResult.objects.exists()
    data.update(screening_number="NLX-S-051", **{"labs-6-uln": "90", "labs-6-uln_source": "report"})
    found = problems(coordinator.post(NEW, data))  # typed, so never dropped: the missing value is named
    assert "is required" in found["id_labs-6-value"] and not Candidate.objects.filter(screening_number="NLX-S-051")
