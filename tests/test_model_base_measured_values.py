"""Revision 2 data: every measured value keeps 6 decimal places, lesions keep their imaging date,
lab rows start in the site's reporting unit (admin-editable in ReferenceRange)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from screening.models import SITE_REPORTING_UNITS, Candidate, LabResult, Lesion, ReferenceRange
from screening.selectors.candidates import reporting_units
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab
from tests.test_forms import NEW, form_data, rendered_form_data

pytestmark = pytest.mark.django_db

# Values at the edge of what the engine accepts: 6 decimal places, and (platelets per µL) 7 integer digits.
EXACT = {
    "weight_kg": "58.123456",
    "life_expectancy_months": "6.654321",
    "size_mm": "23.000001",
    "slice_thickness_mm": "0.999999",
    "platelets": "2999999.999999",
    "alt": "39.123456",
    "alt_uln": "40.000001",
}


def exact_record():
    record = eligible_record(weight_kg=EXACT["weight_kg"], life_expectancy_months=EXACT["life_expectancy_months"])
    record["lesions"][0].update(size_mm=EXACT["size_mm"], slice_thickness_mm=EXACT["slice_thickness_mm"])
    with_lab(record, "platelets", value=EXACT["platelets"], unit="/uL")
    with_lab(record, "alt", value=EXACT["alt"], uln=EXACT["alt_uln"])
    return record


@pytest.mark.requirement("URS-CAND-002", "URS-CAND-003")
def test_six_decimal_places_are_stored_and_read_back_unchanged():
    candidate = save_candidate(record=exact_record()).candidate
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.weight_kg == Decimal(EXACT["weight_kg"])
    assert candidate.life_expectancy_months == Decimal(EXACT["life_expectancy_months"])
    lesion = Lesion.objects.get(candidate=candidate)
    assert (lesion.size_mm, lesion.slice_thickness_mm) == (Decimal(EXACT["size_mm"]),
                                                            Decimal(EXACT["slice_thickness_mm"]))
    assert LabResult.objects.get(test="platelets").value == Decimal(EXACT["platelets"])
    alt = LabResult.objects.get(test="alt")
    assert (alt.value, alt.uln) == (Decimal(EXACT["alt"]), Decimal(EXACT["alt_uln"]))
    record = candidate.to_record()
    assert record["weight_kg"] == Decimal(EXACT["weight_kg"])
    assert record["lesions"][0]["slice_thickness_mm"] == Decimal(EXACT["slice_thickness_mm"])
    assert [lab["value"] for lab in record["labs"] if lab["test"] == "platelets"] == [Decimal(EXACT["platelets"])]


@pytest.mark.requirement("URS-CAND-003", "URS-INPUT-003")
@pytest.mark.parametrize("typed, stored", [("1.500000000", Decimal("1.5")), ("2.1000000", Decimal("2.1"))])
def test_trailing_zeros_beyond_six_places_are_not_a_refusal(typed, stored):
    """The engine counts decimal places without trailing zeros; so does the service."""
    save_candidate(record=with_lab(eligible_record(), "anc", value=typed))
    assert LabResult.objects.get(test="anc").value == stored


@pytest.mark.requirement("URS-CAND-003")
def test_a_whole_number_written_with_a_decimal_point_is_stored_as_that_number():
    save_candidate(record=eligible_record(ecog="1.0", prior_systemic_lines="1.0"))
    candidate = Candidate.objects.get()
    assert (candidate.ecog, candidate.prior_systemic_lines) == (1, 1)


@pytest.mark.requirement("URS-CAND-002", "URS-CAND-010")
def test_lesion_imaging_date_is_stored_and_in_the_engine_record():
    record = eligible_record()
    record["lesions"][0]["imaged_on"] = "2026-02-20"
    candidate = save_candidate(record=record).candidate
    assert Lesion.objects.get().imaged_on.isoformat() == "2026-02-20"
    lesion = candidate.to_record()["lesions"][0]
    assert lesion["imaged_on"] == "2026-02-20"
    assert lesion["slice_thickness_mm"] == Decimal("5")
    assert candidate.latest_evaluation.input["lesions"][0]["imaged_on"] == "2026-02-20"


@pytest.mark.requirement("URS-CAND-010")
def test_lesion_imaging_date_typed_on_the_form_is_saved(client_for):
    record = eligible_record()
    record["lesions"][0]["imaged_on"] = "2026-02-19"
    response = client_for("coordinator").post(NEW, form_data(record))
    assert response.status_code == 302
    assert Lesion.objects.get().imaged_on.isoformat() == "2026-02-19"


# --- the site's reporting unit ---------------------------------------------------

def lab_rows(response):
    """{test: unit} of the new form's lab rows, as the browser would submit them."""
    data = rendered_form_data(response)
    rows = {}
    for index in range(int(data["labs-TOTAL_FORMS"])):
        rows[data[f"labs-{index}-test"]] = data[f"labs-{index}-unit"]
    return rows


@pytest.mark.requirement("URS-CAND-010")
def test_new_lab_rows_start_in_the_site_reporting_unit(client_for):
    response = client_for("coordinator").get(NEW)
    assert lab_rows(response) == SITE_REPORTING_UNITS
    assert lab_rows(response)["haemoglobin"] == "g/L"
    assert lab_rows(response)["creatinine"] == lab_rows(response)["bilirubin"] == "umol/L"
    assert lab_rows(response)["anc"] == lab_rows(response)["platelets"] == "10*9/L"


@pytest.mark.requirement("URS-CAND-010")
def test_an_admin_marked_reporting_unit_replaces_the_default(client_for):
    ReferenceRange.objects.create(test="haemoglobin", unit="g/dL", uln=None, reporting_unit=True)
    ReferenceRange.objects.create(test="creatinine", unit="mg/dL", uln="1.18", reporting_unit=True)
    assert reporting_units() == SITE_REPORTING_UNITS | {"haemoglobin": "g/dL", "creatinine": "mg/dL"}
    response = client_for("coordinator").get(NEW)
    assert lab_rows(response)["haemoglobin"] == "g/dL"
    assert lab_rows(response)["creatinine"] == "mg/dL"
    data = rendered_form_data(response)
    creatinine = next(i for i in range(7) if data[f"labs-{i}-test"] == "creatinine")
    assert data[f"labs-{creatinine}-uln"] == "1.18"  # the ULN of that unit comes with it


@pytest.mark.requirement("URS-CAND-010")
def test_the_unit_column_is_beside_the_value():
    from screening.forms import LabForm

    names = [name for name in LabForm.base_fields if name != "id"]
    assert names[names.index("value") + 1] == "unit"


@pytest.mark.requirement("URS-CAND-010")
def test_the_form_sends_the_reporting_units_to_the_page_script(client_for):
    page = client_for("coordinator").get(NEW).content.decode()
    assert 'data-reporting-units="{' in page and "&quot;haemoglobin&quot;: &quot;g/L&quot;" in page


@pytest.mark.requirement("URS-CAND-010", "URS-CAND-003")
def test_a_unit_the_user_chose_is_kept_not_replaced_by_the_reporting_unit(client_for):
    record = with_lab(eligible_record(), "haemoglobin", value="11.0", unit="g/dL")
    client_for("coordinator").post(NEW, form_data(record))
    assert LabResult.objects.get(test="haemoglobin").unit == "g/dL"


@pytest.mark.requirement("URS-CAND-010")
def test_one_reporting_unit_per_test():
    ReferenceRange.objects.create(test="haemoglobin", unit="g/L", reporting_unit=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceRange.objects.create(test="haemoglobin", unit="g/dL", reporting_unit=True)


@pytest.mark.requirement("URS-CAND-009")
@pytest.mark.parametrize("test, unit, uln, field", [
    ("bilirubin", "umol/L", None, "uln"),       # the criterion compares with the ULN
    ("haemoglobin", "umol/L", None, "unit"),    # not a unit of haemoglobin
])
def test_reference_range_refuses_what_the_lab_form_could_not_use(test, unit, uln, field):
    with pytest.raises(ValidationError) as error:
        ReferenceRange(test=test, unit=unit, uln=uln).full_clean()
    assert field in error.value.message_dict


@pytest.mark.requirement("URS-CAND-009")
def test_reference_range_without_uln_for_a_count_is_fine():
    ReferenceRange(test="anc", unit="10*9/L", uln=None, reporting_unit=True).full_clean()
