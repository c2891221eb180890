"""The one declaration of the candidate ⇄ interchange record map (``screening.interchange``): it covers the
model and the engine's keys, and model → record → model → record gives the same record, full or empty."""

import copy
from decimal import Decimal

import pytest

from screening import eligibility, interchange
from screening.interchange import APPLICATION, json_values, save_record
from screening.models import Candidate
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record

pytestmark = pytest.mark.django_db

# Candidate fields that are not screening data: state, enrolment, bookkeeping (never in the record).
NOT_DATA = {"id", "state", "state_reason", "closed_at", "closed_by", "subject_number", "enrolment_date",
            "rescreen_of", "latest_evaluation", "version", "created_at", "updated_at", "updated_by"}


def concrete_fields(model):
    return {field.name for field in model._meta.concrete_fields}


def test_every_model_field_of_the_screening_data_is_declared_once():
    declared = [field.name for field in interchange.CANDIDATE] + [rows.assessed for rows in interchange.ROWS
                                                                  if rows.assessed]
    assert len(declared) == len(set(declared))
    assert set(declared) == concrete_fields(Candidate) - NOT_DATA
    for rows in interchange.ROWS:
        assert set(rows.names) == concrete_fields(rows.model) - {"id", "candidate", "position"}, rows.key


def test_the_declared_paths_are_the_engines_keys():
    keys = eligibility.KEYS
    heads = {field.path.partition(".")[0] for field in interchange.CANDIDATE}
    assert heads | {rows.key for rows in interchange.ROWS} == set(keys["record"])
    for head in ("diagnosis", "transfusion_or_growth_factor"):
        assert {field.path.partition(".")[2] for field in interchange.CANDIDATE
                if field.path.startswith(f"{head}.")} == set(keys[head])
    for rows, name in zip(interchange.ROWS, ("lesion", "lab", "pregnancy_test")):
        assert {field.name for field in rows.fields if field.scope != APPLICATION} == set(keys[name])


FIRST_DOSE_IN_CHICAGO = "2026-03-15T23:30:00-05:00"


def full_record():
    record = eligible_record(screening_number="NLX-S-101", initials="wxl", planned_first_dose=FIRST_DOSE_IN_CHICAGO,
                             transfusion_or_growth_factor={"any": True, "last_date": "2026-02-01"})
    record["lesions"][0] |= {"site": "liver segment VI", "locally_treated": True,
                             "progressed_after_local_treatment": True, "size_mm": "23.50"}
    record["labs"][3]["uln_source"] = "report"
    return record


def test_the_stored_record_is_what_was_saved_in_its_stored_form():
    """Decimals without trailing zeros, datetimes in the site's time zone, application keys left out."""
    record = full_record()
    stored = json_values(save_candidate(record=record).candidate.to_record())
    expected = copy.deepcopy(record)
    del expected["initials"], expected["lesions"][0]["site"], expected["labs"][3]["uln_source"]
    expected["planned_first_dose"] = "2026-03-16T12:30:00+08:00"
    expected["life_expectancy_months"] = "6"
    expected["lesions"][0]["size_mm"] = "23.5"
    expected["labs"][2]["value"] = "11"  # haemoglobin 11.0
    expected["diagnosis"]["ne_component_percent"] = None
    expected["pregnancy_tests"][0]["collected"] = "2026-03-08T10:30:00+08:00"
    assert stored == expected


@pytest.mark.parametrize("record", [
    full_record(),
    {"screening_number": "NLX-S-102", "screening_date": "2026-03-02"},  # nothing else recorded yet
    eligible_record(screening_number="NLX-S-103", lesions=[], transfusion_or_growth_factor=None),  # no lesion found
], ids=["full", "empty", "no-lesion-no-washout"])
def test_model_record_model_record_is_the_same_record(record):
    candidate = save_candidate(record=record).candidate
    first = json_values(candidate.to_record())
    again = save_candidate(record=first | {"screening_number": "NLX-S-199"}).candidate  # record -> a new model
    assert json_values(again.to_record()) == first | {"screening_number": "NLX-S-199"}
    assert again.latest_evaluation.input == candidate.latest_evaluation.input | {"screening_number": "NLX-S-199"}


@pytest.mark.parametrize("record", [full_record(), {"screening_number": "NLX-S-104", "screening_date": "2026-03-02"}],
                         ids=["full", "empty"])
def test_the_save_record_saves_the_candidate_unchanged(record):
    candidate = save_candidate(record=record).candidate
    before = save_record(candidate)
    save_candidate(record=save_record(candidate))
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert save_record(candidate) == before
    assert (candidate.initials, candidate.version) == (before["initials"], 2)


def test_an_empty_candidate_has_every_key_null_and_its_lists_empty():
    stored = save_candidate(record={"screening_number": "NLX-S-105", "screening_date": "2026-03-02"}).candidate
    record = stored.to_record()
    assert record["lesions"] is None and record["transfusion_or_growth_factor"] is None  # not assessed, not given
    assert record["labs"] == [] and record["pregnancy_tests"] == []
    assert set(record["diagnosis"].values()) == {None}
    assert record["screening_date"] == "2026-03-02" and record["weight_kg"] is None


def test_a_washout_without_a_date_has_no_date_key():
    record = eligible_record(transfusion_or_growth_factor={"any": True})
    assert save_candidate(record=record).candidate.to_record()["transfusion_or_growth_factor"] == {"any": True}


def test_rows_are_listed_in_entry_order_and_ids_only_in_the_save_record():
    record = eligible_record()
    record["labs"] = list(reversed(record["labs"]))
    candidate = save_candidate(record=record).candidate
    assert [lab["test"] for lab in candidate.to_record()["labs"]] == [lab["test"] for lab in record["labs"]]
    assert [lab["id"] for lab in save_record(candidate)["labs"]] == [lab.pk for lab in candidate.lab_results.all()]
    assert "id" not in candidate.to_record()["labs"][0]
    assert candidate.to_record()["labs"][0]["value"] == Decimal(70)
