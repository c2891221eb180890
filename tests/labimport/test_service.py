"""Plan and apply: every fixture row's action, the engine's rules, provenance, audit, reasons, twice = once."""

import pytest

from screening import eligibility
from screening.eligibility import InvalidRecord
from screening.labimport import storage
from screening.models import (
    AuditEvent, Candidate, Evaluation, ImportedRow, LabImport, LabResult, LabTestMapping, PregnancyTest,
)
from screening.selectors.audit import audit_trail
from screening.services.candidates import ReasonRequired, StaleCandidate, save_candidate
from screening.services.labimport import PlanChanged, apply_import, build_plan
from tests.conftest import eligible_record
from tests.labimport.conftest import csv_bytes, fixture_bytes

pytestmark = pytest.mark.requirement("URS-LAB-001", "URS-LAB-003", "URS-LAB-004")

PLAUSIBILITY = ("rejected", "alt", "value: 25000 U/L is outside the plausible ALT value range")  # r2 limits
OUTCOME_AFTER = "eligible"

# line -> (action, test or kind, reason fragment) for the LIS export (CSV in either encoding).
LIS_EXPECTED = {
    "line 2": ("add", "anc", None),
    "line 3": ("rejected", None, "percentage"),
    "line 4": ("add", "platelets", None),
    "line 5": ("add", "haemoglobin", None),
    "line 6": ("add", "bilirubin", None),
    "line 7": ("add", "alt", None),
    "line 8": ("add", "ast", None),
    "line 9": ("add", "creatinine", None),
    "line 10": ("add", "pregnancy_test", None),
    "line 11": ("rejected", None, "no mapping for 'GLU'"),
    "line 12": ("rejected", "haemoglobin", "reference range unit 'g/dL' differs"),
    "line 13": PLAUSIBILITY,                                        # ALT 25000 U/L: plausibility limit
    "line 14": ("duplicate", "anc", None),
    "line 15": ("rejected", "creatinine", "after the screening date 2026-03-02"),
}
FHIR_EXPECTED = {
    "Observation/anc-1": ("add", "anc", None),
    "Observation/plt-1": ("add", "platelets", None),
    "Observation/hb-1": ("add", "haemoglobin", None),
    "Observation/tbil-1": ("add", "bilirubin", None),
    "Observation/alt-1": ("add", "alt", None),
    "Observation/ast-1": ("add", "ast", None),
    "Observation/crea-1": ("add", "creatinine", None),
    "Observation/hcg-1": ("add", "pregnancy_test", None),
    "Observation/neutp-1": ("rejected", None, "percent"),
    "Observation/wbc-prelim": ("rejected", None, "status 'preliminary'"),
    "Observation/glu-1": ("rejected", None, "no known LOINC code"),
    "Observation/hb-2": ("rejected", "haemoglobin", "reference range unit 'g/dL' differs"),
    "Observation/alt-2": PLAUSIBILITY,
    "Observation/plt-dup": ("duplicate", "platelets", None),
    "Observation/crea-late": ("rejected", "creatinine", "after the screening date 2026-03-02"),
}


def actions(plan):
    return {row.source: (row.action, row.test if row.kind != "pregnancy_test" else "pregnancy_test", row.reason)
            for row in plan.rows}


def check(plan, expected):
    found = actions(plan)
    assert list(found) == list(expected)
    for source, (action, test, reason) in expected.items():
        got_action, got_test, got_reason = found[source]
        assert (source, got_action, got_test) == (source, action, test), got_reason
        assert (reason is None) == (got_reason is None) and (reason is None or reason in got_reason), got_reason


@pytest.mark.parametrize("name", ["lis-gb18030.csv", "lis-utf8-bom.csv"])
def test_lis_csv_rows(candidate, name):
    plan = build_plan(candidate=candidate, data=fixture_bytes(name), file_name=name)
    assert plan.format == "csv"
    check(plan, LIS_EXPECTED)


def test_lis_xlsx_rows(candidate, lis_xlsx):
    plan = build_plan(candidate=candidate, data=lis_xlsx, file_name="lis.xlsx")
    expected = {key.replace("line", "row"): value for key, value in LIS_EXPECTED.items()}
    expected["row 16"] = ("rejected", None, "formula")
    assert plan.format == "xlsx"
    check(plan, expected)


def test_fhir_rows(candidate):
    plan = build_plan(candidate=candidate, data=fixture_bytes("bundle-cn.json"), file_name="bundle.json")
    assert plan.format == "fhir"
    check(plan, FHIR_EXPECTED)
    anc = plan.rows[0]
    assert str(anc.value) == "1.50"  # exact, as written in the JSON


def test_preview_stores_nothing_and_shows_before_and_after(candidate):
    counts = [model.objects.count() for model in (LabResult, PregnancyTest, Evaluation, LabImport, AuditEvent)]
    plan = build_plan(candidate=candidate, data=fixture_bytes("bundle-cn.json"), file_name="b.json")
    assert [model.objects.count() for model in (LabResult, PregnancyTest, Evaluation, LabImport, AuditEvent)] == counts
    assert (plan.before.outcome.value, plan.after.outcome.value) == ("incomplete", OUTCOME_AFTER)
    changed = {row["id"]: (row["before"], row["after"]) for row in plan.changed}
    assert changed["anc"] == ("missing", "pass")  # ANC 1.50 exactly: >= 1.5 passes
    assert changed["pregnancy_test"] == ("missing", "pass")
    assert "consent" not in changed


def test_apply_stores_adds_with_provenance_and_a_new_evaluation(candidate, users):
    user = users["coordinator"]
    data = fixture_bytes("lis-gb18030.csv")
    plan, lab_import = apply_import(candidate=candidate, data=data, file_name="lis-gb18030.csv", user=user)
    candidate.refresh_from_db()
    assert candidate.latest_evaluation == lab_import.evaluation
    assert candidate.latest_evaluation.outcome == OUTCOME_AFTER
    assert (lab_import.sha256, lab_import.size, lab_import.format) == (storage.sha256_hex(data), len(data), "csv")
    assert lab_import.imported_by == user
    assert storage.read(lab_import.sha256) == data  # the byte-exact source is kept
    provenance = {row.locator: row for row in ImportedRow.objects.filter(lab_import=lab_import)}
    assert sorted(provenance) == sorted(source for source, (action, *_) in LIS_EXPECTED.items() if action == "add")
    hb = provenance["line 5"].lab_result
    assert (hb.test, str(hb.value.normalize()), hb.unit, hb.uln, str(hb.collected)) == (
        "haemoglobin", "112", "g/L", 150, "2026-02-27")
    pregnancy = provenance["line 10"].pregnancy_test
    assert pregnancy.result == "negative" and pregnancy.collected.isoformat() == "2026-03-08T02:30:00+00:00"
    event = AuditEvent.objects.get(action="lab_import")
    added = sum(1 for action, *_ in LIS_EXPECTED.values() if action == "add")
    assert (event.details["added"], event.details["rejected"], event.details["duplicates"]) == (added, 14 - added - 1, 1)
    reason = f"Imported from lis-gb18030.csv (sha256 {lab_import.sha256[:12]})"
    trail = audit_trail(candidate)
    assert any(row.reason == reason and row.record.startswith("Lab result Haemoglobin") for row in trail)


def test_applying_twice_adds_nothing(candidate):
    data = fixture_bytes("bundle-cn.json")
    apply_import(candidate=candidate, data=data, file_name="b.json", user=None)
    evaluations = Evaluation.objects.count()
    labs = LabResult.objects.count()
    plan, lab_import = apply_import(candidate=candidate, data=data, file_name="b.json", user=None)
    assert lab_import is None
    assert {row.action for row in plan.rows} == {"duplicate", "rejected"}
    assert (Evaluation.objects.count(), LabResult.objects.count(), LabImport.objects.count()) == (evaluations, labs, 1)


def test_the_same_results_in_another_format_are_duplicates(candidate, lis_xlsx):
    apply_import(candidate=candidate, data=fixture_bytes("lis-utf8-bom.csv"), file_name="a.csv", user=None)
    plan = build_plan(candidate=candidate, data=lis_xlsx, file_name="a.xlsx")
    assert plan.adds == []


def test_typed_results_count_as_duplicates(make_candidate):
    typed = make_candidate()  # ELIGIBLE_RECORD: platelets 120 10*9/L collected 2026-02-27
    plan = build_plan(candidate=typed, data=fixture_bytes("bundle-cn.json"), file_name="b.json")
    assert actions(plan)["Observation/plt-1"][0] == "duplicate"


def test_engine_rules_apply_as_to_typed_data(candidate):
    data = csv_bytes(
        "NEUT#,中性粒细胞绝对值,2.1,g/L,,2026-02-27 08:30",          # unit not accepted for ANC
        "ALT,丙氨酸氨基转移酶,45,U/L,,2026-02-27 08:30",              # no ULN where required
        "HGB,血红蛋白,112.1234567,g/L,,2026-02-27 08:30",            # too many decimal places
        "NEUT#,中性粒细胞绝对值,1200,10^9/L,,2026-02-27 08:30",      # plausibility: ANC 0-100 x10^9/L
        "CREA,肌酐,1.8,μmol/L,0-104,2026-02-27 08:30",               # plausibility: creatinine 10-2000 umol/L
        "TBIL,总胆红素,12,μmol/L,0-210,2026-02-27 08:30",            # plausibility of the ULN: 5-50 umol/L
    )
    plan = build_plan(candidate=candidate, data=data, file_name="x.csv")
    reasons = [row.reason for row in plan.rows]
    assert reasons[0].startswith("unit: 'g/L' is not an accepted unit for anc")
    assert reasons[1].startswith("uln: is required for alt")
    assert reasons[2].startswith("value:")
    assert reasons[3].startswith("value:") and "check the unit" in reasons[3]
    assert reasons[4].startswith("value:") and "check the unit" in reasons[4]
    assert reasons[5].startswith("uln:")
    for row in plan.rows:  # the same entries typed (the form's and --save's path) are refused too
        record = eligible_record(screening_number="NLX-TYPED", labs=[{**row.entry(), "value": str(row.value)}])
        with pytest.raises(InvalidRecord):
            save_candidate(record=record, user=None)


def test_signed_or_closed_candidate_needs_a_reason_and_the_signature_is_superseded(make_candidate, users):
    from screening.services import signoff
    from screening.selectors.signoff import current_signature

    signed = make_candidate(labs=[], pregnancy_tests=[], consent_signed_on="2026-03-05")  # ineligible: consent
    signoff.sign(candidate=signed, user=users["investigator"], password="correct-horse-battery-staple",
                 evaluation_id=signed.latest_evaluation_id)
    signed.refresh_from_db()
    assert current_signature(signed) is not None
    data = fixture_bytes("bundle-cn.json")
    with pytest.raises(ReasonRequired):
        apply_import(candidate=signed, data=data, file_name="b.json", user=users["coordinator"])
    assert LabResult.objects.count() == 0
    _, lab_import = apply_import(candidate=signed, data=data, file_name="b.json", user=users["coordinator"],
                                 reason="Results from the hospital FHIR server")
    signed.refresh_from_db()
    assert current_signature(signed) is None
    assert lab_import.reason == "Results from the hospital FHIR server"
    assert any(row.reason.endswith(": Results from the hospital FHIR server") for row in audit_trail(signed))


def test_stale_preview_and_changed_mapping_are_refused(candidate):
    data = fixture_bytes("lis-gb18030.csv")
    plan = build_plan(candidate=candidate, data=data, file_name="a.csv")
    save_candidate(record=eligible_record(labs=[], pregnancy_tests=[], ecog=0), user=None)
    with pytest.raises(StaleCandidate):
        apply_import(candidate=candidate, data=data, file_name="a.csv", user=None, expected_version=plan.version)
    candidate = Candidate.objects.get(pk=candidate.pk)
    plan = build_plan(candidate=candidate, data=data, file_name="a.csv")
    LabTestMapping.objects.create(lis_name="GLU", kind="percentage")  # any change to what the rows mean
    with pytest.raises(PlanChanged):
        apply_import(candidate=candidate, data=data, file_name="a.csv", user=None,
                     expected_version=plan.version, expected_digest=plan.digest)
    assert LabResult.objects.count() == 0


def test_mapping_table_edits_are_audited(db):
    mapping = LabTestMapping.objects.create(lis_name="WBC-NEUT", kind="lab", test="anc")
    mapping.test = "platelets"
    mapping.save()
    assert [row.history_type for row in mapping.history.all()] == ["~", "+"]


def test_mapping_table_refuses_percentages_as_counts(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        LabTestMapping(lis_name="淋巴细胞百分比", kind="lab", test="anc").full_clean()
    with pytest.raises(ValidationError):
        LabTestMapping(lis_name="X", kind="pregnancy_test").full_clean()


def test_applying_keeps_every_other_stored_value(make_candidate):
    lesion = {"kind": "non_nodal", "method": "CT", "size_mm": "23", "slice_thickness_mm": "5",
              "imaged_on": "2026-02-26", "site": "liver segment VI", "locally_treated": False,
              "progressed_after_local_treatment": None}
    stored = make_candidate(labs=[], pregnancy_tests=[], lesions=[lesion])
    before = stored.to_record()
    apply_import(candidate=stored, data=fixture_bytes("bundle-cn.json"), file_name="b.json", user=None)
    stored = Candidate.objects.get(pk=stored.pk)
    after = stored.to_record()
    assert {key: value for key, value in after.items() if key not in ("labs", "pregnancy_tests")} == {
        key: value for key, value in before.items() if key not in ("labs", "pregnancy_tests")}
    assert stored.lesions.get().site == "liver segment VI" and stored.initials == "WXL"
