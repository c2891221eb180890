"""import_labs PATH --candidate N [--apply] [--reason TEXT]: JSON on stdout, exit 0/1/2."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from screening.models import LabImport, LabResult
from tests.labimport.conftest import FIXTURES, csv_bytes

pytestmark = pytest.mark.requirement("URS-LAB-006")


def run(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_labs", *args, stdout=stdout, stderr=stderr)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code, stderr = error.returncode, io.StringIO(str(error))
    return code, stdout.getvalue(), stderr.getvalue()


def test_preview_json_shape_and_exit_1_with_rejections(candidate):
    code, out, _ = run(str(FIXTURES / "bundle-cn.json"), "--candidate", "NLX-S-001")
    assert code == 1
    result = json.loads(out)
    assert list(result) == ["candidate", "source_sha256", "format", "rows", "outcome_before", "outcome_after",
                            "changed_criteria", "applied"]
    assert (result["candidate"], result["format"], result["applied"]) == ("NLX-S-001", "fhir", False)
    assert len(result["source_sha256"]) == 64
    hb = next(row for row in result["rows"] if row["source"] == "Observation/hb-1")
    assert hb == {"source": "Observation/hb-1", "kind": "lab", "test": "haemoglobin", "value": "112", "unit": "g/L",
                  "uln": "150", "collected": "2026-02-27", "action": "add", "reason": None}
    anc = next(row for row in result["rows"] if row["source"] == "Observation/anc-1")
    assert (anc["value"], anc["unit"], anc["uln"]) == ("1.50", "10*9/L", "6.3")  # exact decimals as strings
    hcg = next(row for row in result["rows"] if row["source"] == "Observation/hcg-1")
    assert hcg == {"source": "Observation/hcg-1", "kind": "pregnancy_test", "test": "pregnancy_test",
                   "specimen": "serum", "result": "negative", "collected": "2026-03-08T10:30:00+08:00",
                   "action": "add", "reason": None}
    assert {"id": "haemoglobin", "before": "missing", "after": "pass"} in result["changed_criteria"]
    assert result["outcome_before"] == "incomplete"
    assert LabResult.objects.count() == 0


def test_exit_0_when_nothing_is_rejected_and_apply(candidate, tmp_path):
    path = tmp_path / "plt.csv"
    path.write_bytes(csv_bytes("PLT,血小板计数,120,10^9/L,125-350,2026-02-27 08:30"))
    code, out, _ = run(str(path), "--candidate", "NLX-S-001", "--apply")
    assert code == 0
    assert json.loads(out)["applied"] is True
    assert LabResult.objects.get().test == "platelets"
    assert LabImport.objects.get().file_name == "plt.csv"
    code, out, _ = run(str(path), "--candidate", "NLX-S-001", "--apply")  # twice: a duplicate, nothing stored
    assert (code, json.loads(out)["applied"], json.loads(out)["rows"][0]["action"]) == (0, False, "duplicate")
    assert LabResult.objects.count() == 1


def test_apply_with_rejections_stores_the_others_and_exits_1(candidate):
    code, out, _ = run(str(FIXTURES / "lis-utf8-bom.csv"), "--candidate", "NLX-S-001", "--apply")
    assert code == 1
    result = json.loads(out)
    assert result["applied"] is True
    assert LabResult.objects.count() == sum(1 for row in result["rows"] if row["action"] == "add"
                                            and row["kind"] == "lab")


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv", "--candidate", "NLX-S-001"], "No such file"),
    (["bundle-cn.json", "--candidate", "NLX-S-999"], "no candidate"),
])
def test_exit_2_for_missing_file_or_candidate(candidate, args, message):
    args[0] = str(FIXTURES / args[0])
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert message in err


def test_exit_2_for_an_unreadable_file(candidate, tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"resourceType": "Bundle", "entry": [')
    code, out, err = run(str(path), "--candidate", "NLX-S-001")
    assert (code, out) == (2, "")
    assert "not valid JSON" in err


def test_signed_candidate_needs_reason_exit_2(make_candidate, users):
    from screening.services import signoff

    signed = make_candidate(labs=[], pregnancy_tests=[], consent_signed_on="2026-03-05")
    signoff.sign(candidate=signed, user=users["investigator"], password="correct-horse-battery-staple",
                 evaluation_id=signed.latest_evaluation_id)
    path = str(FIXTURES / "bundle-cn.json")
    code, out, err = run(path, "--candidate", "NLX-S-001", "--apply")
    assert (code, out) == (2, "") and "reason" in err
    code, out, _ = run(path, "--candidate", "NLX-S-001", "--apply", "--reason", "hospital FHIR export")
    assert code == 1 and json.loads(out)["applied"] is True
