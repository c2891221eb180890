"""The PDF eligibility checklist: opened with pypdf, its text checked."""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from screening.eligibility import PROTOCOL
from screening.models import AuditEvent, Candidate, Signature
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab

STATUS_WORDS = {"pass": "Pass", "fail": "Fail", "missing": "Missing", "not_applicable": "Not applicable"}


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def ineligible(users):
    record = with_lab(eligible_record(screening_number="NLX-S-007"), "platelets", value="95")
    return save_candidate(record=record, user=users["coordinator"])


@pytest.mark.requirement("URS-UI-002", "URS-ROLE-003")
@pytest.mark.parametrize("role", ["coordinator", "investigator", "admin"])  # monitors: test_audit_privacy
def test_every_role_gets_the_checklist_with_every_criterion_and_status(client_for, ineligible, role):
    text = pdf_text(client_for(role).get("/candidates/NLX-S-007/checklist.pdf"))
    assert "Eligibility checklist — NLX-S-007" in text
    assert "INELIGIBLE" in text
    assert "Protocol version 1.0" in text
    evaluated = timezone.localtime(ineligible.created_at).strftime("%Y-%m-%d %H:%M")
    assert f"Evaluation time {evaluated} (Asia/Shanghai)" in text
    assert len(ineligible.criteria) == 17
    for row in ineligible.criteria:
        assert f"{row['label']} {STATUS_WORDS[row['status']]}" in text, row["id"]
    assert f"{PROTOCOL.criterion('platelets').label} Fail" in text
    assert f"{PROTOCOL.criterion('pregnancy_test').label} Pass" in text
    assert "95 ×10⁹/L" in text or "95 ×10^9/L" in text  # the numbers used are printed
    assert "No electronic sign-off recorded." in text
    assert "Investigator's signature (wet ink)" in text and "Investigator name" in text


@pytest.mark.requirement("URS-SIGN-002", "URS-SIGN-004")
def test_signed_checklist_shows_the_signature_and_then_superseded(client_for, users):
    evaluation = save_candidate(record=eligible_record(), user=users["coordinator"])
    Signature.objects.create(
        evaluation=evaluation, signed_by=users["investigator"], eligible=True, evaluation_sha256="b" * 64,
        meaning="I confirm this candidate meets the eligibility criteria of protocol 1.0",
    )
    client = client_for("coordinator")
    text = pdf_text(client.get("/candidates/NLX-S-001/checklist.pdf"))
    assert "ELIGIBLE" in text
    assert "Signed by investigator (investigator)" in text
    assert "Meaning: I confirm this candidate meets the eligibility criteria of protocol 1.0" in text
    assert "b" * 64 in text
    assert "SUPERSEDED" not in text

    save_candidate(record=with_lab(eligible_record(), "platelets", value="140"), reason="lab corrected")
    text = pdf_text(client.get("/candidates/NLX-S-001/checklist.pdf"))
    assert "SUPERSEDED: this signature covers the evaluation of" in text


@pytest.mark.requirement("URS-UI-002")
def test_enrolled_subject_number_is_printed(client_for, make_candidate):
    make_candidate()
    Candidate.objects.filter(screening_number="NLX-S-001").update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9)
    )
    text = pdf_text(client_for("investigator").get("/candidates/NLX-S-001/checklist.pdf"))
    assert "Subject number NLX-001 (enrolled 2026-03-09)" in text


@pytest.mark.requirement("URS-AUDIT-002")
def test_checklist_download_is_audited(client_for, users, ineligible):
    client_for("investigator").get("/candidates/NLX-S-007/checklist.pdf")
    event = AuditEvent.objects.get(action="export_checklist_pdf")
    assert event.user == users["investigator"]
    assert event.candidate.screening_number == "NLX-S-007"
    assert event.details["format"] == "pdf"
    assert event.details["deidentified"] is False
    assert event.details["rows"] == 17
    assert event.details["scope"] == {"evaluation_id": ineligible.pk}


@pytest.mark.requirement("URS-ROLE-007")
def test_unknown_candidate_or_no_evaluation_gives_a_message_not_a_500(client_for, users):
    response = client_for("coordinator").get("/candidates/NLX-S-404/checklist.pdf")
    assert response.status_code == 404
    assert "No candidate with screening number NLX-S-404." in response.content.decode()
    Candidate.objects.create(screening_number="NLX-S-010", screening_date=date(2026, 3, 2))
    response = client_for("coordinator").get("/candidates/NLX-S-010/checklist.pdf")
    assert response.status_code == 404
    assert "NLX-S-010 has no evaluation yet" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export_checklist_pdf").exists()


@pytest.mark.requirement("URS-UI-002")
def test_markup_in_data_cannot_break_the_pdf(client_for, users):
    record = eligible_record(diagnosis={**eligible_record()["diagnosis"], "primary_site": "<b>pancreas & <i>"})
    save_candidate(record=record, user=users["coordinator"])
    text = pdf_text(client_for("coordinator").get("/candidates/NLX-S-001/checklist.pdf"))
    assert "NLX-S-001" in text


def pages_of(response):
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def signed_enrolled(users):
    """A signed, enrolled candidate whose checklist carries long notes (lesions, pregnancy test)."""
    record = eligible_record()
    record["lesions"] += [{**record["lesions"][0], "site": f"liver segment {n}", "size_mm": str(11 + n)}
                          for n in range(4)]
    evaluation = save_candidate(record=record, user=users["coordinator"])
    Signature.objects.create(
        evaluation=evaluation, signed_by=users["investigator"], eligible=True, evaluation_sha256="c" * 64,
        meaning="I confirm this candidate meets the eligibility criteria of protocol 1.0",
    )
    users["investigator"].first_name, users["investigator"].last_name = "Li", "Wei"
    users["investigator"].save()
    Candidate.objects.filter(pk=evaluation.candidate_id).update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9))
    return evaluation


@pytest.mark.requirement("URS-UI-002", "URS-SIGN-002", "URS-OUT-003")
def test_the_signature_block_stays_on_a_page_with_the_checklist(client_for, signed_enrolled):
    """Issue 13: the sign-off and the wet-ink block used to stand alone on page 2."""
    pages = pages_of(client_for("coordinator").get("/candidates/NLX-S-001/checklist.pdf"))
    [signed_page] = [page for page in pages if "Signed by Li Wei (investigator)" in page]
    assert "Meaning: I confirm this candidate meets the eligibility criteria of protocol 1.0" in signed_page
    assert "Investigator's signature (wet ink)" in signed_page
    last = PROTOCOL.criteria[-1].label
    assert f"{last} Pass" in signed_page  # the checklist's last rows are on the signature's page
    for page in pages:
        assert any(criterion.label in page for criterion in PROTOCOL.criteria), "a page without the checklist"


@pytest.mark.requirement("URS-UI-002", "URS-OUT-003")
def test_a_typical_checklist_prints_on_one_page(client_for, users):
    evaluation = save_candidate(record=eligible_record(), user=users["coordinator"])
    Signature.objects.create(evaluation=evaluation, signed_by=users["investigator"], eligible=True,
                             evaluation_sha256="d" * 64, meaning="I confirm")
    assert len(pages_of(client_for("coordinator").get("/candidates/NLX-S-001/checklist.pdf"))) == 1


@pytest.mark.requirement("URS-UI-002", "URS-SIGN-002", "URS-OUT-003")
def test_the_print_view_carries_what_the_pdf_carries(client_for, signed_enrolled):
    """Issue 13: one set of outputs — subject number, facts and the signature manifestation in both."""
    client = client_for("coordinator")
    pdf = " ".join(pages_of(client.get("/candidates/NLX-S-001/checklist.pdf")))
    html = client.get("/candidates/NLX-S-001/print/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())
    evaluated = timezone.localtime(signed_enrolled.created_at).strftime("%Y-%m-%d %H:%M")
    for words in ("Subject number NLX-001 (enrolled 2026-03-09)", "Screening no. NLX-S-001",
                  f"Evaluation time {evaluated} (Asia/Shanghai)", f"Evaluated {evaluated} by coordinator",
                  "Planned first dose 2026-03-10 09:00 (Asia/Shanghai)",
                  "Signed by Li Wei (investigator) at",
                  "Meaning: I confirm this candidate meets the eligibility criteria of protocol 1.0",
                  f"Signed evaluation SHA-256: {'c' * 64}", "Investigator's signature (wet ink)"):
        assert words in pdf, words
        assert words in text, words


@pytest.mark.requirement("URS-UI-002", "URS-EXP-006", "URS-OUT-003")
def test_the_checklist_page_links_its_pdf_for_those_who_may_take_it(client_for, ineligible):
    link = 'href="/candidates/NLX-S-007/checklist.pdf"'
    for role in ("coordinator", "investigator", "admin"):
        assert link in client_for(role).get("/candidates/NLX-S-007/").content.decode(), role
        assert link in client_for(role).get("/candidates/NLX-S-007/print/").content.decode(), role
    assert link not in client_for("monitor").get("/candidates/NLX-S-007/").content.decode()
