"""A protocol amendment from end to end: a test-only version 2.0-test (ECOG ≤ 2, a 21-day lab window, life
expectancy dropped) comes into force; the impact page, the re-evaluation, the superseded signature, the
history with both versions, the diff page and the amendment_impact command."""

import io
import json

import pytest
from django.core.management import call_command

from screening.models import AuditEvent, Candidate, Evaluation
from screening.selectors import signoff as signoff_selectors
from screening.services import signoff
from screening.services.amendments import ACTION, reevaluate_for_amendment
from screening.services.refusals import Refused
from tests.conftest import PASSWORD, eligible_record
from tests.protocol_files import register

IMPACT = "/protocol/impact/"
REEVALUATE = "/protocol/impact/reevaluate/"


def labs_collected(days_before_screening):
    record = eligible_record()
    collected = f"2026-02-{2 + 28 - days_before_screening:02d}" if days_before_screening > 1 else "2026-03-01"
    for lab in record["labs"]:
        lab["collected"] = collected
    return record["labs"]


@pytest.fixture
def before_amendment(make_candidate, users):
    """Candidates evaluated under 1.0, then version 2.0-test registered (in force since 2026-01-01)."""
    made = {
        "ecog2": make_candidate(screening_number="NLX-S-101", ecog=2),               # ineligible -> eligible
        "signed": make_candidate(screening_number="NLX-S-102"),                        # eligible, signed
        "old_labs": make_candidate(screening_number="NLX-S-103", labs=labs_collected(18)),  # incomplete -> eligible
        "closed": make_candidate(screening_number="NLX-S-104", ecog=2),
    }
    signoff.sign(candidate=made["signed"], user=users["investigator"], password=PASSWORD,
                 evaluation_id=made["signed"].latest_evaluation_id)
    signoff.close(candidate=made["closed"], user=users["coordinator"], state="screen_failure", reason="ECOG 2")
    return made


@pytest.fixture
def amendment(before_amendment, settings, tmp_path):
    return register(settings, tmp_path)


def row_of(page, number):
    start = page.index(f'data-candidate="{number}"')
    return page[start:page.index("</tr>", start)]


@pytest.mark.requirement("URS-PROT-007")
def test_the_impact_page_lists_what_the_amendment_changes_and_stores_nothing(client_for, before_amendment,
                                                                               amendment):
    stored = Evaluation.objects.count()
    assert [c.latest_evaluation.outcome for c in list(before_amendment.values())[:3]] == \
        ["ineligible", "eligible", "incomplete"]
    page = client_for("investigator").get(IMPACT).content.decode()
    assert "Amendment impact: protocol 2.0-test" in page
    ecog = row_of(page, "NLX-S-101")
    assert 'data-change="ecog"' in ecog and "fail → <strong>pass</strong>" in ecog
    assert "ineligible → <strong>eligible</strong>" in ecog
    signed = row_of(page, "NLX-S-102")
    assert 'data-change="life_expectancy"' in signed and "pass → <strong>—</strong>" in signed
    assert "(unchanged)" in signed
    old_labs = row_of(page, "NLX-S-103")
    assert "incomplete → <strong>eligible</strong>" in old_labs and 'data-change="anc"' in old_labs
    assert "NLX-S-104" not in page  # closed: keeps the version of its last evaluation
    assert 'data-count="listed">3<' in page
    assert Evaluation.objects.count() == stored  # computed, not stored
    assert "Re-evaluate 3 candidates" not in page  # investigators see the impact; only admins re-evaluate


@pytest.mark.requirement("URS-PROT-007", "URS-ROLE-002")
def test_only_an_admin_re_evaluates_and_only_with_a_reason(client_for, amendment):
    stored = Evaluation.objects.count()
    assert client_for("investigator").post(REEVALUATE, {"reason": "Amendment 2 approved"}).status_code == 403
    assert client_for("coordinator").post(REEVALUATE, {"reason": "Amendment 2 approved"}).status_code == 403
    admin = client_for("admin")
    response = admin.post(REEVALUATE, {"reason": "   "})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert admin.get(REEVALUATE).status_code == 405
    assert Evaluation.objects.count() == stored
    assert not AuditEvent.objects.filter(action=ACTION).exists()


@pytest.mark.requirement("URS-PROT-007", "URS-ROLE-002")
@pytest.mark.parametrize("role", ["coordinator", "investigator", "monitor"])
def test_a_non_admin_is_refused_by_a_crafted_post_and_by_the_service(client_for, amendment, users, role):
    stored = Evaluation.objects.count()
    assert client_for(role).post(REEVALUATE, {"reason": "Amendment 2 approved"}).status_code == 403
    with pytest.raises(Refused, match="Only an administrator can re-evaluate"):
        reevaluate_for_amendment(user=users[role], reason="Amendment 2 approved")
    if role == "investigator":  # sees the impact, not the re-evaluation form
        assert 'action="/protocol/impact/reevaluate/"' not in client_for(role).get("/protocol/impact/").content.decode()
    assert Evaluation.objects.count() == stored
    assert not AuditEvent.objects.filter(action=ACTION).exists()


@pytest.mark.requirement("URS-PROT-007", "URS-PROT-005", "URS-SIGN-004")
def test_re_evaluation_under_the_amendment_walks_the_whole_path(client_for, before_amendment, amendment, users):
    admin = client_for("admin")
    page = admin.get(IMPACT).content.decode()
    assert "Re-evaluate 3 candidates" in page
    response = admin.post(REEVALUATE, {"reason": "Amendment 2 approved by the ethics committee (EC-2026-07)"})
    assert response.status_code == 302
    for key, outcome in (("ecog2", "eligible"), ("signed", "eligible"), ("old_labs", "eligible")):
        candidate = Candidate.objects.get(pk=before_amendment[key].pk)
        evaluation = candidate.latest_evaluation
        assert (evaluation.protocol_version, evaluation.outcome) == ("2.0-test", outcome)
        assert evaluation.protocol_sha256 and evaluation.protocol_sha256 != before_amendment[key].latest_evaluation\
            .protocol_sha256
        assert "life_expectancy" not in evaluation.statuses()
        event = AuditEvent.objects.get(action=ACTION, candidate=candidate)
        assert event.details["amendment"] == "protocol 1.0 → 2.0-test"
        assert event.details["reason"].startswith("Amendment 2 approved")
        assert event.user == users["admin"]
    closed = Candidate.objects.get(pk=before_amendment["closed"].pk)
    assert closed.latest_evaluation.protocol_version == "1.0"

    signed = Candidate.objects.get(pk=before_amendment["signed"].pk)
    assert signoff_selectors.current_signature(signed) is None  # superseded, to be given again
    history = admin.get(f"/candidates/{signed.screening_number}/evaluations/").content.decode()
    assert 'data-protocol="2.0-test"' in history and 'data-protocol="1.0"' in history
    assert "superseded" in history
    audit = admin.get(f"/candidates/{signed.screening_number}/audit/").content.decode()
    assert ACTION in audit and "protocol 1.0 → 2.0-test" in audit and "EC-2026-07" in audit

    after = admin.get(IMPACT).content.decode()
    assert "Every candidate in screening is evaluated under protocol 2.0-test" in after

    diff = admin.get("/protocol/?older=1.0&newer=2.0-test").content.decode()
    assert 'data-diff="1.0→2.0-test"' in diff
    assert 'data-criterion="ecog" data-parameter="max"' in diff
    assert 'data-setting="lab_window_days"' in diff
    removed = diff[diff.index('class="diff-removed"'):]
    assert 'data-criterion="life_expectancy"' in removed[:removed.index("</ul>")]


@pytest.mark.requirement("URS-PROT-005")
def test_a_correction_of_a_closed_candidate_keeps_its_version(before_amendment, amendment, users):
    from screening.services.candidates import save_candidate

    closed = before_amendment["closed"]
    evaluation = save_candidate(record=eligible_record(screening_number=closed.screening_number, ecog=2),
                                user=users["coordinator"], reason="typo in weight")
    assert evaluation.protocol_version == "1.0" and evaluation.statuses()["ecog"] == "fail"
    screening = save_candidate(record=eligible_record(screening_number="NLX-S-101", ecog=2),
                               user=users["coordinator"])
    assert screening.protocol_version == "2.0-test" and screening.statuses()["ecog"] == "pass"


@pytest.mark.requirement("URS-PROT-007")
def test_amendment_impact_command_prints_the_same_as_json(before_amendment, amendment):
    out = io.StringIO()
    call_command("amendment_impact", stdout=out)
    report = json.loads(out.getvalue())
    assert report["protocol_version"] == "2.0-test"
    by_number = {row["screening_number"]: row for row in report["candidates"]}
    assert set(by_number) == {"NLX-S-101", "NLX-S-102", "NLX-S-103"}
    assert by_number["NLX-S-101"]["outcome_before"] == "ineligible"
    assert by_number["NLX-S-101"]["outcome_after"] == "eligible"
    assert {"id": "ecog", "before": "fail", "after": "pass"} in by_number["NLX-S-101"]["criteria"]
    assert report["verdict_changes"] == 3


@pytest.mark.requirement("URS-PROT-007")
def test_amendment_impact_of_a_draft_file_before_it_is_registered(before_amendment, tmp_path):
    from tests.protocol_files import AMENDMENT, protocol_text

    draft = tmp_path / "draft.toml"
    draft.write_text(protocol_text(AMENDMENT).replace('"2.0-test"', '"2.1-draft"'), encoding="utf-8")
    out = io.StringIO()
    call_command("amendment_impact", "--protocol-file", str(draft), stdout=out)
    report = json.loads(out.getvalue())
    assert report["protocol_version"] == "2.1-draft"
    assert len(report["candidates"]) == 3
    assert Evaluation.objects.filter(protocol_version="2.1-draft").count() == 0


@pytest.mark.requirement("URS-PROT-002", "URS-PROT-007")
def test_amendment_impact_refuses_a_bad_protocol_file(tmp_path, capsys, db):
    bad = tmp_path / "bad.toml"
    bad.write_text('trial = "NCT07077551"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("amendment_impact", "--protocol-file", str(bad))
    assert exit_.value.code == 2
    assert "missing" in capsys.readouterr().err
