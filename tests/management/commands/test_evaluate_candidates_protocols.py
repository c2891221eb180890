"""evaluate_candidates, rules revision 2: protocol options, protocol hash in
the output, exit 2 for a bad protocol or input, per-record strictness."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from screening.eligibility import PROTOCOL
from tests.conftest import eligible_record, run_evaluate_candidates


PROTOCOL_TEXT = (Path(__file__).resolve().parents[3]
                 / "screening" / "eligibility" / "protocols" / "protocol-1.0.toml").read_text()


def refused(*args, text="[]"):
    stdin, stdout = sys.stdin, io.StringIO()
    sys.stdin = io.StringIO(text)
    try:
        with pytest.raises(CommandError) as error:
            call_command("evaluate_candidates", "-", *args, stdout=stdout)
    finally:
        sys.stdin = stdin
    assert stdout.getvalue() == ""  # nothing printed before the refusal
    return error.value


@pytest.mark.requirement("URS-PROT-004")
def test_output_names_the_protocol_version_and_its_sha256():
    code, out = run_evaluate_candidates(json.dumps([eligible_record()]))
    entry = json.loads(out)[0]
    assert code == 0
    assert (entry["protocol_version"], entry["protocol_sha256"]) == ("1.0", PROTOCOL.sha256)
    assert entry["outcome"] == "eligible"


@pytest.mark.requirement("URS-BATCH-005")
def test_protocol_version_option():
    code, out = run_evaluate_candidates(json.dumps([eligible_record()]), "--protocol", "1.0")
    assert code == 0 and json.loads(out)[0]["protocol_version"] == "1.0"


@pytest.mark.requirement("URS-BATCH-005")
def test_protocol_file_option_evaluates_under_a_draft(tmp_path):
    draft = tmp_path / "draft.toml"
    draft.write_text(PROTOCOL_TEXT.replace('version = "1.0"', 'version = "1.1-draft"').replace("max = 1", "max = 2"))
    code, out = run_evaluate_candidates(json.dumps([eligible_record(ecog=2)]), "--protocol-file", str(draft))
    entry = json.loads(out)[0]
    assert code == 0
    assert entry["protocol_version"] == "1.1-draft" and entry["protocol_sha256"] != PROTOCOL.sha256
    assert next(row for row in entry["criteria"] if row["id"] == "ecog")["status"] == "pass"


@pytest.mark.requirement("URS-BATCH-005", "URS-PROT-002")
def test_a_bad_protocol_file_is_refused_with_exit_2_naming_table_and_key(tmp_path):
    draft = tmp_path / "bad.toml"
    draft.write_text(PROTOCOL_TEXT.replace("max = 1", "max = 9"))
    error = refused("--protocol-file", str(draft))
    assert error.returncode == 2 and "(id = 'ecog'), key 'max'" in str(error)


@pytest.mark.requirement("URS-BATCH-005")
def test_both_options_or_an_unknown_version_or_a_missing_file_exit_2(tmp_path):
    assert refused("--protocol", "1.0", "--protocol-file", str(tmp_path / "x.toml")).returncode == 2
    assert "not registered" in str(refused("--protocol", "9.9"))
    assert refused("--protocol-file", str(tmp_path / "absent.toml")).returncode == 2


@pytest.mark.requirement("URS-BATCH-002")
@pytest.mark.parametrize("text", ["[{}] trailing", "[{}, 1]", "[{}", "\ufeff{}", "[{\"a\": \"\x01\"}]"])
def test_input_that_is_not_an_array_of_objects_exits_2_before_printing(text):
    assert refused(text=text).returncode == 2


@pytest.mark.requirement("URS-BATCH-002", "URS-INPUT-007")
def test_non_utf8_bytes_refuse_the_whole_input(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'[{"screening_number": "\xe9"}]')
    with pytest.raises(CommandError) as error:
        call_command("evaluate_candidates", str(path), stdout=io.StringIO())
    assert error.value.returncode == 2


@pytest.mark.requirement("URS-INPUT-005", "URS-INPUT-003")
def test_byte_order_mark_nan_tokens_and_duplicate_keys():
    good = json.dumps(eligible_record(screening_number="A"))
    nan = json.dumps(eligible_record(screening_number="B")).replace('"ecog": 1', '"ecog": NaN')
    twice = json.dumps(eligible_record(screening_number="C"))[:-1] + ', "sex": "male"}'
    code, out = run_evaluate_candidates("\ufeff[" + ",".join([good, nan, twice]) + "]")
    entries = json.loads(out)
    assert code == 1
    assert entries[0]["outcome"] == "eligible"
    assert entries[1]["error"].startswith("ecog:")
    assert entries[2]["error"].startswith("sex: appears more than once")


@pytest.mark.requirement("URS-BATCH-001")
def test_an_empty_array_gives_an_empty_array():
    code, out = run_evaluate_candidates("[]")
    assert code == 0 and json.loads(out) == []


@pytest.mark.requirement("URS-ELIG-015")
def test_the_issue_case_is_evaluated_in_the_site_date():
    # first dose 2026-03-15T23:30-05:00 is 2026-03-16 in Hangzhou; transfusion on 03-01 -> 15 days -> pass
    record = eligible_record(planned_first_dose="2026-03-15T23:30:00-05:00", pregnancy_tests=[
        {"specimen": "serum", "result": "negative", "collected": "2026-03-15T10:00:00+08:00"}],
        transfusion_or_growth_factor={"any": True, "last_date": "2026-03-01"})
    record["lesions"][0]["imaged_on"] = "2026-03-01"
    code, out = run_evaluate_candidates(json.dumps([record]))
    washout = next(row for row in json.loads(out)[0]["criteria"] if row["id"] == "supportive_care_washout")
    assert washout["status"] == "pass" and "2026-03-16" in washout["detail"]


@pytest.mark.requirement("URS-BATCH-005")
@pytest.mark.django_db
def test_save_stores_the_version_the_command_printed(settings, tmp_path):
    """--protocol 1.0 --save stores the evaluation under 1.0, as printed, although a test-only 2.0-test
    (ECOG <= 2) is in force; without the option both use 2.0-test."""
    from screening.models import Candidate
    from tests.protocol_files import register

    register(settings, tmp_path)
    for option, version, outcome in ((("--protocol", "1.0"), "1.0", "ineligible"), ((), "2.0-test", "eligible")):
        code, out = run_evaluate_candidates(json.dumps([eligible_record(ecog=2)]), *option, "--save")
        printed = json.loads(out)[0]
        stored = Candidate.objects.get(screening_number=printed["screening_number"]).latest_evaluation
        assert code == 0 and (printed["protocol_version"], printed["outcome"]) == (version, outcome)
        assert (stored.protocol_version, stored.protocol_sha256, stored.outcome) == \
            (printed["protocol_version"], printed["protocol_sha256"], printed["outcome"])
    assert (stored.protocol_version, stored.protocol_sha256, stored.outcome) == \
        (printed["protocol_version"], printed["protocol_sha256"], printed["outcome"])
