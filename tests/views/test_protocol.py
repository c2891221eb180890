"""/protocol/ and the amendment pages by role; the version (and hash) on checklist, print, PDF, log and exports;
form hints built from the protocol; plausibility errors on the form."""

import csv
import io
import zipfile

from decimal import Decimal

import pytest
from django.utils.html import escape

from screening import eligibility, protocols
from screening.models import Evaluation, plain_decimal
from tests.conftest import eligible_record, with_lab
from tests.protocol_files import register
from tests.test_forms import NEW, form_data
from tests.test_pdf import pdf_text

ROLES = ("coordinator", "investigator", "monitor", "admin")
MATRIX = [
    # (method, url, roles allowed)
    ("get", "/protocol/", ROLES),
    ("get", "/protocol/?older=1.0&newer=1.0", ROLES),
    ("get", "/protocol/impact/", ("investigator", "admin")),
    ("post", "/protocol/impact/reevaluate/", ("admin",)),
]


@pytest.mark.requirement("URS-PROT-006", "URS-ROLE-003")
@pytest.mark.parametrize("method, url, allowed", MATRIX)
@pytest.mark.parametrize("role", ROLES + ("norole",))
def test_url_by_role(client_for, method, url, allowed, role):
    response = getattr(client_for(role), method)(url, {"reason": "amendment"} if method == "post" else None)
    if role in allowed:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.requirement("URS-ROLE-005")
@pytest.mark.parametrize("method, url, allowed", MATRIX)
def test_anonymous_users_are_sent_to_log_in(client, db, method, url, allowed):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.requirement("URS-PROT-007")
def test_re_evaluation_with_nothing_to_do_stores_nothing(client_for, make_candidate):
    make_candidate()
    stored = Evaluation.objects.count()
    response = client_for("admin").post("/protocol/impact/reevaluate/", {"reason": "check"})
    assert response.status_code == 302
    assert Evaluation.objects.count() == stored


@pytest.mark.requirement("URS-PROT-006")
def test_the_protocol_page_shows_each_version_its_dates_criteria_and_parameters(client_for):
    page = client_for("monitor").get("/protocol/").content.decode()
    shipped = protocols.get("1.0")
    assert 'data-in-force="1.0"' in page and 'effective from <span class="iso-date">2025-04-22</span>' in page
    assert shipped.sha256 in page
    for criterion in shipped.criteria:
        assert f'data-criterion="{criterion.id}"' in page
        assert escape(criterion.label) in page
    assert '<span class="font-monospace" data-parameter="max">1</span>' in page  # ECOG
    assert '<span class="font-monospace" data-parameter="types">NEC, NET_G3, MINEN</span>' in page
    assert "lab window days" in page.lower()


@pytest.mark.requirement("URS-PROT-006", "URS-INPUT-010")
@pytest.mark.parametrize("query", ["?older=9.9&newer=1.0", "?older=&newer=", "?older=1.0", "?newer=1.0&older=1.0%27--"])
def test_a_bad_diff_query_is_a_message_not_a_500(client_for, settings, tmp_path, query):
    register(settings, tmp_path)
    response = client_for("coordinator").get("/protocol/" + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page and "data-diff=" not in page


@pytest.mark.requirement("URS-PROT-006")
def test_with_two_versions_the_page_shows_both_and_their_difference(client_for, settings, tmp_path):
    register(settings, tmp_path)
    page = client_for("coordinator").get("/protocol/").content.decode()
    assert 'data-version="2.0-test"' in page and 'data-version="1.0"' in page
    assert page.index('data-version="2.0-test"') < page.index('data-version="1.0"')  # newest first
    assert "Superseded" in page and 'data-in-force="2.0-test"' in page
    assert 'data-diff="1.0→2.0-test"' in page
    assert "ECOG performance status 0–2" in page and "was: ECOG performance status 0–1" in page


@pytest.mark.requirement("URS-PROT-006", "URS-PROT-005")
def test_a_version_not_yet_in_force_is_announced(client_for, settings, tmp_path):
    from tests.protocol_files import AMENDMENT

    future = [edit for edit in AMENDMENT if not edit[0].startswith("effective_from")]
    register(settings, tmp_path, edits=future + [("effective_from = 2025-04-22", "effective_from = 2099-01-01")])
    page = client_for("coordinator").get("/protocol/").content.decode()
    assert 'data-in-force="1.0"' in page
    assert 'Version <strong>2.0-test</strong> takes effect on <span class="iso-date">2099-01-01</span>' in page


# --- the version everywhere -----------------------------------------------------

@pytest.mark.requirement("URS-PROT-004")
def test_checklist_print_pdf_and_log_show_the_version_and_the_pdf_the_hash(client_for, make_candidate):
    candidate = make_candidate()
    sha = protocols.get("1.0").sha256
    assert candidate.latest_evaluation.protocol_sha256 == sha
    client = client_for("investigator")  # monitors get no identified checklist PDF (issue 11)
    assert "protocol 1.0" in client.get(f"/candidates/{candidate.screening_number}/").content.decode()
    printed = client.get(f"/candidates/{candidate.screening_number}/print/").content.decode()
    assert "Protocol version" in printed and sha[:12] in printed
    text = pdf_text(client.get(f"/candidates/{candidate.screening_number}/checklist.pdf"))
    assert f"Protocol 1.0 definition file SHA-256: {sha}" in text
    log = client.get("/log/").content.decode()
    assert "<th" in log and "Protocol" in log and "<td>1.0</td>" in log


@pytest.mark.requirement("URS-PROT-004")
def test_exports_name_the_version_and_hash_in_about_and_each_evaluation(client_for, make_candidate):
    make_candidate()
    response = client_for("monitor").post("/exports/", {"dataset": "candidate_data", "format": "csv",
                                                        "identification": "deidentified", "dates": "month"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    about = {row["item"]: row["value"]
             for row in csv.DictReader(io.StringIO(archive.read("about.csv").decode("utf-8-sig")))}
    sha = protocols.get("1.0").sha256
    assert about["protocol_version"] == "1.0" and about["protocol_sha256"] == sha
    assert about["protocol_1.0"] == f"effective from 2025-04-22; sha256 {sha}"
    evaluations = list(csv.DictReader(io.StringIO(archive.read("evaluations.csv").decode("utf-8-sig"))))
    assert evaluations[0]["protocol_sha256"] == sha


@pytest.mark.requirement("URS-I18N-002", "URS-PROT-004")
def test_stored_rows_keep_their_facts_as_json(make_candidate):
    row = next(row for row in make_candidate().latest_evaluation.criteria if row["id"] == "ecog")
    assert row["label_fact"] == {"code": "label.ecog", "values": {"max": 1}}
    assert eligibility.render(eligibility.Fact.from_json(row["facts"][0])) == row["detail"]


# --- hints follow the protocol; plausibility errors ----------------------------------

SCRATCH = (
    ('version = "1.0"', 'version = "9.9-scratch"'),
    ("effective_from = 2025-04-22", "effective_from = 2026-01-01"),
    ("lab_window_days = 14", "lab_window_days = 9"),
    ('id = "ecog"\nmax = 1', 'id = "ecog"\nmax = 3'),
    ("min_months = 3", "min_months = 4.5"),
    ("min_years = 18\nmax_years = 75", "min_years = 21\nmax_years = 79"),
    ("minen_ne_component_above_percent = 30", "minen_ne_component_above_percent = 45"),
    ("imaging_window_days = 28", "imaging_window_days = 35"),
    ("days = 14", "days = 11"),
    ("window_hours = 72", "window_hours = 49"),
)


def form_hints(client):
    page = client.get(NEW).content.decode()
    return page[page.index('<form method="post" id="candidate-form"'):page.index('id="live-checklist-title"')]


@pytest.mark.requirement("URS-PROT-003")
def test_form_hints_follow_every_parameter_of_the_protocol(client_for, settings, tmp_path):
    client = client_for("coordinator")
    shipped = form_hints(client)
    for words in ("ECOG performance status 0–1", "Life expectancy ≥ 3 months", "Age 18–75", "above 30 %",
                  "the 72 h pregnancy-test window", "the 14-day washout", "the 28-day baseline imaging window",
                  "within 14 days before the screening date"):
        assert words in shipped, words
    register(settings, tmp_path, edits=SCRATCH)
    changed = form_hints(client)
    for words in ("Protocol 9.9-scratch", "ECOG performance status 0–3", "Life expectancy ≥ 4.5 months",
                  "Age 21–79", "above 45 %", "the 49 h pregnancy-test window", "the 11-day washout",
                  "the 35-day baseline imaging window", "within 9 days before the screening date",
                  "imaged within 35 days"):
        assert words in changed, words
    for stale in ("0–1", "72 h", "14-day", "28-day", "above 30 %", "18–75", "14 days", "28 days"):
        assert stale not in changed, stale  # nothing on the form restates 1.0's numbers by hand


@pytest.mark.requirement("URS-PROT-003")
def test_a_criterion_the_version_drops_gives_no_hint(client_for, settings, tmp_path):
    register(settings, tmp_path)  # 2.0-test drops life expectancy
    hints = form_hints(client_for("coordinator"))
    assert "Life expectancy ≥" not in hints and "ECOG performance status 0–2" in hints


@pytest.mark.requirement("URS-INPUT-006", "URS-INPUT-009")
@pytest.mark.parametrize("value, unit", [("75", "g/dL"), ("5", "g/L"), ("20", "mmol/L")])
def test_a_plausibility_error_names_the_field_the_range_in_that_unit_and_the_unit_it_fits(client_for, value,
                                                                                           unit):
    record = with_lab(eligible_record(), "haemoglobin", value=value, unit=unit)
    response = client_for("coordinator").post(NEW, form_data(record))
    assert response.status_code == 200
    form = next(form for form in response.context["entry"].formsets["labs"].forms if form.errors)
    message = " ".join(form.errors["value"])
    low, high = eligibility.range_in_unit("haemoglobin", unit)
    shown = eligibility.UNIT_LABELS[unit]
    assert eligibility.TEST_LABELS["haemoglobin"] in message
    assert f"{plain_decimal(low)}–{plain_decimal(high)} {shown}" in message
    fits = eligibility.fitting_units("haemoglobin", Decimal(value))
    assert fits and all(eligibility.UNIT_LABELS[fit] in message for fit in fits)
    page = response.content.decode()
    assert "Laboratory result" in page and "Value" in page and message.split(":")[0] in page


@pytest.mark.requirement("URS-INPUT-006", "URS-CAND-010")
def test_a_plausible_value_in_the_site_unit_is_accepted(client_for):
    record = with_lab(eligible_record(), "haemoglobin", value="112", unit="g/L")
    assert client_for("coordinator").post(NEW, form_data(record)).status_code == 302
