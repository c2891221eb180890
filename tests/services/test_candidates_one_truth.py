"""One truth (issue 10): what the engine accepts, the database stores without change, and a candidate
re-evaluated from the database gets exactly the statuses the batch command prints — on a few hundred
generated records, with UTC offsets far from +08:00 (the site date of the first dose differs)."""

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from screening import eligibility
from screening.eligibility import InvalidRecord
from screening.models import Candidate, LabResult
from screening.services.candidates import record_evaluation, save_candidate
from tests.conftest import eligible_record, run_evaluate_candidates

SCREENING = date(2026, 3, 2)


def text(number):
    return format(number, "f")


def decimals(low, high, places=st.integers(0, 6)):
    return places.flatmap(lambda p: st.decimals(low, high, places=p, allow_nan=False, allow_infinity=False))


def moments(start, days):
    """An ISO datetime near ``start`` with any UTC offset (−12:00 … +14:00) and 0–6 fractional digits."""
    return st.builds(
        lambda seconds, offset, digits: (
            (start + timedelta(seconds=seconds)).astimezone(timezone(timedelta(minutes=offset)))
            .isoformat(timespec="seconds" if digits == 0 else "microseconds")
        ),
        st.integers(0, days * 86400), st.integers(-12 * 60, 14 * 60), st.sampled_from([0, 6]),
    )


def days(start, count):
    return st.integers(0, count).map(lambda n: (start + timedelta(days=n)).isoformat())


@st.composite
def lab(draw, test):
    unit = draw(st.sampled_from(eligibility.LAB_UNITS[test]))
    low, high = eligibility.range_in_unit(test, unit)
    entry = {"test": test, "value": text(draw(decimals(low, high))), "unit": unit, "uln": None,
             "collected": draw(days(SCREENING - timedelta(days=20), 20))}
    if test in eligibility.ULN_REQUIRED:
        low, high = eligibility.range_in_unit(test, unit, uln=True)
        entry["uln"] = text(draw(decimals(low, high)))
    return entry


@st.composite
def lesion(draw):
    return {
        "kind": draw(st.sampled_from(eligibility.LESION_KINDS)),
        "method": draw(st.sampled_from(eligibility.LESION_METHODS)),
        "size_mm": draw(st.none() | decimals(Decimal("0.5"), Decimal(60)).map(text)),
        "slice_thickness_mm": draw(st.none() | decimals(Decimal("0.5"), Decimal(12)).map(text)),
        "imaged_on": draw(st.none() | days(SCREENING - timedelta(days=40), 60)),
        "locally_treated": draw(st.sampled_from([None, True, False])),
        "progressed_after_local_treatment": draw(st.sampled_from([None, True, False])),
    }


@st.composite
def records(draw):
    first_dose = datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=8)))
    record = eligible_record(
        screening_number="NLX-S-900",
        planned_first_dose=draw(st.none() | moments(first_dose, 20)),
        sex=draw(st.sampled_from(["female", "male", None])),
        weight_kg=text(draw(decimals(Decimal(20), Decimal(300)))),
        ecog=draw(st.integers(0, 5)),
        life_expectancy_months=draw(st.none() | decimals(Decimal(0), Decimal(24)).map(text)),
        childbearing_potential=draw(st.sampled_from([None, True, False])),
        lesions=draw(st.none() | st.lists(lesion(), max_size=2)),
        labs=[draw(lab(test)) for test in eligibility.LAB_TESTS],
        transfusion_or_growth_factor=draw(st.sampled_from([{"any": False}, None]) | st.builds(
            lambda day: {"any": True, "last_date": day}, days(SCREENING - timedelta(days=25), 40))),
        pregnancy_tests=draw(st.lists(st.builds(
            lambda specimen, result, collected: {"specimen": specimen, "result": result, "collected": collected},
            st.sampled_from(eligibility.SPECIMENS), st.sampled_from(eligibility.PREGNANCY_RESULTS),
            moments(first_dose, 20)), max_size=3)),
    )
    return record


def statuses(entry):
    return {row["id"]: row["status"] for row in entry["criteria"]}, entry["outcome"]


# 23:30 in Chicago on 03-15 is 03-16 in Hangzhou: the transfusion of 03-01 is 15 days before -> pass.
CHICAGO = eligible_record(screening_number="NLX-S-900", screening_date="2026-03-02",
                          planned_first_dose="2026-03-15T23:30:00-05:00",
                          transfusion_or_growth_factor={"any": True, "last_date": "2026-03-01"},
                          pregnancy_tests=[{"specimen": "serum", "result": "negative",
                                            "collected": "2026-03-14T10:30:00-05:00"}])
CHICAGO["lesions"][0]["imaged_on"] = "2026-03-01"


@pytest.mark.requirement("URS-CAND-002", "URS-ELIG-015")
@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(record=records())
@example(record=CHICAGO)
def test_saved_and_re_evaluated_statuses_are_the_batch_commands(record):
    code, out = run_evaluate_candidates(json.dumps([record]))
    [batch] = json.loads(out)
    with transaction.atomic():
        try:
            saved = save_candidate(record=record)
        except InvalidRecord as error:
            assert "error" in batch, f"the service refused what the engine accepts: {error}"
            return
        assert "error" not in batch, f"the service stored what the engine refuses: {batch['error']}"
        assert code == 0
        assert statuses(batch) == (saved.statuses(), saved.outcome)
        assert (saved.protocol_version, saved.protocol_sha256) == (batch["protocol_version"],
                                                                    batch["protocol_sha256"])
        candidate = Candidate.objects.get(pk=saved.candidate_id)  # read back from the database
        again = record_evaluation(candidate=candidate)
        assert statuses(batch) == (again.statuses(), again.outcome)
        stored = {(lab.test, lab.value, lab.uln) for lab in LabResult.objects.filter(candidate=candidate)}
        assert stored == {(entry["test"], Decimal(entry["value"]), entry["uln"] and Decimal(entry["uln"]))
                          for entry in record["labs"]}
        if record is CHICAGO:
            assert statuses(batch)[0]["supportive_care_washout"] == "pass"
        transaction.set_rollback(True)
