"""The candidate form: saving through the service, engine errors on the right field, one transaction."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from screening import interchange
from screening.models import SITE_REPORTING_UNITS, Candidate, Evaluation, LabResult, ReferenceRange, Signature
from tests.conftest import eligible_record, with_lab
from tests.html_forms import form_fields

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW = "/candidates/new/"


# --- helpers shared with the other web tests -----------------------------------

def post_value(value):
    """How a browser sends an interchange value: "True"/"False", local datetime-local text, plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT.+[+-Z].*", value):
        return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    return str(value)


def form_data(record, *, version=None, reason="", initial_forms=None):
    """POST data for the candidate form holding an interchange record (rows may carry "id" and "site")."""
    data = {"version": "" if version is None else str(version), "reason": reason}
    for name, path in interchange.PATHS.items():
        data[name] = post_value(interchange.value_at(record, path))
    for kind in interchange.ROWS:
        key = kind.key
        if kind.assessed and record.get(key) is not None:
            data[kind.assessed] = "on"
        rows = record.get(key) or []
        data.update({f"{key}-TOTAL_FORMS": str(len(rows)), f"{key}-MIN_NUM_FORMS": "0",
                     f"{key}-MAX_NUM_FORMS": "50",
                     f"{key}-INITIAL_FORMS": str((initial_forms or {}).get(key, 0))})
        for index, row in enumerate(rows):
            data.update({f"{key}-{index}-{name}": post_value(value) for name, value in row.items()})
    return data


def rendered_form_data(response):
    """What a browser would post from the page's candidate form (the one HTML-form reader, ``tests.html_forms``)."""
    return form_fields(response.content.decode(), "candidate-form")


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


@pytest.fixture
def reference_ranges(db):
    for test, unit, uln in [("bilirubin", "umol/L", "21"), ("alt", "U/L", "40"), ("ast", "U/L", "40"),
                            ("creatinine", "umol/L", "104"), ("creatinine", "mg/dL", "1.18")]:
        ReferenceRange.objects.create(test=test, unit=unit, uln=uln)


def edit_record(candidate, **overrides):
    """The eligible record with the ids of the candidate's stored rows, as the edit form sends it."""
    record = eligible_record(**overrides)
    for rows in interchange.ROWS:
        for row, stored in zip(record[rows.key] or [], getattr(candidate, rows.related_name).all()):
            row["id"] = stored.pk
    return record


def stored_counts():
    return Candidate.objects.count(), LabResult.objects.count(), Evaluation.objects.count()


# --- creating ---------------------------------------------------------------------

@pytest.mark.requirement("URS-CAND-001")
def test_new_candidate_saves_data_and_one_evaluation(coordinator, users):
    record = eligible_record(initials="wxl")
    with_lab(record, "anc", value="2100", unit="/uL")
    response = coordinator.post(NEW, form_data(record))
    assert response.status_code == 302
    assert response["Location"] == "/candidates/NLX-S-001/"
    candidate = Candidate.objects.get(screening_number="NLX-S-001")
    assert candidate.initials == "WXL"
    assert candidate.updated_by == users["coordinator"]
    assert [lab.test for lab in candidate.lab_results.all()] == [lab["test"] for lab in record["labs"]]
    assert candidate.lab_results.get(test="anc").unit == "/uL"
    assert candidate.latest_evaluation.outcome == "eligible"
    assert candidate.evaluations.count() == 1


@pytest.mark.requirement("URS-CAND-004")
def test_first_dose_is_entered_in_shanghai_time(coordinator):
    data = form_data(eligible_record())
    data["planned_first_dose"] = "2026-03-10T09:00"
    coordinator.post(NEW, data)
    first_dose = Candidate.objects.get().planned_first_dose
    assert first_dose == datetime(2026, 3, 10, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert Candidate.objects.get().latest_evaluation.input["planned_first_dose"] == "2026-03-10T09:00:00+08:00"


@pytest.mark.requirement("URS-CAND-009")
def test_new_form_offers_every_protocol_lab_with_reference_uln(coordinator, reference_ranges):
    response = coordinator.get(NEW)
    data = rendered_form_data(response)
    assert [data[f"labs-{index}-test"] for index in range(7)] == [
        "anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast", "creatinine"]
    assert data["labs-6-unit"] == "umol/L" and data["labs-6-uln"] == "104"
    assert data["labs-6-uln_source"] == "site_default"  # shown, and marked as the site's default
    assert [name for name in data if name.endswith("-uln")] == [  # ULN inputs only where a test needs one
        "labs-3-uln", "labs-4-uln", "labs-5-uln", "labs-6-uln"]


@pytest.mark.requirement("URS-CAND-003")
def test_untouched_template_rows_are_not_saved(coordinator):
    data = rendered_form_data(coordinator.get(NEW))
    data.update(screening_number="NLX-S-050", screening_date="2026-03-02")
    data.update({"labs-1-value": "95", "labs-1-collected": "2026-03-01"})
    assert coordinator.post(NEW, data).status_code == 302
    labs = Candidate.objects.get().lab_results.all()
    assert [(lab.test, lab.value) for lab in labs] == [("platelets", Decimal(95))]
    assert Candidate.objects.get().lesions_assessed is False


@pytest.mark.requirement("URS-CAND-009")
def test_blank_required_uln_is_an_error_never_filled_from_the_site_reference_range(coordinator, reference_ranges):
    """Issue 13: a cleared ULN used to become the site's 104 on save; now it is an error beside the field."""
    record = with_lab(eligible_record(), "creatinine", uln=None)
    response = coordinator.post(NEW, form_data(record))
    assert response.status_code == 200 and not Candidate.objects.exists()
    assert [(where, message) for where, message, _ in response.context["problems"]] == [
        ("Creatinine · ULN", "is required for creatinine (upper limit of normal, in umol/L)")]
    creatinine = [index for index, lab in enumerate(record["labs"]) if lab["test"] == "creatinine"][0]
    assert response.context["problems"][0][2] == f"id_labs-{creatinine}-uln"


@pytest.mark.requirement("URS-CAND-009", "URS-CAND-003")
def test_typed_uln_overrides_the_reference_range(coordinator, reference_ranges):
    record = with_lab(eligible_record(), "creatinine", uln="110")
    coordinator.post(NEW, form_data(record))
    assert LabResult.objects.get(test="creatinine").uln == Decimal(110)


@pytest.mark.requirement("URS-CAND-005", "URS-CAND-006")
def test_candidate_created_meanwhile_is_not_overwritten(coordinator, make_candidate, monkeypatch):
    """The number was free when the form was checked, then someone else saved it: refused, not merged."""
    monkeypatch.setattr("screening.forms.screening_number_taken", lambda number: False)
    make_candidate()
    response = coordinator.post(NEW, form_data(eligible_record(initials="ABC")))
    assert response.status_code == 200 and "after you opened it" in response.content.decode()
    assert Candidate.objects.get().initials == "WXL"


@pytest.mark.requirement("URS-CAND-006")
def test_existing_screening_number_is_refused_on_create(coordinator, make_candidate):
    make_candidate()
    response = coordinator.post(NEW, form_data(eligible_record(initials="ABC")))
    assert response.status_code == 200
    assert "NLX-S-001 already exists" in response.content.decode()
    assert Candidate.objects.get().initials == "WXL"


@pytest.mark.requirement("URS-CAND-006")
@pytest.mark.parametrize("number", ["NLX/001", "new", "has space", ""])
def test_screening_number_must_be_url_safe(coordinator, number):
    response = coordinator.post(NEW, form_data(eligible_record(screening_number=number)))
    assert response.status_code == 200
    assert Candidate.objects.count() == 0


# --- engine errors land on the field they name, nothing saved ------------------------

def errors_of(response):
    return response.context["entry"]


@pytest.mark.requirement("URS-INPUT-009")
@pytest.mark.parametrize(
    ("change", "form", "field", "words"),
    [
        (lambda r: r.update(ecog=7), "form", "ecog", "from 0 to 5"),
        (lambda r: r.update(weight_kg="401"), "form", "weight_kg", "20–300 kg"),
        (lambda r: r["diagnosis"].update(ne_component_percent="130"), "form", "ne_component_percent", "0 to 100"),
        (lambda r: r.update(date_of_birth="2027-01-01"), "form", "date_of_birth", "after the screening date"),
        (lambda r: r.update(prior_systemic_lines="-1"), "form", "prior_systemic_lines", "negative"),
        (lambda r: with_lab(r, "creatinine", unit="10*9/L"), "labs", "unit", "not an accepted unit for creatinine"),
        (lambda r: with_lab(r, "platelets", collected="2026-03-05"), "labs", "collected", "after the screening date"),
        (lambda r: with_lab(r, "alt", value="-3"), "labs", "value", "negative"),
        (lambda r: with_lab(r, "alt", uln=None), "labs", "uln", "required for alt"),
        (lambda r: r["lesions"][0].update(size_mm="0"), "lesions", "size_mm", "greater than 0"),
    ],
    ids=["ecog-7", "weight", "ne-percent", "born-after-screening", "negative-lines", "unit-of-other-test",
         "lab-after-screening", "negative-lab", "missing-uln", "lesion-size-zero"],
)
def test_engine_error_is_shown_on_its_field_and_nothing_is_saved(coordinator, change, form, field, words):
    record = eligible_record()
    change(record)
    response = coordinator.post(NEW, form_data(record))
    assert response.status_code == 200
    entry = response.context["entry"]
    target = entry.form if form == "form" else next(f for f in entry.formsets[form].forms if f.errors)
    assert words in " ".join(target.errors[field])
    assert stored_counts() == (0, 0, 0)
    page = response.content.decode()
    assert "Nothing was saved" in page and words in page


@pytest.mark.requirement("URS-INPUT-009")
def test_error_row_is_found_after_deleted_and_blank_rows(coordinator):
    """labs[1] in the record is the 4th form: a deleted row and an untouched template row are skipped."""
    record = eligible_record()
    labs = record["labs"]
    labs.insert(0, {"test": "anc", "value": "9", "unit": "10*9/L", "uln": None, "collected": "2026-02-27",
                    "DELETE": "on"})
    # exactly the new form's third template row: haemoglobin in the site's reporting unit
    labs.insert(2, {"test": "haemoglobin", "unit": SITE_REPORTING_UNITS["haemoglobin"]})
    labs[3]["unit"] = "mmol/L"  # platelets in mmol/L: the record's labs[1]
    response = coordinator.post(NEW, form_data(record, initial_forms={"labs": 0}))
    forms = response.context["entry"].formsets["labs"].forms
    assert "not an accepted unit for platelets" in forms[3].errors["unit"][0]
    assert not any(form.errors for index, form in enumerate(forms) if index != 3)
    assert 'value="mmol/L" selected' in response.content.decode()  # what the user chose is kept


@pytest.mark.requirement("URS-INPUT-009", "URS-CAND-003")
def test_typed_values_are_kept_after_an_error(coordinator):
    record = eligible_record(ecog=7)
    record["diagnosis"]["primary_site"] = "small bowel"
    response = coordinator.post(NEW, form_data(record))
    data = rendered_form_data(response)
    assert data["ecog"] == "7" and data["primary_site"] == "small bowel"
    assert data["labs-4-value"] == "88"


@pytest.mark.requirement("URS-INPUT-009")
def test_unparseable_date_names_the_field(coordinator):
    data = form_data(eligible_record())
    data["labs-2-collected"] = "2026-02-30"
    response = coordinator.post(NEW, data)
    assert "Haemoglobin · Collected: “2026-02-30” is not a calendar date" in " ".join(
        f"{where}: {message}" for where, message, _ in response.context["problems"])
    assert stored_counts() == (0, 0, 0)


# --- editing ---------------------------------------------------------------------------

@pytest.mark.requirement("URS-CAND-003", "URS-CAND-001")
def test_edit_form_resubmitted_unchanged_keeps_data_and_adds_an_evaluation(coordinator, make_candidate):
    candidate = make_candidate()
    before = candidate.to_record()
    response = coordinator.post(f"/candidates/{candidate.screening_number}/edit/",
                                rendered_form_data(coordinator.get(f"/candidates/{candidate.screening_number}/edit/")))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.to_record() == before
    assert candidate.version == 2 and candidate.evaluations.count() == 2


@pytest.mark.requirement("URS-CAND-001")
def test_edit_updates_rows_in_place(coordinator, make_candidate):
    candidate = make_candidate()
    platelet_id = candidate.lab_results.get(test="platelets").pk
    record = with_lab(edit_record(candidate), "platelets", value="95")
    response = coordinator.post(f"/candidates/{candidate.screening_number}/edit/",
                                form_data(record, version=1, initial_forms={"labs": 7, "lesions": 1,
                                                                            "pregnancy_tests": 1}))
    assert response.status_code == 302
    platelets = LabResult.objects.get(pk=platelet_id)
    assert platelets.value == Decimal(95)
    candidate.refresh_from_db()
    assert candidate.latest_evaluation.outcome == "ineligible"
    assert candidate.latest_evaluation.failing == ",platelets,"


@pytest.mark.requirement("URS-CAND-001")
def test_removed_row_is_deleted(coordinator, make_candidate):
    candidate = make_candidate()
    record = edit_record(candidate)
    record["pregnancy_tests"][0]["DELETE"] = "on"
    coordinator.post(f"/candidates/{candidate.screening_number}/edit/",
                     form_data(record, version=1, initial_forms={"labs": 7, "lesions": 1, "pregnancy_tests": 1}))
    assert candidate.pregnancy_tests.count() == 0
    candidate.refresh_from_db()
    assert candidate.latest_evaluation.statuses()["pregnancy_test"] == "missing"


@pytest.mark.requirement("URS-CAND-006")
def test_screening_number_cannot_change_on_edit(coordinator, make_candidate):
    candidate = make_candidate()
    data = rendered_form_data(coordinator.get(f"/candidates/{candidate.screening_number}/edit/"))
    data["screening_number"] = "NLX-S-999"
    assert coordinator.post(f"/candidates/{candidate.screening_number}/edit/", data).status_code == 302
    assert list(Candidate.objects.values_list("screening_number", flat=True)) == ["NLX-S-001"]


@pytest.mark.requirement("URS-CAND-005")
def test_stale_version_is_refused_with_the_service_message(coordinator, make_candidate, users):
    candidate = make_candidate()
    url = f"/candidates/{candidate.screening_number}/edit/"
    data = rendered_form_data(coordinator.get(url))
    make_candidate(user=users["admin"], initials="ZZ")  # someone else saves meanwhile: version 2
    data["initials"] = "AB"
    response = coordinator.post(url, data)
    assert response.status_code == 200
    assert "was changed by admin" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.initials == "ZZ" and candidate.version == 2


@pytest.mark.requirement("URS-CAND-007")
def test_reason_is_demanded_for_a_signed_candidate(coordinator, make_candidate, users):
    candidate = make_candidate()
    Signature.objects.create(evaluation=candidate.latest_evaluation, signed_by=users["investigator"],
                             meaning="I confirm eligibility.", eligible=True,
                             evaluation_sha256=candidate.latest_evaluation.input_sha256)
    url = f"/candidates/{candidate.screening_number}/edit/"
    data = rendered_form_data(coordinator.get(url))
    data["ecog"] = "0"
    response = coordinator.post(url, data)
    assert response.status_code == 200
    assert "give a reason for the change" in " ".join(response.context["entry"].form.errors["reason"])
    assert Candidate.objects.get().ecog == 1

    data["reason"] = "ECOG re-assessed by the investigator"
    assert coordinator.post(url, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.ecog == 0
    assert candidate.history.first().history_change_reason == "ECOG re-assessed by the investigator"


@pytest.mark.requirement("URS-CAND-007")
def test_closed_candidate_needs_a_reason_too(coordinator, make_candidate):
    candidate = make_candidate()
    Candidate.objects.filter(pk=candidate.pk).update(state=Candidate.State.SCREEN_FAILURE)
    url = f"/candidates/{candidate.screening_number}/edit/"
    response = coordinator.post(url, rendered_form_data(coordinator.get(url)))
    assert response.status_code == 200 and response.context["entry"].form.fields["reason"].required


@pytest.mark.requirement("URS-CAND-001")
def test_saving_is_one_transaction(coordinator, make_candidate, monkeypatch):
    """A failure after the candidate row is written leaves the stored data untouched."""
    candidate = make_candidate()
    url = f"/candidates/{candidate.screening_number}/edit/"
    data = rendered_form_data(coordinator.get(url))
    data["ecog"] = "0"

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("screening.services.candidates.record_evaluation", broken)
    coordinator.raise_request_exception = False
    assert coordinator.post(url, data).status_code == 500
    candidate.refresh_from_db()
    assert candidate.ecog == 1 and candidate.version == 1 and candidate.evaluations.count() == 1


@pytest.mark.requirement("URS-CAND-004")
def test_saved_time_round_trips_through_the_edit_form(coordinator, make_candidate):
    candidate = make_candidate()
    data = rendered_form_data(coordinator.get(f"/candidates/{candidate.screening_number}/edit/"))
    assert data["planned_first_dose"] == "2026-03-10 09:00"
    assert data["pregnancy_tests-0-collected"] == "2026-03-08 10:30"
    assert data["weight_kg"] == "58.5"
    assert timezone.localtime(candidate.planned_first_dose).hour == 9


@pytest.mark.requirement("URS-CAND-005")
def test_an_edit_without_the_loaded_version_is_refused(client_for, make_candidate):
    candidate = make_candidate(screening_number="NLX-S-050")
    client = client_for("coordinator")
    url = f"/candidates/{candidate.screening_number}/edit/"
    data = rendered_form_data(client.get(url))
    data.pop("version")
    data["ecog"] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.ecog == 1 and candidate.evaluations.count() == 1
