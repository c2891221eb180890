"""Every main page reads Chinese by default and English on request, with nothing left in the other language.

Pages are rendered with the test client in both languages; their visible text and accessible names
(aria-label, title, placeholder) are scanned for English words outside data values (Chinese pages)
and for Chinese characters (English pages).
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User

from screening import eligibility, roles
from screening.services import signoff
from screening.services.endpoints import record_dfs
from tests.conftest import eligible_record, with_lab
from tests.i18n.pages import chinese_in, html_lang, leftover_english

pytestmark = pytest.mark.requirement("URS-I18N-001")

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def study(db, users, make_candidate, client):
    """Candidates in every state the pages show: enrolled (signed), screen failure, incomplete."""
    admin = users[roles.ADMIN]
    admin.is_superuser = True
    admin.save()
    enrolled = make_candidate(screening_number="NLX-S-001")
    signoff.sign(candidate=enrolled, user=users[roles.ADMIN], password=PASSWORD,
                 evaluation_id=enrolled.latest_evaluation_id)
    enrolled = signoff.enrol(candidate=enrolled, user=users[roles.COORDINATOR], enrolment_date=date.today())
    failed = make_candidate(**with_lab(eligible_record(screening_number="NLX-S-002"), "anc", value="1.2"))
    signoff.close(candidate=failed, user=users[roles.COORDINATOR], state="screen_failure")
    incomplete = make_candidate(screening_number="NLX-S-003", ecog=None)
    record_dfs(candidate=enrolled, dfs_6_month="not_evaluable", assessed_on=None, user=users[roles.COORDINATOR])
    return {"enrolled": enrolled, "failed": failed, "incomplete": incomplete}


PAGES = [
    "/candidates/", "/candidates/new/", "/candidates/NLX-S-001/", "/candidates/NLX-S-002/",
    "/candidates/NLX-S-003/", "/candidates/NLX-S-003/edit/", "/candidates/NLX-S-001/print/",
    "/candidates/NLX-S-003/sign/", "/candidates/NLX-S-002/sign/", "/candidates/NLX-S-003/close/",
    "/candidates/NLX-S-002/rescreen/", "/candidates/NLX-S-001/evaluations/", "/candidates/NLX-S-001/audit/",
    "/log/", "/log/consort/", "/dashboard/", "/dashboard/subjects/NLX-S-001/dfs/", "/exports/",
    "/candidates/NLX-S-404/", "/candidates/NLX-S-404/checklist.pdf",
]
# The interchange format's codes, which the data dictionary names in its descriptions.
CODES = [*eligibility.SEXES, *eligibility.DIAGNOSIS_TYPES, *eligibility.CONFIRMATIONS, *eligibility.LESION_KINDS,
         *eligibility.LESION_METHODS, *eligibility.SPECIMENS, *eligibility.PREGNANCY_RESULTS, *eligibility.LAB_TESTS,
         "eligible", "ineligible", "incomplete", "pass", "fail", "missing", "not_applicable", "screening", "enrolled",
         "screen_failure", "declined", "not_enrolled", "yes", "no", "not_evaluable", "unsigned", "signed",
         "superseded", "value", "uln", "unit", "10*9/L", "umol/L", "U/L", "data_dictionary.csv",
         "open", "answered", "closed", "candidates", "lab_results", "<table>:<row id>",  # query states, item keys
         "report", "site_default",  # ULN sources
         *(criterion.id for criterion in eligibility.CRITERIA)]
DATA = [*CODES, "NLX-S-001", "NLX-S-002", "NLX-S-003", "NLX-S-404", "NLX-001", "WXL", "pancreas", "admin", "coordinator",
        "investigator", "monitor", "import", "anc", "platelets", "ecog", "NLX-S-002-R1"]


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_each_page_reads_chinese_by_default(chinese, study, client, users, url):
    client.force_login(users[roles.ADMIN])
    html = page(client, url)
    assert html_lang(html) == "zh-Hans"
    left = leftover_english(html, data=DATA)
    assert left == [], (url, left)


@pytest.mark.parametrize("url", PAGES)
def test_each_page_reads_english_when_the_browser_asks(study, settings, client, users, url):
    settings.LANGUAGE_CODE = "zh-hans"  # the site's default; the data above was entered in English
    client.force_login(users[roles.ADMIN])
    html = page(client, url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(html) == "en"
    assert chinese_in(html) == [], url


def test_login_page_in_both_languages(chinese, client, db):
    html = page(client, "/accounts/login/")
    assert html_lang(html) == "zh-Hans" and "登录" in html and "用户名" in html
    assert leftover_english(html) == []
    html = page(client, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(html) == "en" and "Log in" in html and chinese_in(html) == []


def test_error_pages_in_chinese(chinese, client, users, db):
    client.force_login(users["norole"])
    forbidden = client.get("/candidates/")
    assert forbidden.status_code == 403
    html = forbidden.content.decode()
    assert "您无权访问此页面" in html and leftover_english(html, data=["norole"]) == []
    from django.template import loader

    for name in ("500.html", "503.html"):
        html = loader.render_to_string(name, {"protocol_version": "1.0"})
        assert html_lang(html) == "zh-Hans" and leftover_english(html) == [], name
